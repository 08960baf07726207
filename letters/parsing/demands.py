"""Demands: numbered or bulleted lists after a lead-in, and calls in prose offered as candidates."""

from __future__ import annotations

import re

from letters.parsing.addressees import ACRONYM
from letters.parsing.lines import ORGANIZATION_WORDS, plain
from letters.parsing.report import ParsedDemand
from letters.parsing.text import collapse, word_count

DEMAND_VERB = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+(?:up)?on|call(?:s|ed)?\s+for|urges?|urged|demands?|recommend(?:s|ations?)?|requests?"
    r"|asks?|appeals?\s+to|implores?|press(?:es)?|we\s+want|following\s+(?:urgent\s+)?(?:actions?|steps|measures"
    r"|demands|recommendations)"
    # Spanish, Portuguese, German, French: "exigimos", "pedimos", "proponemos", "reivindicamos", "fordern", "demandons"
    r"|exig(?:imos|em|e|en|ir)|pedimos|pedem|piden|proponemos|propomos|proposons|solicitamos|solicitam|solicitan"
    r"|reivindic\w*|demandamos|demandons|recomend\w*|instamos|urgimos|fordern|verlangen|appelons|appelle"
    r"|following\s+conditions)\b"
    # "Governments must:", "Telecommunication companies should:", "The bill must be rejected, because:"
    r"|\b(?:must|should|shall|deve|devem|debe|deben|muss|müssen|doit|doivent)\b[^:.;!?]*:\s*$",
    re.I,
)
ANNOUNCED = re.compile(r"\b(?:following|below(?:[- ]mentioned)?|these|measures|steps|actions)\b", re.I)
# A numbered list with no lead-in is still the letter's demands when its items open with "we" in action:
# "1. Exigimos pleno respeito ...", "2. Rejeitamos ...", "1. We demand ...".
WE_ITEM = re.compile(r"^(?:we|wir|nous)\b|^[^\W\d_]+mos\b", re.I)
MIN_WE_ITEMS = 3
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
LIST_ITEM = re.compile(r"^[\s>]*(?:[-–—•*·◦▪●○►]|\d{1,3}\s*[.)]|\(\d{1,3}\)|\(?[a-z][.)])\s+(?P<text>\S.*)$")
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
        # The lead-in is the last sentence of its paragraph, which may wrap over a few lines.
        lead_in = SENTENCE_BREAK.split(collapse(" ".join([*paragraph_before(lines, i), text])))[-1]
        # "... we urge your office to undertake the below mentioned measures." announces the list as a colon does.
        announces = text.endswith(":") or (ANNOUNCED.search(lead_in) and next_is_list_item(lines, i + 1, end))
        intro = announces and DEMAND_VERB.search(lead_in) and not LIST_ITEM.match(text)
        if not (intro or DEMAND_HEADING.match(text) or we_list_follows(lines, i, end)):
            i += 1
            continue
        text = lead_in if intro else text
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


def paragraph_before(lines: list[str], i: int, most: int = 3) -> list[str]:
    """Up to `most` lines of the same paragraph above line i: a lead-in wraps ("We call on all governments ... unless
    the" / "following conditions are met:")."""
    found: list[str] = []
    k = i - 1
    while k >= 0 and len(found) < most and lines[k].strip() and not LIST_ITEM.match(lines[k]):
        found.insert(0, plain(lines[k]))
        k -= 1
    return found


def we_list_follows(lines: list[str], i: int, end: int) -> bool:
    """Line i is a paragraph's last line, and a numbered list of things "we" do follows it."""
    if not lines[i].strip() or LIST_ITEM.match(lines[i]):
        return False
    items = 0
    for j in range(i + 1, end):
        current = lines[j].strip()
        if not current:
            continue
        item = LIST_ITEM.match(current)
        if not item:
            if items:
                continue
            return False
        if not WE_ITEM.match(item["text"]):
            break
        items += 1
    return items >= MIN_WE_ITEMS


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
