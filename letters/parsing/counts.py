"""How many signatories a letter declares and how many it does not name, from what the letter states.

The counts stage of `letters.parsing`: the phrasings of counts are many, and keeping them here keeps the
rules readable. Standard library only; nothing here reads the signatory list itself, only:
- prose: "A total of 448 organizations", "120 civil society organisations today called on...", "33 ... have
  chosen not to disclose their names", "out of a total of 567 ..., only 281 ... identified";
- list lines that stand for unnamed signatories: "+ 108 organizations that cannot be named", "and 45 other
  organizations", "Anonymous (x4)".
A figure the letter does not state is never invented: it stays None, and a warning says what is missing.
"""

from __future__ import annotations

import re


def squeeze(text: str) -> str:
    """Whitespace runs to one space (the parser's `collapse`), for matching phrasings that wrap across lines."""
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------------------------
# List lines that stand for unnamed signatories
# --------------------------------------------------------------------------------------------------------------

ANONYMOUS_LINE = re.compile(
    r"^(?:(?:and\s+)?(?P<count>\d[\d,]*)\s+)?(?:other\s+)?(?:anonymous|undisclosed|unnamed|name\s+withheld|withheld)"
    # "Withheld Withheld": a first and a last name, both withheld
    r"(?:\s+(?:anonymous|withheld))?"
    r"(?:\s+(?:organi[sz]ations?|signatories|groups|individuals|entities))?"
    r"(?:\s*\(?\s*[x×]\s*(?P<times>\d+)\s*\)?)?\s*$",
    re.I,
)
# A line standing for a number of signatories whose names are not printed: "+ 108 organizations that cannot be
# named for security reasons", "and 45 other organizations", "...and 12 individuals who wish to remain anonymous",
# "Plus 30 organisations from inside Myanmar whose names are withheld". It needs a sign that these are more
# signatories ("+", "plus", "and", "other") or a sign that their names are hidden; "12 Strike Column" has neither.
UNNAMED_NOUN = (
    r"(?:organi[sz]ations?|groups?|signatories|individuals|people|persons|others|members|CSOs|NGOs|entities"
    r"|networks|unions|associations|institutions|endorsers|activists|academics|supporters|communities)"
)
HIDDEN_CUE = re.compile(
    r"\b(?:anonymous|anonymity|undisclosed|unnamed|unlisted|withheld|not\s+(?:be\s+)?(?:named|listed|disclosed"
    r"|identified|published)|cannot\s+be\s+(?:named|listed|disclosed|identified)|can't\s+be\s+named"
    r"|could\s+not\s+be\s+(?:named|listed)|security\s+reasons|safety\s+reasons|remain\s+(?:anonymous|unnamed)"
    r"|not\s+to\s+(?:disclose|be\s+named|be\s+identified|be\s+listed|reveal))",
    re.I,
)
UNNAMED_LINE = re.compile(
    r"^(?P<lead>(?:[+…]|\.{3}|\bplus\b|\band\b|\balong\s+with\b|\btogether\s+with\b|\s)*)"
    r"(?P<count>\d{1,3}(?:,\d{3})+|\d+)\s+(?P<other>(?:more|other|additional|further)\s+)?"
    r"(?:[^\W\d_][\w'-]*\s+){0,3}?" + UNNAMED_NOUN + r"\b(?P<tail>.*)$",
    re.I,
)


def anonymous_count(text: str) -> int | None:
    """'Anonymous', '12 anonymous organizations', 'Anonymous (x3)', '+ 108 organizations that cannot be named':
    how many hidden or unnamed signatories the line stands for."""
    match = ANONYMOUS_LINE.match(text)
    if match:
        return int((match["count"] or match["times"] or "1").replace(",", ""))
    match = UNNAMED_LINE.match(text)
    if not match or len(match["tail"].split()) > 16:
        return None
    if match["lead"].strip() or match["other"] or HIDDEN_CUE.search(match["tail"]):
        return int(match["count"].replace(",", ""))
    return None


# --------------------------------------------------------------------------------------------------------------
# Counts printed in prose
# --------------------------------------------------------------------------------------------------------------

# A whole number, not a piece of "27.6" or "1,9": no digit, point or comma right before or after.
NUM = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?![.,]?\d)"


def counted(name: str) -> str:
    """NUM as a named group."""
    return NUM.replace("(\\d", f"(?P<{name}>\\d", 1)


