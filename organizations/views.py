from django.core.paginator import Paginator
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from archive.cache import public_page
from letters import exports
from letters.listing import (
    COUNT_CAP,
    count_phrases,
    filters_used,
    letter_urls,
    page_links,
    query_links,
    slug_urls,
    stored_totals,
)
from letters.models import Demand, Letter
from letters.rendering import facet_line, initial_line, letter_link_items, organization_items, timeline_figure
from organizations.cosigners import COSIGNER_LETTERS, cosigner_counts, letters_signed_by, window_of
from organizations.filters import LETTERS_A_TO_Z, OrganizationFilter, public_organizations, public_signatures
from organizations.models import Organization, OrganizationSlug

ORGANIZATIONS_PER_PAGE = 60
ROWS_PER_PAGE = 25
COSIGNERS_SHOWN = 12


@require_GET
@public_page
def organization_list(request, format: str = "html"):
    filterset = OrganizationFilter(
        request.GET, queryset=public_organizations().only("name", "slug", "acronym", "kind", "letters_signed")
    )
    organizations = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    used = filters_used(filterset)
    if not request.GET.get("sort"):
        organizations = organizations.order_by("name")
    if format != "html":
        # The whole filtered list, every page of it, in the order the page shows.
        rows = exports.organization_rows(organizations, request.build_absolute_uri, spreadsheet=format == "csv")
        return exports.table_response(exports.ORGANIZATION_COLUMNS, rows, "organizations", format)
    paginator = Paginator(organizations, ORGANIZATIONS_PER_PAGE)
    more = False
    if not used:
        paginator.count = stored_totals().organizations  # not a COUNT over 200,000 organizations
    else:
        # A search for a common word matches thousands: count no further than COUNT_CAP + 1 ("more than ..."), and
        # offer the first COUNT_CAP.
        found = organizations.order_by()[: COUNT_CAP + 1].count()
        more = found > COUNT_CAP
        paginator.count = min(found, COUNT_CAP)
    count_text, download_text = count_phrases(
        paginator.count, COUNT_CAP if more else None, "organization", "organizations"
    )
    page = page_links(request, paginator.get_page(request.GET.get("page")))
    link, chosen = query_links(request.GET), request.GET.get
    context = {
        "filter": filterset,
        "page": page,
        "organization_items": organization_items(
            page, slug_urls("organizations:detail"), empty="No organization matches these filters."
        ),
        "kinds": Organization.Kind.choices,
        # The A-Z and kind facets' links, each to this list with one filter set (and back to its first page).
        "kind_facet": facet_line(
            [
                (label, link(kind=value, page=None), chosen("kind") == value)
                for value, label in Organization.Kind.choices
            ],
            remove_url=link(kind=None, page=None),
            remove_label="Remove kind filter",
        ),
        "initial_facet": initial_line(
            [(initial, link(initial=initial, page=None), chosen("initial") == initial) for initial in LETTERS_A_TO_Z],
            all_url=link(initial=None, page=None) if chosen("initial") else None,
        ),
        "count_text": count_text,
        "download_text": download_text,
    }
    return render(request, "organizations/organization_list.html", context)


def redirect_for(slug: str, view_name: str = "organizations:detail") -> HttpResponsePermanentRedirect:
    """301 from a merged record or an old slug to the public organization it became; else 404."""
    # A record merged while private got the opaque slug merged-<pk> (organizations.merging): it must not redirect,
    # or walking merged-N would tell which public organizations absorbed hidden records.
    moved = (
        Organization.objects.filter(slug=slug, merged_into__isnull=False)
        .exclude(slug=Concat(Value("merged-"), Cast("pk", output_field=CharField())))
        .values_list("merged_into", flat=True)
    )
    old = OrganizationSlug.objects.filter(slug=slug).values_list("organization", flat=True)
    target_pk = moved.first() or old.first()
    if target_pk is not None:
        target = Organization.objects.filter(pk=target_pk).only("slug", "merged_into").first()
        # The record it points at (or the survivor that one was merged into) must be public itself.
        if public_organizations().filter(pk=target.merged_into_id or target.pk).exists():
            return HttpResponsePermanentRedirect(reverse(view_name, kwargs={"slug": target.slug}))
    raise Http404("No organization at this address.")


