"""Who a letter is addressed to, from its To lines and address block: bodies, not the people in them."""

from __future__ import annotations

import re

from letters.parsing.dates import find_date
from letters.parsing.lines import (
    HONORIFIC,
    ORGANIZATION_WORDS,
    SALUTATION,
    SUBJECT_LINE,
    TITLE_WORDS,
    URL_OR_EMAIL,
    plain,
)
from letters.parsing.text import collapse, word_count

# A person's role in front of the body they serve: "President of the", "Secretary General of the", "Prime Minister
# of the", "Permanent Representatives of Member and Observer States of the". Up to four words may come before the
# role noun ("Executive Vice-President", "Permanent Representatives"). Stripped repeatedly: what remains is the body.
ROLE_NOUN = (
    r"(?:members?|states|president|vice[- ]presidents?|chair(?:man|woman|person)?s?|secretary[- ]general|secretary"
    r"|heads?(?:\s+of\s+state)?|delegates?|delegations?|representatives?|leaders?|ministers?|commissioners?"
    r"|directors?(?:[- ]general)?|ambassadors?|envoys?|rapporteurs?|judges?|prosecutors?|ceo|speaker|governor|mayor"
    r"|secretary\s+of\s+state)"
)
ROLE_OF = re.compile(
    r"^(?:the\s+)?(?:(?!of\b|to\b)[\w'’-]+\s+){0,4}?" + ROLE_NOUN + r"\s+(?:of|to|for)\s+(?:the\s+)?", re.I
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


# When no To line names the addressees, the letter still says who it writes to: in its title ("Open letter to Member
# and Observer States of the UN Human Rights Council"), its salutation ("Dear Members of Congress,", "Your Excellency
# Ambassador,") or its call ("We call on all governments not to ..."). These are kept as printed.
TITLE_TO = re.compile(
    r"\b(?:open\s+letter|joint\s+letter|letter|carta\s+(?:aberta|abierta|p[uú]blica)|offener\s+brief"
    r"|lettre\s+ouverte)\s+(?:to|a|ao|à|al|an)\s+(?:the\s+)?(?P<who>[^:;.!?,]{3,150}?)"
    r"\s*(?:[:;.!?,]|\s(?:on|about|regarding|concerning|over|sobre|acerca)\s|$)",
    re.I,
)
SALUTATION_TO = re.compile(
    r"^(?:dear|querid[oa]s?|estimad[oa]s?|prezad[oa]s?|caro|cara|sehr\s+geehrte[rn]?|liebe[rn]?|cher|ch[èe]re)"
    r"\s+(?P<who>[^,:;]{2,150}?)\s*[,:;!]?\s*$"
    r"|^(?P<excellency>your\s+excellenc(?:y|ies)\s+[^,:;]{2,100}?)\s*[,:;]?\s*$",
    re.I,
)
# "Sir or Madam", "friends", "colleagues": a salutation that names nobody.
NOBODY = re.compile(
    r"^(?:sir|madam|sirs|sir\s+or\s+madam|sir/madam|friends|colleagues|all|colegas|amig[oa]s|senhores)$", re.I
)
CALLED_ON = re.compile(
    r"\bwe\s+(?:(?:strongly|urgently|therefore|also|hereby|jointly)\s+)*(?:call\s+(?:up)?on|urge|ask|implore)\s+"
    r"(?P<who>(?:the\s+)?[^,.;:]{3,80}?)\s+(?:not\s+)?to\b",
    re.I,
)


def addressees_from_title(title: str) -> list[str]:
    match = TITLE_TO.search(title)
    return [collapse(match["who"])] if match else []


def addressee_from_salutation(lines: list[str], end: int) -> str | None:
    """The person or body a salutation greets, as printed ("Members of Congress", "Your Excellency Ambassador")."""
    for line in lines[:end]:
        match = SALUTATION_TO.match(line.strip().strip("_*"))
        if match:
            who = collapse(match["who"] or match["excellency"])
            return None if NOBODY.match(who) else who
    return None


def addressees_called_on(lines: list[str], end: int) -> list[str]:
    """Whom the letter calls on ("We call on all governments not to ..."): the first such call."""
    match = CALLED_ON.search(collapse(" ".join(lines[:end])))
    if not match:
        return []
    who = re.sub(r"^the\s+", "", match["who"], flags=re.I)
    if who.casefold() in {"you", "them", "him", "her", "all", "everyone"} or re.match(
        r"(?:our|your|their|his|her|its)\b", who, re.I
    ):
        return []  # "your office", "our government": the letter's own addressee, named elsewhere or not at all
    # "the Royal Thai Government and the Government of Malaysia": two bodies.
    parts = [re.sub(r"^the\s+", "", p, flags=re.I) for p in re.split(r"\s+and\s+", who)]
    if len(parts) > 1 and all(ORGANIZATION_WORDS.search(p) and p[:1].isupper() for p in parts):
        return parts
    return [who]


# The head of a letter set out the formal way: blocks of a person, their office and address above the salutation or
# the subject line, with "To," or "Cc:" alone on a line or in front of a block. A reposted letter carries its head
# below the story that quotes it, so the head is found by what follows it, not by where it is.
GREETING = re.compile(r"^to\s+(?!whom\b)\S.{2,150},\s*$", re.I)
TO_MARK = re.compile(r"^(?:to|para|an|à|a)\s*[,:]?\s*$", re.I)
COPY_MARK = re.compile(r"^(?:b?cc|c/c|copy\s+to|copied\s+to|com\s+c[oó]pia\s+(?:para|a))\s*[:.]?\s*(?P<rest>.*)$", re.I)
# How a head addresses a person: "Senator the Hon.", "Councillor the Hon.", "Rt. Hon.", "Shri", "Exmo. Sr.", "H.E.".
ADDRESSED_PERSON = re.compile(
    r"^(?:senator|sen\.|(?:\w+\s+)?(?:the\s+)?(?:rt\.?\s+)?hon(?:ou?rable|'ble|’ble)?\b|h\.\s?e\.|his\s+excellency|her\s+excellency"
    r"|shri|smt|sri|exm[oa]\.?|excelent[íi]ssim[oa]|ilm[oa]\.?|sr\.|sra\.|sr\s|sra\s|dr\.|mr\.?\s|mrs\.?\s|ms\.?\s"
    r"|monsieur|madame|herrn?\b|frau\b|don\s|doña\s)",
    re.I,
)
# A line that ends a head entry's name and office: a postal address, a reference or a date (they hold digits).
ADDRESS_LINE = re.compile(r"\d")
HEAD_LINE_WORDS = 20
# "Exmo. Sr. Renan Calheiros - Presidente do Senado", "Hon. X, Minister of Y" (a hyphen inside a name is no mark).
OFFICE_BESIDE = re.compile(r",|\s[-–—]|[-–—]\s")


def head_end(lines: list[str], end: int) -> int | None:
    """The first salutation, greeting ("To Ministers of ...,") or subject line: the formal head ends above it."""
    for i in range(end):
        text = plain(lines[i])
        if text and (SALUTATION.match(text) or SUBJECT_LINE.match(text) or GREETING.match(text)):
            return i
    return None


def head_lines(lines: list[str], end: int) -> list[str]:
    """The short lines just above line `end`, back to the paragraph before them (blank lines kept)."""
    start = end
    while start > 0:
        text = plain(lines[start - 1])
        words = word_count(text)
        if words >= HEAD_LINE_WORDS or (words >= 4 and text.endswith(":") and not COPY_MARK.match(text)):
            break
        start -= 1
    return [plain(line) for line in lines[start:end]]


def addressees_in_head(lines: list[str], end: int) -> list[str]:
    """Whom a formal head addresses: its blocks of a person and their office, up to the address ("Senator the Hon.
    X, Attorney General of Australia"), reduced to the body where one is named. Copies ("cc:") are left out."""
    stop = head_end(lines, end)
    if stop is None:
        return []
    entries: list[tuple[list[str], bool]] = []  # (lines of the name and office, a copy)
    current: list[str] = []
    # "Cc:" alone on its line makes every block below it a copy; "cc: Name" only its own block.
    addressed_block = copies_below = copy = at_address = wraps = False

    def close() -> None:
        nonlocal current, at_address, copy
        if current:
            entries.append((current, copy or copies_below))
        current, at_address, copy = [], False, False

    for text in head_lines(lines, stop):
        if not text:
            if not wraps:  # a line ending in a comma goes on below the blank line
                close()
            continue
        wraps = text.endswith(",")
        copy_mark = COPY_MARK.match(text)
        if TO_MARK.match(text):
            close()
            addressed_block = True
            continue
        if copy_mark:
            close()
            text = copy_mark["rest"].strip()
            if not text:
                copies_below = True
                continue
            copy = True
        if SUBJECT_LINE.match(text) or URL_OR_EMAIL.search(text) or (word_count(text) <= 8 and find_date(text)):
            close()
            continue
        if ADDRESS_LINE.search(text):
            at_address = bool(current)
            continue
        if not at_address:
            current.append(text.strip(" ,;"))
            if text.endswith(";"):
                copied_list = copy
                close()
                copy = copied_list  # "cc: A; B; C" over several lines: every one a copy
    close()
    found: list[str] = []
    for entry, copied in entries:
        if copied:
            continue
        # Without "To," above them, only blocks that address a person by title and give an office, below the name or
        # beside it (a title line alone, "President Biden must act", is not an addressee).
        gives_office = len(entry) > 1 or OFFICE_BESIDE.search(entry[0])
        if not addressed_block and not (ADDRESSED_PERSON.match(entry[0]) and gives_office):
            continue
        printed = collapse(", ".join(entry))
        for name in addressees_from_to_line(printed) or [printed]:
            if name not in found:
                found.append(name)
    return found
