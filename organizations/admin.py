from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from letters.admin import CountedOnceAdmin
from letters.models import Signature
from organizations.duplicates import duplicate_pairs
from organizations.merging import (
    MergeError,
    check_merge,
    letters_signed_by_several,
    merge_organizations,
    merge_preview,
    signatures_moving,
)
from organizations.models import Alias, DistinctPair, MergeLog, Organization

DUPLICATES_PER_PAGE = 50


class NamedRowsFormSet(BaseInlineFormSet):
    """A tabular inline's inputs, each named for screen readers: the table's column headers do not label them
    (axe: critical, on the page a merge lands on)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for field in form.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label}, {row}"


class AliasInline(admin.TabularInline):
    model = Alias
    formset = NamedRowsFormSet
    extra = 1
    fields = ["name", "source"]


def parse_ids(value: str) -> list[int]:
    """ "3,7,12" -> [3, 7, 12]; anything that is not a number is ignored, repeats dropped, order kept."""
    return list(dict.fromkeys(int(part) for part in value.split(",") if part.strip().isdigit()))


@admin.register(Organization)
class OrganizationAdmin(CountedOnceAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "acronym",
        "kind",
        "country",
        "signature_count",
        "public_letters_signed",
        "needs_review",
        "merged_into",
    ]
    list_filter = ["kind", "needs_review", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["name", "acronym", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "merged_into"]
    list_select_related = ["merged_into"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AliasInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["merge_selected"]
    change_list_template = "admin/organizations/organization/change_list.html"

    def get_queryset(self, request):
        # Every signature, withheld and on drafts too, counted for the rows shown only: a correlated count, which
        # PostgreSQL computes after the page's LIMIT. Counting through a join grouped every one of 3.8 million
        # signatures for each page (10 s at full scale); the sortable figure is the stored public count.
        signatures = Signature.objects.filter(organization=OuterRef("pk")).order_by().values("organization")
        total = Subquery(signatures.annotate(n=Count("*")).values("n"), output_field=IntegerField())
        return super().get_queryset(request).annotate(signature_total=Coalesce(total, 0))

    @admin.display(description="Signatures")
    def signature_count(self, organization: Organization) -> int:
        return organization.signature_total

    @admin.display(description="Public letters signed", ordering="letters_signed")
    def public_letters_signed(self, organization: Organization) -> int:
        return organization.letters_signed

    def get_urls(self):
        own = [
            path("merge/", self.admin_site.admin_view(self.merge_view), name="organizations_organization_merge"),
            path(
                "duplicates/",
                self.admin_site.admin_view(self.duplicates_view),
                name="organizations_organization_duplicates",
            ),
            path(
                "duplicates/not-the-same/",
                self.admin_site.admin_view(self.not_the_same_view),
                name="organizations_organization_not_the_same",
            ),
        ]
        return [*own, *super().get_urls()]

    # ---- merge -------------------------------------------------------------------------------

    @admin.action(description="Merge selected organizations…", permissions=["change"])
    def merge_selected(self, request: HttpRequest, queryset) -> HttpResponse | None:
        ids = sorted(queryset.values_list("pk", flat=True))
        if len(ids) < 2:
            self.message_user(request, "Select at least two organizations to merge.", messages.WARNING)
            return None
        url = reverse("admin:organizations_organization_merge")
        return HttpResponseRedirect(f"{url}?{urlencode({'ids': ','.join(map(str, ids))})}")

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        """Choose the survivor among the selected records, see what would move, confirm."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        ids = parse_ids(data.get("ids", ""))
        records = list(
            Organization.objects.filter(pk__in=ids)
            .select_related("merged_into")
            .annotate(signature_total=Count("signatures"))
            .order_by("-signature_total", "pk")
        )
        if len(records) < 2:
            self.message_user(request, "Choose at least two organizations to merge.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:organizations_organization_changelist"))
        by_id = {org.pk: org for org in records}
        chosen = data.get("survivor", "")
        # By default the survivor is the live record with the most signatures (the oldest on a tie).
        live = [org for org in records if org.merged_into_id is None] or records
        survivor = by_id.get(int(chosen)) if chosen.isdigit() and int(chosen) in by_id else live[0]
        duplicates = [org for org in records if org.pk != survivor.pk]
        error = ""
        try:
            check_merge(survivor, duplicates)
        except MergeError as refused:
            error = str(refused)

        if request.method == "POST" and not error:
            try:
                result = merge_organizations(survivor, duplicates, user=request.user)
            except MergeError as refused:
                error = str(refused)
            else:
                self.message_user(request, result.summary, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:organizations_organization_change", args=[survivor.pk]))

        previews = merge_preview(survivor, duplicates) if not error else []
        shared = letters_signed_by_several([org.pk for org in records]) if previews else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Merge organizations",
            "records": records,
            "survivor": survivor,
            "previews": previews,
            "totals": {
                name: sum(getattr(p, name) for p in previews)
                for name in (
                    "signatures",
                    "letters_signed_by_both",
                    "addressee_links",
                    "letters_addressed_to_both",
                    "demand_targets",
                    "aliases",
                    "member_organizations",
                    "merged_records",
                )
            },
            "shared_letters": shared,
            "signatures_moving": signatures_moving(survivor, previews, shared),
            "lines_combined": sum(len(letter.combined) for letter in shared),
            "ids": ",".join(str(org.pk) for org in records),
            "error": error,
        }
        return TemplateResponse(request, "admin/organizations/organization/merge.html", context)

    # ---- duplicate finder --------------------------------------------------------------------

    def duplicates_view(self, request: HttpRequest) -> HttpResponse:
        """Likely duplicate pairs already in the archive, best first, each with "merge" and "not the same"."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        page = Paginator(duplicate_pairs(), DUPLICATES_PER_PAGE).get_page(request.GET.get("page"))
        ids = {org_id for pair in page for org_id in (pair.first_id, pair.second_id)}
        organizations = Organization.objects.filter(pk__in=ids, merged_into__isnull=True).annotate(
            signature_total=Count("signatures")
        )
        by_id = {org.pk: org for org in organizations.only("name", "slug", "kind")}
        merge_url = reverse("admin:organizations_organization_merge")
        rows = [
            {
                "pair": pair,
                "first": by_id[pair.first_id],
                "second": by_id[pair.second_id],
                "merge_url": f"{merge_url}?{urlencode({'ids': f'{pair.first_id},{pair.second_id}'})}",
            }
            for pair in page
            if pair.first_id in by_id and pair.second_id in by_id
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Likely duplicate organizations",
            "page": page,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/organizations/organization/duplicates.html", context)

    def not_the_same_view(self, request: HttpRequest) -> HttpResponse:
        """POST: record that two organizations are distinct, then back to the same page of the list."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        return _not_the_same(self, request)


