"""The whole letter: every stage in order, into one report."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace

from letters.parsing.addressees import (
    addressee_from_address_block,
    addressee_from_salutation,
    addressees_called_on,
    addressees_from_title,
    addressees_from_to_line,
    addressees_in_head,
)
from letters.parsing.counts import read_counts
from letters.parsing.dates import AMBIGUOUS_NUMERIC_DATE, find_date
from letters.parsing.demands import candidate_demands, read_demands
from letters.parsing.header import Header, first_sentence, is_date_line, read_header
from letters.parsing.kind import letter_kind
from letters.parsing.layout import ReadingOrder, reading_order
from letters.parsing.lines import CC_LINE, SALUTATION, SUBJECT_LINE, TO_LINE
from letters.parsing.report import ParsedLetter
from letters.parsing.signatories import (
    account_for_lines,
    attach_affiliations,
    find_coalitions,
    find_signatory_section,
    join_broken_names,
    read_entries,
    to_signatories,
    unread_heading,
)
from letters.parsing.text import collapse


def parse_letter(text: str) -> ParsedLetter:
    """Parse one letter's text into a report. Never raises on a str; the same text gives the same report."""
    try:
        return _parse(text)
    except Exception as error:  # pragma: no cover - a safety net: a curator still gets the text back
        return ParsedLetter(
            title="",
            date=None,
            addressees=[],
            subject="",
            body=text.strip(),
            kind="statement",
            declared_total=None,
            undisclosed=None,
            warnings=[f"Internal parser error ({type(error).__name__}); nothing was extracted."],
        )


def _parse(given: str) -> ParsedLetter:
    given = given.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    order = reading_order(given)
    text = order.text
    lines = text.split("\n")
    warnings: list[str] = []

    section = find_signatory_section(lines, 0, warnings)
    heading, start, guessed = section.heading, section.start, section.guessed
    body_end = heading if heading is not None else start
    header = read_header(lines, body_end)
    if guessed and start < header.end:
        heading, start, guessed = None, len(lines), False
        body_end = len(lines)
    if guessed:
        warnings.append(f"Line {start + 1}: no signatory heading; the list at the end was taken as the signatories.")
    if heading is None and not guessed:
        orphan = unread_heading(lines)
        if orphan is not None:
            warnings.append(f"Line {orphan}: a signatory heading without a list of one name a line; names not read.")

    listed = read_entries(lines, start, warnings)
    entries, unnamed = listed.entries, listed.unnamed
    entries = attach_affiliations(join_broken_names(entries, lines, warnings))
    listed.entries = entries
    list_lines = account_for_lines(lines, start, listed, warnings)
    entries = section.inline + entries
    find_coalitions(entries, warnings)
    signatories = to_signatories(entries)

    title = header.title
    if not title:
        if header.subject:
            title = header.subject
            warnings.append("No title line: the subject line is used as the title.")
        else:
            body_text = "\n".join(lines[header.end : body_end]).strip()
            title = first_sentence(body_text) if body_text else ""
            if title:
                warnings.append("No title line: the first sentence is used as the title.")
    if header.date is None:
        # A dateline opens the first paragraph: "Bangkok, 2 March 2024 - The new law ...".
        opening = next((line.strip() for line in lines[header.end : body_end] if line.strip()), "")
        header.date = find_date(opening[:60])
    if header.date is None:
        header.date = date_anywhere(lines, body_end)
        if header.date is None:
            warnings.append("No date found at the top of the letter.")
    if header.date_line is not None:
        ambiguous = AMBIGUOUS_NUMERIC_DATE.search(lines[header.date_line - 1])
        if ambiguous and ambiguous["first"] != ambiguous["second"] and header.date is not None:
            warnings.append(
                f"Line {header.date_line}: '{ambiguous[0]}' read day first, as {header.date:%d %B %Y}; "
                f"check it is not month first."
            )

    # A letter reposted inside a news story has its To line below the story, not at the top of the page.
    to_text = header.to_text or to_line_in_body(lines, header.end, body_end)
    addressees: list[str] = [] if to_text else addressees_in_head(lines, body_end)
    if header.address_block and not addressees:
        name = addressee_from_address_block(header.address_block)
        if name:
            addressees.append(name)
    if to_text:
        bodies = addressees_from_to_line(to_text)
        # A To line that names only people ("Shri Narendra Modi, Prime Minister of India") is kept as printed.
        printed = [collapse(p) for p in to_text.split(";") if p.strip()]
        addressees.extend(a for a in (bodies or ([] if addressees else printed)) if a not in addressees)
    if not addressees:
        greeted = addressee_from_salutation(lines, body_end)
        addressees = (
            addressees_from_title(title) or ([greeted] if greeted else []) or addressees_called_on(lines, body_end)
        )

    # Counts are printed in prose anywhere: the intro, the list heading, a note after the list. The lines that
    # stand for unnamed signatories ("+ 108 organizations ...") are counted once, from the list.
    unnamed_lines = {index for index, _ in unnamed}
    prose = "\n".join("" if k in unnamed_lines else line for k, line in enumerate(lines))
    zone = count_zone(lines, header, body_end, heading, start)
    declared, undisclosed = read_counts(prose, zone, len(signatories), [n for _, n in unnamed], warnings)

    demands, demand_lines = read_demands(lines, body_end, addressees)
    demand_texts = {d.text for d in demands}
    candidates = [c for c in candidate_demands(lines, body_end, demand_lines) if c not in demand_texts]

    body = "\n".join(lines[header.end : body_end]).strip("\n")
    has_signatories = bool(signatories)
    return ParsedLetter(
        title=title,
        date=header.date,
        addressees=addressees,
        subject=header.subject,
        body=body.strip(),
        kind=letter_kind(header, text, has_signatories),
        declared_total=declared,
        undisclosed=undisclosed,
        signatories=[replace(s, line=order.line(s.line)) for s in signatories],
        demands=demands,
        candidate_demands=candidates,
        warnings=[renumber(w, order) for w in warnings],
        list_lines=list_lines,
    )


