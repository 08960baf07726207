"""What the public is told of a letter's signatories: the total the letter states, how many lines the archive names,
how many the letter says chose not to be named, and, when these do not add up, by how much and the curators' note
on why. Every public surface reads them here: the letter page, the rows of letter lists, the CSV and JSON
downloads and the API.

A letter's own figures often do not add up ("462 signatories", 402 names printed, "84 chose not to disclose"): the
archive says what the letter states and what it holds as separate facts, never as a sum that is false.

Withheld lines are never counted and must never be inferable. Beside the public named count, the stated total
would give away how many lines a curator withheld (stated - named - undisclosed, when the letter's figures
otherwise add up). So on a letter with a withheld line the stated total, the difference and the note are left out
everywhere, and the letter reads as one that states no total: its total is named + undisclosed, as
`Letter.signatory_total` has it.
"""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Totals:
    """A letter's public figures. `stated` is None when the letter states no total or a line of it is withheld;
    `note` is empty unless the figures differ."""

    stated: int | None
    named: int  # public lines, retracted ones included (they stay on the printed list)
    undisclosed: int | None  # as the letter states it
    note: str

    @property
    def held(self) -> int:
        """Named here plus what the letter says chose not to be named."""
        return self.named + (self.undisclosed or 0)

    @property
    def difference(self) -> int | None:
        """Stated minus named minus undisclosed: 0 when they add up, positive when fewer are held than stated."""
        return None if self.stated is None else self.stated - self.held

    @property
    def total(self) -> int:
        """The one figure a list sorts by: the stated total where given, else named plus undisclosed."""
        return self.held if self.stated is None else self.stated


def public_totals(
    *, declared: int | None, named: int, undisclosed: int | None, withheld: int, note: str | None
) -> Totals:
    """The public figures from a letter's stored ones. `withheld` (the number of withheld lines) is only read to
    decide what may be shown: see the module's docstring."""
    stated = None if withheld else declared
    differs = stated is not None and stated != named + (undisclosed or 0)
    return Totals(stated=stated, named=named, undisclosed=undisclosed, note=(note or "").strip() if differs else "")


def letter_totals(letter) -> Totals:
    """`letter`'s public figures, from its stored counts (letters.counts)."""
    return public_totals(
        declared=letter.declared_signatory_count,
        named=letter.named_count,
        undisclosed=letter.undisclosed_signatory_count,
        withheld=letter.withheld_count,
        note=letter.totals_note,
    )


def _signatories(n: int) -> str:
    return f"{n} signator{'y' if n == 1 else 'ies'}"


def count_phrase(totals: Totals, *, retracted: int = 0) -> str:
    """The figures in a few words, for a row of a list, the page's "Signed by" and its link preview:
    "448 signatories: 415 named, 33 undisclosed" when they add up (or no total is stated), else
    "402 named, 84 undisclosed (the letter states 462)", never a sum that is false."""
    split = f"{totals.named} named"
    if totals.undisclosed:
        split += f", {totals.undisclosed} undisclosed"
    if totals.difference:
        phrase = f"{split} (the letter states {totals.stated})"
    elif totals.undisclosed:
        phrase = f"{_signatories(totals.total)}: {split}"
    else:
        phrase = _signatories(totals.total)
    if retracted:
        phrase += f"; {retracted} since retracted"
    return phrase


def totals_paragraphs(totals: Totals, *, retracted: int = 0) -> SafeString:
    """The figures as the letter page tells them, above its signatory list: what the letter states, what the archive
    names, and where they differ, by how much and the curators' note."""
    sentences = []
    if totals.stated is not None:
        sentences.append(f"The letter states {_signatories(totals.stated)}.")
    verb = "is" if totals.named == 1 else "are"
    named = f"{totals.named} {verb}" if totals.stated is not None else f"{_signatories(totals.named)} {verb}"
    named += " named here"
    if retracted:
        named += f" ({retracted} since retracted)"
    if totals.undisclosed:
        named += f"; the letter says {totals.undisclosed} chose not to be named"
    sentences.append(f"{named}.")
    paragraphs = [f'<p class="count">{" ".join(sentences)}</p>']
    if totals.difference:
        differ = f"These figures differ by {abs(totals.difference)}"
        if totals.undisclosed:
            differ += (
                f": {totals.named} named and {totals.undisclosed} not named make {totals.held}, not {totals.stated}"
            )
        paragraphs.append(f'<p class="totals-differ">{differ}.</p>')
        if totals.note:
            paragraphs.append(f'<p class="totals-note">Curators’ note: {escape(totals.note)}</p>')
    return mark_safe("\n".join(paragraphs))  # the note went through escape(); the rest are numbers


def totals_fields(totals: Totals) -> dict[str, int | str | None]:
    """The figures as the downloads and the API name them (letters.exports.LETTER_COLUMNS describes each)."""
    return {
        "signatories_named": totals.named,
        "signatories_undisclosed": totals.undisclosed,
        "signatories_total": totals.total,
        "signatories_stated": totals.stated,
        "signatories_difference": totals.difference,
        "totals_note": totals.note,
    }
