"""Turn the raw text of one letter into a structured report.

A letter arrives pasted from a web page or OCR'd from a PDF. This module reads it line by line and finds its
parts: title, date, addressees, subject, body, kind, signatory list (with coalitions and their members),
demands, and the declared / undisclosed signatory counts (read by `letters.parsing_counts`).

It is plain Python (standard library only, no Django) so it can be tested alone. It never rewrites history:
every `listed_as` is the name as printed (whitespace runs collapsed), so it can always be found again in the
source text. When a rule is unsure, it says so in `warnings` with the line number, for a curator to check.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from letters.parsing_counts import anonymous_count, read_counts

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
    section: str = ""  # the heading the line is printed under ("Brazil", "Individuals"), never a signatory
    note: str = ""  # what the line prints beside the name (a country or description column)


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
    # "12/10/2023", "12.10.2023": read day first, as the international organizations that write most letters do,
    # unless the numbers only fit month first ("10/13/2023"). See `numeric_date`.
    re.compile(r"(?<![\d/.])(?P<first>\d{1,2})[/.](?P<second>\d{1,2})[/.](?P<year>\d{4})\b"),
]


# "12/10/2023": both numbers could be the month.
AMBIGUOUS_NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<first>0?[1-9]|1[0-2])[/.](?P<second>0?[1-9]|1[0-2])[/.]\d{4}\b")


def numeric_date(first: int, second: int) -> tuple[int, int]:
    """(month, day) of an all-numbers date: day first, unless only month first gives a valid date."""
    if second > 12 >= first:
        return first, second  # "10/13/2023": only month first fits
    return second, first


def find_date(text: str) -> datetime.date | None:
    """The first valid calendar date written in `text` ("14 July 2022", "May 10, 2022", "2022-07-14", "12/10/2023")."""
    found: list[tuple[int, datetime.date]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            if parts.get("first"):
                month, day = numeric_date(int(parts["first"]), int(parts["second"]))
            else:
                month = int(parts["monthnum"]) if parts.get("monthnum") else MONTHS[parts["month"].lower()]
                day = int(parts["day"])
            try:
                found.append((match.start(), datetime.date(int(parts["year"]), month, day)))
            except ValueError:
                continue
            break
    return min(found)[1] if found else None


# --------------------------------------------------------------------------------------------------------------
# Line classifier
# --------------------------------------------------------------------------------------------------------------

# A list entry: optional bullet, optional printed number ("12." "12)" "(12)" "12 -"), then the text.
# "o" counts as a bullet only before a space: OCR turns the round sub-list bullet into a letter o.
# "12 - Name" needs spaces on both sides of the dash, so "8888 Generation" and "5-1 Honmura" keep their digits.
ENTRY = re.compile(
    r"^(?P<indent>[ \t\u00a0]*)"
    r"(?:(?P<bullet>[-–—•*·◦▪●○►»✓]|o(?=\s))\s*)?"
    r"(?:(?P<number>\d{1,4})\s*[.)]\s+|\((?P<pnumber>\d{1,4})\)\s*|(?P<dnumber>\d{1,3})\s+[-–—]\s+(?=\S))?"
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
# "Cc:" names people and bodies sent a copy: they are not the letter's addressees.
CC_LINE = re.compile(r"^(?:b?cc|copy(?:\s+to)?|copied\s+to)\s*[:\-–]\s*(?P<rest>.+)$", re.I)
SUBJECT_LINE = re.compile(r"^(?:re|subject|subj|regarding)\s*[:\-–]\s*(?P<rest>.+)$", re.I)
URL_OR_EMAIL = re.compile(r"https?://|www\.|mailto:|\b[\w.+-]+@[\w-]+\.[\w.]+\b", re.I)
FOOTER = re.compile(
    r"^(?:for\s+(?:more|further)\s+information|more\s+information\b|media\s+(?:contacts?|enquiries|inquiries)"
    r"|press\s+(?:contacts?|enquiries|inquiries)|contacts?\s*(?:information|details|persons?)?\s*:"
    r"|notes?\s+(?:to|for)\s+(?:the\s+)?editors?|about\s+(?:us\b|the\s+)|#{3,}|-+\s*ends?\s*-+\s*$|ends\s*$"
    r"|read\s+more\b|background\s*:|(?:foot|end)?notes\s*:?\s*$|references\s*:?\s*$|sources\s*:?\s*$)",
    re.I,
)
# A footnote printed after the list: "[1] Human Rights Council resolution 51/6", "^2 See ...", "¹ Report ...".
FOOTNOTE = re.compile(r"^(?:\[\d{1,3}\]|\^\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*\S")
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
# "Regional and international organizations", "National organisations", "Civil society organizations":
# qualifiers joined by "and", "&" or commas. A bare plural without such a qualifier must end with a colon.
HEADING_QUALIFIER = (
    r"(?:international|regional|national|local|global|other|individual|organi[sz]ational|institutional|grassroots"
    r"|civil\s+society|community[- ]based|faith[- ]based|diaspora|non-governmental|youth|women'?s|student|religious)"
)
CATEGORY_HEADING = re.compile(
    r"^(?:(?:[A-Z][\w-]*\s+){0,3}?(?:organi[sz]ations|individuals|signatories|groups|networks|members|endorsers"
    r"|supporters|academics|experts|parliamentarians|people|persons|institutions|unions|coalitions)"
    r"(?:\s+(?:from|in|based\s+in|outside(?:\s+of)?)\s+[^:]{1,40})?(?:\s+\([^)]*\))?\s*:"
    r"|(?:" + HEADING_QUALIFIER + r"(?:\s*(?:,|and|&)\s*" + HEADING_QUALIFIER + r")*\s+)?"
    r"(?:organi[sz]ations|individuals|signatories|endorsements|groups|ngos|csos)(?:\s+\(\d+\))?\s*)$",
    re.I,
)
# Countries, territories and regions, for the headings that group a list by where signatories are based
# ("Myanmar:", "Thailand", "Regional and international:") and for a country printed after a name
# ("Access Now, International"). A line that is only one of these is never an organization's name.
PLACE_NAMES = frozenset(
    name.casefold()
    for name in re.split(
        r"\s*[|\n]\s*",
        """
