"""The read-only JSON API: letters, organizations, signatures and demands, list and detail.

django-ninja validates the query and writes the OpenAPI 3 schema; the filtering itself is done by the same
django-filter FilterSets as the HTML pages and their CSV (`FilterSet(request.GET, queryset).qs`), so the API, the
pages and the downloads can never disagree about what a filter means. Every queryset starts from the public ones.
"""

import datetime
from typing import Literal

import django_filters
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, When
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from pydantic import create_model

from api.filters import DemandFilter, SignatureFilter
from letters.exports import LETTER_COLUMNS
from letters.filters import LetterFilter
from letters.models import Demand, Letter, Signature
from letters.totals import letter_totals, totals_fields
from organizations.filters import OrganizationFilter, public_organizations
from organizations.models import Organization

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Beyond any archive's size; bounds the OFFSET the database is asked for (huge integers overflow it).
MAX_OFFSET = 10_000_000
MAX_ID = 2**63 - 1

api = NinjaAPI(
    title="Letters archive API",
    version="1",
    description="Read-only access to the public letters archive: published letters, the organizations they show, "
    "named signatures and demands. Lists take the same filters as the site's pages and are paginated with "
    "limit and offset.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    # The human docs are rendered on the server (api.views.docs): ninja's would load Swagger UI from a CDN.
    docs_url=None,
)


# --- Query parameters: pagination plus the FilterSet's own filters -------------------------------------------------