def _not_the_same(model_admin: OrganizationAdmin, request: HttpRequest) -> HttpResponse:
    first, second = request.POST.get("first", ""), request.POST.get("second", "")
    back = reverse("admin:organizations_organization_duplicates")
    page = request.POST.get("page", "")
    if page.isdigit():
        back += f"?{urlencode({'page': page})}"
    if not (first.isdigit() and second.isdigit()) or first == second:
        model_admin.message_user(request, "Choose two different organizations.", messages.ERROR)
        return HttpResponseRedirect(back)
    found = dict(Organization.objects.filter(pk__in=[int(first), int(second)]).values_list("pk", "name"))
    if len(found) != 2:
        model_admin.message_user(request, "One of these organizations no longer exists.", messages.ERROR)
        return HttpResponseRedirect(back)
    DistinctPair.record([(int(first), int(second))], user=request.user)
    model_admin.message_user(
        request,
        f"Recorded: “{found[int(first)]}” and “{found[int(second)]}” are not the same; this pair will not be "
        "proposed again.",
        messages.SUCCESS,
    )
    return HttpResponseRedirect(back)


@admin.register(Alias)
class AliasAdmin(CountedOnceAdmin, SimpleHistoryAdmin):
    list_display = ["name", "organization", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]


@admin.register(DistinctPair)
class DistinctPairAdmin(admin.ModelAdmin):
    """Curators' "not the same" decisions; delete one to let the duplicate finder propose the pair again."""

    list_display = ["organization_a", "organization_b", "decided_by", "created_at"]
    list_select_related = ["organization_a", "organization_b", "decided_by"]
    search_fields = ["organization_a__name", "organization_b__name"]
    readonly_fields = ["organization_a", "organization_b", "decided_by", "created_at"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(MergeLog)
class MergeLogAdmin(admin.ModelAdmin):
    """The record of every merge: read-only, for everyone who may see it."""

    list_display = ["id", "created_at", "user", "survivor_link", "merged_names", "moved"]
    list_select_related = ["user", "survivor"]
    search_fields = ["survivor_name", "survivor__name"]
    date_hierarchy = "created_at"
    fields = ["created_at", "user", "survivor", "survivor_name", "merged", "counts"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="Survivor", ordering="survivor_name")
    def survivor_link(self, log: MergeLog) -> str:
        if log.survivor_id is None:
            return log.survivor_name
        url = reverse("admin:organizations_organization_change", args=[log.survivor_id])
        return format_html('<a href="{}">{}</a>', url, log.survivor_name)

    @admin.display(description="Merged records")
    def merged_names(self, log: MergeLog) -> str:
        return log.merged_names

    @admin.display(description="Moved")
    def moved(self, log: MergeLog) -> str:
        return ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in log.counts.items() if n)
