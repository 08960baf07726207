from collections import defaultdict

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.forms.models import BaseModelFormSet
from django.forms.renderers import DjangoTemplates
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from letters.counts import counted_once
from letters.models import Demand, Letter, Signature, Theme
from letters.review import import_letter_view


class CountedOnceAdmin(admin.ModelAdmin):
    """An admin whose saves, deletes and list actions recount the public counts once, not once a row.

    A page of signature lines saved with 100 changed rows, or a letter deleted with its signatures, sends a signal
    per row (letters.counts.counted_once).
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


LETTER_TEXTS = ["body", "body_html", "source_text", "search_vector", "signatory_list"]
"""A letter's long columns (tens of kilobytes a letter): lists of letters, or of their lines, never show them."""


def line_problems(lines: list[Signature]) -> list[list[tuple[str, str]]]:
    """What is wrong with each of `lines` (edited, not yet saved) beside the other lines of its letter: a list of
    (field, message) for each line. One read of their letters' lines, however many lines are checked.

    A position or an organization is refused while another line of the letter has it, as stored or as edited in the
    same save: the lines are saved one at a time, so even a swap would break the letter's unique constraints halfway.
    """
    rows = Signature.objects.filter(letter_id__in={line.letter_id for line in lines}).values_list(
        "pk", "letter_id", "position", "organization_id", "listed_as"
    )
    letter_of = {}
    # (letter, "position" or "organization", value) -> the lines that hold it, as (key, position, listed_as): a
    # stored line's key is its pk, an edited line's its pk or, not saved yet, an object of its own
    holders = defaultdict(list)
    keys = [line.pk or object() for line in lines]
    for pk, letter_id, position, organization_id, listed_as in rows:
        letter_of[pk] = letter_id
        holders[letter_id, "position", position].append((pk, position, listed_as))
        holders[letter_id, "organization", organization_id].append((pk, position, listed_as))
    for key, line in zip(keys, lines, strict=True):
        holders[line.letter_id, "position", line.position].append((key, line.position, line.listed_as))
        holders[line.letter_id, "organization", line.organization_id].append((key, line.position, line.listed_as))

    def held_by_another(key, line: Signature, field: str, value) -> tuple | None:
        return next((holder for holder in holders[line.letter_id, field, value] if holder[0] != key), None)

    problems = []
    for key, line in zip(keys, lines, strict=True):
        found = []
        if line.letter_id is not None:
            if other := held_by_another(key, line, "position", line.position):
                found.append(("position", f"Position {line.position} is taken by “{other[2]}” on this letter."))
            if other := held_by_another(key, line, "organization", line.organization_id):
                message = f"This organization signed this letter already, as line {other[1]} (“{other[2]}”)."
                found.append(("organization", message))
            if line.member_of_id is not None and letter_of.get(line.member_of_id) != line.letter_id:
                found.append(("member_of", "The coalition must be a line of this letter."))
            elif line.member_of_id is not None and line.member_of_id == line.pk:
                found.append(("member_of", "A line cannot be listed under itself."))
        if line.retraction_reason and line.retracted_on is None:
            found.append(("retracted_on", "A retraction reason needs the date of the retraction."))
        problems.append(found)
    return problems


class KnownChoiceField(forms.ModelChoiceField):
    """A foreign key whose current object the form has already (read with its line): not read again to check it."""

    known: models.Model | None = None

    def to_python(self, value):
        if self.known is not None and str(value) == str(self.known.pk):
            return self.known
        return super().to_python(value)


class KnownRawId(ForeignKeyRawIdWidget):
    """A raw id input that names the object its form has already rather than reading it again, and whose lookup
    link lists only `lookup_filter` (a coalition is chosen among its own letter's lines)."""

    known: models.Model | None = None
    lookup_filter: dict[str, str] = {}

    def label_and_url_for_value(self, value):
        if self.known is None or str(value) != str(self.known.pk):
            return super().label_and_url_for_value(value)
        opts = self.known._meta
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(self.known.pk,))
        return Truncator(self.known).words(14), url

    def url_parameters(self):
        return {**super().url_parameters(), **self.lookup_filter}