LINE_REFERENCE = re.compile(r"\b(Lines?) (\d+)(?:-(\d+))?")


def renumber(warning: str, order: ReadingOrder) -> str:
    """A warning's line numbers, counted in the text as given rather than in its reading order."""

    def given(match: re.Match) -> str:
        first = order.line(int(match[2]))
        if match[3] is None:
            return f"{match[1]} {first}"
        last = order.line(int(match[3]))
        return f"{match[1]} {first}" if last == first else f"{match[1]} {first}-{last}"

    return LINE_REFERENCE.sub(given, warning)


# How many opening paragraphs of the body may state the number of signatories ("120 organisations today called
# on ASEAN..."). Later paragraphs tell the story, where "300 organisations called on the EU in 2021" is history.
TOP_PARAGRAPHS = 2
# A zone longer than this is not a letter's opening: the rest is not read for counts (bounds hostile input).
MAX_ZONE_CHARS = 6_000


def count_zone(lines: list[str], header: Header, body_end: int, heading: int | None, start: int) -> str:
    """The text where a looser total phrasing is trusted: the header, the first paragraphs of the body (a salutation
    or a dateline alone does not count as one) and the signatory heading."""
    parts = lines[: header.end]
    paragraphs = 0
    current: list[str] = []
    for line in [*lines[header.end : body_end], ""]:
        if line.strip():
            current.append(line)
            continue
        if current:
            parts.extend(current)
            first = current[0].strip()
            if not (SALUTATION.match(first) or (len(current) == 1 and (is_date_line(first) or first.endswith(",")))):
                paragraphs += 1
                if paragraphs >= TOP_PARAGRAPHS:
                    break
            current = []
    top = "\n".join(parts)[:MAX_ZONE_CHARS]
    near_list = "\n".join(lines[heading : max(start, heading + 1)])[:MAX_ZONE_CHARS] if heading is not None else ""
    return f"{top}\n\n{near_list}"


def to_line_in_body(lines: list[str], start: int, end: int) -> str:
    """The first explicit "To: ..." / "Para: ..." line between the header and the list, with the lines wrapped under
    it, up to a blank line or a Cc line."""
    for i in range(start, end):
        match = TO_LINE.match(lines[i].strip())
        if match and match["rest"]:
            parts = [match["rest"]]
            for following in lines[i + 1 : end]:
                if not following.strip() or CC_LINE.match(following.strip()) or SUBJECT_LINE.match(following.strip()):
                    break
                parts.append(following.strip())
            return collapse(" ".join(parts))
    return ""


def date_anywhere(lines: list[str], end: int) -> datetime.date | None:
    """With no date at the top: a short line that is a date ("Dated: 3 March 2023") elsewhere in the letter."""
    for i in range(end):
        text = lines[i].strip()
        if text and is_date_line(text):
            return find_date(text)
    return None