NOUN = (
    r"(?:organi[sz]ations?|groups?|signatories|signatory|individuals|people|persons|members|CSOs|NGOs|entities"
    r"|unions|networks|institutions|associations|communities|endorsers|co-signatories|parties|companies|start-ups"
    r"|startups|businesses|firms"
    # Spanish, Portuguese, German, French
    r"|organizaciones|organizações|entidades|colectivos|coletivos|movimientos|movimentos|sindicatos|grupos"
    r"|firmantes|signatários|signatarios|organisationen|gruppen|ortsgruppen|verbände|unterzeichnende|signataires)"
)
# Up to five words (letters, not numbers) between the number and the noun: "462 civil society organizations".
# Not "million" & co.: "4 million people" is a population, not signatories.
# Not "we" or "our" either: "3 March 2023. We, the undersigned organisations" is a date, then a new sentence.
ENTITY = (
    r"(?:(?!(?:million|billion|thousand|hundred|we|our|they|these|those)\b)[^\W\d_][\w&'-]*,?\s+){0,5}?" + NOUN + r"\b"
)
# "more than 60 organizations" is a lower bound, not a total: it is reported, not taken. "close to 55", "nearly 60"
# give the figure the letter states, approximately.
LOWER_BOUND = (
    r"(?:(?P<bound>more\s+than|over|at\s+least|upwards\s+of|mais\s+de|más\s+de|über|mehr\s+als|plus\s+de)"
    r"|(?P<about>nearly|almost|some|close\s+to|about|around|approximately|roughly|cerca\s+de|casi|quase|rund"
    r"|environ))?\s*"
)
# Phrasings precise enough to trust anywhere in the text.
TOTAL_PATTERNS = [
    re.compile(r"\ba\s+total\s+of\s+" + NUM + r"\s+" + ENTITY, re.I),
    re.compile(r"\bout\s+of\s+(?:a\s+total\s+of\s+|the\s+)?" + NUM + r"\s+" + ENTITY, re.I),
    re.compile(
        r"\b(?:signed|endorsed|supported|joined)\s+by\s+(?:a\s+total\s+of\s+)?" + LOWER_BOUND + NUM + r"\s+" + ENTITY,
        re.I,
    ),
    re.compile(r"\bundersigned\s+" + NUM + r"\s+" + ENTITY, re.I),
    # "83 civil society organizations and eminent individuals (listed below)"
    re.compile(
        r"\b" + LOWER_BOUND + NUM + r"\s+" + ENTITY + r"(?:\s+and\s+(?:[^\W\d_]+\s+){0,3}?" + NOUN + r")?"
        r"\s*\(?(?:listed\s+below|as\s+follows)\b",
        re.I,
    ),
    # "The founders of the following 457 start-up companies."
    re.compile(r"\bthe\s+following\s+" + NUM + r"\s+" + ENTITY, re.I),
    re.compile(r"\bwe,?\s+(?:the\s+)?" + NUM + r"\s+" + ENTITY, re.I),
]
# Phrasings that also describe other events ("In 2021, 300 organisations called on the EU..."): trusted only at
# the top of the letter (title, dateline, first paragraphs) and around the signatory heading.
SIGNING_VERB = (
    r"(?:signed|co-signed|endorsed|joined|called|urged|wrote|write|sent|issued|demanded|appealed|released"
    r"|published|submitted|delivered|launched|call|urge|demand|appeal|are\s+calling|are\s+urging"
    r"|assinaram|assinam|subscreveram|firmaron|firman|suscribieron|adhirieron|unterzeichneten|unterzeichnen"
    r"|ont\s+sign[ée]|signent)"
)
ZONE_TOTAL_PATTERNS = [
    # "120 civil society organisations today called on ASEAN", "The 18 organisations that have joined this letter",
    # "150 organizações de todo o país assinaram um manifesto"
    re.compile(
        r"(?:\b|\()"
        + LOWER_BOUND
        + NUM
        + r"\)?\s+"
        + ENTITY
        + r"(?:\s+(?:de|do|da|del|from|in|of|aus)\s+[^\W\d_]+(?:\s+[^\W\d_]+){0,2})?"
        r",?\s+(?:(?:that|who|which|que)\s+)?(?:(?:have|has|had)\s+)?"
        r"(?:(?:today|yesterday|jointly|also|together|publicly)\s+)?" + SIGNING_VERB + r"\b",
        re.I,
    ),
    # "A coalition of 52 groups", "a group of more than 40 organizations"
    re.compile(
        r"\b(?:a|the)\s+(?:coalition|group|network|alliance|total)\s+of\s+" + LOWER_BOUND + NUM + r"\s+" + ENTITY,
        re.I,
    ),
    # "28 signatories", "Signatories (28)", "Endorsements: 40"
    # Within one line only: "2022\nSignatories:" is a date above a heading, "Signatories:\n1. Alpha" a list.
    re.compile(r"\b" + LOWER_BOUND + NUM + r"[ \t]+(?:co-?)?signatories\b", re.I),
    re.compile(
        r"\b(?:signatories|signatures|endorsements|endorsers|signed[ \t]+by)[ \t]*(?:\([ \t]*|:[ \t]*)"
        + NUM
        + r"\b(?!\.)",
        re.I,
    ),
]
HIDDEN_BEFORE = re.compile(r"\b(?:unpublic|non-public|not\s+public|undisclosed|anonymous|unnamed)\b[\s:(]*$", re.I)
PARTS_PATTERN = re.compile(
    r"\b(?:endorsement|signatures?|support)\s+of\s+"
    + counted("first")
    + r"\s+"
    + ENTITY
    + r"\s+and\s+"
    + counted("second")
    + r"\s+"
    + ENTITY,
    re.I,
)
HIDDEN = (
    r"(?:chosen|chose|choose|opted|asked|requested|preferred|prefer|decided|wished|wish|want|wanted)\s+"
    r"(?:not\s+to\s+(?:disclose|reveal|publish|share|make\s+public|be\s+(?:publicly\s+)?(?:named|identified|listed"
    r"|disclosed|mentioned))|to\s+(?:remain|stay)\s+(?:anonymous|unnamed|undisclosed)|anonymity)"
)
UNDISCLOSED_PATTERNS = [
    # No digit between the number and the cue: "Signed by 462 ..., including 84 ... chosen not to" is 84.
    re.compile(NUM + r"\s+(?:" + ENTITY + r")?[^.;\d]{0,80}?\b" + HIDDEN, re.I),
    re.compile(NUM + r"\s+(?:other\s+)?(?:anonymous|undisclosed|unnamed|unlisted)\s+" + NOUN, re.I),
    # "Unpublic (86) Organizations endorsed", "Undisclosed: 12 organisations"
    re.compile(
        r"\b(?:unpublic|non-public|not\s+public|undisclosed|anonymous|unnamed)\b[\s:]*\(?" + NUM + r"\)?\s+" + ENTITY,
        re.I,
    ),
    re.compile(
        NUM + r"\s+(?:other\s+)?" + ENTITY + r"[^.;\d]{0,60}?\s+(?:whose\s+names\s+(?:are|were|have\s+been)\s+withheld"
        r"|(?:are|were)\s+not\s+(?:named|listed|disclosed)|(?:cannot|can['’]?t|can\s+not|could\s+not)\s+be\s+"
        r"(?:named|listed|disclosed|identified))",
        re.I,
    ),
]
# The letter says some signatories are not listed, without a number: "some organizations asked not to be named",
# "the names of other signatories are withheld". Only then is "declared - named" a figure the letter implies.
# Found cue first, then a signatory word in the same sentence before it: linear on any input.
HIDDEN_MENTION_CUE = re.compile(
    r"\b(?:anonymous|anonymity|undisclosed|unnamed|unlisted|withheld|" + HIDDEN + r"|not\s+(?:been\s+)?"
    r"(?:named|listed|disclosed|identified|published)|(?:cannot|could\s+not)\s+be\s+(?:named|listed|disclosed"
    r"|identified))\b",
    re.I,
)
HIDDEN_MENTION_SUBJECT = re.compile(
    r"\b(?:signatories|signatures|organi[sz]ations|groups|names|endorsers|individuals)\b[^.;]*$", re.I
)