def query_schema(name: str, filterset_class: type[django_filters.FilterSet]) -> type[Schema]:
    """A ninja query schema declaring `limit`, `offset` and each filter of `filterset_class`, for the OpenAPI schema.

    The declared parameters document and validate; the FilterSet reads `request.GET` and does the filtering.
    """
    fields = {
        "limit": (int, Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")),
        "offset": (int, Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")),
    }
    for key, filter_ in filterset_class.base_filters.items():
        description = str(filter_.label or key)
        if isinstance(filter_, django_filters.DateFromToRangeFilter):
            fields[f"{key}_after"] = (datetime.date | None, Field(None, description=f"{description}: from (inclusive)"))
            fields[f"{key}_before"] = (datetime.date | None, Field(None, description=f"{description}: to (inclusive)"))
        elif isinstance(filter_, django_filters.ChoiceFilter | django_filters.OrderingFilter):
            values = tuple(value for value, _label in filter_.extra["choices"])
            fields[key] = (Literal[values] | None, Field(None, description=description))
        else:
            fields[key] = (str | None, Field(None, description=description))
    return create_model(name, __base__=Schema, **fields)


LetterQuery = query_schema("LetterQuery", LetterFilter)
OrganizationQuery = query_schema("OrganizationQuery", OrganizationFilter)
SignatureQuery = query_schema("SignatureQuery", SignatureFilter)
DemandQuery = query_schema("DemandQuery", DemandFilter)


def filtered(filterset: django_filters.FilterSet) -> QuerySet:
    if not filterset.is_valid():
        errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in filterset.errors.items())
        raise HttpError(400, errors)
    return filterset.qs


def page(request, items: QuerySet, query: Schema, serialize) -> dict:
    """One page of `items`: a count query and a page query (plus the caller's prefetches), whatever the limit."""
    count = items.count()
    rows = [serialize(request, item) for item in items[query.offset : query.offset + query.limit]]

    def link(offset: int) -> str:
        params = request.GET.copy()
        params["offset"] = offset
        params["limit"] = query.limit
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    following = query.offset + query.limit
    return {
        "count": count,
        "next": link(following) if following < count else None,
        "previous": link(max(query.offset - query.limit, 0)) if query.offset else None,
        "results": rows,
    }


# --- Output schemas ----------------------------------------------------------------------------------------------


class Error(Schema):
    detail: str


class OrganizationRef(Schema):
    id: int
    slug: str
    name: str
    url: str


TOTALS_MEANING = {column.name: column.meaning for column in LETTER_COLUMNS}


class Letter_(Schema):
    id: int
    slug: str
    title: str
    date: datetime.date
    kind: str
    url: str = Field(description="The letter's public page.")
    subject: str
    language: str
    source_url: str
    # The letter's figures (letters.totals), described as in the CSV's data dictionary (letters.exports).
    signatories_named: int = Field(description=TOTALS_MEANING["signatories_named"])
    signatories_undisclosed: int | None = Field(description=TOTALS_MEANING["signatories_undisclosed"])
    signatories_total: int = Field(description=TOTALS_MEANING["signatories_total"])
    signatories_stated: int | None = Field(description=TOTALS_MEANING["signatories_stated"])
    signatories_difference: int | None = Field(description=TOTALS_MEANING["signatories_difference"])
    totals_note: str = Field(description=TOTALS_MEANING["totals_note"])
    addressees: list[OrganizationRef]


class LetterDemand(Schema):
    id: int
    position: int
    text: str
    target: OrganizationRef | None


class LetterDetail(Letter_):
    body: str = Field(description="The letter's text, Markdown.")
    demands: list[LetterDemand]


class Organization_(Schema):
    id: int
    slug: str
    name: str
    acronym: str
    kind: str
    country: str
    website: str
    url: str = Field(description="The organization's public page.")
    letters_signed: int = Field(description="Published letters it signed.")


class Signature_(Schema):
    id: str = Field(description="`<letter_id>-<organization_id>`: a signature is one organization on one letter.")
    letter_id: int
    letter_slug: str
    letter_date: datetime.date
    letter_url: str
    organization_id: int
    organization_slug: str
    organization_name: str
    organization_url: str
    position: int = Field(description="1-based order among the letter's named signatories.")
    listed_as: str = Field(description="The name exactly as printed on the letter.")
    coalition_position: int | None = Field(description="`position` of the coalition this line is listed under.")
    added_on: datetime.date | None = Field(description="When it was added after publication; null if on the letter.")
    retracted_on: datetime.date | None = Field(
        description="When the signatory withdrew; null if it stands. A retracted line stays on the letter."
    )
    retraction_reason: str = Field(description="The note published with the retraction.")


class Demand_(Schema):
    id: int
    letter_id: int
    letter_slug: str
    letter_date: datetime.date
    letter_url: str
    position: int
    text: str
    target: OrganizationRef | None
    themes: list[str] = Field(description="Slugs of the themes the demand is about.")


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    return create_model(
        name,
        __base__=Schema,
        count=(int, ...),
        next=(str | None, ...),
        previous=(str | None, ...),
        results=(list[item], ...),
    )


LetterPage = page_schema("LetterPage", Letter_)
OrganizationPage = page_schema("OrganizationPage", Organization_)
SignaturePage = page_schema("SignaturePage", Signature_)
DemandPage = page_schema("DemandPage", Demand_)


# --- Serialisation -----------------------------------------------------------------------------------------------


def organization_ref(request, organization: Organization | None) -> dict | None:
    if organization is None:
        return None
    url = request.build_absolute_uri(organization.get_absolute_url())
    return {"id": organization.pk, "slug": organization.slug, "name": organization.name, "url": url}


def letter_data(request, letter: Letter) -> dict:
    return {
        "id": letter.pk,
        "slug": letter.slug,
        "title": letter.title,
        "date": letter.date,
        "kind": letter.kind,
        "url": request.build_absolute_uri(letter.get_absolute_url()),
        "subject": letter.subject,
        "language": letter.language,
        "source_url": letter.source_url,
        **totals_fields(letter_totals(letter)),
        "addressees": [organization_ref(request, org) for org in letter.addressees.all()],
    }


def organization_data(request, organization: Organization) -> dict:
    fields = ("slug", "name", "acronym", "kind", "country", "website", "letters_signed")
    data = {"id": organization.pk, **{field: getattr(organization, field) for field in fields}}
    data["url"] = request.build_absolute_uri(organization.get_absolute_url())
    return data


def signature_data(request, signature: Signature) -> dict:
    letter, organization = signature.letter, signature.organization
    return {
        "id": f"{letter.pk}-{organization.pk}",
        "letter_id": letter.pk,
        "letter_slug": letter.slug,
        "letter_date": letter.date,
        "letter_url": request.build_absolute_uri(letter.get_absolute_url()),
        "organization_id": organization.pk,
        "organization_slug": organization.slug,
        "organization_name": organization.name,
        "organization_url": request.build_absolute_uri(organization.get_absolute_url()),
        "position": signature.public_position,
        "listed_as": signature.listed_as,
        "coalition_position": signature.coalition_position,
        "added_on": signature.added_on,
        "retracted_on": signature.retracted_on,
        "retraction_reason": signature.retraction_reason,
    }


def demand_data(request, demand: Demand) -> dict:
    letter = demand.letter
    return {
        "id": demand.pk,
        "letter_id": letter.pk,
        "letter_slug": letter.slug,
        "letter_date": letter.date,
        "letter_url": request.build_absolute_uri(letter.get_absolute_url()),
        "position": demand.position,
        "text": demand.text,
        "target": organization_ref(request, demand.target),
        "themes": [theme.slug for theme in demand.themes.all()],
    }


REF_FIELDS = ("pk", "slug", "name")


def letters_for_api() -> QuerySet:
    addressees = Organization.objects.only(*REF_FIELDS).order_by("name")
    return Letter.objects.published().prefetch_related(Prefetch("addressees", queryset=addressees))


def public_count_up_to(position) -> Subquery:
    """How many public signatures of the outer signature's letter are at `position` or before it."""
    numbered = (
        Signature.objects.filter(letter=OuterRef("letter"), withheld=False, position__lte=position)
        .order_by()
        .values("letter")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(numbered, output_field=IntegerField())


def numbered_signatures(signatures: QuerySet) -> QuerySet:
    """Positions renumbered over the letter's public lines (as in the CSV), so no gap hints at a withheld one."""
    return signatures.annotate(
        public_position=public_count_up_to(OuterRef("position")),
        coalition_position=Case(
            When(member_of__withheld=False, then=public_count_up_to(OuterRef("member_of__position"))), default=None
        ),
    )


# --- Endpoints ---------------------------------------------------------------------------------------------------


@api.get("/letters", response={200: LetterPage, 400: Error}, url_name="letters", tags=["letters"])
def list_letters(request, query: Query[LetterQuery]):
    """Published letters, newest first, filtered as on the letters page."""
    letters = filtered(LetterFilter(request.GET, queryset=letters_for_api()))
    ordering = letters.query.order_by if query.sort else ("-date", "-id")
    return page(request, letters.order_by(*ordering, "pk"), query, letter_data)


@api.get("/letters/{id}", response={200: LetterDetail, 404: Error}, url_name="letter", tags=["letters"])
def get_letter(request, id: int = Path(..., ge=1, le=MAX_ID)):
    targets = Demand.objects.select_related("target").order_by("position")
    letter = get_object_or_404(letters_for_api().prefetch_related(Prefetch("demands", queryset=targets)), pk=id)
    demands = [
        {"id": d.pk, "position": d.position, "text": d.text, "target": organization_ref(request, d.target)}
        for d in letter.demands.all()
    ]
    return {**letter_data(request, letter), "body": letter.body, "demands": demands}


@api.get(
    "/organizations", response={200: OrganizationPage, 400: Error}, url_name="organizations", tags=["organizations"]
)
def list_organizations(request, query: Query[OrganizationQuery]):
    """Organizations a published letter shows, A to Z, filtered as on the organizations page."""
    organizations = filtered(OrganizationFilter(request.GET, queryset=public_organizations()))
    ordering = organizations.query.order_by if query.sort else ("name",)
    return page(request, organizations.order_by(*ordering, "pk"), query, organization_data)


@api.get(
    "/organizations/{id}", response={200: Organization_, 404: Error}, url_name="organization", tags=["organizations"]
)
def get_organization(request, id: int = Path(..., ge=1, le=MAX_ID)):
    return organization_data(request, get_object_or_404(public_organizations(), pk=id))


@api.get("/signatures", response={200: SignaturePage, 400: Error}, url_name="signatures", tags=["signatures"])
def list_signatures(request, query: Query[SignatureQuery]):
    """Named signatures of published letters, letter by letter in printed order."""
    signatures = filtered(SignatureFilter(request.GET))
    signatures = numbered_signatures(
        signatures.select_related("letter", "organization").only(
            "listed_as",
            "added_on",
            "retracted_on",
            "retraction_reason",
            "letter__slug",
            "letter__date",
            "organization__slug",
            "organization__name",
        )
    )
    return page(request, signatures.order_by("letter_id", "position"), query, signature_data)


@api.get("/demands", response={200: DemandPage, 400: Error}, url_name="demands", tags=["demands"])
def list_demands(request, query: Query[DemandQuery]):
    """Numbered demands of published letters, letter by letter."""
    demands = filtered(DemandFilter(request.GET)).select_related("letter", "target").prefetch_related("themes")
    return page(request, demands.order_by("letter_id", "position"), query, demand_data)


@api.get("/demands/{id}", response={200: Demand_, 404: Error}, url_name="demand", tags=["demands"])
def get_demand(request, id: int = Path(..., ge=1, le=MAX_ID)):
    demands = DemandFilter().queryset.select_related("letter", "target").prefetch_related("themes")
    return demand_data(request, get_object_or_404(demands, pk=id))
