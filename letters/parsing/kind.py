"""What kind of document a letter is: open letter, joint statement, press release, statement."""

from __future__ import annotations

import re

from letters.parsing.header import Header

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
