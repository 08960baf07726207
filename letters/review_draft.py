"""The import review's draft: the letter as the curator is correcting it, carried by the review form itself.

The review screen is one plain HTML form. Each time it is posted ("Apply changes" or "Save letter") the draft is
read back from it: the letter's fields, addressees, demands and every signatory line as the curator left them, then
the changes asked for on lines (split, join, section heading) are made and every name is matched again. The draft is
never rebuilt by parsing the original text again, so the curator's edits survive every round trip.

What the form shows but does not let the curator type (each line's source line, section and note, what the page
showed for it, the parser's notes) travels in one signed field, `state`, with a fingerprint of the original text:
a form that was changed outside the review screen, or comes from another text or an older review, is refused with
`StaleReview` rather than guessed at.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.db.models import Q

from letters.importing import (
    CuratorChoice,
    ImportReport,
    apply_choices,
    fingerprint,
    printed_headings,
    report_for,
)
from letters.models import Letter
from letters.parsing import ParsedDemand, ParsedLetter, ParsedSignatory
from organizations.models import Organization

STATE_SALT = "letters.review.state"
STATE_VERSION = 1
CHOICE = re.compile(r"^(?:auto|new|drop|link:\d+)$")
# What can be done to a line besides editing it: "split" at each "|", "join" with the next line, "heading" makes it
# the section heading of the lines after it, "line" makes a heading a signatory line again.
OPERATIONS = {"split", "join", "heading", "line"}


class StaleReview(Exception):
    """The posted review form is not one the archive made for this text: start the import again."""


@dataclass
class DraftLine:
    key: int  # stable across round trips: form fields are named by it, not by position
    text: str  # the printed name, as the curator corrected it
    line: int  # the line of the original text it came from
    section: str = ""
    note: str = ""
    kind: str = "organization"
    heading: bool = False  # a section heading, not a signatory: the lines after it get its text as section
    member_of: int | None = None  # the key of its coalition's line
    choice: str = "auto"  # auto | new | drop | link:<organization id>
    other: str = ""  # "another organization" typed, not found (kept to show it again with the error)
    withheld: bool = False
    operation: str = ""
    shown_text: str = ""  # the text the page last showed: a line edited since is matched again
    shown_organization: int | None = None  # the organization the page last showed for "auto"


@dataclass
class DraftAddressee:
    text: str
    choice: str = "auto"
    other: str = ""

    @property
    def field(self) -> str:
        """The addressee's form fields are named by its text: the curator reorders and edits the textarea freely."""
        return "addressee-" + hashlib.sha256(self.text.encode()).hexdigest()[:12]


@dataclass
class DraftDemand:
    text: str
    target: str = ""


@dataclass
class Draft:
    text: str  # the original text, saved as the letter's source
    fields: dict  # LetterFieldsForm's cleaned data
    lines: list[DraftLine]
    addressees: list[DraftAddressee] = field(default_factory=list)
    demands: list[DraftDemand] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # demands the parser found in prose, not saved unless promoted
    notes: list[str] = field(default_factory=list)  # the parser's warnings on the original text
    next_key: int = 0
    letter_id: int | None = None  # a re-import: the letter the page compared with
    letter_digest: str = ""  # and what that letter was when the page showed it (letters.importing.letter_digest)
    changed: bool = False  # this post changed the list's structure or demands: show the result before saving

    def signatory_lines(self) -> list[DraftLine]:
        return [line for line in self.lines if not line.heading]

    def positions(self) -> dict[int, int]:
        """Line key -> its position on the list (headings take none)."""
        return {line.key: k for k, line in enumerate(self.signatory_lines(), start=1)}


