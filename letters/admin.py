from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, ForeignKeyRawIdWidget
from django.db import models
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
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


class PreloadedChoiceField(forms.ModelChoiceField):
    """A foreign key of a signature line, taken from `preloaded` (str(pk) -> object) when it is there.

    The letter's lines are read once per page (SignatureInline.get_formset). Without this, the change page looked up
    each line's organization (and each coalition member's coalition) to print a label it had read already, and a
    save looked up each line's organization again to validate it: 616 queries for a 600-line letter's page,
    17 now. A value not preloaded (a line moved to another organization) is looked up as usual.
    """

    preloaded: dict[str, models.Model] = {}

    def to_python(self, value):
        return self.preloaded.get(str(value)) or super().to_python(value)


class PreloadedAutocomplete(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        chosen = [self.choices.field.preloaded.get(str(pk)) for pk in value if pk not in ("", None)]
        if len(chosen) != 1 or chosen[0] is None:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(chosen[0])
        options.append(self.create_option(name, chosen[0].pk, label, {str(chosen[0].pk)}, len(options)))
        return [(None, options, 0)]


class PreloadedRawId(ForeignKeyRawIdWidget):
    preloaded: dict[str, models.Model] = {}

    def label_and_url_for_value(self, value):
        chosen = self.preloaded.get(str(value))
        if chosen is None:
            return super().label_and_url_for_value(value)
        opts = chosen._meta
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(chosen.pk,))
        return Truncator(chosen).words(14), url


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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["widget"] = PreloadedAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs["form_class"] = PreloadedChoiceField
        elif db_field.name == "member_of":
            kwargs["widget"] = PreloadedRawId(db_field.remote_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        lines = list(Signature.objects.filter(letter=obj).select_related("organization")) if obj and obj.pk else []
        # Shared by every line's copy of the field and widget (a form copies its fields shallowly but for widgets,
        # whose copies share this dict too), for this request only: the form class is built per request.
        formset.form.base_fields["organization"].preloaded = {
            str(line.organization_id): line.organization for line in lines
        }
        member_of = formset.form.base_fields["member_of"].widget
        member_of.preloaded = {str(line.pk): line for line in lines}
        return formset


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
        ("Signatory counts", {"fields": ["declared_signatory_count", "undisclosed_signatory_count", "totals_note"]}),
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
