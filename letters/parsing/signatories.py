"""The signatory list: where it is, its lines, its sections, names broken across lines, coalitions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from letters.parsing.counts import anonymous_count
from letters.parsing.demands import DEMAND_VERB
from letters.parsing.header import is_date_line
from letters.parsing.lines import (
    BARE_NUMBER,
    CATEGORY_HEADING,
    CC_LINE,
    CLOSING,
    FOOTER,
    FOOTNOTE,
    HONORIFIC,
    HONORIFIC_PREFIX,
    INDIVIDUALS_HEADING,
    LEAD_SIGNATORY,
    MARKUP,
    ORGANIZATION_WORDS,
    PERSON_SUFFIX,
    SALUTATION,
    SIGNATORY_HEADING,
    SUBJECT_LINE,
    TITLE_WORDS,
    TO_LINE,
    URL_OR_EMAIL,
    Entry,
    is_category_heading,
    is_name_like,
    is_noise,
    is_place,
    is_place_heading,
    looks_like_sentence,
    plain,
    split_entry,
)
from letters.parsing.report import ListLines, ParsedSignatory
from letters.parsing.text import collapse, letter_count, word_count


@dataclass
class Section:
    """Where the signatory list is: its heading line (or None), the first line of the list, whether it was guessed
    without a heading, and the names already read when the list is one paragraph ("Signed by: A, B and C.")."""

    heading: int | None
    start: int
    guessed: bool = False
    inline: list[Entry] = field(default_factory=list)


def find_signatory_section(lines: list[str], start_at: int, warnings: list[str]) -> Section:
    for i in range(start_at, len(lines)):
        text = plain(lines[i])
        lead = LEAD_SIGNATORY.match(text)
        if lead and entries_follow(lines, i + 1, short_ok=True):
            first = Entry(line=i + 1, indent=0, bullet="", number=None, text=collapse(lead["lead"]))
            return Section(i, i + 1, inline=[first])
        if not SIGNATORY_HEADING.match(text):
            continue
        inline = read_inline_list(lines, i, warnings)
        if inline is not None:
            names, end = inline
            return Section(i, end, inline=names)
        if entries_follow(lines, i + 1, short_ok=True):
            return Section(i, i + 1)
    for i in range(start_at, len(lines)):
        if CLOSING.match(plain(lines[i])) and entries_follow(lines, i + 1, needed=5):
            return Section(i + 1, i + 1)  # "Sincerely," stays in the body
    start = last_run_of_names(lines, start_at)
    return Section(None, start, guessed=True) if start is not None else Section(None, len(lines))


# One paragraph of names: "Signed by: Access Now, ARTICLE 19, ... and the Cambodian Center for Human Rights."
# Items are split on semicolons when there are any (commas then stay inside names), else on commas; a country
# after a comma stays with its name ("Human Rights Watch, USA"); the last item splits on its "and".
FINAL_AND = re.compile(r"^(?P<left>.+?),?\s+and\s+(?P<right>(?:the\s+)?\S.*)$", re.I)
# Inline lists longer than this are not names in a sentence: a 600-name paragraph is still read, item by item.
MIN_INLINE_ITEMS = 3


def read_inline_list(lines: list[str], heading: int, warnings: list[str]) -> tuple[list[Entry], int] | None:
    """(names, index after the paragraph) when the signatory heading at `heading` is followed by one paragraph
    listing names separated by commas or semicolons; None when that is not clearly the case."""
    text = lines[heading].strip()
    match = SIGNATORY_HEADING.match(plain(text))
    rest = plain(text)[match.end() :].strip() if match else ""
    rest = rest[1:].strip() if rest.startswith((":", "-", "–")) else rest
    paragraph: list[tuple[int, str]] = []
    i = heading + 1
    if rest:
        paragraph.append((heading, rest))
    else:
        while i < len(lines) and i <= heading + 2 and not lines[i].strip():
            i += 1
    while i < len(lines) and lines[i].strip() and len(paragraph) < 200:
        paragraph.append((i, lines[i].strip()))
        i += 1
    if not paragraph or split_entry(paragraph[0][1])[1] or split_entry(paragraph[0][1])[2] is not None:
        return None  # nothing, or a bulleted / numbered list
    joined = " ".join(t for _, t in paragraph)
    separator = ";" if ";" in joined else ","
    items = split_items(joined, separator)
    if len(items) < MIN_INLINE_ITEMS:
        return None
    if len(paragraph) > 1:
        # Several lines: a wrapped paragraph, not one name a line that happens to hold commas
        # ("Organization, City, Country"): many items a line, and the paragraph ends like a sentence.
        ends_as_sentence = joined.rstrip().endswith(".") or bool(FINAL_AND.match(items[-1][1]))
        if len(items) < 2.5 * len(paragraph) or not ends_as_sentence:
            return None
    # Each name's line (1-based) is the line where it starts in the paragraph.
    starts: list[tuple[int, int]] = []
    offset = 0
    for index, line_text in paragraph:
        starts.append((offset, index + 1))
        offset += len(line_text) + 1

    def line_of(position: int) -> int:
        return next(line for at, line in reversed(starts) if at <= position)

    names = finish_items(items, separator, warnings, line_of)
    if names is None:
        return None
    entries = [Entry(line=line_of(position), indent=0, bullet="", number=None, text=name) for position, name in names]
    return entries, i


def split_items(joined: str, separator: str) -> list[tuple[int, str]]:
    """(offset, text) of each item between separators, a country after a comma kept with its name."""
    items: list[tuple[int, str]] = []
    offset = 0
    for piece in joined.split(separator):
        stripped = piece.strip()
        at = offset + (len(piece) - len(piece.lstrip()))
        offset += len(piece) + 1
        if not stripped:
            continue
        if (
            items
            and separator == ","
            and (is_place(stripped.rstrip(".")) or re.fullmatch(r"(?:inc|ltd|e\.v)\.?", stripped, re.I))
        ):
            first_at, first = items[-1]
            items[-1] = (first_at, joined[first_at : at + len(stripped)])
            continue
        items.append((at, stripped))
    return items


def finish_items(
    items: list[tuple[int, str]], separator: str, warnings: list[str], line_of: Callable[[int], int]
) -> list[tuple[int, str]] | None:
    """The names, or None if any item is not clearly a name (a warning then says the names were not read)."""
    names: list[tuple[int, str]] = []
    last = len(items) - 1
    for k, (at, item) in enumerate(items):
        if k == last:
            item = item.rstrip(".").strip()
            final = FINAL_AND.match(item) if separator == "," else None
            if final and not is_place(item):
                left, right = final["left"], final["right"]
                right_at = at + final.start("right")
                if right.lower().startswith("the "):
                    right, right_at = right[4:], right_at + 4
                names.append((at, left))
                names.append((right_at, right))
                warnings.append(
                    f"Line {line_of(at)}: '{collapse(item)[:80]}' read as two names, '{collapse(left)}' "
                    f"and '{collapse(right)}'; check it is not one name."
                )
                continue
        if k and item.lower().startswith("and "):
            item, at = item[4:].strip(), at + 4
        names.append((at, item))
    for _, name in names:
        if (
            not is_name_like(name)
            or word_count(name) > 12
            or name[:1].islower()
            or looks_like_sentence(name, marked=False)
        ):
            return None
    return [(at, collapse(name)) for at, name in names]


def unread_heading(lines: list[str]) -> int | None:
    """The line of a signatory heading with no list under it (names written as prose are not read)."""
    for i, line in enumerate(lines):
        text = plain(line)
        if SIGNATORY_HEADING.match(text) and (word_count(text) <= 4 or text.endswith(":")):
            return i + 1
    return None


def entries_follow(lines: list[str], start: int, needed: int = 3, short_ok: bool = False) -> bool:
    """Name-like lines soon after `start` (prose that continues a wrapped heading is allowed first).

    With `short_ok` (under an explicit signatory heading) a list of one or two names that ends the letter, or ends
    at a footer, counts too: a joint statement by two organizations is a real thing."""
    names = 0
    prose = 0
    for i in range(start, min(len(lines), start + 40)):
        text = lines[i].strip()
        if not text:
            continue
        _, bullet, number, rest = split_entry(lines[i])
        if FOOTER.match(rest) or SIGNATORY_HEADING.match(rest) and names:
            return names >= needed or (short_ok and names > 0 and prose == 0)
        if rest.endswith(":") and DEMAND_VERB.search(rest) and not names:
            return False  # "We urge ASEAN to:" announces demands, not names
        cells = TableLayout.cells(lines[i])
        if (cells is not None and TableLayout.is_rule(cells)) or URL_OR_EMAIL.search(rest):
            continue  # a table's rule, a website under a name: neither names nor prose
        if (
            CATEGORY_HEADING.match(rest)
            or is_category_heading(plain(rest).strip("|-–—=#*: "))
            or (rest.endswith(":") and word_count(rest) <= 8)
        ):
            continue  # a sub-heading or a coalition introducing its members
        if (bullet or number is not None or is_name_like(rest)) and not looks_like_sentence(rest, bool(bullet)):
            names += 1
            if names >= needed:
                return True
        else:
            prose += 1
            if prose > 3 or names:
                return False
    reached_end = not any(line.strip() for line in lines[start + 40 :])
    return names >= needed or (short_ok and reached_end and names > 0 and prose == 0)


def last_run_of_names(lines: list[str], start_at: int) -> int | None:
    """With no heading: the start of the last run of at least 5 name-like lines, blank lines allowed."""
    best: int | None = None
    run_start: int | None = None
    run = 0
    for i in range(start_at, len(lines) + 1):
        text = lines[i].strip() if i < len(lines) else "\u0000end"
        if not text:
            continue
        _, bullet, number, rest = split_entry(text)
        if (
            i < len(lines)
            and is_name_like(rest)
            and not SALUTATION.match(rest)
            and not CLOSING.match(rest)
            # Header lines ("To: ...", "Cc: ...", "Brussels, 12 October 2023") are not names.
            and not (TO_LINE.match(rest) or CC_LINE.match(rest) or SUBJECT_LINE.match(rest) or is_date_line(rest))
        ):
            if run_start is None:
                run_start, run = i, 0
            run += 1
            continue
        if run_start is not None and run >= 5:
            best = run_start
        run_start, run = None, 0
    return best


DISCLAIMER = re.compile(
    r"\b(?:affiliations?|titles?|organi[sz]ations?|institutions?)\b.{0,30}\bfor\s+(?:identification|identity)"
    r"(?:\s+purposes?)?(?:\s+only\b|\s*$)",
    re.I,
)
# A list whose entries are nearly all numbered ends where the numbering and the names end.
NUMBERED_LIST_SHARE = 0.9


def count_lines(lines: list[str], start: int) -> int:
    """Non-empty lines from `start` to the end."""
    return sum(1 for line in lines[start:] if line.strip())


# A paragraph of names separated by " / " or ";", hard-wrapped: "Delegados del Barrio Rodrigo Bueno / Delegados del
# Barrio Playón de Chacarita /". A slash counts only with spaces around it or at a line's end ("Myanmar/Burma" and
# "Villa 31-31 bis" are one name); the paragraph needs a separator a line on average, and three in all.
ITEM_SEPARATOR = {"/": re.compile(r"(?<!\S)/(?!\S)"), ";": re.compile(r";")}
MIN_SEPARATED_ITEMS = 3


def paragraph_at(lines: list[str], i: int) -> list[str]:
    paragraph = []
    while i < len(lines) and lines[i].strip():
        paragraph.append(lines[i])
        i += 1
    return paragraph


def separated_paragraph(lines: list[str], i: int) -> list[tuple[int, str]] | None:
    """(line index, name) of each item of a paragraph of names separated by slashes or semicolons, or None."""
    paragraph = paragraph_at(lines, i)
    for separator, pattern in ITEM_SEPARATOR.items():
        counts = [len(pattern.findall(line)) for line in paragraph]
        if sum(counts) < max(MIN_SEPARATED_ITEMS, len(paragraph)):
            continue
        items: list[tuple[int, str]] = []
        pending: tuple[int, str] | None = None
        for offset, line in enumerate(paragraph):
            pieces = pattern.split(line) if separator == "/" else line.split(";")
            for k, piece in enumerate(pieces):
                piece = piece.strip()
                last = k == len(pieces) - 1
                if pending is not None:
                    piece = collapse(f"{pending[1]} {piece}")
                    start, pending = pending[0], None
                else:
                    start = i + offset
                if last and piece:
                    pending = (start, piece)  # the name may run on to the next line
                elif piece:
                    items.append((start, piece))
        if pending is not None:
            items.append(pending)
        names = [(line, name) for line, name in items if letter_count(name) >= 2]
        if len(names) >= MIN_SEPARATED_ITEMS and all(not looks_like_sentence(n, False) for _, n in names):
            return names
    return None


@dataclass
class ListRead:
    entries: list[Entry]
    end: int  # index of the line after the list
    unnamed: list[tuple[int, int]]  # (line index, count) of lines standing for unnamed signatories
    headings: set[int]  # indexes of the section headings


# A link this long in a list was wrapped at the page's margin: a footnote's, not a signatory's website.
CITATION_LINK_CHARS = 70


def read_entries(lines: list[str], start: int, warnings: list[str]) -> ListRead:
    """The list lines from `start` to the end or a footer."""
    entries: list[Entry] = []
    anonymous: list[tuple[int, int]] = []
    individuals = False
    end = len(lines)
    blank_before = False
    new_section = False
    section = ""
    in_footnote = False
    last_number = 0  # the last printed number: a bare "12 Name" is numbered only when it follows 11
    table = TableLayout()
    headings: set[int] = set()
    inline_until = start  # lines up to here were read as one paragraph of names
    looked_until = start  # lines up to here belong to a paragraph already looked at for separators
    for i in range(start, len(lines)):
        raw = lines[i]
        if not raw.strip():
            blank_before = True
            continue
        if i < inline_until:
            continue
        # Each paragraph is looked at once for separators, at its first line.
        items = separated_paragraph(lines, i) if i >= looked_until else None
        if i >= looked_until:
            looked_until = i + len(paragraph_at(lines, i))
        if items is not None:
            inline_until = looked_until
            for k, (line, item) in enumerate(items):
                entries.append(
                    Entry(
                        line=line + 1,
                        indent=0,
                        bullet="",
                        number=None,
                        text=item,
                        category_individual=individuals,
                        blank_before=blank_before and k == 0,
                        section_start=new_section and k == 0,
                        closed=True,
                        section=section,
                    )
                )
            entries[-1].last_line = inline_until
            blank_before = new_section = False
            continue
        cells = table.cells(raw)
        if cells is not None and table.is_rule(cells):
            continue
        if cells is not None and table.is_header(cells):
            # "| Organisation Name |", "| Individual Name | Affiliation |": the header names the section.
            # "| Organisation Name |" names the section; "| Name | Affiliation |" starts a table of its own, outside
            # the section of the table before.
            named = [c for c in cells if c and is_category_heading(c)]
            headings.add(i)
            section = named[0] if named else ""
            individuals = bool(INDIVIDUALS_HEADING.search(section)) or any(AFFILIATION_CELL.match(c) for c in cells)
            new_section = True
            continue
        indent, bullet, number, text = split_entry(raw)
        bare = BARE_NUMBER.match(text) if number is None and cells is None else None
        if bare and int(bare["number"]) == last_number + 1:
            number, text = int(bare["number"]), text[bare.end() :]
        note = ""
        if cells is not None:
            number, text, note = table.row(cells)
        elif " | " in text:
            # "Lokman Tsui | Assistant Professor at ...": the name, then what the person is.
            text, note = (part.strip() for part in text.split(" | ", 1))
        text = text.strip()
        # A name ends at a trailing separator ("Group A;") or at its table cell: nothing continues it.
        closed = cells is not None or text.endswith((",", ";"))
        trailing = text[-1] if cells is None and text.endswith((",", ";")) else ""
        text = text.rstrip(",;").strip()
        marked = bool(bullet) or number is not None
        was_blank, blank_before = blank_before, False
        if (FOOTER.match(plain(text)) and not marked) or FOOTER.match(raw.strip()):
            end = i
            break
        if in_footnote and not was_blank and "\f" not in raw:
            warnings.append(f"Line {i + 1}: '{collapse(text)[:60]}' continues a footnote, not a signatory; skipped.")
            continue
        in_footnote = False
        # A PDF footnote's number alone on its line, its text indented on the next: "13" / "   Center for ...".
        footnote_number = raw.strip().isdigit() and len(raw.strip()) <= 3 and i + 1 < len(lines)
        footnote_number = footnote_number and lines[i + 1][:1] in (" ", "\t") and bool(lines[i + 1].strip())
        if (FOOTNOTE.match(raw.strip()) and not marked) or DISCLAIMER.search(text) or footnote_number:
            # A PDF prints a page's footnotes in the middle of a list that runs on to the next page; a note such as
            # "Affiliations for identification purposes only" describes the list. Neither is a signatory.
            in_footnote = bool(FOOTNOTE.match(raw.strip())) or footnote_number
            warnings.append(f"Line {i + 1}: '{collapse(text)[:60]}' is a footnote or note, not a signatory; skipped.")
            continue
        if is_date_line(text) and word_count(text) <= 4:
            warnings.append(f"Line {i + 1}: '{collapse(text)[:60]}' is a page header, not a signatory; skipped.")
            continue
        if MARKUP.match(text):
            warnings.append(f"Line {i + 1}: '{collapse(text)[:60]}' is page markup, not a signatory; skipped.")
            continue
        link = URL_OR_EMAIL.search(text)
        if link:
            # A citation's link runs to the margin or has the citation go on beside it ("...pdf; Glenn Greenwald,"):
            # the lines below it, up to a blank line or a page break, are that footnote's, carried over from the page
            # before. A website printed under a name is short and alone on its line.
            in_footnote = len(raw.strip()) >= CITATION_LINK_CHARS or bool(re.search(r"[;,]\s+\w", text[link.end() :]))
            warnings.append(f"Line {i + 1}: '{collapse(text)[:60]}' is a link or address, not a signatory; skipped.")
            continue
        count = anonymous_count(text) if cells is None else None
        if count is not None:
            anonymous.append((i, count))
            warnings.append(f"Line {i + 1}: '{collapse(text)[:60]}' counted as {count} undisclosed signatories.")
            continue
        heading = plain(raw)
        # A sub-heading: "Individuals", "**Organizations**", "### National organisations", "Myanmar:".
        # Markdown emphasis looks like a "*" bullet, so the plain form is checked when the line has such marks.
        # "--- ENTIDADES ---" starts with what looks like a bullet.
        maybe_heading = not marked or raw.lstrip().startswith(("**", "__", "#")) or RULED_HEADING.match(raw)
        if maybe_heading and is_section_heading(lines, i, heading):
            if not is_place_heading(heading):
                individuals = bool(INDIVIDUALS_HEADING.search(heading))
            section = collapse(heading.strip("-–—=#|* "))
            headings.add(i)
            blank_before = True  # a sub-heading closes any coalition's sub-list, as a blank line does
            new_section = True
            continue
        if SIGNATORY_HEADING.match(plain(text)) and not marked and (not entries or text.endswith(":")):
            headings.add(i)
            continue
        if looks_like_sentence(text, marked):
            if entries and sum(e.number is not None for e in entries) >= NUMBERED_LIST_SHARE * len(entries):
                # A numbered list ends at the first sentence after it ("I attest that I have received ..."): what
                # follows is an attestation or a signature block, not more signatories.
                end = i
                warnings.append(
                    f"Line {i + 1}: prose after the numbered list; the list ends here and the {count_lines(lines, i)} "
                    "lines from here on are not read as signatories."
                )
                break
            if entries:
                warnings.append(f"Line {i + 1}: prose inside the signatory list, not a signatory; skipped.")
            continue
        continues_above = not marked and is_heading_word(heading) and ends_a_wrapped_name(lines, i)
        if is_noise(text):
            warnings.append(f"Line {i + 1}: '{collapse(text)}' looks like OCR noise, not a name; skipped.")
            continue
        previous = entries[-1] if entries else None
        if previous and not marked and TITLE_WORDS.match(text) and person_like(previous, individuals):
            # "Jane Doe" then "Professor, University X": the second line is her title, not a signatory; it is kept
            # as the signature's note.
            previous.has_title_line = True
            previous.note = f"{previous.note}\n{text}".strip()
            previous.last_line = i + 1
            continue
        if number is not None:
            last_number = number
        entries.append(
            Entry(
                line=i + 1,
                indent=indent,
                bullet=bullet,
                number=number,
                text=text,
                category_individual=individuals,
                blank_before=was_blank,
                section_start=new_section,
                closed=closed,
                trailing=trailing,
                section=section,
                note=note,
                continues_above=continues_above,
            )
        )
        new_section = False
    return ListRead(entries, end, anonymous, headings)


# A table pasted from a web page: tab-separated cells, maybe under a header row ("No.\tOrganization\tCountry").
TABLE_HEADER_CELL = re.compile(
    r"^(?:no\.?|n[°o]\.?|#|s/?n|sr\.?|sl\.?|number|organi[sz]ations?(?:\s+name)?|name(?:\s+of\s+\w+)?|names"
    r"|signator(?:y|ies)|endorsers?|country|countries|country/region|region|city|location|base(?:d\s+in)?|type"
    r"|sector|website|position|title|affiliation|category)$",
    re.I,
)
NAME_HEADER_CELL = re.compile(r"organi[sz]ation|name|signator|endorser", re.I)
NUMBER_CELL = re.compile(r"^\(?(\d{1,4})[.)]?$")


class TableLayout:
    """A table pasted from a web page (tab-separated cells) or written in Markdown ("| Name | Affiliation |").

    The name is in the column headed "Organization" or "Name", else in the first cell that is not a row number; the
    other cells (country, affiliation, description) become the line's note, joined with " | "."""

    def __init__(self) -> None:
        self.name_column: int | None = None

    @staticmethod
    def cells(raw: str) -> list[str] | None:
        line = raw.strip()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            return [c.strip() for c in line[1:-1].split("|")]
        if "\t" not in line:
            return None
        cells = [c.strip() for c in line.split("\t")]
        return cells if sum(1 for c in cells if c) >= 2 else None

    @staticmethod
    def is_rule(cells: list[str]) -> bool:
        """A Markdown table's row of dashes under its header."""
        return all(MARKDOWN_RULE_CELL.match(c) for c in cells)

    def is_header(self, cells: list[str]) -> bool:
        filled = [c for c in cells if c]
        if not filled or not all(TABLE_HEADER_CELL.match(c) or is_category_heading(c) for c in filled):
            return False
        self.name_column = next((k for k, c in enumerate(cells) if NAME_HEADER_CELL.search(c)), None)
        return True

    def row(self, cells: list[str]) -> tuple[int | None, str, str]:
        """(printed number, name, note) of a table row."""
        number_match = NUMBER_CELL.match(cells[0])
        number = int(number_match.group(1)) if number_match else None
        rest = cells[1:] if number_match else cells
        if self.name_column is not None and self.name_column < len(cells) and cells[self.name_column]:
            name_at = self.name_column
        else:
            name_at = next((k for k, c in enumerate(cells) if c and (k or not number_match)), 0)
        others = [c for k, c in enumerate(cells) if c and k != name_at and c in rest]
        return number, cells[name_at], " | ".join(others)