class SignatureForm(forms.ModelForm):
    """One signature line's own page, checked against the other lines of its letter (line_problems) instead of by
    Django's unique checks, which read once a constraint and say only "already exists"."""

    def _get_validation_exclusions(self):
        # Checked by the form already: the organization and the coalition found by their fields (KnownChoiceField),
        # the position from 1 (min_value), the rest by line_problems. The model's own checks would read the database
        # for each foreign key and constraint, a query a row on the lines page, and name a constraint, not the line.
        return super()._get_validation_exclusions() | {"organization", "member_of", "position", "retracted_on"}

    def validate_unique(self):
        for field, message in line_problems([self.instance])[0]:
            self.add_error(field, message)


class LineRowForm(SignatureForm):
    """A row of the signature lines page: the page's changed rows are checked together (SignatureLinesFormSet)."""

    def validate_unique(self):
        pass


class RowWidgets(DjangoTemplates):
    """Draws the inputs of the signature lines page in Python, byte for byte as Django's widget templates draw them
    (tests/letters/test_admin_signature_lines.py compares the pages). Through the templates, its 900 inputs were four
    fifths of the page's time: 456 ms of CPU for a page of 100 rows, 280 ms now. Other templates render as usual."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == "django/forms/errors/list/default.html" and not context["errors"]:
            return ""  # each input's list of errors, drawn (empty) before it
        if template_name in INPUT_TEMPLATES:
            return draw_input(widget)
        if template_name == "admin/widgets/date.html":
            return f'<p class="date">\n  {draw_input(widget)}\n\n\n</p>'
        if template_name == "admin/widgets/foreign_key_raw_id.html" and context["related_url"]:
            html = f"<div>{draw_input(widget)}\n"
            html += format_html(
                '<a href="{}" class="related-lookup" id="lookup_id_{}" title="{}"></a>',
                context["related_url"],
                widget["name"],
                context["link_title"],
            )
            if context["link_label"]:  # the name, linked to its page: organizations and lines both have admin pages
                link = format_html('<a href="{}">{}</a>', context["link_url"], context["link_label"])
                html += f"\n<strong>{link}</strong>"
            return html + "</div>"
        return super().render(template_name, context, request)


INPUT_TEMPLATES = {f"django/forms/widgets/{name}.html" for name in ("input", "text", "number", "checkbox")}


def draw_input(widget: dict) -> str:
    """django/forms/widgets/input.html with its attrs.html, less the file's last line break (which an include of it
    keeps)."""
    html = f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
    if widget["value"] is not None:
        html += f' value="{conditional_escape(str(widget["value"]))}"'
    for attr, setting in widget["attrs"].items():
        if setting is True:
            html += f" {conditional_escape(attr)}"
        elif setting is not False:
            html += f' {conditional_escape(attr)}="{conditional_escape(str(setting))}"'
    return html + ">"


ROW_WIDGETS = RowWidgets()  # one template engine for every row's form, not one each


class SignatureLinesFormSet(BaseModelFormSet):
    """The rows of the signature lines page: each input labelled with its line for screen readers (the admin's
    list_editable inputs have no label), every row's line, organization and coalition taken from the page's own
    read (KnownChoiceField), and the rows checked together (line_problems) rather than by the model's checks, which
    read each row's organization again and tested its position in the database in a savepoint: 416 queries to save
    a page of 100 rows, 10 now, whatever the number of rows."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        line = form.instance
        pk = form.fields["id"]
        form.fields["id"] = KnownChoiceField(pk.queryset, initial=pk.initial, required=False, widget=pk.widget)
        form.fields["id"].known = line
        organization = line.organization if line.organization_id else None
        for name, known in (("organization", organization), ("member_of", line.member_of)):
            form.fields[name].known = form.fields[name].widget.known = known
        if line.letter_id:
            form.fields["member_of"].widget.lookup_filter = {LetterFilter.parameter_name: str(line.letter_id)}
        for field in form.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{field.label}, line {line.position}"
            field.help_text = ""  # not shown in a list: the input's aria-describedby would name a missing element

    def clean(self):
        super().clean()
        changed = [form for form in self.forms if form.has_changed()]
        summary = []
        for form, problems in zip(changed, line_problems([form.instance for form in changed]), strict=True):
            for field, message in problems:
                form.add_error(field, message)
                summary.append(f"Line {form.initial['position']}: {message}")
        if summary:
            raise forms.ValidationError(summary)


