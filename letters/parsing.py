"""Turn the raw text of one letter into a structured report.

A letter arrives pasted from a web page or OCR'd from a PDF. This module reads it line by line and finds its
parts: title, date, addressees, subject, body, kind, signatory list (with coalitions and their members),
demands, and the declared / undisclosed signatory counts printed in prose.

It is plain Python (standard library only, no Django) so it can be tested alone. It never rewrites history:
every `listed_as` is the name as printed (whitespace runs collapsed), so it can always be found again in the
source text. When a rule is unsure, it says so in `warnings` with the line number, for a curator to check.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

MAX_INPUT_CHARS = 2_000_000


class LetterInputError(ValueError):
    """Input that cannot be a letter: one-line message saying what is wrong (and where, e.g. 'NUL byte at line 3')."""


@dataclass
class ParsedSignatory:
    position: int
    listed_as: str
    member_of: int | None
    line: int
    kind_hint: str  # "organization" | "coalition" | "individual"


@dataclass
class ParsedDemand:
    position: int
    target: str | None
    text: str


@dataclass
class ParsedLetter:
    title: str
    date: datetime.date | None
    addressees: list[str]
    subject: str
    body: str
    kind: str  # "open_letter" | "joint_statement" | "press_release" | "statement"
    declared_total: int | None
    undisclosed: int | None
    signatories: list[ParsedSignatory] = field(default_factory=list)
    demands: list[ParsedDemand] = field(default_factory=list)
    candidate_demands: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------------------------

# Control characters a text file legitimately contains.
ALLOWED_CONTROLS = {"\n", "\t", "\f", "\v"}
# Above this share of control characters the "text" is binary data decoded by luck.
MAX_CONTROL_SHARE = 0.05


def check_input(raw: bytes) -> str:
    """Decode uploaded bytes into letter text, or refuse them with a one-line `LetterInputError`."""
    if not raw:
        raise LetterInputError("Empty input: no text at all.")
    if len(raw) > MAX_INPUT_CHARS * 4:
        # UTF-8 takes at most 4 bytes a character: this is over the limit whatever it decodes to.
        raise LetterInputError(f"Input too large: over the limit of {MAX_INPUT_CHARS:,} characters.")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul_at = raw.find(b"\x00")
    if nul_at >= 0:
        line = raw.count(b"\n", 0, nul_at) + 1
        raise LetterInputError(f"NUL byte at line {line}: binary data or UTF-16 text, not a UTF-8 letter.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        bad = raw[error.start : error.start + 1].hex()
        raise LetterInputError(f"Not UTF-8 text: undecodable byte 0x{bad} at line {line}.") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_INPUT_CHARS:
        raise LetterInputError(f"Input too large: {len(text):,} characters, over the limit of {MAX_INPUT_CHARS:,}.")
    if not text.strip():
        raise LetterInputError("Empty input: only whitespace.")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS)
    if controls > MAX_CONTROL_SHARE * len(text):
        first = next(i for i, ch in enumerate(text) if unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS)
        line = text.count("\n", 0, first) + 1
        raise LetterInputError(f"Binary data, not text: {controls:,} control characters (first at line {line}).")
    return text


# --------------------------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------------------------

WHITESPACE_RUN = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Whitespace runs to one space: the form in which every `listed_as` is found in the input."""
    return WHITESPACE_RUN.sub(" ", text).strip()


def word_count(text: str) -> int:
    return len(text.split())


def letter_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = [
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH + r",?\s+(?P<year>\d{4})\b", re.I),
    re.compile(r"\b" + MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<monthnum>\d{1,2})-(?P<day>\d{1,2})\b"),
]


def find_date(text: str) -> datetime.date | None:
    """The first valid calendar date written in `text` ("14 July 2022", "May 10, 2022", "2022-07-14")."""
    found: list[tuple[int, datetime.date]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["monthnum"]) if parts.get("monthnum") else MONTHS[parts["month"].lower()]
            try:
                found.append((match.start(), datetime.date(int(parts["year"]), month, int(parts["day"]))))
            except ValueError:
                continue
            break
    return min(found)[1] if found else None


# --------------------------------------------------------------------------------------------------------------
# Line classifier
# --------------------------------------------------------------------------------------------------------------

# A list entry: optional bullet, optional printed number ("12." "12)" "(12)"), then the text.
# "o" counts as a bullet only before a space: OCR turns the round sub-list bullet into a letter o.
ENTRY = re.compile(
    r"^(?P<indent>[ \t\u00a0]*)"
    r"(?:(?P<bullet>[-–—•*·◦▪●○►»✓]|o(?=\s))\s*)?"
    r"(?:(?P<number>\d{1,4})\s*[.)]\s+|\((?P<pnumber>\d{1,4})\)\s*)?"
    r"(?P<text>.*)$"
)