def mentions_hidden_names(text: str) -> bool:
    """Whether a sentence says some signatories are not named, without a number."""
    for cue in HIDDEN_MENTION_CUE.finditer(text):
        if HIDDEN_MENTION_SUBJECT.search(text[max(0, cue.start() - 100) : cue.start()]):
            return True
    return False


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


PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


# "In 2021, 300 organisations called on the EU": a past event the letter recounts, not its own signatories.
# (A dateline's year, "Jakarta, 12 October 2023 – 120 organisations today called", has no "in" before it.)
HISTORY = re.compile(r"\b(?:in|since|during|by|back\s+in|as\s+early\s+as)\s+(?:[A-Za-z]+\s+)?(?:19|20)\d\d\b", re.I)


def told_as_history(text: str, position: int) -> bool:
    """Whether the sentence before `position` dates what follows to a past year."""
    sentence_start = max(text.rfind(". ", 0, position), text.rfind(" ¶ ", 0, position), 0)
    return bool(HISTORY.search(text, sentence_start, position))


def stated_totals(text: str, zone: str, warnings: list[str]) -> list[int]:
    """Every signatory total the letter states, in order of trust: precise phrasings anywhere, then the looser ones
    at the top of the letter and around the signatory heading."""
    found: list[int] = []
    for parts in PARTS_PATTERN.finditer(text):
        # "the endorsement of 37 organisations and 75 individuals": the total is the sum.
        found.append(to_int(parts["first"]) + to_int(parts["second"]))
    for patterns, where in ((TOTAL_PATTERNS, text), (ZONE_TOTAL_PATTERNS, zone)):
        for pattern in patterns:
            for match in pattern.finditer(where):
                if patterns is ZONE_TOTAL_PATTERNS and told_as_history(where, match.start()):
                    continue
                if HIDDEN_BEFORE.search(where[max(0, match.start() - 25) : match.start() + 1]):
                    continue  # "Unpublic (86) Organizations endorsed" counts the hidden ones, not all
                number = next(to_int(g) for g in match.groups() if g and g[0].isdigit())
                if pattern.groupindex.get("bound") and match["bound"]:
                    warnings.append(
                        f"The letter gives a lower bound ('{squeeze(match['bound'])} {number}'), not a total: "
                        "it is not taken as the declared total."
                    )
                    continue
                if is_a_year(number, text):
                    warnings.append(f"{number} is a year of the letter, not a number of signatories: not taken.")
                    continue
                found.append(number)
    return [n for n in found if 0 < n <= 1_000_000]