class LetterFilter(admin.SimpleListFilter):
    """The letter whose lines are listed. Only the chosen letter is offered (all of them would be thousands of
    links): a letter's change form links to its lines."""

    title = "letter"
    parameter_name = "letter__id__exact"
    letter: Letter | None = None

    def lookups(self, request, model_admin):
        if self.value() is None:
            return []
        if not self.value().isdigit():
            raise IncorrectLookupParameters(f"Not a letter id: {self.value()!r}")
        self.letter = Letter.objects.only("title", "date").filter(pk=self.value()).first()
        return [(self.value(), self.letter.title if self.letter else "No such letter")]

    def queryset(self, request, queryset):
        return queryset if self.value() is None else queryset.filter(letter_id=self.value())


class SectionFilter(admin.SimpleListFilter):
    """The headings of the chosen letter's list, in printed order. Offered only with a letter chosen: the sections
    of every letter would be a read of every signature."""

    title = "section"
    parameter_name = "section"

    def lookups(self, request, model_admin):
        letter = request.GET.get(LetterFilter.parameter_name, "")
        if not letter.isdigit():
            return []
        sections = (
            Signature.objects.filter(letter_id=letter)
            .exclude(section="")
            .values("section")
            .annotate(first=Min("position"))
            .order_by("first")
            .values_list("section", flat=True)
        )
        return [(section, section) for section in sections]

    def queryset(self, request, queryset):
        return queryset if self.value() is None else queryset.filter(section=self.value())


class RetractedFilter(admin.SimpleListFilter):
    title = "retracted"
    parameter_name = "retracted"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        return queryset.filter(retracted_on__isnull=self.value() == "no")