SALUTATION = re.compile(
    r"^(?:dear\b|your\s+(?:excellenc|majest|honou?r)|excellenc|to\s+whom\s+it\s+may|mr\.?\s+president|madam)",
    re.I,
)
CLOSING = re.compile(
    r"^(?:(?:yours\s+)?(?:sincerely|faithfully|truly)|(?:with\s+)?(?:kind\s+|best\s+)?regards|respectfully"
    r"|in\s+solidarity|with\s+solidarity)\b[\s,.!]*(?:yours)?[\s,.]*$",
    re.I,
)
TO_LINE = re.compile(r"^to\s*[:\-–]\s*(?P<rest>.+)$|^to\s+(?P<rest2>(?:the\s+)?[A-Z].+)$", re.I)
SUBJECT_LINE = re.compile(r"^(?:re|subject|subj|regarding)\s*[:\-–]\s*(?P<rest>.+)$", re.I)
URL_OR_EMAIL = re.compile(r"https?://|www\.|mailto:|\b[\w.+-]+@[\w-]+\.[\w.]+\b", re.I)
FOOTER = re.compile(
    r"^(?:for\s+(?:more|further)\s+information|more\s+information\b|media\s+(?:contacts?|enquiries|inquiries)"
    r"|press\s+(?:contacts?|enquiries|inquiries)|contacts?\s*(?:information|details|persons?)?\s*:"
    r"|notes?\s+(?:to|for)\s+(?:the\s+)?editors?|about\s+(?:us\b|the\s+)|#{3,}|-+\s*ends?\s*-+\s*$|ends\s*$"
    r"|read\s+more\b|background\s*:)",
    re.I,
)
SIGNATORY_HEADING = re.compile(
    r"^(?:(?:list\s+of\s+)?(?:the\s+)?(?:signatories|signatory\s+(?:organi[sz]ations|list)|co-?signatories"
    r"|endorsers|endorsements|signatures)\b"
    r"|(?:co-?)?signed(?:\s+by)?\b(?!\s+(?:into|off)\b)"
    r"|endorsed\s+by\b"
    r"|(?:endorsing|supporting|participating|signing|signatory)\s+(?:organi[sz]ations|groups|members)\b"
    r"|(?:organi[sz]ational|individual|institutional)\s+(?:signatories|endorsements)\b"
    r"|this\s+(?:letter|statement)\s+(?:is|was|has\s+been)\s+(?:signed|endorsed)\b"
    r"|(?:the\s+)?undersigned(?:\s+(?:organi[sz]ations|groups|individuals))?\s*:?\s*$)",
    re.I,
)
# Sub-headings inside a signatory list ("Organizations:", "Individuals", "International organisations:").
# Without a colon only the bare plural forms count: "Grass-root People" is a signatory, not a heading.
CATEGORY_HEADING = re.compile(
    r"^(?:(?:[A-Z][\w-]*\s+){0,3}?(?:organi[sz]ations|individuals|signatories|groups|networks|members|endorsers"
    r"|supporters|academics|experts|parliamentarians|people|persons|institutions|unions|coalitions)"
    r"(?:\s+\([^)]*\))?\s*:"
    r"|(?:(?:international|regional|national|local|other|individual|organi[sz]ational|institutional)\s+)?"
    r"(?:organi[sz]ations|individuals|signatories|endorsements)\s*)$",
    re.I,
)
INDIVIDUALS_HEADING = re.compile(r"\b(?:individuals|persons|people|academics|experts|parliamentarians)\b", re.I)

# Words that mark a printed name as a person's: honorifics, including Burmese (U, Daw, Ko, Ma, Naw, Saw).
HONORIFIC = re.compile(
    r"^(?:dr|prof|professor|mr|mrs|ms|miss|mx|rev|revd|fr|sr|hon|h\.\s?e|sir|dame|lord|lady|baroness|senator"
    r"|sen|rep|ven|venerable|bishop|archbishop|cardinal|imam|rabbi|pastor|father|sister|u|daw|ko|ma|naw|saw)"
    r"\.?\s+\S",
    re.I,
)
PERSON_SUFFIX = re.compile(r"\((?:mr|mrs|ms|dr|prof)\.?\)\s*$", re.I)
# A line that gives a person's role, printed under or after the name ("Professor, University X").
TITLE_WORDS = re.compile(
    r"^(?:professor|associate\s+professor|assistant\s+professor|lecturer|senior\s+lecturer|researcher|director"
    r"|executive\s+director|managing\s+director|founder|co-founder|chair(?:man|woman|person)?|president"
    r"|vice[- ]president|secretary|coordinator|ceo|editor|journalist|lawyer|attorney|advocate|former|retired"
    r"|member\s+of|mp\b|senator|head\s+of|fellow|phd|student|activist|author|writer)\b",
    re.I,
)
ORGANIZATION_WORDS = re.compile(
    r"\b(?:organi[sz]ations?|network|union|association|committee|council|community|communities|group|foundation"
    r"|cent(?:er|re)|campaign|alliance|coalition|federation|society|institute|league|forum|movement|project"
    r"|strike|party|initiative|front|fund|watch|trust|club|team|church|university|school|congress|action"
    r"|rights|force|assembly|inc|ltd|e\.v|platform|collective|agency|services|media|news|solidarity"
    r"|international|commission|program(?:me)?|office|mission|aid|relief|fellowship|consortium|cooperative"
    r"|government|ministry|nations|parliament|court|bank|secretariat|board|department|agency)\b",
    re.I,
)

