"""The curator's import screen in the admin: paste a letter, review every decision, confirm in one transaction.

Two steps, both plain HTML forms (no JavaScript needed): "preview" parses and matches the text and shows a
table of decisions with a control per line; "confirm" rebuilds the same report from the same text, applies
the curator's choices and commits. The report is rebuilt rather than stored in the session, so a confirm
after someone else changed the archive re-checks against what is there now; a digest of the reviewed lines
makes sure the curator confirms the list they saw.
"""

import hashlib

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from letters.formats import ACCEPT, ACCEPTED_TYPES, read_document
from letters.formats.limits import MAX_UPLOAD_BYTES, MB
from letters.importing import CuratorChoice, ImportConflict, ImportReport, apply_choices, build_report, commit_report
from letters.models import Letter
from letters.parsing import LetterInputError, check_input
from organizations.models import Organization

# Lines a curator should look at first: the matcher was unsure, or it is about to create a record.
UNCERTAINTY_ORDER = {"ambiguous": 0, "new": 1, "fuzzy": 2, "normalized": 3, "alias": 4, "exact": 5}


class ImportLetterForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        required=False,
        help_text="Paste the whole letter: title, date, body and signatory list.",
    )
    file = forms.FileField(
        required=False,
        help_text=f"…or upload the letter as a file: {ACCEPTED_TYPES}; at most {MAX_UPLOAD_BYTES // MB} MB.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    status = forms.ChoiceField(choices=Letter.Status.choices, initial=Letter.Status.DRAFT)
    slug = forms.SlugField(required=False, allow_unicode=True, help_text="Leave empty to make one from the title.")
    source_url = forms.URLField(required=False, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        try:
            if upload:
                # One byte past the limit is enough to refuse a larger file without reading all of it.
                cleaned["text"] = read_document(upload.name, upload.read(MAX_UPLOAD_BYTES + 1))
                # The review step carries the letter as its text field: the upload's text, not the file.
                self.data = self.data.copy()
                self.data["text"] = cleaned["text"]
            else:
                cleaned["text"] = check_input((cleaned.get("text") or "").encode())
        except LetterInputError as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


def report_digest(report: ImportReport) -> str:
    lines = "\n".join(f"{s.position}\t{s.listed_as}" for s, _ in report.signatories)
    return hashlib.sha256(lines.encode()).hexdigest()


def read_choices(post, report: ImportReport) -> tuple[dict[int, CuratorChoice], list[str]]:
    """The curator's choices from the review form, and one error per line that cannot be understood."""
    choices: dict[int, CuratorChoice] = {}
    errors: list[str] = []
    others = {}
    for signatory, _ in report.signatories:
        other = post.get(f"other-{signatory.position}", "").strip()
        if other:
            others[signatory.position] = other
    # One query for every "another organization" field, whether it holds an id or a slug.
    ids = [int(v) for v in others.values() if v.isdigit()]
    found = Organization.objects.filter(merged_into__isnull=True).filter(pk__in=ids) | Organization.objects.filter(
        merged_into__isnull=True, slug__in=list(others.values())
    )
    by_key = {}
    for org in found:
        by_key[str(org.pk)] = org.pk
        by_key[org.slug] = org.pk
    for signatory, decision in report.signatories:
        position = signatory.position
        withheld = post.get(f"withheld-{position}") == "on"
        value = post.get(f"choice-{position}", "auto")
        if position in others:
            if others[position] not in by_key:
                errors.append(f"Line {position} ('{signatory.listed_as}'): no organization '{others[position]}'.")
                continue
            choices[position] = CuratorChoice(CuratorChoice.LINK, by_key[others[position]], withheld)
        elif value.startswith("link:") and value[5:].isdigit():
            choices[position] = CuratorChoice(CuratorChoice.LINK, int(value[5:]), withheld)
        elif value in (CuratorChoice.NEW, CuratorChoice.DROP):
            choices[position] = CuratorChoice(value, None, withheld)
        elif withheld:
            action = CuratorChoice.LINK if decision.organization_id else CuratorChoice.NEW
            choices[position] = CuratorChoice(action, decision.organization_id, True)
    return choices, errors


def import_letter_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    context = {**model_admin.admin_site.each_context(request), "opts": Letter._meta, "title": "Import a letter"}
    if request.method != "POST":
        return TemplateResponse(request, "admin/letters/letter/import.html", {**context, "form": ImportLetterForm()})

    form = ImportLetterForm(request.POST, request.FILES)
    if not form.is_valid():
        return TemplateResponse(request, "admin/letters/letter/import.html", {**context, "form": form})
    report = build_report(form.cleaned_data["text"])
    errors: list[str] = []

    if "confirm" in request.POST.getlist("step"):
        if request.POST.get("digest") != report_digest(report):
            errors.append("The parsed list differs from the one you reviewed: review it again.")
        else:
            choices, errors = read_choices(request.POST, report)
            if not errors:
                apply_choices(report, choices)
                try:
                    result = commit_report(
                        report,
                        status=form.cleaned_data["status"],
                        slug=form.cleaned_data["slug"] or None,
                        source_url=form.cleaned_data["source_url"],
                        decided_by=request.user,
                    )
                except ImportConflict as error:
                    errors.append(str(error))
                else:
                    verb = "Imported" if result.created else "Already in the archive, nothing changed:"
                    messages.success(
                        request,
                        f"{verb} “{result.letter.title}”: {result.organizations_created} new organizations, "
                        f"{result.aliases_created} new aliases.",
                    )
                    return HttpResponseRedirect(reverse("admin:letters_letter_change", args=[result.letter.pk]))

    rows = [
        {"signatory": signatory, "decision": decision, "report": decision.as_dict()}
        for signatory, decision in report.signatories
    ]
    if request.POST.get("order") == "uncertain":
        rows.sort(key=lambda row: (UNCERTAINTY_ORDER.get(row["report"]["match"], 9), row["signatory"].position))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["report"]["match"]] = counts.get(row["report"]["match"], 0) + 1
    return TemplateResponse(
        request,
        "admin/letters/letter/import_review.html",
        {
            **context,
            "title": "Review the import",
            "form": form,
            "report": report,
            "summary": report.as_dict(),
            "rows": rows,
            "counts": sorted(counts.items(), key=lambda item: UNCERTAINTY_ORDER.get(item[0], 9)),
            "digest": report_digest(report),
            "errors": errors,
            "order": request.POST.get("order", "list"),
        },
    )
