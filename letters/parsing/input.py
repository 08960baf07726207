"""Decoding uploaded bytes into letter text, or refusing them with one line that says why."""

from __future__ import annotations

import unicodedata

MAX_INPUT_CHARS = 2_000_000


class LetterInputError(ValueError):
    """Input that cannot be a letter: one-line message saying what is wrong (and where, e.g. 'NUL byte at line 3')."""


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
