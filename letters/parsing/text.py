"""Small text helpers every stage uses."""

from __future__ import annotations

import re

WHITESPACE_RUN = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Whitespace runs to one space: the form in which every `listed_as` is found in the input."""
    return WHITESPACE_RUN.sub(" ", text).strip()


def word_count(text: str) -> int:
    return len(text.split())


def letter_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())