@require_GET
@public_page
def organization_detail(request, slug: str, format: str = "html"):
    organization = public_organizations().filter(slug=slug).first()
    if organization is None:
        return redirect_for(slug, request.resolver_match.view_name)
    other_names = organization.other_names  # stored (letters.counts.refresh_names)
    if format != "html":
        # Only the downloads read its signatures as such (building this queryset costs 0.15 ms the page need not spend).
        signatures = public_signatures().filter(organization=organization)
        if format == "json":
            return organization_json(request, organization, other_names, signatures)
        rows = exports.letters_of_organization_rows(signatures, request.build_absolute_uri, spreadsheet=True)
        return exports.table_response(exports.ORGANIZATION_LETTER_COLUMNS, rows, f"{organization.slug}-letters", "csv")
    published = Letter.objects.published()
    letters_signed = letters_signed_by(organization).only("title", "slug", "date", "kind", "signatures_revision")
    # Its latest letters, read once: the window "signs most often with" is counted over, and the first page.
    latest = list(letters_signed[:COSIGNER_LETTERS])
    signed_pages = Paginator(letters_signed, ROWS_PER_PAGE)
    signed_pages.count = organization.letters_signed  # stored (letters.counts): no COUNT over its signatures
    signed = page_links(request, signed_pages.get_page(request.GET.get("signed")), "signed")
    if signed.number == 1:
        signed.object_list = latest[:ROWS_PER_PAGE]
    addressed_pages = Paginator(
        published.filter(addressees=organization).only("title", "slug", "date", "kind").order_by("-date", "-id"),
        ROWS_PER_PAGE,
    )
    addressed_pages.count = organization.letters_addressed  # stored too
    addressed = page_links(request, addressed_pages.get_page(request.GET.get("addressed")), "addressed")
    demand_pages = Paginator(
        Demand.objects.filter(target=organization, letter__in=published)
        .select_related("letter")
        .only("position", "text", "letter__title", "letter__slug", "letter__date")
        .order_by("-letter__date", "letter_id", "position"),
        ROWS_PER_PAGE,
    )
    # Stored too: none for nearly every organization, and then the page reads no demand (the template shows the
    # section only when there are some).
    demand_pages.count = organization.demand_count
    demands = page_links(request, demand_pages.get_page(request.GET.get("demands")), "demands")
    together = dict(cosigner_counts(organization, window_of(latest)))
    organization_url = slug_urls("organizations:detail")
    cosigners = sorted(
        (
            {"name": name, "url": organization_url(slug), "together": together[pk]}
            for pk, name, slug in public_organizations().filter(pk__in=together).values_list("pk", "name", "slug")
        ),
        key=lambda row: (-row["together"], row["name"]),
    )[:COSIGNERS_SHOWN]
    context = {
        "organization": organization,
        "other_names": other_names,
        "signed": signed,
        "signed_items": letter_link_items(signed, lambda letter: f"listed as “{letter.listed_as}”"),
        "addressed": addressed,
        "addressed_items": letter_link_items(addressed, lambda letter: letter.get_kind_display())
        if organization.letters_addressed
        else "",
        "demands": demands,
        "cosigners": cosigners,
        "cosigner_letters": COSIGNER_LETTERS,
        "timeline": timeline_figure(  # from stored figures (letters.counts)
            organization.signed_by_year, noun="letter", id="org-timeline", caption="Letters signed by year"
        ),
        "canonical_url": request.build_absolute_uri(organization.get_absolute_url()),
    }
    return render(request, "organizations/organization_detail.html", context)


def organization_json(request, organization: Organization, other_names, signatures) -> JsonResponse:
    """What the organization page shows, in full rather than by page: letters signed, addressed, demands."""
    published = Letter.objects.published()
    absolute, letter_url = request.build_absolute_uri, letter_urls()
    names = [column.name for column in exports.ORGANIZATION_LETTER_COLUMNS]
    data = {
        "id": organization.pk,
        "slug": organization.slug,
        "name": organization.name,
        "acronym": organization.acronym,
        "kind": organization.kind,
        "country": organization.country,
        "website": organization.website,
        "url": absolute(organization.get_absolute_url()),
        "other_names": list(other_names),
        "letters_signed": [
            dict(zip(names, row, strict=True))
            for row in exports.letters_of_organization_rows(signatures, absolute, spreadsheet=False)
        ],
        "letters_addressed": [
            {"id": pk, "slug": slug, "title": title, "date": date, "url": absolute(letter_url(date, slug))}
            for pk, slug, title, date in published.filter(addressees=organization)
            .order_by("-date", "-id")
            .values_list("pk", "slug", "title", "date")
        ],
        "demands_received": [
            {"id": pk, "letter_id": letter_id, "position": position, "text": text}
            for pk, letter_id, position, text in Demand.objects.filter(target=organization, letter__in=published)
            .order_by("-letter__date", "letter_id", "position")
            .values_list("pk", "letter_id", "position", "text")
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
