"""The curator's import screen in the admin: paste a letter, correct anything in the review, save in one transaction.

Two screens, both plain HTML forms (no JavaScript needed). The import page takes the text; the review shows the
letter as parsed, every field and line editable (letters.review_draft), the checks that catch the parser's
mistakes (letters.review_checks) and, when the text corrects a letter already in the archive, what it changes on
that letter's list. "Apply changes" makes the curator's changes and matches the names again; "Save letter" saves
what the review shows, new or into the existing letter, in one transaction. A save whose lines would be decided
differently from what the page showed (the archive or a name changed since) shows them again instead.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from letters.formats import ACCEPT, ACCEPTED_TYPES, read_document
from letters.formats.limits import MAX_UPLOAD_BYTES, MB
from letters.importing import (
    ImportConflict,
    ImportReport,
    commit_report,
    fingerprint,
    letter_digest,
    pair_with_letter,
    update_letter,
)
from letters.models import Letter
from letters.parsing import LetterInputError, check_input, parse_letter
from letters.review_checks import parser_notes, review_checks
from letters.review_draft import (
    Draft,
    LetterFieldsForm,
    StaleReview,
    apply_operations,
    draft_from_parsed,
    draft_report,
    find_letter,
    read_draft,
    same_letter,
    signed_state,
)
from organizations.matching import Rule
from organizations.models import Organization

IMPORT_TEMPLATE = "admin/letters/letter/import.html"
REVIEW_TEMPLATE = "admin/letters/letter/import_review.html"


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


def import_letter_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    context = {**model_admin.admin_site.each_context(request), "opts": Letter._meta, "title": "Import a letter"}
    if request.method != "POST":
        return TemplateResponse(request, IMPORT_TEMPLATE, {**context, "form": ImportLetterForm()})
    if "state" in request.POST:
        return _review_posted(request, context)

    form = ImportLetterForm(request.POST, request.FILES)
    if not form.is_valid():
        return TemplateResponse(request, IMPORT_TEMPLATE, {**context, "form": form})
    text = form.cleaned_data["text"]
    fields = {name: form.cleaned_data[name] for name in ("status", "slug", "source_url")}
    draft = draft_from_parsed(parse_letter(text), text, fields)
    notices = []
    existing = same_letter(draft.fields)
    if existing is not None and existing.source_sha256 != fingerprint(text):
        draft.fields["letter"] = str(existing.pk)
        draft.fields["status"] = existing.status
        notices.append(
            f"Letter {existing.pk} has this title and date: saving updates it with this text. Empty “Update "
            "letter” to import it as a letter of its own (it then needs another title or date)."
        )
    return _review(request, context, draft, errors=[], notices=notices)


def _review_posted(request: HttpRequest, context: dict) -> HttpResponse:
    try:
        draft, errors, form = read_draft(request.POST)
    except StaleReview:
        error = (
            "The review form does not match the text it was made from (changed outside the review screen, or made "
            "by an older review): paste the letter again."
        )
        return TemplateResponse(
            request, IMPORT_TEMPLATE, {**context, "form": ImportLetterForm(), "error": error}, status=400
        )
    errors += apply_operations(draft)
    if request.POST.get("action") != "save" or errors or not form.is_valid():
        return _review(request, context, draft, errors=errors, form=form)
    if draft.changed:
        notices = ["Your changes to the list and demands are made: check them, then save."]
        return _review(request, context, draft, errors=[], notices=notices)

    letter = find_letter(draft.fields["letter"])
    if (letter.pk if letter else None) != draft.letter_id:
        notices = ["Compare the text with the letter it now updates, below, then save."]
        return _review(request, context, draft, errors=[], notices=notices)
    report = draft_report(draft)
    if letter is not None:
        pair_with_letter(report, letter)
    rematched = _decided_otherwise(draft, report)
    if rematched:
        notices = [f"{', '.join(rematched)}: matched again since the page showed them: check them, then save."]
        return _review(request, context, draft, errors=[], notices=notices, report=report)

    fields = draft.fields
    options = {
        "status": fields["status"],
        "slug": fields["slug"] or None,
        "source_url": fields["source_url"],
        "decided_by": request.user,
    }
    try:
        if letter is None:
            result = commit_report(report, **options)
        else:
            result = update_letter(
                report,
                letter.pk,
                retract_removed=fields["retract_removed"],
                reviewed_digest=draft.letter_digest,
                **options,
            )
    except ImportConflict as error:
        return _review(request, context, draft, errors=[str(error)], report=report)
    messages.success(request, _saved_message(result))
    return HttpResponseRedirect(reverse("admin:letters_letter_change", args=[result.letter.pk]))


def _decided_otherwise(draft: Draft, report: ImportReport) -> list[str]:
    """Lines left to the matcher whose organization is no longer the one the page showed."""
    decisions = {s.position: d for s, d in report.signatories}
    positions = draft.positions()
    return [
        f"#{positions[line.key]}"
        for line in draft.signatory_lines()
        if line.choice == "auto"
        and decisions[positions[line.key]].kept
        and decisions[positions[line.key]].organization_id != line.shown_organization
    ]


def _saved_message(result) -> str:
    letter, diff = result.letter, result.diff
    if diff is None and not result.created:
        return f"Already in the archive, nothing changed: “{letter.title}”."
    organizations = f"{result.organizations_created} new organizations, {result.aliases_created} new aliases."
    if diff is None:
        return f"Imported “{letter.title}”: {organizations}"
    return (
        f"Updated “{letter.title}”: {len(diff.added)} lines added, {len(diff.removed)} no longer printed, "
        f"{len(diff.renamed)} renamed, {len(diff.moved)} moved; {organizations}"
    )


def _review(
    request: HttpRequest,
    context: dict,
    draft: Draft,
    *,
    errors: list[str],
    notices: list[str] = (),
    form: LetterFieldsForm | None = None,
    report: ImportReport | None = None,
) -> HttpResponse:
    """The review screen for a draft: its fields, checks, demands, lines and, for a re-import, the differences."""
    errors = list(errors)
    letter = find_letter(draft.fields.get("letter") or "")
    if draft.fields.get("letter") and letter is None:
        errors.append(f"Update letter: no letter '{draft.fields['letter']}' in the archive.")
    report = report or draft_report(draft)
    diff = None
    draft.letter_id, draft.letter_digest = (letter.pk, letter_digest(letter.pk)) if letter else (None, "")
    if letter is not None:
        diff = pair_with_letter(report, letter)
    if form is None or form.is_valid():
        initial = {**draft.fields, "addressees": "\n".join(a.text for a in draft.addressees)}
        form = LetterFieldsForm(initial=initial)
    state = signed_state(draft, report)
    rows = _line_rows(draft, report)
    kept = sum(1 for _, d in report.signatories if d.kept)
    return TemplateResponse(
        request,
        REVIEW_TEMPLATE,
        {
            **context,
            "title": "Review the import",
            "form": form,
            "draft": draft,
            "state": state,
            "errors": errors,
            "notices": notices,
            "checks": review_checks(report),
            "notes": parser_notes(report),
            "rows": rows,
            "to_look_at": [row for row in rows if row["rule"] in ("ambiguous", "new") and row["kept"]],
            "addressees": _addressee_rows(draft, report),
            "demands": [(d, report.demand_targets.get(d.target)) for d in draft.demands],
            "kept": kept,
            "letter": letter,
            "diff": diff,
            "same_text": report.existing_letter_id,
        },
    )


def _option_names(ids: set[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _options(choice: str, decision, names: dict[int, str]) -> list[tuple[str, str]]:
    """The decision select's options: the matcher's (or the letter's) decision, its candidates, the organization
    the curator chose, new, drop."""
    match = decision.match
    if decision.signature is not None:
        auto = f"keep: {decision.signature.organization.name} (on the letter)"
    elif decision.duplicate_of is not None:
        auto = f"keep: dropped, repeats #{decision.duplicate_of}"
    elif match.rule == Rule.AMBIGUOUS:
        auto = "keep: ambiguous, a new record flagged for review"
    elif match.organization_id is not None and match.rule != Rule.NEW:
        auto = f"keep: {match.report_rule}: {match.organization_name}"
    else:
        auto = "keep: a new organization"
    options = [("auto", auto)]
    options += [(f"link:{c.organization_id}", f"{c.organization_name} ({c.score:.0f})") for c in match.candidates]
    if choice.startswith("link:") and choice not in dict(options):
        options.append((choice, f"{names.get(int(choice[5:]), 'organization ' + choice[5:])} (chosen)"))
    return [*options, ("new", "make a new organization"), ("drop", "drop this line")]


def _line_rows(draft: Draft, report: ImportReport) -> list[dict]:
    decisions = {s.position: d for s, d in report.signatories}
    positions = draft.positions()
    chosen = {int(line.choice[5:]) for line in draft.lines if line.choice.startswith("link:")}
    names = _option_names(chosen)
    rows = []
    section = ""
    for line in draft.lines:
        position = positions.get(line.key)
        decision = decisions.get(position)
        row = {
            "line": line,
            "position": position,
            "section": line.section if line.section != section and not line.heading else None,
            "member": positions.get(line.member_of) if line.member_of is not None else None,
            "decision": decision,
            "kept": decision is not None and decision.kept,
            "rule": "heading",
        }
        if not line.heading:
            section = line.section
        if decision is not None:
            row["rule"] = "drop" if not decision.kept else decision.match.report_rule
            if decision.signature is not None:
                row["rule"] = "letter"
            row["options"] = _options(line.choice, decision, names)
        rows.append(row)
    return rows


def _addressee_rows(draft: Draft, report: ImportReport) -> list[dict]:
    chosen = {int(a.choice[5:]) for a in draft.addressees if a.choice.startswith("link:")}
    names = _option_names(chosen)
    rows = []
    for addressee, decision in zip(draft.addressees, report.addressees, strict=True):
        options = [option for option in _options(addressee.choice, decision, names) if option[0] != "drop"]
        rows.append({"addressee": addressee, "decision": decision, "options": options})
    return rows
