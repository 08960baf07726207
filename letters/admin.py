from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from letters.counts import counted_once
from letters.models import Demand, Letter, Signature, Theme
from letters.review import import_letter_view


class CountedOnceAdmin(admin.ModelAdmin):
    """An admin whose saves, deletes and list actions recount the public counts once, not once a row.

    A letter saved with 300 changed signature lines, or deleted with its signatures, sends a signal per row
    (letters.counts.counted_once).
    """

    def changeform_view(self, *args, **kwargs):
        with counted_once():
            return super().changeform_view(*args, **kwargs)

    def delete_view(self, *args, **kwargs):
        with counted_once():
            return super().delete_view(*args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        with counted_once():  # list_editable and actions such as "delete selected"
            return super().changelist_view(*args, **kwargs)


class SignatureInline(admin.TabularInline):
    model = Signature
    fk_name = "letter"
    extra = 0
    fields = [
        "position",
        "listed_as",
        "organization",
        "member_of",
        "withheld",
        "note",
        "added_on",
        "retracted_on",
        "retraction_reason",
    ]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["member_of"]
    ordering = ["position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "member_of")


class DemandInline(admin.StackedInline):
    model = Demand
    extra = 0
    fields = ["position", "target", "text", "themes"]
    autocomplete_fields = ["target"]
    filter_horizontal = ["themes"]
    ordering = ["position"]


@admin.register(Letter)
class LetterAdmin(CountedOnceAdmin, SimpleHistoryAdmin):
    list_display = ["title", "date", "kind", "status", "named_signatories", "declared_signatory_count"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["title", "subject", "slug"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["addressees"]
    readonly_fields = ["preview", "source_sha256", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date", "kind", "status", "language", "preview"]}),
        ("Addressed to", {"fields": ["addressees", "subject"]}),
        ("Text", {"fields": ["body"]}),
        ("Signatory counts", {"fields": ["declared_signatory_count", "undisclosed_signatory_count"]}),
        ("Source", {"fields": ["source_url", "source_sha256", "source_text"], "classes": ["collapse"]}),
        ("Timestamps", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [DemandInline, SignatureInline]
    change_list_template = "admin/letters/letter/change_list.html"

    def get_urls(self):
        import_url = path("import/", self.admin_site.admin_view(self.import_letter), name="letters_letter_import")
        return [import_url, *super().get_urls()]

    def import_letter(self, request):
        return import_letter_view(self, request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "letters_letter_changelist":
            # The list shows a few columns: not the texts, the search vector or the stored signatory list (tens of
            # kilobytes a letter), which made a 100-row page read megabytes.
            queryset = queryset.defer("body", "body_html", "source_text", "search_vector", "signatory_list")
        return queryset

    @admin.display(description="Preview")
    def preview(self, letter: Letter) -> str:
        """The letter as the public would see it, draft or not: staff only, never cached or indexed."""
        if letter.pk is None:
            return "Save the letter to preview it."
        url = reverse("letters:preview", kwargs={"pk": letter.pk})
        return format_html('<a href="{}" target="_blank" rel="noopener">Preview the public page</a>', url)

    # Stored (letters.counts): counting each letter's signatures made the list join all of them, 3.3 s a page
    # at 20,000 letters and 3.8 million signatures.
    @admin.display(description="Named signatories", ordering="named_count")
    def named_signatories(self, letter: Letter) -> int:
        return letter.named_count


@admin.register(Signature)
class SignatureAdmin(CountedOnceAdmin, SimpleHistoryAdmin):
    list_display = ["listed_as", "organization", "letter", "position", "withheld"]
    list_filter = ["withheld", "letter__status"]
    search_fields = ["listed_as", "organization__name", "letter__title"]
    autocomplete_fields = ["organization", "letter"]
    raw_id_fields = ["member_of"]
    list_select_related = ["organization", "letter"]


@admin.register(Demand)
class DemandAdmin(CountedOnceAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "letter", "target", "position"]
    list_filter = ["themes"]
    search_fields = ["text", "letter__title", "target__name"]
    autocomplete_fields = ["letter", "target"]
    filter_horizontal = ["themes"]
    list_select_related = ["letter", "target"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