AFFILIATION_CELL = re.compile(r"^(?:affiliations?|titles?|positions?|roles?|designations?)$", re.I)
MARKDOWN_RULE_CELL = re.compile(r"^:?-{3,}:?$")


# "--- ENTIDADES ---", "=== Individuals ===": a line set off by rules is a heading.
RULED_HEADING = re.compile(r"^\s*[-–—=*#]{2,}\s*(?P<text>[^-–—=*#].*?)\s*[-–—=*#]{2,}\s*$")


def is_section_heading(lines: list[str], i: int, heading: str) -> bool:
    """A heading that divides the list (a label for the lines under it, never a signatory): a kind of signatory
    ("Individuals", "COMPANIES AND ORGANIZATIONS"), a place ("Brazil", "EUROPE"), a line set off by rules, or a short
    line ending with a colon that a blank line separates from the names under it ("Apoiadores:", "ADHIEREN:")."""
    if RULED_HEADING.match(lines[i]):
        return True
    if is_heading_word(heading):
        return not ends_a_wrapped_name(lines, i)
    return (
        heading.endswith(":")
        and word_count(heading) <= 4
        and i + 1 < len(lines)
        and not lines[i + 1].strip()
        and not any(ch.isdigit() for ch in heading)
    )


def is_heading_word(heading: str) -> bool:
    """A line that could head a section: a place, or a kind of signatory."""
    bare = heading.rstrip(":*").strip()
    return (
        is_place_heading(heading)
        or (CATEGORY_HEADING.match(heading) is not None and word_count(heading) <= 6)
        or is_category_heading(bare)
    )