class LetterFieldsForm(forms.Form):
    """The letter's own fields on the review screen, with the labels curators know from the letter."""

    title = forms.CharField(label="Title", max_length=500, required=False)
    date = forms.DateField(label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="Kind", choices=Letter.Kind.choices)
    addressees = forms.CharField(
        label="Addressees",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="One a line. Each is matched to an organization below after “Apply changes”.",
    )
    subject = forms.CharField(label="Subject", max_length=1000, required=False)
    declared_total = forms.IntegerField(
        label="Declared total", min_value=0, required=False, help_text="The total the letter states, named or not."
    )
    undisclosed = forms.IntegerField(
        label="Undisclosed", min_value=0, required=False, help_text="Signatories the letter counts but does not name."
    )
    source_url = forms.URLField(label="Source URL", max_length=1000, required=False, assume_scheme="https")
    body = forms.CharField(label="Body", required=False, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    status = forms.ChoiceField(label="Status", choices=Letter.Status.choices)
    slug = forms.SlugField(
        label="Address slug", required=False, allow_unicode=True, help_text="Empty: made from the title."
    )
    letter = forms.CharField(
        label="Update letter",
        required=False,
        help_text="The id or slug of a letter already in the archive that this text corrects; empty for a new letter.",
    )
    retract_removed = forms.BooleanField(
        label="Keep lines no longer printed as retractions",
        required=False,
        help_text="Published letters only. Otherwise they are deleted (their history keeps them).",
    )

    def clean_body(self) -> str:
        return self.cleaned_data["body"].replace("\r\n", "\n")


def draft_from_parsed(parsed: ParsedLetter, text: str, fields: dict) -> Draft:
    """The first draft: what the parser read. `fields`: status, slug and source URL from the import page."""
    lines = [
        DraftLine(
            key=k,
            text=s.listed_as,
            line=s.line,
            section=s.section,
            note=s.note,
            kind=s.kind_hint,
            member_of=s.member_of - 1 if s.member_of is not None else None,
        )
        for k, s in enumerate(parsed.signatories)
    ]
    return Draft(
        text=text,
        fields={
            "title": parsed.title,
            "date": parsed.date,
            "kind": parsed.kind if parsed.kind in Letter.Kind.values else Letter.Kind.OPEN_LETTER,
            "subject": parsed.subject,
            "body": parsed.body,
            "declared_total": parsed.declared_total,
            "undisclosed": parsed.undisclosed,
            "letter": "",
            "retract_removed": False,
            **fields,
        },
        lines=lines,
        addressees=[DraftAddressee(name) for name in parsed.addressees],
        demands=[DraftDemand(d.text, d.target or "") for d in parsed.demands],
        candidates=list(parsed.candidate_demands),
        notes=list(parsed.warnings),
        next_key=len(lines),
    )


# --------------------------------------------------------------------------------------------------------------
# The form posted back
# --------------------------------------------------------------------------------------------------------------


def read_draft(post) -> tuple[Draft, list[str], LetterFieldsForm]:
    """The draft as the curator left it in the posted form, with one error per value that cannot be understood.

    Raises StaleReview when the signed state or the lines it names do not match the form."""
    try:
        state = signing.loads(post.get("state", ""), salt=STATE_SALT)
    except signing.BadSignature:
        raise StaleReview from None
    text = post.get("text", "").replace("\r\n", "\n")  # a form posts its line breaks as CRLF
    if state.get("v") != STATE_VERSION or state.get("sha") != fingerprint(text):
        raise StaleReview
    errors: list[str] = []
    form = LetterFieldsForm(post)
    form.is_valid()
    fields = form.cleaned_data  # the valid ones: the form shows the others again with their errors
    for name, messages in form.errors.items():
        errors += [f"{form.fields[name].label}: {message}" for message in messages]
    lines = [_read_line(post, *row) for row in state["lines"]]
    draft = Draft(
        text=text,
        fields=fields,
        lines=lines,
        candidates=state["candidates"],
        notes=state["notes"],
        next_key=state["next"],
        letter_id=state["letter"],
        letter_digest=state["letter_digest"],
    )
    positions = draft.positions()
    key_at = {position: key for key, position in positions.items()}
    for line in lines:
        member = post.get(f"line-{line.key}-member", "").strip()
        if not member or line.heading:
            line.member_of = None
        elif member.isdigit() and int(member) in key_at and key_at[int(member)] != line.key:
            line.member_of = key_at[int(member)]
        else:
            errors.append(f"Line #{positions[line.key]} ('{line.text}'): no other line #{member} to be a member of.")
    names = [" ".join(name.split()) for name in post.get("addressees", "").split("\n")]
    for name in dict.fromkeys(name for name in names if name):
        addressee = DraftAddressee(name)
        addressee.choice = post.get(f"{addressee.field}-choice", "auto")
        addressee.other = post.get(f"{addressee.field}-other", "").strip()
        draft.addressees.append(addressee)
    for k in range(state["demands"]):
        text_k = " ".join(post.get(f"demand-{k}-text", "").split())
        if post.get(f"demand-{k}-remove") == "on" or not text_k:
            draft.changed = True
            continue
        draft.demands.append(DraftDemand(text_k, " ".join(post.get(f"demand-{k}-target", "").split())))
    new_demand = " ".join(post.get("demand-new-text", "").split())
    if new_demand:
        draft.demands.append(DraftDemand(new_demand, " ".join(post.get("demand-new-target", "").split())))
        draft.changed = True
    promoted = {k for k in range(len(draft.candidates)) if post.get(f"candidate-{k}-promote") == "on"}
    draft.demands += [DraftDemand(draft.candidates[k]) for k in sorted(promoted)]
    draft.candidates = [c for k, c in enumerate(draft.candidates) if k not in promoted]
    draft.changed |= bool(promoted)
    errors += _check_choices(draft)
    errors += _resolve_others(draft)
    return draft, errors, form


def _read_line(post, key, line, section, note, kind, heading, shown_text, shown_organization) -> DraftLine:
    prefix = f"line-{key}-"
    if f"{prefix}text" not in post:
        raise StaleReview  # a line the state names is not in the form: cut short, or made for another list
    text = " ".join(post[f"{prefix}text"].split())
    draft_line = DraftLine(
        key=key,
        text=text,
        line=line,
        section=section,
        note=note,
        kind=kind,
        heading=heading,
        choice=post.get(f"{prefix}choice", "auto"),
        other=post.get(f"{prefix}other", "").strip(),
        withheld=post.get(f"{prefix}withheld") == "on",
        operation=post.get(f"{prefix}operation", ""),
        shown_text=shown_text,
        shown_organization=shown_organization,
    )
    if text != shown_text and draft_line.choice.startswith("link:"):
        draft_line.choice = "auto"  # a corrected name is matched again: the organization chosen was for the old one
    return draft_line


def _check_choices(draft: Draft) -> list[str]:
    errors = []
    positions = draft.positions()
    for line in draft.lines:
        where = f"Line #{positions[line.key]}" if not line.heading else f"Heading on line {line.line}"
        if not CHOICE.match(line.choice):
            errors.append(f"{where} ('{line.text}'): unknown decision '{line.choice}'.")
            line.choice = "auto"
        if line.operation and line.operation not in OPERATIONS:
            errors.append(f"{where} ('{line.text}'): unknown change '{line.operation}'.")
            line.operation = ""
        if not line.text and line.choice != "drop":
            errors.append(f"{where}: the name is empty: drop the line instead.")
    for addressee in draft.addressees:
        if not CHOICE.match(addressee.choice) or addressee.choice == "drop":
            errors.append(f"Addressee '{addressee.text}': unknown decision '{addressee.choice}'.")
            addressee.choice = "auto"
    return errors


def _resolve_others(draft: Draft) -> list[str]:
    """Each "another organization" typed (an id or a slug) becomes a link to it, in one query for all of them."""
    wanted = [item for item in [*draft.lines, *draft.addressees] if item.other]
    if not wanted:
        return []
    values = {item.other for item in wanted}
    ids = [int(value) for value in values if value.isdigit()]
    found = Organization.objects.filter(Q(pk__in=ids) | Q(slug__in=values), merged_into__isnull=True)
    by_key = {}
    for pk, slug in found.values_list("pk", "slug"):
        by_key[str(pk)] = by_key[slug] = pk
    errors = []
    positions = draft.positions()
    for item in wanted:
        if item.other in by_key:
            item.choice, item.other = f"link:{by_key[item.other]}", ""
        else:
            where = (
                f"Addressee '{item.text}'" if isinstance(item, DraftAddressee) else f"Line #{positions.get(item.key)}"
            )
            if isinstance(item, DraftLine):
                where += f" ('{item.text}')"
            errors.append(f"{where}: no organization '{item.other}'.")
    return errors


# --------------------------------------------------------------------------------------------------------------
# Changes to the list's structure
# --------------------------------------------------------------------------------------------------------------


def apply_operations(draft: Draft) -> list[str]:
    """Split, join and make headings as asked, from the last line up (so a change never moves a line another change
    names), and say what could not be done."""
    errors = []
    positions = draft.positions()
    for k in range(len(draft.lines) - 1, -1, -1):
        line = draft.lines[k]
        operation, line.operation = line.operation, ""
        if not operation:
            continue
        where = f"Line #{positions[line.key]}" if line.key in positions else f"Heading on line {line.line}"
        if operation == "split":
            parts = [" ".join(part.split()) for part in line.text.split("|")]
            parts = [part for part in parts if part]
            if len(parts) < 2:
                errors.append(f"{where} ('{line.text}'): type | where the next name starts, then choose split.")
                continue
            line.text, line.choice = parts[0], "auto"
            extra = []
            for part in parts[1:]:
                extra.append(
                    DraftLine(
                        key=draft.next_key,
                        text=part,
                        line=line.line,
                        section=line.section,
                        kind=line.kind,
                        member_of=line.member_of,
                    )
                )
                draft.next_key += 1
            draft.lines[k + 1 : k + 1] = extra
        elif operation == "join":
            if k + 1 >= len(draft.lines):
                errors.append(f"{where} ('{line.text}'): there is no next line to join it with.")
                continue
            after = draft.lines.pop(k + 1)
            line.text, line.choice = f"{line.text} {after.text}".strip(), "auto"
            line.note = " ".join(filter(None, [line.note, after.note]))
            for other in draft.lines:
                if other.member_of == after.key:
                    other.member_of = line.key
        elif operation == "heading" and not line.heading:
            _relabel_section(draft, k, line.section, line.text)
            line.heading, line.member_of = True, None
            for other in draft.lines:
                if other.member_of == line.key:
                    other.member_of = None
        elif operation == "line" and line.heading:
            _relabel_section(draft, k, line.text, line.section)
            line.heading = False
        draft.changed = True
    for line in draft.lines:
        # A heading renamed in its text box renames the section of the lines printed under it.
        if line.heading and line.shown_text and line.text != line.shown_text:
            _relabel_section(draft, draft.lines.index(line), line.shown_text, line.text)
    return errors


def _relabel_section(draft: Draft, k: int, old: str, new: str) -> None:
    """The lines right after line k that are in section `old` are now in section `new`."""
    for line in draft.lines[k + 1 :]:
        if line.heading or line.section != old:
            break
        line.section = new


# --------------------------------------------------------------------------------------------------------------
# The draft as an import report, and back into the form
# --------------------------------------------------------------------------------------------------------------


def draft_report(draft: Draft) -> ImportReport:
    """The draft as the import pipeline sees it: its names matched again, the curator's choices applied."""
    fields = draft.fields
    positions = draft.positions()
    lines = draft.signatory_lines()
    parsed = ParsedLetter(
        title=fields.get("title") or "",
        date=fields.get("date"),
        addressees=[a.text for a in draft.addressees],
        subject=fields.get("subject") or "",
        body=fields.get("body") or "",
        kind=fields.get("kind") or Letter.Kind.OPEN_LETTER,
        declared_total=fields.get("declared_total"),
        undisclosed=fields.get("undisclosed"),
        signatories=[
            ParsedSignatory(
                position=positions[line.key],
                listed_as=line.text,
                member_of=positions.get(line.member_of) if line.member_of is not None else None,
                line=line.line,
                kind_hint=line.kind,
                section=line.section,
                note=line.note,
            )
            for line in lines
        ],
        demands=[ParsedDemand(k, d.target or None, d.text) for k, d in enumerate(draft.demands, start=1)],
        candidate_demands=draft.candidates,
        warnings=draft.notes,
    )
    report = report_for(parsed, draft.text, printed_headings(parsed, draft.text))
    apply_choices(report, {positions[line.key]: choice for line in lines if (choice := _choice(line))})
    for addressee, decision in zip(draft.addressees, report.addressees, strict=True):
        decision.choice = _choice(addressee)
    return report


def _choice(item: DraftLine | DraftAddressee) -> CuratorChoice | None:
    withheld = isinstance(item, DraftLine) and item.withheld
    if item.choice.startswith("link:"):
        return CuratorChoice(CuratorChoice.LINK, int(item.choice[5:]), withheld)
    if item.choice in (CuratorChoice.NEW, CuratorChoice.DROP):
        return CuratorChoice(item.choice, None, withheld)
    return CuratorChoice(CuratorChoice.KEEP, None, True) if withheld else None


def signed_state(draft: Draft, report: ImportReport) -> str:
    """What the form carries but does not let the curator type, signed; it records what the page now shows."""
    decided = {s.position: d.organization_id for s, d in report.signatories}
    positions = draft.positions()
    for line in draft.lines:
        line.shown_text = line.text
        line.shown_organization = decided.get(positions.get(line.key))
    state = {
        "v": STATE_VERSION,
        "sha": fingerprint(draft.text),
        "next": draft.next_key,
        "lines": [
            [
                line.key,
                line.line,
                line.section,
                line.note,
                line.kind,
                line.heading,
                line.shown_text,
                line.shown_organization,
            ]
            for line in draft.lines
        ],
        "demands": len(draft.demands),
        "candidates": draft.candidates,
        "notes": draft.notes,
        "letter": draft.letter_id,
        "letter_digest": draft.letter_digest,
    }
    return signing.dumps(state, salt=STATE_SALT, compress=True)


def find_letter(value: str) -> Letter | None:
    """The letter a curator names by id or slug in "Update letter"."""
    value = value.strip()
    if not value:
        return None
    return Letter.objects.filter(Q(pk=int(value)) if value.isdigit() else Q(slug=value)).first()


def same_letter(fields: dict) -> Letter | None:
    """A letter already in the archive with this title and date: a corrected text of it, most likely."""
    if not fields.get("title"):
        return None
    return Letter.objects.filter(title=fields["title"], date=fields.get("date")).first()