# A sentence, not a name: how many words before an unnumbered line is prose.
PROSE_WORDS = 16
SENTENCE_WORDS = 8


@dataclass
class Entry:
    """One printed list line before it becomes a signatory."""

    line: int  # 1-based
    indent: int
    bullet: str
    number: int | None
    text: str
    category_individual: bool = False
    member_of: int | None = None  # index into the entry list
    has_title_line: bool = False
    blank_before: bool = False  # a blank line (or a sub-heading) separates it from the line above

    @property
    def marked(self) -> bool:
        return bool(self.bullet) or self.number is not None


MARKDOWN_DECORATION = re.compile(r"^[#>\s]*[*_]*\s*|\s*[*_]+\s*$")


def plain(text: str) -> str:
    """A line without Markdown heading marks and emphasis, for recognising headings pasted from the web."""
    return MARKDOWN_DECORATION.sub("", text.strip())


def split_entry(line: str) -> tuple[int, str, int | None, str]:
    """(indent, bullet, printed number, text) of a list line. Always matches: ENTRY accepts any line."""
    match = ENTRY.match(line)
    assert match is not None
    number = match["number"] or match["pnumber"]
    text = match["text"].strip()
    return len(match["indent"].expandtabs(4)), match["bullet"] or "", int(number) if number else None, text


def looks_like_sentence(text: str, marked: bool) -> bool:
    """Prose rather than a name: long, or a full sentence ending with a period."""
    words = word_count(text)
    if marked:
        return words >= 25 or (words >= SENTENCE_WORDS and text.endswith(".") and " " in text)
    return words >= PROSE_WORDS or (words >= SENTENCE_WORDS and text.endswith((".", "!", "?")))


def is_name_like(text: str) -> bool:
    """A short line that could be an organization or person name (not a sentence, heading or link)."""
    if not text or URL_OR_EMAIL.search(text) or letter_count(text) < 2 or word_count(text) > 14:
        return False
    # "New Zealand Zo Community Inc." ends with a period and is still a name.
    return not text.endswith((":", ".", "?", "!")) or bool(re.search(r"\b(?:inc|ltd|co|e\.v)\.$", text, re.I))


def is_noise(text: str) -> bool:
    """OCR debris like '. Co (2}': almost no letters, or starts with stray punctuation and is tiny."""
    letters = letter_count(text)
    if letters < 2:
        return True
    first = text[0]
    return letters < 4 and not (first.isalnum() or first in "\"'“‘(")


# --------------------------------------------------------------------------------------------------------------
# Header: title, date, addressees, subject
# --------------------------------------------------------------------------------------------------------------

KIND_LABEL = re.compile(
    r"^(?:for\s+immediate\s+release|(?:joint\s+)?(?:press|media|news)\s+release|open\s+letter|joint\s+statement"
    r"|statement|joint\s+open\s+letter|press\s+statement)[\s.:!]*$",
    re.I,
)
PARAGRAPH_WORDS = 25
# An address block is a handful of lines; a longer run of short lines is a list, not part of the header.
MAX_ADDRESS_LINES = 8


@dataclass
class Header:
    title: str = ""
    title_line: int | None = None
    date: datetime.date | None = None
    date_line: int | None = None
    subject: str = ""
    to_text: str = ""
    address_block: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    end: int = 0  # index of the first line after the header


def is_date_line(text: str) -> bool:
    """A line that is (mostly) just a date, e.g. "May 10, 2022 | Myanmar" or "Yangon, 1 February 2024"."""
    return word_count(text) <= 8 and find_date(text) is not None


def read_header(lines: list[str], limit: int) -> Header:
    """Read the lines at the top of the letter, before its first paragraph or salutation."""
    header = Header()
    i = 0
    block: list[str] = []
    block_start = 0
    while i < limit:
        text = plain(lines[i])
        if not text:
            if len(block) >= 2 and any(ch.isdigit() for ch in " ".join(block)) and not header.address_block:
                header.address_block = block
            block = []
            i += 1
            continue
        sentence = word_count(text) >= SENTENCE_WORDS and text.endswith((".", "!", "?", '"', "”"))
        if (
            SALUTATION.match(text)
            or word_count(text) >= PARAGRAPH_WORDS
            or SIGNATORY_HEADING.match(text)
            or sentence
            or FOOTER.match(text)
        ):
            break
        to_match = TO_LINE.match(text)
        subject_match = SUBJECT_LINE.match(text)
        if subject_match or to_match:
            # A To/Re line may wrap onto the next lines, up to a blank line.
            parts = [(subject_match or to_match).group("rest") or to_match.group("rest2")]
            while i + 1 < limit and lines[i + 1].strip() and not is_date_line(lines[i + 1].strip()):
                following = lines[i + 1].strip()
                if SUBJECT_LINE.match(following) or TO_LINE.match(following) or SALUTATION.match(following):
                    break
                parts.append(following)
                i += 1
            joined = collapse(" ".join(parts))
            if subject_match and not header.subject:
                header.subject = joined
            elif to_match and not subject_match and not header.to_text:
                header.to_text = joined
            block = []
        elif header.date is None and is_date_line(text):
            header.date, header.date_line = find_date(text), i + 1
        elif KIND_LABEL.match(text):
            header.labels.append(text)
        elif not header.title and not text.endswith(","):
            header.title, header.title_line = collapse(text), i + 1
        else:
            if not block:
                block_start = i
            block.append(text)
            if len(block) > MAX_ADDRESS_LINES:
                header.end = block_start
                return header
        i += 1
        header.end = i
    if len(block) >= 2 and any(ch.isdigit() for ch in " ".join(block)) and not header.address_block:
        header.address_block = block
    return header


