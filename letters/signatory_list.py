"""A letter's printed signatory list as its page shows it, rendered once and stored on the letter.

The public lines in printed order, coalition members under their coalition (`signatory_tree`), rendered as the
page's `<li>` items (rendering.signatory_items). For a 600-line letter, reading and rendering them was about half of
the page's time (5 ms of 12 in-process, and a 600-row join for the database), so the page stores the result in
`Letter.signatory_list` with the `signatures_revision` it was rendered at, and renders again when that differs.

letters.counts gives a letter a revision never used before at each recount: a line added, withheld, moved,
retracted or deleted, the letter saved, an organization it lists renamed (its address is in the list), any recount
of everything. So a withheld line is never shown from a list stored before it was withheld. The revision is read
with the letter, before the lines: a write committed in between makes the store below match no row, and the next
view renders again. A write that bypasses letters.counts (SQL, queryset.update() in a shell) needs
`manage.py refresh_derived`, as the stored counts do; check_leaks compares a sample of stored lists with a fresh
rendering (`signatory_list_drift`).
"""

import datetime
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from letters.counts import store_unless_locked
from letters.listing import slug_urls
from letters.models import Letter, Signature
from letters.rendering import signatory_items


@dataclass(slots=True)
class PrintedLine:
    """One public line of a letter's signatory list, as its page prints it."""

    pk: int
    position: int
    listed_as: str
    member_of_id: int | None
    added_on: datetime.date | None
    retracted_on: datetime.date | None
    retraction_reason: str
    organization_url: str
    members_listed: list["PrintedLine"] = field(default_factory=list)


def signatory_tree(letter: Letter) -> list[PrintedLine]:
    """The public signatures in printed order, coalition members under their coalition (`.members_listed`).

    Plain rows and one reverse() for all the organization addresses: for a 600-line letter, model instances and
    a reverse() per line were 20 of the page's 35 ms.
    """
    organization_url = slug_urls("organizations:detail")
    lines = [
        PrintedLine(*row[:-1], organization_url=organization_url(row[-1]))
        for row in Signature.objects.filter(letter=letter, withheld=False)
        .order_by("position")
        .values_list(
            "pk",
            "position",
            "listed_as",
            "member_of_id",
            "added_on",
            "retracted_on",
            "retraction_reason",
            "organization__slug",
        )
    ]
    by_pk = {line.pk: line for line in lines}
    top = []
    for line in lines:
        parent = by_pk.get(line.member_of_id)
        # A member of a member is listed under the outermost coalition the public can see.
        while parent is not None and parent.member_of_id in by_pk:
            parent = by_pk[parent.member_of_id]
        if parent is None:
            top.append(line)
        else:
            parent.members_listed.append(line)
    return top


def rendered_list(letter: Letter) -> dict:
    """{"revision", "items" (the `<li>` items), "retracted" (lines struck through, still counted)}, rendered now."""
    tree = signatory_tree(letter)
    retracted = sum(1 for top in tree for line in (top, *top.members_listed) if line.retracted_on is not None)
    return {"revision": letter.signatures_revision, "items": str(signatory_items(tree)), "retracted": retracted}


def printed_signatories(letter: Letter) -> tuple[SafeString, int]:
    """The letter's signatory `<li>` items and how many of its lines are retracted: stored while the letter's
    revision is the one they were rendered at, else rendered and stored."""
    stored = letter.signatory_list
    if stored is None or stored["revision"] != letter.signatures_revision:
        stored = rendered_list(letter)
        # Only under the revision the lines were read at: a recount committed since changed it, and this stores
        # nothing. queryset.update(): no signal, no history, no page-cache version change; nothing public changed.
        store_unless_locked(
            Letter.objects.filter(pk=letter.pk, signatures_revision=letter.signatures_revision), signatory_list=stored
        )
    # Every piece of text in the items went through escape() when rendered (rendering.signatory_items); only this
    # module writes the field (editable=False, outside the admin's forms and the history).
    return mark_safe(stored["items"]), stored["retracted"]


def signatory_list_drift(sample: int = 200) -> list[str]:
    """Stored signatory lists, under the letter's current revision, that differ from a fresh rendering, described.

    The one that matters: a stored list still naming a line withheld by a write that bypassed letters.counts.
    Checks a random sample of the letters that have one (one query each; a check, not a page), as check_leaks
    runs it.
    """
    found = []
    for letter in Letter.objects.filter(signatory_list__isnull=False).order_by("?")[:sample]:
        if letter.signatory_list["revision"] != letter.signatures_revision:
            continue  # the page renders again before it shows it
        if letter.signatory_list != rendered_list(letter):
            found.append(f"letter {letter.pk}: its stored signatory list differs from its signatures")
    return found
