"""The top of a letter: title, date line, To / Cc / Re lines, an address block."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from letters.parsing.addressees import GREETING
from letters.parsing.dates import find_date
from letters.parsing.lines import (
    CC_LINE,
    FOOTER,
    MARKUP_LINE,
    SALUTATION,
    SENTENCE_WORDS,
    SIGNATORY_HEADING,
    SUBJECT_LINE,
    TO_LINE,
    plain,
)
from letters.parsing.text import collapse, word_count

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
        if GREETING.match(text):
            break  # "To Ministers Responsible for ...,": the salutation, not a To line
        cc_match = CC_LINE.match(text)
        to_match = None if cc_match else TO_LINE.match(text)
        subject_match = SUBJECT_LINE.match(text)
        if MARKUP_LINE.match(text):
            i += 1
            continue
        if cc_match:
            rest = cc_match["rest"] or ""
            if cc_match["block"] is not None:
                # "Copy to" alone on its line: the lines below it, up to a blank line.
                while i + 1 < limit and lines[i + 1].strip():
                    i += 1
                    rest = f"{rest}, {lines[i].strip()}" if rest else lines[i].strip()
            header.cc_text = collapse(" ".join([header.cc_text, rest]))
            block = []
        elif subject_match or to_match:
            # A To/Re line may wrap onto the next lines, up to a blank line.
            # "To" alone on its line: the lines below it, up to a blank line, are the addressee and its role.
            parts = [(subject_match or to_match).group("rest") or to_match.group("rest2") or ""]
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
            joined = (
                collapse(", ".join(p for p in parts if p.strip()))
                if to_match and to_match.group("block") is not None
                else collapse(" ".join(parts))
            )
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