def ends_a_wrapped_name(lines: list[str], i: int) -> bool:
    """ "Electronic Frontiers" / "Australia", "The Ruffle Technology" / "Company": a word that could head a section,
    printed right under an unmarked line and set apart from the line below it, is the end of that line's name."""
    if i == 0 or not lines[i - 1].strip() or i + 1 >= len(lines) or lines[i + 1].strip():
        return False
    _, bullet, number, text = split_entry(lines[i - 1])
    above = plain(lines[i - 1])
    return not (bullet or number is not None or text.endswith((":", ".")) or SIGNATORY_HEADING.match(above))


def person_like(entry: Entry, individuals: bool) -> bool:
    text = entry.text
    if HONORIFIC.match(text) or PERSON_SUFFIX.search(text) or individuals:
        return True
    words = text.split()
    return 2 <= len(words) <= 4 and not ORGANIZATION_WORDS.search(text) and all(w[:1].isupper() for w in words)


# The words a wrapped name's second line starts with, in the letters' languages.
CONTINUATION_START = re.compile(
    r"^(?:of|and|for|the|in|on|at|to|de|del|della|di|da|do|dos|das|du|des|la|le|les|los|las|y|e|et|und|für|van|von"
    r"|der|den|pour|en|por|para|with|&)\s",
)
# Longest second half of a wrapped name: a longer line is an entry of its own.
MAX_WRAPPED_WORDS = 16
CONNECTOR_END = re.compile(r"(?:[-–—&(/,]|\b(?:of|and|for|the|in|on|de|du|des|la|le|pour|et|y|del))$", re.I)