Afghanistan | Albania | Algeria | Andorra | Angola | Argentina | Armenia | Australia | Austria | Azerbaijan
Bahamas | Bahrain | Bangladesh | Barbados | Belarus | Belgium | Belize | Benin | Bhutan | Bolivia
Bosnia and Herzegovina | Botswana | Brazil | Brunei | Bulgaria | Burkina Faso | Burma | Burundi | Cambodia
Cameroon | Canada | Cape Verde | Central African Republic | Chad | Chile | China | Colombia | Comoros | Congo
Costa Rica | Côte d'Ivoire | Croatia | Cuba | Cyprus | Czech Republic | Czechia
Democratic Republic of the Congo | DRC | Denmark | Djibouti | Dominican Republic | Ecuador | Egypt
El Salvador | Eritrea | Estonia | Eswatini | Ethiopia | Fiji | Finland | France | Gabon | Gambia | Georgia
Germany | Ghana | Greece | Guatemala | Guinea | Guyana | Haiti | Honduras | Hong Kong | Hungary | Iceland
India | Indonesia | Iran | Iraq | Ireland | Israel | Italy | Jamaica | Japan | Jordan | Kazakhstan | Kenya
Korea | South Korea | Republic of Korea | Kosovo | Kuwait | Kyrgyzstan | Laos | Lao PDR | Latvia | Lebanon
Lesotho | Liberia | Libya | Liechtenstein | Lithuania | Luxembourg | Madagascar | Malawi | Malaysia | Maldives
Mali | Malta | Mauritania | Mauritius | Mexico | México | Moldova | Monaco | Mongolia | Montenegro | Morocco
Mozambique | Myanmar | Myanmar/Burma | Burma/Myanmar | Namibia | Nepal | Netherlands | New Zealand | Nicaragua
Niger | Nigeria | North Macedonia | Norway | Oman | Pakistan | Palestine | Panama | Papua New Guinea
Paraguay | Peru | Perú | Philippines | Poland | Portugal | Qatar | Romania | Russia | Rwanda | Saudi Arabia
Senegal | Serbia | Sierra Leone | Singapore | Slovakia | Slovenia | Solomon Islands | Somalia | South Africa
South Sudan | Spain | España | Sri Lanka | Sudan | Suriname | Sweden | Switzerland | Syria | Taiwan
Tajikistan | Tanzania | Thailand | Timor-Leste | East Timor | Togo | Tonga | Tunisia | Turkey | Türkiye
Turkmenistan | Uganda | Ukraine | United Arab Emirates | UAE | United Kingdom | UK | United States
United States of America | USA | US | Uruguay | Uzbekistan | Vanuatu | Venezuela | Vietnam | Viet Nam | Yemen
Zambia | Zimbabwe | Scotland | England | Wales | Tibet | West Papua | International | Regional | Global
Worldwide | Asia | Africa | Europe | Oceania | Americas | Latin America | Caribbean | Middle East
North America | South America | Central America | South Asia | Southeast Asia | South-East Asia | East Asia
Central Asia | Asia Pacific | Asia-Pacific | Pacific | MENA | Diaspora | Regional and international
Regional/International | International/Regional
""".strip(),
    )
)
PLACE_HEADING = re.compile(r"^(?P<place>[^\W\d_][\w'’ /.-]{1,40}?)\s*(?:\(\d+\))?\s*:?\s*$")


def is_place(text: str) -> bool:
    return collapse(text).casefold() in PLACE_NAMES


def is_place_heading(text: str) -> bool:
    """A line that only names a country or region ("Myanmar:", "Thailand", "Asia Pacific (12)")."""
    match = PLACE_HEADING.match(text)
    return bool(match) and is_place(match["place"])


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
    section_start: bool = False  # first entry under a sub-heading ("Individuals", "Thailand:")
    closed: bool = False  # the name cannot continue on the next line (a table cell, a trailing separator)

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
    number = match["number"] or match["pnumber"] or match["dnumber"]
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
    to_text: str = ""  # every "To:" line, joined with "; "
    cc_text: str = ""
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
        cc_match = CC_LINE.match(text)
        to_match = None if cc_match else TO_LINE.match(text)
        subject_match = SUBJECT_LINE.match(text)
        if cc_match:
            header.cc_text = collapse(" ".join([header.cc_text, cc_match["rest"]]))
            block = []
        elif subject_match or to_match:
            # A To/Re line may wrap onto the next lines, up to a blank line.
            parts = [(subject_match or to_match).group("rest") or to_match.group("rest2")]
            while i + 1 < limit and lines[i + 1].strip() and not is_date_line(lines[i + 1].strip()):
                following = lines[i + 1].strip()
                if (
                    SUBJECT_LINE.match(following)
                    or TO_LINE.match(following)
                    or CC_LINE.match(following)
                    or SALUTATION.match(following)
                ):
                    break
                parts.append(following)
                i += 1
            joined = collapse(" ".join(parts))
            if subject_match and not header.subject:
                header.subject = joined
            elif to_match and not subject_match:
                # Several "To:" lines (one a person) address the letter to all of them.
                header.to_text = f"{header.to_text}; {joined}" if header.to_text else joined
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


# A person's role in front of the body they serve: "President of the", "Secretary General of the", "Prime Minister
# of the", "Permanent Representatives of Member and Observer States of the". Up to four words may come before the
# role noun ("Executive Vice-President", "Permanent Representatives"). Stripped repeatedly: what remains is the body.
ROLE_NOUN = (
    r"(?:members?|states|president|vice[- ]presidents?|chair(?:man|woman|person)?s?|secretary[- ]general|secretary"
    r"|heads?(?:\s+of\s+state)?|delegates?|delegations?|representatives?|leaders?|ministers?|commissioners?"
    r"|directors?(?:[- ]general)?|ambassadors?|envoys?|rapporteurs?|judges?|prosecutors?|ceo|speaker|governor|mayor)"
)
ROLE_OF = re.compile(
    r"^(?:the\s+)?(?:(?!of\b|to\b)[\w'’-]+\s+){0,4}?" + ROLE_NOUN + r"\s+(?:of|to)\s+(?:the\s+)?", re.I
)
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9-]{2,}\b")
CAPITALIZED_WORD = re.compile(r"\b[^\W\d_][\w'’-]*")


def strip_roles(piece: str) -> str:
    """The body a role belongs to, stripping roles while what remains still names a body."""
    stripped = ROLE_OF.sub("", piece, count=1).strip()
    while stripped != piece:
        further = ROLE_OF.sub("", stripped, count=1).strip()
        if further == stripped or not body_like(further):
            return stripped
        stripped = further
    return piece


def body_like(name: str) -> bool:
    """What is left after a role names a body: an organization word, an acronym, or a proper name of two
    capitalized words or more ("House of Representatives of Thailand"), not a lone word ("Defense")."""
    if not name[:1].isupper() or HONORIFIC.match(name):
        return False
    if ORGANIZATION_WORDS.search(name) or ACRONYM.search(name):
        return True
    return sum(1 for w in CAPITALIZED_WORD.findall(name) if w[:1].isupper()) >= 2


def addressees_from_to_line(to_text: str) -> list[str]:
    """Organizations named in the "To:" lines, leaving out the people (names and their titles).

    "Ursula von der Leyen, President of the European Commission" gives "European Commission"; several people of
    the same body give that body once.
    """
    parts = [p.strip(" .,") for p in re.split(r";", to_text) if p.strip(" .,")]
    if not parts:
        return []
    # One acronym in every part ("Kim Jong Yang, INTERPOL President; ...; INTERPOL Member Countries"):
    # the letter is addressed to that body. (With one part, an acronym in it proves nothing.)
    shared = [a for a in dict.fromkeys(ACRONYM.findall(parts[0])) if all(a in p for p in parts)]
    if shared and len(parts) > 1:
        return shared[:1]
    found: list[str] = []
    for part in parts:
        for piece in re.split(r",\s*", part):
            piece = piece.strip(" .")
            if not piece or HONORIFIC.match(piece):
                continue
            stripped = strip_roles(piece)
            if stripped != piece:
                # A role "of" a body: the rest is the body, "and" included ("Ministry of Trade and Industry").
                candidates = [stripped] if body_like(stripped) else []
            else:
                candidates = [
                    c.strip(" .")
                    for c in re.split(r"\s+and\s+", piece)
                    if ORGANIZATION_WORDS.search(c) and c[:1].isupper() and not TITLE_WORDS.match(c)
                ]
            for candidate in candidates:
                candidate = re.sub(r"^the\s+", "", candidate, flags=re.I)
                if candidate and candidate not in found:
                    found.append(candidate)
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


def read_entries(lines: list[str], start: int, warnings: list[str]) -> tuple[list[Entry], int, list[tuple[int, int]]]:
    """The list lines from `start` to the end or a footer: (entries, index after the list, unnamed counts as
    (line index, count))."""
    entries: list[Entry] = []
    anonymous: list[tuple[int, int]] = []
    individuals = False
    end = len(lines)
    blank_before = False
    new_section = False
    table = TableLayout()
    for i in range(start, len(lines)):
        raw = lines[i]
        if not raw.strip():
            blank_before = True
            continue
        cells = table.cells(raw)
        if cells is not None and table.is_header(cells):
            continue
        indent, bullet, number, text = split_entry(raw)
        if cells is not None:
            number, text = table.row(cells)
        text = text.strip()
        # A name ends at a trailing separator ("Group A;") or at its table cell: nothing continues it.
        closed = cells is not None or text.endswith((",", ";"))
        text = text.rstrip(",;").strip()
        marked = bool(bullet) or number is not None
        was_blank, blank_before = blank_before, False
        if (FOOTER.match(plain(text)) or FOOTNOTE.match(raw.strip())) and not marked:
            end = i
            break
        if URL_OR_EMAIL.search(text):
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
        if (not marked or raw.lstrip().startswith(("**", "__", "#"))) and (
            (CATEGORY_HEADING.match(heading) and word_count(heading) <= 6) or is_place_heading(heading)
        ):
            if not is_place_heading(heading):
                individuals = bool(INDIVIDUALS_HEADING.search(heading))
            blank_before = True  # a sub-heading closes any coalition's sub-list, as a blank line does
            new_section = True
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
                section_start=new_section,
                closed=closed,
            )
        )
        new_section = False
    return entries, end, anonymous


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
    """Which column of a pasted table holds the name: the one headed "Organization" or "Name", else the first
    cell that is not a row number. The other cells (country, type) stay in the source text."""

    def __init__(self) -> None:
        self.name_column: int | None = None

    @staticmethod
    def cells(raw: str) -> list[str] | None:
        if "\t" not in raw.strip():
            return None
        cells = [c.strip() for c in raw.strip().split("\t")]
        return cells if sum(1 for c in cells if c) >= 2 else None

    def is_header(self, cells: list[str]) -> bool:
        filled = [c for c in cells if c]
        if not all(TABLE_HEADER_CELL.match(c) for c in filled):
            return False
        self.name_column = next((k for k, c in enumerate(cells) if NAME_HEADER_CELL.search(c)), None)
        return True

    def row(self, cells: list[str]) -> tuple[int | None, str]:
        """(printed number, name) of a table row."""
        number_match = NUMBER_CELL.match(cells[0])
        number = int(number_match.group(1)) if number_match else None
        if self.name_column is not None and self.name_column < len(cells) and cells[self.name_column]:
            return number, cells[self.name_column]
        rest = cells[1:] if number_match else cells
        return number, next((c for c in rest if c), "")


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
        if (
            previous is None
            or previous.closed
            or entry.marked
            or not only_blank_between(lines, previous.line, entry.line)
        ):
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
            )
        )
    return signatories


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
PRONOUN_TARGET = re.compile(r"^(?:you|your\s+(?:government|excellency|excellencies|office|delegations?))$", re.I)


def clean_target(target: str, addressees: list[str]) -> str | None:
    target = re.sub(r"^(?:to\s+)?(?:the\s+)?", "", target.strip(" :"), flags=re.I)
    target = target.split("(")[0].strip(" ,:")
    if not target:
        return None
    if PRONOUN_TARGET.match(target):
        return addressees[0] if len(addressees) == 1 else None
    return same_as_addressee(target, addressees) or target


def same_as_addressee(target: str, addressees: list[str]) -> str | None:
    """The addressee a short demand target stands for: "the Commission" in a letter to the European Commission,
    "the Council" in one to the UN Human Rights Council. Only a body word ("Commission", "Council",
    "Government"...) is resolved, and only when exactly one addressee ends with it or has it as its acronym."""
    if not ORGANIZATION_WORDS.search(target.split()[-1]):
        return None
    key = target.casefold()
    same = [
        a for a in addressees if a.casefold() == key or a.casefold().endswith(" " + key) or target in ACRONYM.findall(a)
    ]
    return same[0] if len(same) == 1 else None


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
# A quoted spokesperson: "..., said Montse Ferrer, Amnesty International's Deputy Regional Director" or
# "Justice For Myanmar spokesperson Yadanar Maung says".
SPOKESPERSON = re.compile(
    r"(?i:\b(?:spokes(?:person|man|woman)|director|coordinator)\b[^.\n]{0,80}\b(?:says|said|stated)\b)"
    r"|\b(?:says|said|stated)\s+[A-Z][^.\n]{0,80}\b(?i:spokes(?:person|man|woman)|director|coordinator)\b",
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
    # "this letter", "our open letter"; not "448 organizations signed an open letter" in a news story.
    if re.search(r"\b(?:this|the|our)\s+(?:open\s+|joint\s+)?letter\b", lowered):
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

    entries, list_end, unnamed = read_entries(lines, start, warnings)
    entries = section.inline + join_broken_names(entries, lines, warnings)
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

    addressees: list[str] = []
    if header.address_block:
        name = addressee_from_address_block(header.address_block)
        if name:
            addressees.append(name)
    if header.to_text:
        addressees.extend(a for a in addressees_from_to_line(header.to_text) if a not in addressees)

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
        signatories=signatories,
        demands=demands,
        candidate_demands=candidates,
        warnings=warnings,
    )


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


def date_anywhere(lines: list[str], end: int) -> datetime.date | None:
    """With no date at the top: a short line that is a date ("Dated: 3 March 2023") elsewhere in the letter."""
    for i in range(end):
        text = lines[i].strip()
        if text and is_date_line(text):
            return find_date(text)
    return None