def first_sentence(text: str, limit: int = 140) -> str:
    """The opening sentence of the body, shortened to its first clause or a word boundary: a title of last resort."""
    sentence = re.split(r"(?<=[.!?])\s", collapse(text), maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    clause = re.split(r",\s|\s[–—-]\s|;\s", sentence[:limit])[0]
    if len(clause) >= 40:
        return clause
    return sentence[:limit].rsplit(" ", 1)[0] + "…"


ROLE_OF = re.compile(
    r"^(?:the\s+)?(?:(?:permanent\s+)?members?|member\s+states|president|vice[- ]presidents?|chair(?:person)?"
    r"|secretary[- ]general|heads?(?:\s+of\s+state)?|delegates?|(?:permanent\s+)?representatives?|leaders?"
    r"|governments?)\s+of\s+(?:the\s+)?",
    re.I,
)
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9-]{2,}\b")


def addressees_from_to_line(to_text: str) -> list[str]:
    """Organizations named in a "To:" line, leaving out the people (names and their titles)."""
    parts = [p.strip(" .,") for p in re.split(r";", to_text) if p.strip(" .,")]
    if not parts:
        return []
    # One acronym in every part ("Kim Jong Yang, INTERPOL President; ...; INTERPOL Member Countries"):
    # the letter is addressed to that body.
    shared = [a for a in dict.fromkeys(ACRONYM.findall(parts[0])) if all(a in p for p in parts)]
    if shared:
        return shared[:1]
    found: list[str] = []
    for part in parts:
        for piece in re.split(r"\s+and\s+|,\s*", part):
            piece = piece.strip(" .")
            if HONORIFIC.match(piece):
                continue
            stripped = ROLE_OF.sub("", piece).strip()
            if stripped != piece or (
                ORGANIZATION_WORDS.search(stripped) and stripped[:1].isupper() and not TITLE_WORDS.match(stripped)
            ):
                stripped = re.sub(r"^the\s+", "", stripped, flags=re.I)
                if stripped and stripped not in found:
                    found.append(stripped)
    return found


def addressee_from_address_block(block: list[str]) -> str | None:
    """A postal address block: its first line is the body, its last short line the country."""
    name = block[0]
    if any(ch.isdigit() for ch in name) or word_count(name) > 10:
        return None
    country = block[-1]
    if len(block) >= 3 and word_count(country) <= 3 and not any(ch.isdigit() for ch in country):
        return f"{name}, {country}"
    return name


# --------------------------------------------------------------------------------------------------------------
# Signatory list
# --------------------------------------------------------------------------------------------------------------


def find_signatory_section(lines: list[str], start_at: int) -> tuple[int | None, int, bool]:
    """(heading index or None, first index of the list, whether it was guessed without a heading)."""
    for i in range(start_at, len(lines)):
        text = plain(lines[i])
        if SIGNATORY_HEADING.match(text) and entries_follow(lines, i + 1):
            return i, i + 1, False
    for i in range(start_at, len(lines)):
        if CLOSING.match(plain(lines[i])) and entries_follow(lines, i + 1, needed=5):
            return i + 1, i + 1, False  # "Sincerely," stays in the body
    start = last_run_of_names(lines, start_at)
    return (None, start, True) if start is not None else (None, len(lines), False)


def unread_heading(lines: list[str]) -> int | None:
    """The line of a signatory heading with no list under it (names written as prose are not read)."""
    for i, line in enumerate(lines):
        text = plain(line)
        if SIGNATORY_HEADING.match(text) and (word_count(text) <= 4 or text.endswith(":")):
            return i + 1
    return None