# A section is a list of paragraphs when most of its entries have a blank line before them (the others are the
# second lines of wrapped names).
PARAGRAPH_SHARE = 0.5
MIN_PARAGRAPH_ENTRIES = 6


def sections_where(entries: list[Entry], holds: Callable[[list[Entry]], bool]) -> set[str]:
    """The sections of at least MIN_PARAGRAPH_ENTRIES entries whose entries, together, satisfy `holds`."""
    by_section: dict[str, list[Entry]] = {}
    for entry in entries:
        by_section.setdefault(entry.section, []).append(entry)
    return {section for section, group in by_section.items() if len(group) >= MIN_PARAGRAPH_ENTRIES and holds(group)}


def paragraph_sections(entries: list[Entry]) -> set[str]:
    """The sections whose entries are set apart by blank lines."""
    return sections_where(
        entries,
        lambda group: (
            sum(1 for e in group[1:] if e.blank_before or e.section_start) >= PARAGRAPH_SHARE * (len(group) - 1)
        ),
    )


# A paragraph holds one entry: its name and a few wrapped or affiliation lines. A longer run of lines with no
# blank line between them is a list of names.
MAX_PARAGRAPH_LINES = 5


# A list whose entries end with a period when most do.
PERIOD_SHARE = 0.6


def period_sections(entries: list[Entry]) -> set[str]:
    """The sections whose entries end with a period."""
    return sections_where(entries, lambda group: sum(e.text.endswith(".") for e in group) >= PERIOD_SHARE * len(group))