class SignatureLines(ChangeList):
    """The signature list, titled with the letter it is filtered by (`letter` for the template's links)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter = next((spec.letter for spec in self.filter_specs if isinstance(spec, LetterFilter)), None)
        if self.letter is not None:
            self.title = f"Signature lines of “{self.letter.title}”"


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
    readonly_fields = ["preview", "signature_lines", "source_sha256", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date", "kind", "status", "language", "preview"]}),
        ("Addressed to", {"fields": ["addressees", "subject"]}),
        ("Text", {"fields": ["body"]}),
        ("Signatory counts", {"fields": ["declared_signatory_count", "undisclosed_signatory_count", "totals_note"]}),
        ("Signature lines", {"fields": ["signature_lines"]}),
        ("Source", {"fields": ["source_url", "source_sha256", "source_text"], "classes": ["collapse"]}),
        ("Timestamps", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    # The signature lines have their own screen (SignatureAdmin, linked from `signature_lines`): inline, a 600-line
    # letter's form was 3.4 MB of HTML with 6,009 unlabelled inputs and took 3-5 s to open.
    inlines = [DemandInline]
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
            queryset = queryset.defer(*LETTER_TEXTS)
        return queryset

    @admin.display(description="Preview")
    def preview(self, letter: Letter) -> str:
        """The letter as the public would see it, draft or not: staff only, never cached or indexed."""
        if letter.pk is None:
            return "Save the letter to preview it."
        url = reverse("letters:preview", kwargs={"pk": letter.pk})
        return format_html('<a href="{}" target="_blank" rel="noopener">Preview the public page</a>', url)

    @admin.display(description="Lines")
    def signature_lines(self, letter: Letter) -> str:
        if letter.pk is None:
            return "Save the letter, then add its signature lines (or import it: Letters > Import a letter)."
        counts = letter.signatures.aggregate(
            lines=Count("pk"),
            withheld_lines=Count("pk", filter=Q(withheld=True)),
            retracted_lines=Count("pk", filter=Q(withheld=False, retracted_on__isnull=False)),
            last_position=Max("position"),
        )
        lines_url = reverse("admin:letters_signature_changelist") + f"?{LetterFilter.parameter_name}={letter.pk}"
        next_position = (counts["last_position"] or 0) + 1
        add_url = reverse("admin:letters_signature_add") + f"?letter={letter.pk}&position={next_position}"
        retracted = f" ({counts['retracted_lines']} since retracted)" if counts["retracted_lines"] else ""
        return format_html(
            '<p>{} lines: {} named{}, {} withheld.</p><p><a href="{}">Edit the {} signature lines</a> · '
            '<a href="{}" class="addlink">Add a line</a></p>',
            counts["lines"],
            counts["lines"] - counts["withheld_lines"],
            retracted,
            counts["withheld_lines"],
            lines_url,
            counts["lines"],
            add_url,
        )

    # Stored (letters.counts): counting each letter's signatures made the list join all of them, 3.3 s a page
    # at 20,000 letters and 3.8 million signatures.
    @admin.display(description="Named signatories", ordering="named_count")
    def named_signatories(self, letter: Letter) -> int:
        return letter.named_count


@admin.register(Signature)
class SignatureAdmin(CountedOnceAdmin, SimpleHistoryAdmin):
    """The signature lines, a letter's at a time from its change form (`?letter__id__exact=<id>`): 100 a page,
    in printed order, each row editable; a line's own page for the rest (added, retraction reason)."""

    form = SignatureForm
    list_display = [
        "line",
        "position",
        "listed_as",
        "organization",
        "section",
        "member_of",
        "withheld",
        "retracted_on",
        "note",
        "letter",
    ]
    list_display_links = ["line"]
    list_editable = [
        "position",
        "listed_as",
        "organization",
        "section",
        "member_of",
        "withheld",
        "retracted_on",
        "note",
    ]
    list_filter = [LetterFilter, "withheld", SectionFilter, RetractedFilter, "letter__status"]
    list_per_page = 100
    # The rows' related objects are read by get_queryset, for the list and for the save of its rows alike.
    list_select_related = []
    show_full_result_count = False  # a count of every signature (millions) beside the letter's own
    ordering = ["letter_id", "position"]
    search_fields = ["listed_as", "organization__name", "letter__title"]
    autocomplete_fields = ["letter"]
    raw_id_fields = ["organization", "member_of"]  # inputs that work without JavaScript, unlike autocompletes

    class Media:
        css = {"all": ["css/admin-lines.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("letter", "organization", "member_of")
            .defer(*(f"letter__{field}" for field in LETTER_TEXTS))
        )

    def get_list_display(self, request):
        if LetterFilter.parameter_name in request.GET:  # every row's letter is the one in the title
            return [name for name in self.list_display if name != "letter"]
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        if LetterFilter.parameter_name in request.GET:
            # A letter's lines: nine columns of inputs need the width the admin's menu of models takes.
            extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_list_filter(self, request):
        if LetterFilter.parameter_name in request.GET:
            return [spec for spec in self.list_filter if spec != "letter__status"]
        return self.list_filter

    def get_changelist(self, request, **kwargs):
        return SignatureLines

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=LineRowForm, **kwargs)

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=SignatureLinesFormSet, renderer=ROW_WIDGETS, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            kwargs["min_value"] = 1  # the database refuses 0 (signature_position_from_one)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.raw_id_fields:
            kwargs["widget"] = KnownRawId(db_field.remote_field, self.admin_site, using=kwargs.get("using"))
            kwargs["form_class"] = KnownChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Line")
    def line(self, signature: Signature) -> str:
        return f"Line {signature.position}"


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