def entries_follow(lines: list[str], start: int, needed: int = 3) -> bool:
    """Name-like lines soon after `start` (prose that continues a wrapped heading is allowed first)."""
    names = 0
    prose = 0
    for i in range(start, min(len(lines), start + 40)):
        text = lines[i].strip()
        if not text:
            continue
        _, bullet, number, rest = split_entry(lines[i])
        if FOOTER.match(rest) or SIGNATORY_HEADING.match(rest) and names:
            break
        if CATEGORY_HEADING.match(rest) or (rest.endswith(":") and word_count(rest) <= 8):
            continue  # a sub-heading or a coalition introducing its members
        if (bullet or number is not None or is_name_like(rest)) and not looks_like_sentence(rest, bool(bullet)):
            names += 1
            if names >= needed:
                return True
        else:
            prose += 1
            if prose > 3 or names:
                return False
    return names >= needed


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
        if i < len(lines) and is_name_like(rest) and not SALUTATION.match(rest) and not CLOSING.match(rest):
            if run_start is None:
                run_start, run = i, 0
            run += 1
            continue
        if run_start is not None and run >= 5:
            best = run_start
        run_start, run = None, 0
    return best


def read_entries(lines: list[str], start: int, warnings: list[str]) -> tuple[list[Entry], int, list[int]]:
    """The list lines from `start` to the end or a footer: (entries, index after the list, anonymous counts)."""
    entries: list[Entry] = []
    anonymous: list[int] = []
    individuals = False
    end = len(lines)
    blank_before = False
    for i in range(start, len(lines)):
        raw = lines[i]
        if not raw.strip():
            blank_before = True
            continue
        indent, bullet, number, text = split_entry(raw)
        text = text.strip().rstrip(",;").strip()
        marked = bool(bullet) or number is not None
        was_blank, blank_before = blank_before, False
        if FOOTER.match(plain(text)) and not marked:
            end = i
            break
        if URL_OR_EMAIL.search(text):
            warnings.append(f"Line {i + 1}: '{collapse(text)[:60]}' is a link or address, not a signatory; skipped.")
            continue
        count = anonymous_count(text)
        if count is not None:
            anonymous.append(count)
            warnings.append(f"Line {i + 1}: '{collapse(text)[:60]}' counted as {count} undisclosed signatories.")
            continue
        if not marked and CATEGORY_HEADING.match(plain(text)) and word_count(text) <= 5:
            individuals = bool(INDIVIDUALS_HEADING.search(text))
            blank_before = True  # a sub-heading closes any coalition's sub-list, as a blank line does
            continue
        if SIGNATORY_HEADING.match(plain(text)) and not marked and (not entries or text.endswith(":")):
            continue
        if looks_like_sentence(text, marked):
            if entries:
                warnings.append(f"Line {i + 1}: prose inside the signatory list, not a signatory; skipped.")
            continue
        if is_noise(text):
            warnings.append(f"Line {i + 1}: '{collapse(text)}' looks like OCR noise, not a name; skipped.")
            continue
        previous = entries[-1] if entries else None
        if previous and not marked and TITLE_WORDS.match(text) and person_like(previous, individuals):
            # "Jane Doe" then "Professor, University X": the second line is her title, not a signatory.
            previous.has_title_line = True
            continue
        entries.append(
            Entry(
                line=i + 1,
                indent=indent,
                bullet=bullet,
                number=number,
                text=text,
                category_individual=individuals,
                blank_before=was_blank,
            )
        )
    return entries, end, anonymous


ANONYMOUS_LINE = re.compile(
    r"^(?:(?:and\s+)?(?P<count>\d[\d,]*)\s+)?(?:other\s+)?(?:anonymous|undisclosed|unnamed|name\s+withheld|withheld)"
    r"(?:\s+(?:organi[sz]ations?|signatories|groups|individuals|entities))?"
    r"(?:\s*\(?\s*[x×]\s*(?P<times>\d+)\s*\)?)?\s*$",
    re.I,
)


def anonymous_count(text: str) -> int | None:
    """'Anonymous', '12 anonymous organizations', 'Anonymous (x3)': how many hidden signatories the line stands for."""
    match = ANONYMOUS_LINE.match(text)
    if not match:
        return None
    return int((match["count"] or match["times"] or "1").replace(",", ""))


def person_like(entry: Entry, individuals: bool) -> bool:
    text = entry.text
    if HONORIFIC.match(text) or PERSON_SUFFIX.search(text) or individuals:
        return True
    words = text.split()
    return 2 <= len(words) <= 4 and not ORGANIZATION_WORDS.search(text) and all(w[:1].isupper() for w in words)


CONNECTOR_END = re.compile(r"(?:[-–—&(/,]|\b(?:of|and|for|the|in|on|de|du|des|la|le|pour|et|y|del))$", re.I)