def in_short_block(entries: list[Entry]) -> dict[int, bool]:
    """For each entry (by id), whether the run of lines it belongs to, between blank lines, is a paragraph's length."""
    blocks: list[list[Entry]] = []
    for entry in entries:
        if blocks and not entry.blank_before and not entry.section_start:
            blocks[-1].append(entry)
        else:
            blocks.append([entry])
    return {id(e): len(block) <= MAX_PARAGRAPH_LINES for block in blocks for e in block}


def join_broken_names(entries: list[Entry], lines: list[str], warnings: list[str]) -> list[Entry]:
    """Join a name broken across lines into one entry.

    A line is the second half of the name above it when it has no marker of its own and either
    - sits alone between two numbered entries whose numbers run on (183, [line], 184) or restart at 1, or is
      the last line of the list: a new entry would have carried a number too;
    - starts in lowercase, or the line above ends with a connector ("of", "and", "-", "(");
    and only blank lines lie between the two halves;
    - or, in a section whose entries are set apart by blank lines (one paragraph an entry), follows the line above
      with no blank line between: then a person's further lines are the note, an organization's are its name.
    """
    paragraphs = paragraph_sections(entries)
    short_block = in_short_block(entries)
    terminated = period_sections(entries)
    joined: list[Entry] = []
    for k, entry in enumerate(entries):
        previous = joined[-1] if joined else None
        if previous is None or entry.marked:
            joined.append(entry)
            continue
        if entry.continues_above and previous.end_line + 1 == entry.line:
            previous.text = collapse(f"{previous.text} {entry.text}")
            previous.last_line = entry.line
            previous.wrapped = True
            continue
        in_paragraph = (
            entry.section in paragraphs
            and short_block[id(entry)]
            and previous.section == entry.section
            and not entry.blank_before
            and not entry.section_start
            and previous.end_line + 1 == entry.line
        )
        runs_on = previous.trailing == "," and (entry.section in terminated or in_paragraph)
        if previous.closed and not runs_on:
            joined.append(entry)
            continue
        # "Aidan Clarke" then "Dr. Angela Daly" are two people; "Aidan Clarke, Principle" then "DevOps Evangelist,"
        # one, whose role runs on.
        role_runs_on = bool(previous.trailing) or ("," in previous.text and not previous.note)
        new_person = entry.category_individual and is_person_name(entry.text) and not role_runs_on
        if in_paragraph and not new_person:
            separator = previous.trailing + " "
            if previous.category_individual and is_person_name(previous.text):
                previous.note = f"{previous.note}{separator if previous.note else ''}{entry.text}"
                previous.has_title_line = True
            else:
                previous.text = collapse(previous.text + separator + entry.text)
                previous.wrapped = True
            previous.last_line = entry.line
            previous.trailing = entry.trailing
            continue
        if not only_blank_between(lines, previous.end_line, entry.line):
            joined.append(entry)
            continue
        if (
            entry.section in terminated
            and previous.section == entry.section
            and not previous.text.endswith(".")
            # "..., Entre Ríos, Argentina" is a whole entry that only lacks its period.
            and not is_place(previous.text.rsplit(",", 1)[-1])
            and word_count(entry.text) <= MAX_WRAPPED_WORDS
        ):
            # Each entry of this list ends with a period: a line without one runs on into the next.
            previous.text = collapse(f"{previous.text}{previous.trailing} {entry.text}")
            previous.last_line = entry.line
            previous.wrapped = True
            continue
        next_entry = entries[k + 1] if k + 1 < len(entries) else None
        fragment = word_count(entry.text) <= 5
        sandwiched = (
            previous.number is not None
            and fragment
            and (
                (
                    next_entry is not None
                    and next_entry.number is not None
                    and next_entry.number in (previous.number + 1, 1)
                )
                or (next_entry is None and entry.text[:1].islower())
            )
        )
        # What the line above ends with: its note when it has one ("Name | The Citizen Lab, Munk School of").
        tail = previous.note or previous.text
        open_paren = tail.count("(") > tail.count(")")
        # "i Freedom Uganda", "epicenter.works": a name may start in lowercase. Only a lowercase function word
        # ("de Palermo", "and Communication") or a line above that cannot end there marks a continuation.
        dangling = bool(CONTINUATION_START.match(entry.text)) or (
            CONNECTOR_END.search(tail) is not None and not open_paren
        )
        closes_paren = open_paren and ")" in entry.text and word_count(entry.text) <= MAX_WRAPPED_WORDS
        if sandwiched or (dangling and word_count(entry.text) <= MAX_WRAPPED_WORDS // 2) or closes_paren:
            if previous.note:
                previous.note = collapse(f"{previous.note}{previous.trailing} {entry.text}")
            else:
                previous.text = collapse(previous.text + " " + entry.text)
                previous.wrapped = True
            previous.last_line = entry.line
            previous.trailing = entry.trailing
            continue
        joined.append(entry)
    for entry in joined:
        if entry.wrapped:
            warnings.append(
                f"Lines {entry.line}-{entry.end_line}: a name broken across lines joined as '{entry.text}'."
            )
    return joined


# In a list of people, the share of lines that are not a person's name above which those lines are read as the
# affiliations printed under each name ("Dr. Paul Bernal" / "Senior Lecturer, UEA Law School").
AFFILIATION_SHARE = 0.25
NOTED_SHARE = 0.6
# Words that open a person's role or affiliation line rather than their name.
ROLE_START = re.compile(
    r"^(?:research|associate|assistant|senior|junior|independent|visiting|adjunct|honorary|emeritus|am|ao|oam|vice"
    r"|deputy|chief|head|lead|principal|doctoral|postdoctoral|graduate|faculty|dept|department|school|program)\b",
    re.I,
)
NAME_PARTICLE = re.compile(r"^(?:van|von|de|da|do|dos|del|der|den|du|la|le|bin|binti|al|el|y|e|di)$")


def is_person_name(text: str) -> bool:
    """A line that is a person's name: two to five capitalised words or initials, maybe after an honorific and
    before a comma ("Dr. Angela Daly", "L Jean Camp", "Lachlan Simpson, Systems Administrator")."""
    name = text.split(",")[0].strip()
    if TITLE_WORDS.match(name) or ROLE_START.match(name):
        return False
    name = HONORIFIC_PREFIX.sub("", name)
    words = name.split()
    if (
        not 2 <= len(words) <= 5
        or any(ch.isdigit() for ch in name)
        or ORGANIZATION_WORDS.search(name)
        or re.search(r"[/()&]|'s\b|’s\b|\b[A-Z]{3,}\b", name)
    ):
        return False
    return all(w[:1].isupper() or NAME_PARTICLE.match(w) for w in words) and not name.isupper()


def attach_affiliations(entries: list[Entry]) -> list[Entry]:
    """Under a heading of people, the lines that are not names are the affiliations of the name above them: they
    become its note. Only where such lines are common: a list of bare names keeps an organization printed among them
    as an entry of its own."""
    kept: list[Entry] = []
    for group in sections_of(entries):
        unmarked = [e for e in group if not e.marked]
        others = [e for e in unmarked if not is_person_name(e.text)]
        # Where most lines print a name with what the person is ("Name | Role"), a line with neither is the end of
        # the role above it ("Foundation", "(Faculty Associate, Berkman Klein Center)").
        noted = sum(1 for e in group if e.note) >= NOTED_SHARE * len(group)
        affiliations = (
            group[0].category_individual
            and len(unmarked) == len(group)
            and is_person_name(group[0].text)
            and (len(others) >= AFFILIATION_SHARE * len(group) or noted)
        )
        for entry in group:
            if (
                affiliations
                and kept
                and kept[-1].section == entry.section
                and not entry.note
                and not is_person_name(entry.text)
            ):
                kept[-1].note = f"{kept[-1].note}{kept[-1].trailing}\n{entry.text}".strip()
                kept[-1].has_title_line = True
                kept[-1].last_line = entry.end_line
                kept[-1].trailing = entry.trailing
                continue
            kept.append(entry)
    return kept


def sections_of(entries: list[Entry]) -> list[list[Entry]]:
    groups: list[list[Entry]] = []
    for entry in entries:
        if groups and groups[-1][-1].section == entry.section and not entry.section_start:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def only_blank_between(lines: list[str], first_line: int, second_line: int) -> bool:
    """Whether only blank lines separate two 1-based line numbers (so joining keeps `listed_as` findable)."""
    return all(not lines[j].strip() for j in range(first_line, second_line - 1))


def sort_key(text: str) -> str:
    """How an alphabetical list is ordered: case-insensitive, ignoring leading quotes and brackets."""
    return text.casefold().lstrip("\"'“‘([")


SIGNIFICANT_WORD = re.compile(r"[^\W\d_]{3,}")
STOPWORDS = {"the", "and", "for", "all", "with", "from", "des", "pour", "del"}


def significant_words(text: str) -> set[str]:
    return {w for w in SIGNIFICANT_WORD.findall(text.casefold()) if w not in STOPWORDS}


def find_coalitions(entries: list[Entry], warnings: list[str]) -> None:
    """Mark coalition members (`member_of`) by three layouts seen in real lists.

    1. Marker or indentation: members carry a bullet the top level does not use ("o", "-", "•") or are
       indented deeper, right under the coalition.
    2. A coalition line ending with ":" and its members up to the next blank line.
    3. Alphabetical lists flattened by OCR: after a coalition, its own alphabetical sub-list makes the order
       jump back ("Mandalay Strike Force", "Chanmyatharzi ...", ..., "Seinpann Strike", "Mandalay-Based ...").
       Accepted only if the jump goes behind the entry before the coalition, at least two members follow
       and most of them share a word with the coalition's name (e.g. "Strike", "Monywa", "Women").
    """
    if not entries:
        return
    parent: int | None = None
    colon_parent: int | None = None
    top_bullet, top_indent = "", 0
    for k, entry in enumerate(entries):
        if k == 0 or entry.section_start:
            # Each section under a sub-heading has its own top-level marker: "*" for organizations and "-" for
            # individuals is two sections, not a coalition and its members.
            section = entries[k : next((j for j in range(k + 1, len(entries)) if entries[j].section_start), None)]
            top_bullet = entry.bullet if entry.number is None else ""
            top_indent = min(e.indent for e in section)
            parent = colon_parent = None
        if colon_parent is not None and entry.blank_before and k - 1 != colon_parent:
            colon_parent = None
        if (
            colon_parent is not None
            and k > colon_parent + 1
            and same_layout(entry, entries[colon_parent])
            and not same_layout(entries[colon_parent + 1], entries[colon_parent])
        ):
            # "(9) Coalition:", its members marked "–", then "(10) Next": the coalition's own layout resumes.
            colon_parent = None
        if colon_parent is not None and k != colon_parent:
            entry.member_of = colon_parent
            continue
        different_bullet = bool(entry.bullet) and entry.number is None and entry.bullet != top_bullet
        deeper = entry.indent >= top_indent + 2 and entry.number is None
        if parent is not None and (different_bullet or deeper):
            entry.member_of = parent
            continue
        parent = k
        if entry.text.endswith(":") and k + 1 < len(entries):
            entry.text = entry.text.rstrip(":").strip()
            colon_parent = k
    find_alphabetical_sublists(entries, warnings)


def same_layout(a: Entry, b: Entry) -> bool:
    """Two entries printed alike: both numbered or with the same bullet, at the same indentation."""
    return (a.number is not None) == (b.number is not None) and a.bullet == b.bullet and a.indent == b.indent


# Longest coalition sub-list read from the alphabetical order: bounds the work on hostile input.
MAX_SUBLIST = 200


def find_alphabetical_sublists(entries: list[Entry], warnings: list[str]) -> None:
    top = [k for k, e in enumerate(entries) if e.member_of is None]
    if len(top) < 20:
        return
    in_order = sum(1 for a, b in pairwise(top) if sort_key(entries[a].text) <= sort_key(entries[b].text))
    if in_order < 0.8 * (len(top) - 1):
        return  # not an alphabetical list: order says nothing
    k = 1
    while k < len(entries) - 2:
        coalition = entries[k]
        members = alphabetical_members(entries, k)
        if members:
            for m in members:
                entries[m].member_of = k
            warnings.append(
                f"Line {coalition.line}: '{coalition.text}' read as a coalition with {len(members)} members "
                f"(lines {entries[members[0]].line}-{entries[members[-1]].line}), from the alphabetical order."
            )
            k = members[-1] + 1
        else:
            k += 1


def alphabetical_members(entries: list[Entry], k: int) -> list[int]:
    """Indexes of the members listed under entries[k] in a flattened alphabetical list, or []."""
    coalition = entries[k]
    before = entries[k - 1]
    if coalition.member_of is not None or before.member_of is not None:
        return []
    c = sort_key(coalition.text)
    members: list[int] = []
    j = k + 1
    while j < len(entries) and len(members) < MAX_SUBLIST:
        e = entries[j]
        if e.marked or e.member_of is not None:
            break
        key = sort_key(e.text)
        if not members:
            # The jump back must go behind the entry before the coalition, not just swap two neighbours.
            if not (key < c and key < sort_key(before.text)):
                return []
        elif key >= c and key < sort_key(entries[j - 1].text):
            # The members' own order drops and the line fits the top level after the coalition, and the line
            # after it keeps that order: the top level resumes here. (A drop that stays below the coalition,
            # or that the next line contradicts, is a slip inside the sub-list.)
            following = entries[j + 1] if j + 1 < len(entries) else None
            if following is None or sort_key(following.text) >= key:
                break
        members.append(j)
        j += 1
    if len(members) < 2:
        return []
    keys = [sort_key(entries[m].text) for m in members]
    sorted_share = sum(1 for a, b in pairwise(keys) if a <= b) / max(1, len(keys) - 1)
    shared = significant_words(coalition.text)
    sharing = sum(1 for m in members if significant_words(entries[m].text) & shared)
    if sorted_share < 0.7 or sharing < 0.6 * len(members):
        return []
    return members


def kind_of(entry: Entry, is_coalition: bool) -> str:
    if is_coalition:
        return "coalition"
    head, _, rest = entry.text.partition(",")
    if entry.category_individual or entry.has_title_line or PERSON_SUFFIX.search(entry.text):
        return "individual"
    # "Daw Aung San Suu Kyi", "Dr. Jane Doe, Professor": an honorific before a name that has no organization
    # word ("Father Smith Foundation" is an organization).
    if HONORIFIC.match(head) and not ORGANIZATION_WORDS.search(head):
        return "individual"
    # "Jane Doe, Professor, University X": a short name followed by a role.
    if rest and TITLE_WORDS.match(rest.strip()) and not ORGANIZATION_WORDS.search(head) and word_count(head) <= 4:
        return "individual"
    return "organization"


def to_signatories(entries: list[Entry]) -> list[ParsedSignatory]:
    coalitions = {e.member_of for e in entries if e.member_of is not None}
    signatories: list[ParsedSignatory] = []
    for k, entry in enumerate(entries):
        signatories.append(
            ParsedSignatory(
                position=k + 1,  # renumbered: printed numbers restart and get lost
                listed_as=collapse(entry.text),
                member_of=entry.member_of + 1 if entry.member_of is not None else None,
                line=entry.line,
                kind_hint=kind_of(entry, k in coalitions),
                section=entry.section,
                note=collapse(entry.note),
            )
        )
    return signatories


LINE_MENTION = re.compile(r"\bLines? (\d+)(?:-(\d+))?")


def account_for_lines(lines: list[str], start: int, listed: ListRead, warnings: list[str]) -> ListLines:
    """Every non-empty line of the list is a signatory (or part of one), a heading, or in `warnings` with its number
    and why it was skipped: a line no rule took gets a warning here, so nothing is lost without a word."""
    covered = {n for e in listed.entries for n in range(e.line, e.end_line + 1)}
    mentioned: set[int] = set()
    for warning in warnings:
        for match in LINE_MENTION.finditer(warning):
            first = int(match[1])
            mentioned.update(range(first, int(match[2] or first) + 1))
    read = kept = skipped = 0
    for index in range(start, listed.end):
        text = lines[index].strip()
        if not text:
            continue
        read += 1
        if index + 1 in covered:
            kept += 1
            continue
        if index in listed.headings:
            continue
        skipped += 1
        if index + 1 not in mentioned:
            warnings.append(f"Line {index + 1}: '{collapse(text)[:60]}' not read as a signatory; skipped.")
    return ListLines(read=read, kept=kept, headings=len(listed.headings), skipped=skipped)