def is_a_year(number: int, text: str) -> bool:
    """A number that is a year the letter prints in a date ("Signatories (2022)" in a letter of 12 May 2022)."""
    if not 1900 <= number <= 2100:
        return False
    return bool(re.search(rf"(?:[^\W\d_]{{3,}}\.?,?\s+|\d[/.-])\s*{number}\b|\b{number}[/.-]\d", text))


def read_counts(
    text: str, zone: str, named: int, unnamed_lines: list[int], warnings: list[str]
) -> tuple[int | None, int | None]:
    """(declared total, undisclosed) from what the letter states: "A total of 448 organizations", "120 civil
    society organisations today called on...", "33 ... chosen not to disclose their names", "out of 567 ...,
    only 281 ... identified", list lines like "+ 108 organizations that cannot be named" (`unnamed_lines`).

    `text` is the whole letter with the unnamed-count lines blanked out (they are counted once, from the list);
    `zone` is the top of the letter and the signatory heading, where looser phrasings are trusted.
    A figure the letter does not state is left as None: when the letter declares 87 signatories and prints 17
    names, the other 70 may be undisclosed or simply missing from the copy, so only a warning says so.
    """
    # Paragraph breaks stay as a mark no phrasing can span: a date line then "We, the undersigned..." is not
    # "2023 ... organisations".
    text, zone = (squeeze(PARAGRAPH_BREAK.sub(" ¶ ", t)) for t in (text, zone))
    totals = stated_totals(text, zone, warnings)
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
    if undisclosed is not None and is_a_year(undisclosed, text):
        warnings.append(f"{undisclosed} is a year of the letter, not a number of undisclosed signatories: not taken.")
        undisclosed = None
    if undisclosed is None and unnamed_lines:
        undisclosed = sum(unnamed_lines)
    if undisclosed is not None and declared is not None and undisclosed > declared:
        warnings.append(f"Undisclosed count {undisclosed} is more than the declared total {declared}; dropped.")
        undisclosed = None
    if declared is None and undisclosed is not None and named:
        # The declared total is what the letter states: it states none, so none is made up from the parts (the
        # public pages give named and undisclosed as separate facts).
        warnings.append(f"No total printed: {named} named and {undisclosed} undisclosed; no declared total.")
    if undisclosed is None and declared is not None:
        if declared == named:
            undisclosed = 0  # every declared signatory is listed
        elif declared > named and mentions_hidden_names(text):
            undisclosed = declared - named
            warnings.append(
                f"Declared total {declared} but {named} names found, and the letter says some names are not "
                f"disclosed without saying how many: undisclosed taken as {undisclosed}."
            )
        elif declared > named:
            warnings.append(
                f"Declared total {declared} but {named} names found; the letter does not say how many are "
                f"undisclosed, so that is left blank."
            )
        else:
            warnings.append(f"Declared total {declared} is less than the {named} names found.")
    elif declared is not None and undisclosed is not None and declared - undisclosed != named:
        warnings.append(
            f"The text says {declared} signatories with {undisclosed} undisclosed, but {named} names were found "
            f"(expected {declared - undisclosed})."
        )
    return declared, undisclosed