def join_broken_names(entries: list[Entry], lines: list[str], warnings: list[str]) -> list[Entry]:
    """Join a name broken across lines into one entry.

    A line is the second half of the name above it when it has no marker of its own and either
    - sits alone between two numbered entries whose numbers run on (183, [line], 184) or restart at 1, or is
      the last line of the list: a new entry would have carried a number too;
    - starts in lowercase, or the line above ends with a connector ("of", "and", "-", "(");
    and only blank lines lie between the two halves.
    """
    joined: list[Entry] = []
    for k, entry in enumerate(entries):
        previous = joined[-1] if joined else None
        if previous is None or entry.marked or not only_blank_between(lines, previous.line, entry.line):
            joined.append(entry)
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
        dangling = (
            entry.text[:1].islower()
            or (
                CONNECTOR_END.search(previous.text) is not None and previous.text.count("(") <= previous.text.count(")")
            )
            or previous.text.count("(") > previous.text.count(")")
            and ")" in entry.text
        )
        if sandwiched or (dangling and fragment):
            span = previous.line if previous.line == entry.line else f"{previous.line}-{entry.line}"
            previous.text = collapse(previous.text + " " + entry.text)
            warnings.append(f"Lines {span}: a name broken across lines joined as '{previous.text}'.")
            continue
        joined.append(entry)
    return joined


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
    top_bullet = entries[0].bullet if entries[0].number is None else ""
    top_indent = min(e.indent for e in entries)
    parent: int | None = None
    colon_parent: int | None = None
    for k, entry in enumerate(entries):
        if colon_parent is not None and entry.blank_before and k - 1 != colon_parent:
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
            )
        )
    return signatories


# --------------------------------------------------------------------------------------------------------------
# Counts printed in prose
# --------------------------------------------------------------------------------------------------------------

NUM = r"(\d{1,3}(?:,\d{3})+|\d+)"
NOUN = (
    r"(?:organi[sz]ations?|groups?|signatories|signatory|individuals|people|persons|members|CSOs|NGOs|entities"
    r"|unions|networks|institutions|associations|communities|endorsers|co-signatories|parties)"
)
# Up to five words (letters, not numbers) between the number and the noun: "462 civil society organizations".
ENTITY = r"(?:[^\W\d_][\w&'-]*,?\s+){0,5}?" + NOUN + r"\b"
TOTAL_PATTERNS = [
    re.compile(r"\ba\s+total\s+of\s+" + NUM + r"\s+" + ENTITY, re.I),
    re.compile(r"\bout\s+of\s+(?:a\s+total\s+of\s+|the\s+)?" + NUM + r"\s+" + ENTITY, re.I),
    re.compile(
        r"\b(?:signed|endorsed|supported)\s+by\s+(?:a\s+total\s+of\s+|over\s+|more\s+than\s+)?" + NUM + r"\s+" + ENTITY,
        re.I,
    ),
    re.compile(r"\bundersigned\s+" + NUM + r"\s+" + ENTITY, re.I),
    re.compile(r"\bwe,?\s+(?:the\s+)?" + NUM + r"\s+" + ENTITY, re.I),
    re.compile(r"\b" + NUM + r"\s+" + ENTITY + r"\s+(?:have\s+|has\s+)?(?:signed|endorsed|co-signed)\b", re.I),
]
HIDDEN = (
    r"(?:chosen|chose|choose|opted|asked|requested|preferred|prefer|decided|wished|wish|want|wanted)\s+"
    r"(?:not\s+to\s+(?:disclose|reveal|publish|share|make\s+public|be\s+(?:publicly\s+)?(?:named|identified|listed"
    r"|disclosed|mentioned))|to\s+(?:remain|stay)\s+(?:anonymous|unnamed|undisclosed)|anonymity)"
)
UNDISCLOSED_PATTERNS = [
    # No digit between the number and the cue: "Signed by 462 ..., including 84 ... chosen not to" is 84.
    re.compile(NUM + r"\s+(?:" + ENTITY + r")?[^.;\d]{0,80}?\b" + HIDDEN, re.I),
    re.compile(NUM + r"\s+(?:other\s+)?(?:anonymous|undisclosed|unnamed|unlisted)\s+" + NOUN, re.I),
    re.compile(
        NUM + r"\s+(?:other\s+)?" + ENTITY + r"\s+(?:whose\s+names\s+(?:are|were|have\s+been)\s+withheld"
        r"|(?:are|were)\s+not\s+(?:named|listed|disclosed))",
        re.I,
    ),
]
IDENTIFIED_PATTERN = re.compile(
    r"\bout\s+of\s+(?:a\s+total\s+of\s+|the\s+)?"
    + NUM
    + r"\s+"
    + ENTITY
    + r"[^.]{0,100}?\bonly\s+"
    + NUM
    + r"\s+(?:"
    + ENTITY
    + r"\s+)?[^.]{0,40}?\b(?:identified|named|listed|disclosed|published)",
    re.I,
)


def to_int(number: str) -> int:
    return int(number.replace(",", ""))


def read_counts(
    prose: str, named: int, anonymous_lines: list[int], warnings: list[str]
) -> tuple[int | None, int | None]:
    """(declared total, undisclosed) from sentences like "A total of 448 organizations", "33 ... chosen not
    to disclose their names", "out of 567 ..., only 281 ... identified"."""
    text = collapse(prose)
    totals: list[int] = []
    for pattern in TOTAL_PATTERNS:
        totals.extend(to_int(m.group(1)) for m in pattern.finditer(text))
    totals = [t for t in totals if 0 < t <= 1_000_000]
    declared = totals[0] if totals else None
    if len(set(totals)) > 1:
        warnings.append(
            f"Several signatory totals in the text ({', '.join(map(str, dict.fromkeys(totals)))}); took {declared}."
        )
    undisclosed: int | None = None
    identified = IDENTIFIED_PATTERN.search(text)
    if identified:
        total, shown = to_int(identified.group(1)), to_int(identified.group(2))
        if shown <= total:
            declared = declared or total
            undisclosed = total - shown
    if undisclosed is None:
        for pattern in UNDISCLOSED_PATTERNS:
            match = pattern.search(text)
            if match:
                undisclosed = to_int(match.group(1))
                break
    if undisclosed is None and anonymous_lines:
        undisclosed = sum(anonymous_lines)
    if undisclosed is not None and declared is not None and undisclosed > declared:
        warnings.append(f"Undisclosed count {undisclosed} is more than the declared total {declared}; dropped.")
        undisclosed = None
    if declared is None and undisclosed is not None and named:
        declared = named + undisclosed
        warnings.append(f"No total printed: declared total taken as {named} named + {undisclosed} undisclosed.")
    if undisclosed is None and declared is not None:
        if declared >= named:
            undisclosed = declared - named
            if undisclosed:
                warnings.append(
                    f"Declared total {declared} but {named} names found: undisclosed taken as {undisclosed}."
                )
        else:
            warnings.append(f"Declared total {declared} is less than the {named} names found.")
    elif declared is not None and undisclosed is not None and declared - undisclosed != named:
        warnings.append(
            f"The text says {declared} signatories with {undisclosed} undisclosed, but {named} names were found "
            f"(expected {declared - undisclosed})."
        )
    return declared, undisclosed


# --------------------------------------------------------------------------------------------------------------
# Demands
# --------------------------------------------------------------------------------------------------------------

DEMAND_VERB = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+(?:up)?on|call(?:s|ed)?\s+for|urges?|urged|demands?|recommend(?:s|ations?)?|requests?"
    r"|asks?|appeals?\s+to|implores?|press(?:es)?|we\s+want|following\s+(?:urgent\s+)?(?:actions?|steps|measures"
    r"|demands|recommendations))\b",
    re.I,
)
DEMAND_HEADING = re.compile(
    r"^(?:our\s+|key\s+|urgent\s+)*(?:demands|recommendations|calls?\s+to\s+action|asks|we\s+call\s+on)\s*:?\s*$",
    re.I,
)
# Who an introduction asks: "call on INTERPOL to:", "We urge ASEAN member states to take these steps:".
INTRO_TARGET = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+(?:up)?on|urges?|urged|asks?|appeals?\s+to|implores?|press(?:es)?)\s+"
    r"(?P<target>[^:]+?)\s+to\b",
    re.I,
)
LIST_ITEM = re.compile(r"^\s*(?:[-–—•*·◦▪●○►]|\d{1,3}\s*[.)]|\(\d{1,3}\)|[a-z][.)])\s+(?P<text>\S.*)$")
PRONOUN_TARGET = re.compile(r"^(?:you|your\s+(?:government|excellency|excellencies|office))$", re.I)


def clean_target(target: str, addressees: list[str]) -> str | None:
    target = re.sub(r"^(?:to\s+)?(?:the\s+)?", "", target.strip(" :"), flags=re.I)
    target = target.split("(")[0].strip(" ,:")
    if not target:
        return None
    if PRONOUN_TARGET.match(target):
        return addressees[0] if len(addressees) == 1 else None
    return target


def read_demands(lines: list[str], end: int, addressees: list[str]) -> tuple[list[ParsedDemand], set[int]]:
    """Demands printed as lists after an introduction ("We therefore call on INTERPOL to:"), with optional
    target sub-headings ("ASEAN", "ADMM-Plus countries (Australia, ...):")."""
    demands: list[ParsedDemand] = []
    used: set[int] = set()
    i = 0
    while i < end:
        text = plain(lines[i])
        intro = text.endswith(":") and DEMAND_VERB.search(text) and not LIST_ITEM.match(text)
        if not (intro or DEMAND_HEADING.match(text)):
            i += 1
            continue
        target_match = INTRO_TARGET.search(text)
        target = clean_target(target_match["target"], addressees) if target_match else None
        j = i + 1
        while j < end:
            current = lines[j].strip()
            if not current:
                j += 1
                continue
            item = LIST_ITEM.match(current)
            if item:
                parts = [item["text"]]
                used.add(j)
                while j + 1 < end and lines[j + 1].strip() and not LIST_ITEM.match(lines[j + 1]):
                    j += 1
                    parts.append(lines[j].strip())
                    used.add(j)
                demands.append(ParsedDemand(position=len(demands) + 1, target=target, text=collapse(" ".join(parts))))
                j += 1
                continue
            if word_count(current) <= 20 and not current.endswith(".") and next_is_list_item(lines, j + 1, end):
                target = clean_target(current, addressees)
                j += 1
                continue
            break
        i = j
    return demands, used


def next_is_list_item(lines: list[str], start: int, end: int) -> bool:
    for j in range(start, end):
        if lines[j].strip():
            return bool(LIST_ITEM.match(lines[j]))
    return False


# The letter's own asks: "We call on you to ...", "We urge ...", "Justice For Myanmar calls on ASEAN to ...".
# Reported speech ("the High Commissioner has called on the UNSC to") is not the letter asking.
CANDIDATE = re.compile(
    r"\bwe\b(?:[\s,]+[\w-]+){0,4}?[\s,]+(?:call\s+(?:up)?on|call\s+for|urge|demand|ask|appeal\s+to|implore|request"
    r"|reiterate\s+our\s+(?:call|demand))\b"
    r"|^[^,.;]{0,80}?\b(?:calls\s+(?:up)?on|urges|demands\s+that)\b",
    re.I,
)


def rejoin_page_breaks(paragraphs: list[str]) -> list[str]:
    """A PDF page break leaves a blank line inside a sentence ("...at the International" / "Criminal Court"):
    a long paragraph that stops without end punctuation continues in the next one."""
    joined: list[str] = []
    for paragraph in paragraphs:
        if joined and word_count(joined[-1]) >= 12 and not joined[-1].rstrip().endswith(tuple('.!?:;"”’)')):
            joined[-1] = joined[-1] + " " + paragraph
        else:
            joined.append(paragraph)
    return joined


SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z])")


def candidate_demands(lines: list[str], end: int, skip: set[int]) -> list[str]:
    """Sentences in the prose that ask someone to act, for a curator to turn into demands."""
    paragraphs: list[str] = []
    current: list[str] = []
    for i in range(end):
        text = lines[i].strip()
        if not text or i in skip:
            if current:
                paragraphs.append(" ".join(current))
            current = []
            continue
        current.append(text)
    if current:
        paragraphs.append(" ".join(current))
    found: list[str] = []
    paragraphs = rejoin_page_breaks(paragraphs)
    for paragraph in paragraphs:
        for sentence in SENTENCE_BREAK.split(collapse(paragraph)):
            sentence = sentence.strip()
            if sentence.endswith(":") or word_count(sentence) < 6 or word_count(sentence) > 120:
                continue
            if CANDIDATE.search(sentence) and sentence not in found:
                found.append(sentence)
    return found


# --------------------------------------------------------------------------------------------------------------
# Kind
# --------------------------------------------------------------------------------------------------------------

PRESS_WORDS = re.compile(r"\b(?:press|media|news)\s+release\b|\bfor\s+immediate\s+release\b", re.I)
SPOKESPERSON = re.compile(
    r"\b(?:spokes(?:person|man|woman)|director|coordinator)\b[^.\n]{0,80}\b(?:says|said|stated)\b", re.I
)


def letter_kind(header: Header, text: str, has_signatories: bool) -> str:
    top = " ".join([header.title, *header.labels]).lower()
    if PRESS_WORDS.search(top):
        return "press_release"
    if "open letter" in top:
        return "open_letter"
    if "joint statement" in top:
        return "joint_statement"
    if "statement" in top:
        return "joint_statement" if has_signatories else "statement"
    if PRESS_WORDS.search(text):
        return "press_release"
    if header.to_text or header.address_block or re.search(r"^\s*(?:dear\b|your\s+excellenc)", text, re.I | re.M):
        return "open_letter"
    lowered = text.lower()
    if re.search(r"\b(?:this|the|our|open)\s+letter\b", lowered):
        return "open_letter"
    if "joint statement" in lowered:
        return "joint_statement"
    if re.search(r"\b(?:this|the|our)\s+statement\b", lowered):
        return "joint_statement" if has_signatories else "statement"
    if not has_signatories and SPOKESPERSON.search(text):
        return "press_release"
    return "joint_statement" if has_signatories else "statement"


# --------------------------------------------------------------------------------------------------------------
# The whole letter
# --------------------------------------------------------------------------------------------------------------


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


def _parse(text: str) -> ParsedLetter:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    warnings: list[str] = []

    heading, start, guessed = find_signatory_section(lines, 0)
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

    entries, list_end, anonymous = read_entries(lines, start, warnings)
    entries = join_broken_names(entries, lines, warnings)
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

    addressees: list[str] = []
    if header.address_block:
        name = addressee_from_address_block(header.address_block)
        if name:
            addressees.append(name)
    if header.to_text:
        addressees.extend(a for a in addressees_from_to_line(header.to_text) if a not in addressees)

    # Counts are printed in prose anywhere: the intro, the list heading, a note after the list.
    declared, undisclosed = read_counts(text, len(signatories), anonymous, warnings)

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
        signatories=signatories,
        demands=demands,
        candidate_demands=candidates,
        warnings=warnings,
    )


def date_anywhere(lines: list[str], end: int) -> datetime.date | None:
    """With no date at the top: a short line that is a date ("Dated: 3 March 2023") elsewhere in the letter."""
    for i in range(end):
        text = lines[i].strip()
        if text and is_date_line(text):
            return find_date(text)
    return None
