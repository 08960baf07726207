"""Match a signatory line, as printed on a letter, to an organization the archive already knows.

Plain Python on purpose (no Django): the import pipeline hands us the known names and the printed
lines, and every decision comes back with the rule that fired, a score and one sentence of reason,
so a curator can confirm or correct it.

Rules, in order (the first that decides wins):

1. EXACT       the line is, character for character, an organization's canonical name.
2. ALIAS       the line is, character for character, a recorded alias / spelling seen before.
3. NORMALIZED  same normalize() key, or the same key once a trailing acronym "(AAPP)" / "- AAPP" is
               set aside, or one script of a bilingual "Burmese – English" line has the key of a
               known name (or of one script of a known bilingual name).
               Also: a description in parentheses set aside ("... (Coalition of 14 grassroots
               networks)"), an acronym carrying a country ("KNS-Japan", "KAO (Japan)") or sitting
               before one ("... (KNS) Japan"), a trailing Burma / Myanmar ("AAPP (Burma)"), and a
               line without the country in parentheses of the one known spelling that has one
               ("Dragon Dawn" / "Dragon Dawn (Japan)"; _match_country says when that is safe).
   ACRONYM     the line is an acronym alone ("AAPP") that exactly one organization carries. It is an
               internal rule: the JSON report only knows exact/alias/normalized/fuzzy/ambiguous/new,
               and an acronym match is a derived key like any other normalized key, so
               Match.report_rule says "normalized" and the reason says "acronym".
4. FUZZY       rapidfuzz token_sort_ratio >= FUZZY_MIN on a small candidate set from a token index,
               AND every distinguishing token of one name is paired with a token of the other
               (identical, plural/singular, one-character OCR slip, "Kalay"/"Kalaymyo"), in the same
               order. Any token left over blocks the automatic match (see _compare_tokens), except
               that 4+ words in another order, one word more in a name of 6+ words, or a word the
               shorter name's own acronym spells ("Calgary Karen Community (CKCA)") still match:
               REORDERED_AUTO_WORDS and ONE_WORD_MORE_AUTO_WORDS give the evidence. A
               word the archive already knows is never taken for a slip of another known word
               ("Mandalar" University is not a misprint of "Mandalay" University).
5. AMBIGUOUS   several organizations qualify, or the best one is only "maybe" (a token only one side
               has, the same words in another order, a score in the grey zone).
6. NEW         nothing close enough; candidates then lists near misses for the curator.

Speed: exact text, normalized keys, acronyms and bilingual parts are dict lookups; fuzzy matching
scores at most CANDIDATES_SCORED names found through a word index (the query's rarest words, with
their plural and one-slip variants found through a deletion index of the vocabulary), so a line
costs about a millisecond against 400,000 names (bench/matching.py).

Precision matters more than recall: a wrong merge silently rewrites who signed what, a missed merge
is one click for the curator. Hence the token guard is what makes a fuzzy match, the score only
confirms it.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

# Thresholds, measured on the signatory lists of four seed letters (fixtures/letters: Japan 415,
# INTERPOL 259, ethnic resistance 281, UNSC 403 lines; 1,115 distinct names). Every name was
# matched against all the others through the candidate index, and each candidate pair scored and
# put through the token guard (_compare_tokens), then read by hand:
# - The guard pairs all words of 30 pairs (SAME). All 30 are the same organization. Their token
#   sort ratio on the matched keys: min 90.0 ("active youths kalaymyo" / "active youth kalay"),
#   median 98, except "MilkTeaAlliance" / "Milk Tea Alliance" (57; rescored without spaces, 100).
#   FUZZY_MIN = 88 keeps all of them with a margin, and is not what protects precision:
# - 101 pairs score >= 88 while each name has a word the other lacks (CONFLICT), and nearly all
#   are different organizations: "Hopin" / "Mudon Basic Education Students' Union" 91.7,
#   "BEHS-1" / "BEHS-4 ..." 98.1, "North" / "South Carolina Kachin Community" 93.5. A score
#   threshold alone would have merged them; the guard refuses every one, whatever the score.
# - Scorer: token_sort_ratio. WRatio lifts the weakest true pair to 87 but doubles the pairs with a
#   word more or less scoring >= 88 (107 vs 57) and the CONFLICT pairs (202 vs 101): it rewards a
#   name contained in another ("X" in "X - Japan"), exactly the case that must go to the curator.
#   token_set_ratio is worse still (587 CONFLICT pairs >= 88). Word order is judged by the guard.
FUZZY_MIN = 88.0
# A "maybe" (a word more or less, the same words in another order, aligned words below FUZZY_MIN)
# is shown to the curator as AMBIGUOUS from this score (or with a single added word, see
# _one_qualifier); below it the line is NEW with the candidate as a near miss. Seeds: "Global
# Myanmar Spring Revolution" / "... - Japan" 91, "Save and Care Organization for (Ethnic) Women at
# Border Areas" 94, "Calgary Karen Community (Association)" 82; different organizations with a
# word more ("LGBT Alliance Myanmar" / "... (Kalay Region)") mostly sit at 70-80. Median of the
# 175 extra-word pairs: 82.5.
AMBIGUOUS_MIN = 82.0
# Near misses listed with a NEW decision.
NEAR_MISS_MIN = 60.0
# Retrieval limits: how many index entries are scored with rapidfuzz per query, and how many
# postings of one token are read at most (a token carried by 50,000 names says little anyway).
CANDIDATES_SCORED = 40
MAX_POSTINGS = 20_000
TOP_CANDIDATES = 3
# A key shared by more names than this identifies nobody (in the benchmark, the Japanese part
# "一般社団法人 ミャンマー支援財団" of thousands of "<that> <town>" names): fuzzy skips it, and
# a normalized lookup stops counting there (the line is ambiguous anyway).
GENERIC_KEY_NAMES = 25
# Same words in another order are matched automatically from this many content words (see
# _match_fuzzy). Seeds, every pair of lines of the four letters: the 6 pairs of 4+ words that pair
# up only in another order are all one organization, printed in English on one letter and translated back from Burmese on another
# ("National University of Arts and Culture (Mandalay)" / "National Culture and Arts University
# ( Mandalay )"). With 3 words a moved place may be another group's name ("Mandalay Medical
# Family" / "Medical Family Mandalay" is one group, but the curator confirms it).
REORDERED_AUTO_WORDS = 4
# A name of this many content words or more that has one word less than a known one is matched
# automatically (with the score above FUZZY_MIN). Seeds, every pair of lines of the four letters
# whose words all pair but one: with 6+ words, 4 pairs, all one organization ("Save and Care
# Organization for (Ethnic) Women at Border Areas"); with 5 words, 6 of 12 pairs are different
# organizations ("University of (Dental) Medicine (Mandalay)"), so 5 stays with the curator.
ONE_WORD_MORE_AUTO_WORDS = 6
# A fully paired candidate wins over lesser "maybes" when it scores this much higher.
CLEAR_MARGIN = 5.0


class Rule(StrEnum):
    EXACT = "exact"
    ALIAS = "alias"
    NORMALIZED = "normalized"
    ACRONYM = "acronym"
    FUZZY = "fuzzy"
    AMBIGUOUS = "ambiguous"
    NEW = "new"


# The report schema has no "acronym": an acronym match is a derived key, reported as normalized.
_REPORTED = {Rule.ACRONYM: Rule.NORMALIZED}


@dataclass(frozen=True)
class KnownName:
    organization_id: int
    organization_name: str
    text: str
    is_canonical: bool


@dataclass
class Candidate:
    organization_id: int
    organization_name: str
    score: float
    matched_text: str


@dataclass
class Match:
    rule: Rule
    organization_id: int | None
    organization_name: str | None
    score: float | None
    candidates: list[Candidate] = field(default_factory=list)
    reason: str = ""

    @property
    def report_rule(self) -> str:
        """The value for the JSON report's "match" field (exact/alias/normalized/fuzzy/...)."""
        return str(_REPORTED.get(self.rule, self.rule))


# --------------------------------------------------------------------------------------------
# Normalization
# --------------------------------------------------------------------------------------------

_APOSTROPHES = "'’‘`´ʼ′"
# "Women's" -> "womens", "Worker ‘s" (a stray space, seen on the seeds) -> "workers".
_POSSESSIVE = re.compile(r"\s*[" + _APOSTROPHES + r"]\s*s\b")
_APOSTROPHE = re.compile("[" + _APOSTROPHES + "]")
# Runs of single Latin letters are dotted acronyms: "B.R.S.A" -> "brsa", "U.S." -> "us".
_SINGLE_LETTERS = re.compile(r"(?<![^\s])[a-z](?: [a-z])+(?![^\s])")
_MYANMAR = re.compile("[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")

_zawgyi_detector = None


def looks_like_zawgyi(text: str) -> bool:
    """True when Burmese text is probably Zawgyi-encoded rather than Unicode (myanmartools'
    detector, probability > 0.95; none of the seed letters' Burmese comes near it)."""
    global _zawgyi_detector
    if not _MYANMAR.search(text):
        return False
    if _zawgyi_detector is None:
        from myanmartools import ZawgyiDetector

        _zawgyi_detector = ZawgyiDetector()
    return _zawgyi_detector.get_zawgyi_probability(text) > 0.95


_zawgyi_transliterator = None


def zawgyi_to_unicode(text: str) -> str:
    """Zawgyi-encoded Burmese to Unicode with ICU's "Zawgyi-my" transform (PyICU, offline), the
    conversion CLDR maintains alongside the detector's model. Other text is returned unchanged."""
    global _zawgyi_transliterator
    if not looks_like_zawgyi(text):
        return text
    if _zawgyi_transliterator is None:
        import icu

        _zawgyi_transliterator = icu.Transliterator.createInstance("Zawgyi-my")
    return _zawgyi_transliterator.transliterate(text)


@lru_cache(maxsize=4096)
def _is_latin(ch: str) -> bool:
    if ch.isascii():
        return ch.isalpha()
    return unicodedata.name(ch, "").startswith("LATIN")


def _strip_latin_accents(text: str) -> str:
    # Character by character, so only Latin letters are decomposed: a global NFD/NFC would also
    # reorder Burmese combining marks, which must stay exactly as printed.
    out: list[str] = []
    previous_latin = False
    for ch in text:
        if unicodedata.combining(ch):
            if not previous_latin:
                out.append(ch)
            continue
        if "\uff01" <= ch <= "\uff5e":  # full-width Latin in Japanese lists: "ＡＢＣ" -> "abc"
            ch = unicodedata.normalize("NFKC", ch)
        if _is_latin(ch):
            base = unicodedata.normalize("NFD", ch)
            out.append("".join(c for c in base if not unicodedata.combining(c)))
            previous_latin = True
        else:
            out.append(ch)
            previous_latin = False
    return "".join(out)


def _normalize_once(name: str) -> str:
    text = _strip_latin_accents(name.casefold())
    text = text.replace("&", " and ")
    text = _POSSESSIVE.sub("s", text)
    text = _APOSTROPHE.sub("", text)
    # Letters, marks (Burmese vowel signs, virama...) and digits stay; every other character
    # (dashes, quotes, brackets, Burmese section marks, dots) separates words.
    text = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text)
    text = " ".join(text.split())
    return _SINGLE_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)


_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Typographic quotes and dashes have ASCII twins that normalize the same way; mapping them first
# lets most printed names ("Women’s League", "Coalition – Myanmar") take the ASCII fast path.
_TO_ASCII = str.maketrans(
    {**dict.fromkeys("’‘`´ʼ′", "'"), **dict.fromkeys("‐‑‒–—―−", "-"), **dict.fromkeys("“”„«»", '"'), "\u00a0": " "}
)


def _normalize_ascii(name: str) -> str:
    # Same steps as _normalize_once for the common all-ASCII name, with regexes instead of a
    # Python loop over characters: 10x faster, which is most of the build time of a big archive.
    text = name.lower().replace("&", " and ")
    text = _POSSESSIVE.sub("s", text)
    text = _APOSTROPHE.sub("", text)
    text = _ASCII_SEPARATORS.sub(" ", text).strip()
    return _SINGLE_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)


@lru_cache(maxsize=131072)
def normalize(name: str) -> str:
    """The normalized key of a name (see module docstring). Idempotent by construction."""
    plain = name.translate(_TO_ASCII)
    if plain.isascii():
        return _normalize_ascii(plain)  # its output is [a-z0-9 ] only: already a fixed point
    text = name
    for _ in range(4):  # casefold/NFKC can expose new foldable text; stop at the fixed point
        # Zawgyi-encoded Burmese is converted to Unicode first, so it compares with Unicode records
        # (listed_as keeps the line as printed; only the key is converted).
        folded = _normalize_once(zawgyi_to_unicode(text))
        if folded == text:
            break
        text = folded
    return text


# --------------------------------------------------------------------------------------------
# Analysis of one name: keys, acronym, scripts, tokens
# --------------------------------------------------------------------------------------------

# Words that never distinguish two organizations (an extra "the" or "inc" is not a new group).
# "column": the ethnic-resistance letter translates သပိတ်စစ်ကြောင်း as "Strike Column" where the
# other letters print "Strike" for the same groups (Sein Pan, Mya Taung, Mandalay Youth Strike).
STOP_WORDS = frozenset("a an and at column de des du e et ev for in inc of on or pour la le the to".split())  # noqa: SIM905
_ACRONYM_SHAPE = r"[A-Z][A-Za-z0-9.&_/]*(?:-[A-Za-z0-9.]+)?"
_TRAILING_PAREN = re.compile(r"^(?P<base>.*?\S)\s*\(\s*(?P<acr>" + _ACRONYM_SHAPE + r")\s*\)\s*$")
_TRAILING_DASH = re.compile(r"^(?P<base>.*?\S)\s*[,\-‐‑–—]\s*(?P<acr>[A-Z][A-Z0-9.&]{1,11})\s*$")
_LEADING = re.compile(r"^(?P<acr>[A-Z][A-Z0-9.&]{1,11})\s*(?:[\-–—:]\s+|\()(?P<base>.+?)\)?\s*$")
_ACRONYM_ONLY = re.compile(r"^[A-Z0-9][A-Z0-9.&\-_/]{1,15}$")


def _acronym_key(acronym: str) -> str:
    return "".join(ch for ch in acronym.casefold() if ch.isalnum() and ch.isascii())


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


_NOT_ASCII_LETTER = re.compile(r"[^a-z]+")


def _acronym_fits(acronym: str, base: str) -> bool:
    """Does the acronym abbreviate the base name? Guards against "(NZ)", "(USA)", "(Kalay)".

    Its letters must appear in order in the name, starting with the name's first letter
    ("AAPP" in Assistance Association for Political Prisoners). Names with no Latin letter
    (Japanese "... 支援財団 (MGSF)") cannot be checked and are trusted.
    """
    letters = "".join(ch for ch in acronym.casefold() if ch.isalpha())
    upper = sum(ch.isupper() for ch in acronym)
    if len(letters) < 2 or upper < 2:
        return False
    base_key = normalize(base)
    base_letters = _NOT_ASCII_LETTER.sub("", base_key)
    if not base_letters:
        return True
    # The first Latin word: a bilingual "<Burmese> (MPUSU) – Mandalay Private University ..." is
    # abbreviated from its English part.
    words = [w for w in base_key.split() if (w not in STOP_WORDS or w == "a") and w[0].isascii()]
    first = words[0][0] if words else ""
    if letters[0] != first:
        return False
    if _is_subsequence(letters, base_letters):
        return True
    # One letter of a long acronym may be a slip: "Japan Myanmar Future Creative Association
    # (JMFCFA)", printed as JMFCA elsewhere. The first letter still has to fit.
    return len(letters) >= 4 and any(
        _is_subsequence(letters[:i] + letters[i + 1 :], base_letters) for i in range(1, len(letters))
    )


# Countries that Myanmar groups abroad add to their names and acronyms ("KNS-Japan", "KAO (Japan)").
_COUNTRY_WORDS = "australia burma canada denmark finland france germany india ireland italy japan jp korea malaysia myanmar netherlands norway nz singapore sweden switzerland taiwan thailand uk us usa"
COUNTRY_KEYS = frozenset(_COUNTRY_WORDS.split()) | {
    "south korea",
    "new zealand",
    "the netherlands",
    "united kingdom",
    "united states",
}
_ACR = r"[A-Z][A-Z0-9.&]{1,11}"
# "Karenni National Society Japan, KNS-Japan", "Kachin Affairs Organization Japan, KAO (Japan)",
# "Kachin Affairs Organization — Japan (KAO (Japan)": the acronym carries the country again.
_ACRONYM_WITH_COUNTRY = re.compile(
    r"^(?P<base>.*?\S)\s*(?:[,\-–—]\s*|\(\s*)(?P<acr>"
    + _ACR
    + r")\s*(?:-\s*|\(\s*)(?P<country>[A-Za-z ]+?)\s*\)?\s*\)?\s*$"
)
# "Karenni National Society (KNS) Japan", "Twitter Team for Revolution (TTFR) - Myanmar": the
# acronym sits before a country; the name is what surrounds it.
_ACRONYM_BEFORE_COUNTRY = re.compile(
    r"^(?P<base>.*?\S)\s*\(\s*(?P<acr>" + _ACR + r")\s*\)\s*[,\-–—]?\s*(?P<country>[A-Za-z ]+?)\s*$"
)


def split_acronym(name: str) -> tuple[str, str | None]:
    """("Assistance Association for Political Prisoners", "AAPP") from "... (AAPP)" or "... - AAPP"
    or "AAPP - ..."; the name unchanged and None when no acronym that fits the name is there."""
    text = name.strip()
    for pattern in (_ACRONYM_WITH_COUNTRY, _ACRONYM_BEFORE_COUNTRY):
        found = pattern.match(text)
        if found and normalize(found.group("country")) in COUNTRY_KEYS:
            base = found.group("base").strip(" -–—,(")
            if pattern is _ACRONYM_BEFORE_COUNTRY:
                base = f"{base} {found.group('country')}"
            if _acronym_fits(found.group("acr"), base):
                return base, found.group("acr")
    for pattern in (_TRAILING_PAREN, _TRAILING_DASH, _LEADING):
        found = pattern.match(text)
        if found:
            acronym = found.group("acr").split("-")[0] if pattern is _TRAILING_PAREN else found.group("acr")
            if _acronym_fits(acronym, found.group("base")):
                return found.group("base").strip(" -–—,("), found.group("acr")
    return text, None


def _is_latin_token(token: str) -> bool:
    if token.isascii():
        return True
    return all(_is_latin(ch) or ch.isascii() for ch in token)


@dataclass(frozen=True)
class Analysed:
    key: str  # normalize(text)
    base_key: str  # normalize(text without its acronym or description); == key when there is none
    acronym: str | None  # _acronym_key of the acronym, if any
    latin: str  # Latin-script words of a mixed-script name, "" otherwise
    other: str  # the other-script words of a mixed-script name, "" otherwise
    acronym_only: bool  # the whole text is an acronym, "AAPP"
    described: bool = False  # a description in parentheses was set aside
    home_key: str = ""  # base_key without a trailing "Burma" / "Myanmar", "" when there is none
    country_base: str = ""  # base_key without a trailing country ("Dragon Dawn (Japan)"), "" if none
    country_in_parentheses: bool = False  # that country is printed in parentheses


# A trailing parenthesis that describes rather than names: 4+ words, one of them in lower case or
# a number ("(Coalition of 14 grassroots networks)", "(comprising of over 40 youth groups in
# Japan)"). Names in parentheses are capitalised ("(Yadanabon Cyber City)", "(Swiss Burma
# Association)", "(Anti – Fascists Education Strike Columns Coordination Committee)").
_TRAILING_PARENTHESIS = re.compile(r"^(?P<base>.*?\S)\s*\((?P<inner>[^()]*)\)\s*$")
_COUNTRY_AFTER_DASH = re.compile(r"^(?P<base>.*?\S)\s*[,\-–—]\s*(?P<country>[A-Za-z .]+?)\s*$")
HOME_KEYS = frozenset({"burma", "myanmar"})


def _strip_description(text: str) -> tuple[str, bool]:
    found = _TRAILING_PARENTHESIS.match(text)
    if not found:
        return text, False
    words = found.group("inner").split()
    # The name before it must be a Latin name of 2+ words itself: in "<Burmese> – (Bank Trade Unions
    # Federation of Myanmar – BTUFM)" the parenthesis is the English name, not a description.
    named = len(re.findall(r"[A-Za-z]{2,}", found.group("base"))) >= 2
    if named and len(words) >= 4 and any(w[0].islower() or w[0].isdigit() for w in words):
        return found.group("base"), True
    return text, False


def _country_qualifier(base: str) -> tuple[str, bool]:
    """("Dragon Dawn", True) from "Dragon Dawn (Japan)"; ("... Revolution", False) from "... Revolution -
    Japan" or "... Organization Japan"; ("", False) when the name ends with no country (Burma and
    Myanmar excepted: see home_key)."""
    found = _TRAILING_PARENTHESIS.match(base)
    if found and normalize(found.group("inner")) in COUNTRY_KEYS - HOME_KEYS:
        return normalize(found.group("base")), True
    found = _COUNTRY_AFTER_DASH.match(base)
    if found and normalize(found.group("country")) in COUNTRY_KEYS - HOME_KEYS:
        return normalize(found.group("base")), False
    words = normalize(base).split()
    if len(words) >= 3 and words[-1] in COUNTRY_KEYS - HOME_KEYS and words[-2] not in STOP_WORDS:
        return " ".join(words[:-1]), False
    return "", False


def _home_key(base_key: str) -> str:
    """The name without a trailing Burma / Myanmar, which every group on these letters is about:
    "Assistance Association for Political Prisoners (Burma)", "Twitter Team for Revolution -
    Myanmar", "Southern Dragon Myanmar". Not when less than two words remain or the name would
    end on "for" ("Justice For Myanmar")."""
    words = base_key.split()
    if len(words) < 3 or words[-1] not in HOME_KEYS or words[-2] in STOP_WORDS:
        return ""
    rest = words[:-1]
    return " ".join(rest) if len(content_tokens(" ".join(rest))) >= 2 else ""


@lru_cache(maxsize=65536)
def analyse(text: str) -> Analysed:
    key = normalize(text)
    plain, described = _strip_description(text.strip())
    base, acronym = split_acronym(plain)
    base_key = normalize(base) if (acronym or described) else key
    if acronym:
        # An acronym printed twice ("<Burmese> (MPUSU) – ... Union ( MPUSU )") is set aside twice.
        acronym_key = _acronym_key(acronym)
        base_key = " ".join(w for w in base_key.split() if w != acronym_key) or base_key
    latin_words: list[str] = []
    other_words: list[str] = []
    if not base_key.isascii():  # only then can the name mix scripts
        for token in base_key.split():
            (latin_words if _is_latin_token(token) else other_words).append(token)
    mixed = bool(latin_words) and bool(other_words)
    stripped = text.strip()
    country_base, in_parentheses = _country_qualifier(base) if base_key.isascii() else ("", False)
    return Analysed(
        key=key,
        base_key=base_key,
        acronym=_acronym_key(acronym) if acronym else None,
        latin=" ".join(latin_words) if mixed else "",
        other=" ".join(other_words) if mixed else "",
        acronym_only=bool(_ACRONYM_ONLY.match(stripped)) and sum(c.isalpha() for c in stripped) >= 2,
        described=described,
        home_key=_home_key(base_key) if base_key.isascii() else "",
        country_base=country_base,
        country_in_parentheses=in_parentheses,
    )


# --------------------------------------------------------------------------------------------
# The token guard
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=262144)
def word_form(a: str, b: str) -> bool:
    """Same word in another form: plural/singular (Youth/Youths, Organization/Organizations,
    Community/Communities), "-myo", Burmese for town (Kalay/Kalaymyo), or -isation/-ization."""
    if a == b:
        return True
    if any(map(str.isdigit, a + b)):
        return False  # BEHS-1 / BEHS-4, "No (7)" / "No (12)": numbers always distinguish
    short, long_ = sorted((a, b), key=len)
    if long_ in (short + "s", short + "es") or (short.endswith("y") and long_ == short[:-1] + "ies"):
        return True
    if long_ == short + "myo" and len(short) >= 4:
        return True
    if {a, b} == {"burma", "burmese"}:
        return True  # "Burma Rohingya Organisation UK" / "Burmese Rohingya Organisation UK"
    # British / American spelling, both common on the seeds: Organisation / Organization.
    return a.replace("isation", "ization") == b.replace("isation", "ization")


@lru_cache(maxsize=262144)
def ocr_slip(a: str, b: str) -> bool:
    """One slip between two Latin words (substitution, insertion, deletion, transposition):
    Twonship/Township, Organisation/Organization, Tanitharyi/Tanintharyi.

    Only for words of 5+ letters starting with the same letter: one edit between shorter words
    or at the first letter separates real names on the seeds (Pale/Pyay, Taze/Tazee, Mon/Man).
    Burmese or Japanese tokens never qualify: one "character" there is a syllable or a mark.
    """
    if a == b:
        return True
    if any(map(str.isdigit, a + b)) or not (_is_latin_token(a) and _is_latin_token(b)):
        return False
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and len(long_) >= 5 and a[0] == b[0] and OSA.distance(a, b) <= 1


def token_variant(a: str, b: str) -> bool:
    """Are two tokens spellings of the same word (word_form or ocr_slip)?"""
    return _may_be_variants(a, b) and (word_form(a, b) or ocr_slip(a, b))


def _may_be_variants(a: str, b: str) -> bool:
    """The cheap test first: neither a word form (letters added at the end, -isation/-ization) nor a slip (one
    edit after the first letter) changes the first letter, or the length by more than 3 ("myo"). Most of the
    pairs the token guard compares fail it, and never reach the caches of word_form and ocr_slip."""
    return a[:1] == b[:1] and abs(len(a) - len(b)) <= 3


SAME, REORDERED, EXTRA, CONFLICT = "same", "reordered", "extra", "conflict"


def content_tokens(key: str) -> list[str]:
    return [t for t in key.split() if t not in STOP_WORDS]


def _same_spelling(a: str, b: str, known_words: frozenset[str] | dict[str, set[int]]) -> bool:
    # A slip only when the line's word is not itself a known word (unless the known name's word is the
    # misprint). The vocabulary is consulted last, for the few pairs one slip apart: the stored index
    # (match_index) loads only the words a decision needs.
    if not _may_be_variants(a, b):
        return False
    if word_form(a, b):
        return True
    return ocr_slip(a, b) and (a not in known_words or _misprint_of(b, a, known_words))


def _misprint_of(known: str, line: str, known_words: frozenset[str] | dict[str, set[int]]) -> bool:
    """The known name's word looks like the misprint: the archive knows it from that one name only,
    and the line's word from several ("Kyause" University once, "Kyaukse" in three names)."""
    if not isinstance(known_words, dict):
        return False
    return len(known_words.get(known, ())) == 1 and len(known_words.get(line, ())) >= 2


def _compare_tokens(
    a: list[str], b: list[str], known_words: frozenset[str] | dict[str, set[int]] = frozenset()
) -> tuple[str, list[str], list[str]]:
    """Pair the content tokens of two names; return a verdict and the tokens left unpaired.

    SAME: every token paired, same order. REORDERED: paired, other order ("Mandalay Medical
    Family" / "Medical Family Mandalay": likely the same group, but the curator decides).
    EXTRA: one name has words the other lacks ("Global Myanmar Spring Revolution - Japan").
    CONFLICT: each has a word the other lacks: a different place or kind ("Mandalay" /
    "Monywa" Women Strike, "Union" / "Strike"). Only SAME may auto-match.

    A word of `a` (the printed line) that the archive already knows as a word of some name is
    never taken for an OCR slip: "Mandalar University" is a real university, not a misprint of
    "Mandalay University", and the archive knowing both spellings is the evidence.
    """
    left_a = list(a)
    left_b = list(b)
    pairs: list[tuple[int, int]] = []
    # Identical tokens first, then variants, so "Youth Youths" pairs sensibly.
    for exact in (True, False):
        for i, token in enumerate(left_a):
            if token is None:
                continue
            for j, other in enumerate(left_b):
                if other is None:
                    continue
                if token == other if exact else _same_spelling(token, other, known_words):
                    pairs.append((i, j))
                    left_a[i] = None  # type: ignore[call-overload]
                    left_b[j] = None  # type: ignore[call-overload]
                    break
    rest_a = [t for t in left_a if t is not None]
    rest_b = [t for t in left_b if t is not None]
    if rest_a and rest_b and _same_spelling("".join(rest_a), "".join(rest_b), known_words):
        # Spacing: "MilkTeaAlliance" / "Milk Tea Alliance", "Colorfulspring" / "Colorful Spring".
        rest_a, rest_b = [], []
    if rest_a and rest_b:
        return CONFLICT, rest_a, rest_b
    if rest_a or rest_b:
        return EXTRA, rest_a, rest_b
    order_b = [j for _, j in sorted(pairs)]
    return (SAME if order_b == sorted(order_b) else REORDERED), [], []


# --------------------------------------------------------------------------------------------
# The matcher
# --------------------------------------------------------------------------------------------


def retrieval_probes(key: str) -> tuple[list[str], list[str]]:
    """The content words of a query key and the words looked up in the word index for it."""
    tokens = content_tokens(key) or key.split()
    probes = list(dict.fromkeys(tokens))
    # A place name written in syllables ("Chan Mya Thar Si", "Pyi Gyi Ta Gon") is one word
    # elsewhere ("Chanmyatharzi", "Pyigyidagon"): probe runs of 2-4 neighbouring short words.
    for size in (2, 3, 4):
        for start in range(len(tokens) - size + 1):
            run = tokens[start : start + size]
            if all(len(t) <= 4 for t in run):
                probes.append("".join(run))
    return tokens, list(dict.fromkeys(probes))


def variant_probes(token: str) -> set[str]:
    """Plural / singular / "-myo" forms of a word that the vocabulary is asked for directly."""
    probes = {token, token + "s", token + "es", token + "myo"}
    if token.endswith("s"):
        probes.add(token[:-1])
    if token.endswith("es") or token.endswith("myo"):
        probes.add(token[:-2] if token.endswith("es") else token[:-3])
    if token.endswith("ies"):
        probes.add(token[:-3] + "y")
    return probes


def deletion_variants(token: str) -> set[str]:
    """The word and the word minus one letter: its keys in the deletion index (empty when not indexed)."""
    if len(token) < 4 or not _is_latin_token(token):
        return set()
    return {token, *(token[:i] + token[i + 1 :] for i in range(len(token)))}


_NONZERO_BYTE = re.compile(rb"[^\x00]")


class Bitset:
    """A set of entry ids as the bits of one Python int, for the stored index's postings.

    The words of a synthetic 200,000-organization archive are each carried by up to 50,000 entries;
    intersecting such sets of ints costs about a millisecond, these ints a few microseconds. Supports
    what Matcher._retrieve uses: len, bool, &, |, -, and ids in ascending order (first_ids)."""

    __slots__ = ("_bits", "_count", "_ids", "_parts")

    def __init__(self, bits: int = 0) -> None:
        self._bits: int | None = bits
        self._count: int | None = None
        self._ids: Sequence[int] = ()
        self._parts: list[Bitset] = []

    @classmethod
    def of(cls, ids: Sequence[int]) -> Bitset:
        """Ids (distinct), turned into bits only when an operation needs them: a word's postings are often
        read for their size alone (the rarest-word order, the misprint check)."""
        bitset = cls(None)  # type: ignore[arg-type]
        bitset._ids, bitset._count = ids, len(ids)
        return bitset

    @classmethod
    def union(cls, parts: list[Bitset], *, disjoint: bool) -> Bitset:
        bitset = cls(None)  # type: ignore[arg-type]
        bitset._parts = parts
        bitset._count = sum(len(part) for part in parts) if disjoint else None
        return bitset

    @property
    def bits(self) -> int:
        if self._bits is None:
            if self._parts:
                self._bits = functools.reduce(operator.or_, (part.bits for part in self._parts))
            else:
                buffer = bytearray((max(self._ids) >> 3) + 1 if self._ids else 0)
                for i in self._ids:
                    buffer[i >> 3] |= 1 << (i & 7)
                self._bits = int.from_bytes(buffer, "little")
            self._ids, self._parts = (), []
        return self._bits

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.bits.bit_count()
        return self._count

    def __bool__(self) -> bool:
        return len(self) != 0

    def __and__(self, other: Bitset) -> Bitset:
        return Bitset(self.bits & other.bits)

    def __or__(self, other: Bitset) -> Bitset:
        return Bitset(self.bits | other.bits)

    def __sub__(self, other: Bitset) -> Bitset:
        return Bitset(self.bits & ~other.bits)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bitset) and self.bits == other.bits

    def __iter__(self):
        return iter(self.first(len(self)))

    def first(self, count: int) -> list[int]:
        """The `count` smallest ids, skipping empty bytes at C speed."""
        ids: list[int] = []
        data = self.bits.to_bytes((self.bits.bit_length() + 7) // 8, "little")
        for found in _NONZERO_BYTE.finditer(data):
            byte, base = found.group()[0], found.start() * 8
            for bit in range(8):
                if byte >> bit & 1:
                    ids.append(base + bit)
            if len(ids) >= count:
                break
        return ids[:count]

    def lowest(self, count: int) -> Bitset:
        """The `count` smallest ids: the shortest low mask holding that many bits (binary search)."""
        low, high = 0, self.bits.bit_length()
        while low < high:
            middle = (low + high) // 2
            if (self.bits & ((1 << middle) - 1)).bit_count() >= count:
                high = middle
            else:
                low = middle + 1
        return Bitset(self.bits & ((1 << low) - 1))


def first_ids(ids: set[int] | Bitset, count: int) -> list[int]:
    return ids.first(count) if isinstance(ids, Bitset) else sorted(ids)[:count]


def lowest_ids(ids: set[int] | Bitset, count: int) -> set[int] | Bitset:
    return ids.lowest(count) if isinstance(ids, Bitset) else set(sorted(ids)[:count])


def entry_keys(info: Analysed) -> list[tuple[str, str]]:
    """(key, other-script part) of each entry a name is searchable by, in the order entries are created."""
    keys = {(info.base_key, ""), (info.key, ""), (info.home_key, "")}
    if info.latin:
        keys |= {(info.latin, info.other), (info.other, info.latin)}
    # sorted: entry ids never depend on the hash seed, and the stored index numbers them the same way
    return sorted((key, other) for key, other in keys if key)


def entry_tokens(key: str) -> tuple[str, ...]:
    return tuple(content_tokens(key) or key.split())


def acronym_lookup_key(name: KnownName, info: Analysed) -> str:
    """The acronym an acronym-only line finds this name's organization by, "" for none."""
    if info.acronym:
        return info.acronym
    if info.acronym_only and not name.is_canonical:
        return _acronym_key(name.text)  # an alias that is an acronym ("AAPP" recorded for the organization)
    return ""


class _Entry(NamedTuple):
    """One searchable key: a normalized name (acronym set aside) or one script of a bilingual name.

    Tuples of strings and ints, not objects: the garbage collector stops tracking such tuples,
    so a Matcher of 400,000 names does not make every full collection scan millions of objects
    (that cost 0.5 s in the middle of a 600-line match before this layout).
    """

    key: str
    tokens: tuple[str, ...]  # content words in printed order, repeats kept ("forum ... forum asia")
    acronym: str | None
    other: str  # for one script of a bilingual name: the other script's words
    names: tuple[int, ...]  # indexes into Matcher._names


class _Name(NamedTuple):
    organization_id: int
    text: str
    is_canonical: bool


class Matcher:
    """Holds the known names; match() decides one printed line. Not thread-safe (add() mutates)."""

    def __init__(self, names: Iterable[KnownName]) -> None:
        self._names: list[_Name] = []
        self._by_text: dict[str, tuple[int, ...]] = {}
        self._by_acronym: dict[str, set[int]] = {}  # acronym key -> organization ids
        self._org_names: dict[int, str] = {}  # latest name wins (add() after a rename)
        self._entries_by_key: dict[str, tuple[int, ...]] = {}
        self._entries: list[_Entry] = []
        self._entry_by_key: dict[tuple[str, str], int] = {}
        self._postings: dict[str, set[int]] = {}  # token -> entry ids (sets: intersections)
        self._deletes: dict[str, set[str]] = {}  # token minus one letter -> tokens
        # name without its trailing country -> (organization, country in parentheses?) of the names
        # that carry one: "dragon dawn" -> {(7, True)} from "Dragon Dawn (Japan)"
        self._country_variants: dict[str, set[tuple[int, bool, str]]] = {}
        self._entries_by_acronym: dict[str, set[int]] = {}  # acronym key -> entry ids
        self._entries_by_length: dict[int, set[int]] = {}  # number of words (tokens) -> entry ids
        for name in names:
            self.add(name)

    # ---- building ---------------------------------------------------------------------------

    def add(self, name: KnownName) -> None:
        index = len(self._names)
        self._names.append(_Name(name.organization_id, name.text, name.is_canonical))
        self._org_names[name.organization_id] = name.organization_name
        text = name.text.strip()
        self._by_text[text] = self._by_text.get(text, ()) + (index,)
        info = analyse(name.text)
        acronym = acronym_lookup_key(name, info)
        if acronym:
            self._by_acronym.setdefault(acronym, set()).add(name.organization_id)
        if info.country_base:
            self._country_variants.setdefault(info.country_base, set()).add(
                (name.organization_id, info.country_in_parentheses, name.text)
            )
        for key, other in entry_keys(info):
            self._add_entry(key, other, info.acronym, index)

    def _add_entry(self, key: str, other: str, acronym: str | None, index: int) -> None:
        entry_id = self._entry_by_key.get((key, other))
        if entry_id is not None:
            entry = self._entries[entry_id]
            self._entries[entry_id] = entry._replace(names=entry.names + (index,))
            return
        entry_id = len(self._entries)
        tokens = entry_tokens(key)
        self._entries.append(_Entry(key, tokens, acronym, other, (index,)))
        self._entries_by_length.setdefault(len(tokens), set()).add(entry_id)
        if acronym:
            self._entries_by_acronym.setdefault(acronym, set()).add(entry_id)
        self._entry_by_key[(key, other)] = entry_id
        self._entries_by_key[key] = self._entries_by_key.get(key, ()) + (entry_id,)
        for token in dict.fromkeys(tokens):
            postings = self._postings.get(token)
            if postings is None:
                self._postings[token] = {entry_id}
                self._index_deletes(token)
            else:
                postings.add(entry_id)

    def _index_deletes(self, token: str) -> None:
        # A SymSpell-style index over the vocabulary (not over names): a query word with an OCR
        # slip finds the known words one edit away without scanning the vocabulary.
        for variant in deletion_variants(token):
            self._deletes.setdefault(variant, set()).add(token)

    # ---- matching ---------------------------------------------------------------------------

    def match_many(self, lines: list[str]) -> list[Match]:
        # Lines repeat on a list (and across re-imports); decide each distinct text once.
        decided: dict[str, Match] = {}
        for line in lines:
            if line not in decided:
                decided[line] = self.match(line)
        return [decided[line] for line in lines]

    def match(self, listed_as: str) -> Match:
        text = listed_as.strip()
        if not normalize(text):
            return Match(Rule.NEW, None, None, None, [], "Nothing to match: the line has no letters or digits.")
        result = (
            self._match_text(text)
            or self._match_key(text)
            or self._match_acronym(text)
            or self._match_country(text)
            or self._match_fuzzy(text)
        )
        if looks_like_zawgyi(text):
            result.reason += (
                " The Burmese text was Zawgyi-encoded: it was converted to Unicode (ICU Zawgyi-my) before matching."
            )
        return result

    def _candidates(self, scored: dict[int, tuple[float, str]]) -> list[Candidate]:
        """Best first; ties broken by organization id so results never depend on dict order."""
        best = sorted(scored.items(), key=lambda item: (-item[1][0], item[0]))[:TOP_CANDIDATES]
        return [Candidate(org, self._org_name(org), round(score, 1), text) for org, (score, text) in best]

    def _org_name(self, organization_id: int) -> str:
        return self._org_names[organization_id]

    def _decide_identical(self, indexes: Iterable[int], rule: Rule, score_text: str, why: str) -> Match | None:
        orgs: dict[int, tuple[float, str]] = {}
        for index in indexes:
            orgs.setdefault(self._names[index].organization_id, (100.0, self._names[index].text))
        if not orgs:
            return None
        candidates = self._candidates(orgs)
        if len(orgs) == 1:
            best = candidates[0]
            return Match(
                rule, best.organization_id, best.organization_name, 100.0, [], why.format(text=best.matched_text)
            )
        return Match(
            Rule.AMBIGUOUS,
            None,
            None,
            100.0,
            candidates,
            f"{len(orgs)} organizations share {score_text}; the curator must choose.",
        )

    def _match_text(self, text: str) -> Match | None:
        indexes = self._by_text.get(text, [])
        canonical = [i for i in indexes if self._names[i].is_canonical]
        if canonical:
            return self._decide_identical(
                canonical, Rule.EXACT, "this exact name", "Exact: the line is the organization's name as recorded."
            )
        return self._decide_identical(
            indexes, Rule.ALIAS, "this exact alias", 'Alias: the line is identical to the recorded alias "{text}".'
        )

    def _match_key(self, text: str) -> Match | None:
        info = analyse(text)
        hits: dict[int, tuple[float, str]] = {}
        how: dict[int, str] = {}
        lookups = [(info.base_key, "", "the normalized name")]
        if info.key != info.base_key:
            lookups.append((info.key, "", "the normalized name"))
        if info.described:
            lookups[0] = (info.base_key, "", "the name without its description in parentheses")
        if info.home_key:
            lookups.append((info.home_key, "", 'the name without its trailing "Burma" / "Myanmar"'))
        if info.latin:
            lookups += [
                (info.latin, info.other, "its Latin-script part"),
                (info.other, info.latin, "its other-script part"),
            ]
        for key, other, what in lookups:
            for entry in self._entries_with_key(key):
                if len(hits) > GENERIC_KEY_NAMES:
                    break
                if not _acronyms_agree(entry.acronym, info.acronym):
                    continue  # "X (AWDO)" is not "X (ABC)": different acronyms, different groups
                if other and entry.other and not self._same_words(other, entry.other):
                    continue  # "BCC စစ်ကိုင်းတိုင်း" is not "MATA စစ်ကိုင်းတိုင်း"
                for index in entry.names:
                    org = self._names[index].organization_id
                    if org not in hits:
                        hits[org] = (100.0, self._names[index].text)
                        how[org] = what
        if not hits:
            return None
        candidates = self._candidates(hits)
        if len(hits) > 1:
            return Match(
                Rule.AMBIGUOUS,
                None,
                None,
                100.0,
                candidates,
                f"{len(hits)} organizations have the same normalized name as the line; the curator must choose.",
            )
        best = candidates[0]
        return Match(
            Rule.NORMALIZED,
            best.organization_id,
            best.organization_name,
            100.0,
            [],
            f'Normalized: {how[best.organization_id]} equals that of "{best.matched_text}" '
            "(case, punctuation, quotes, dashes or a trailing acronym differ).",
        )

    def _entries_with_key(self, key: str) -> list[_Entry]:
        return [self._entries[entry_id] for entry_id in self._entries_by_key.get(key, ())]

    @staticmethod
    def _same_words(a: str, b: str) -> bool:
        return _compare_tokens(content_tokens(a), content_tokens(b))[0] == SAME

    def _match_acronym(self, text: str) -> Match | None:
        info = analyse(text)
        if not info.acronym_only:
            return None
        orgs = self._by_acronym.get(_acronym_key(text), set())
        if not orgs:
            return None
        scored = {org: (100.0, text) for org in orgs}
        candidates = self._candidates(scored)
        if len(orgs) > 1:
            return Match(
                Rule.AMBIGUOUS,
                None,
                None,
                100.0,
                candidates,
                f'The acronym "{text}" belongs to {len(orgs)} organizations; the curator must choose.',
            )
        best = candidates[0]
        return Match(
            Rule.ACRONYM,
            best.organization_id,
            best.organization_name,
            100.0,
            [],
            f'Acronym: "{text}" is the acronym of exactly one known organization, "{best.organization_name}".',
        )

    def _match_country(self, text: str) -> Match | None:
        """A line without a country, a known name with one in parentheses: "Dragon Dawn" and
        "Dragon Dawn (Japan)". Weak evidence, so only in that direction (a line that adds a country
        may be a chapter: "Global Myanmar Spring Revolution - Japan" is not GMSR itself), only for a
        country (not a town: "Chin Youth Organization (Matupi)"), and only when that is the one
        country-qualified spelling of the name the archive knows (GMSR (South Korea) and GMSR - Japan
        are two chapters: a bare GMSR line could be either).
        Seeds: Dragon Dawn (Japan), We Support (Japan), both groups in Japan printed without it on the
        UNSC letter; no pair of different organizations fits the rule."""
        info = analyse(text)
        if info.country_base or info.other or info.latin:
            return None
        variants = self._country_variants.get(info.base_key, set())
        organizations = {org for org, _, _ in variants}
        if len(organizations) != 1 or not all(in_parentheses for _, in_parentheses, _ in variants):
            return None
        org = next(iter(organizations))
        known = min(known_text for _, _, known_text in variants)
        return Match(
            Rule.NORMALIZED,
            org,
            self._org_name(org),
            100.0,
            [],
            f'Normalized: the line is "{known}" without its country in parentheses, the only spelling '
            "of that name with a country the archive knows.",
        )

    # ---- fuzzy ------------------------------------------------------------------------------

    def _vocabulary_variants(self, token: str) -> set[str]:
        found = {p for p in variant_probes(token) if p in self._postings and token_variant(token, p)}
        for variant in deletion_variants(token):
            for known in self._deletes.get(variant, ()):
                if token_variant(token, known):
                    found.add(known)
        return found

    def _retrieve(self, key: str) -> list[int]:
        """Entry ids worth scoring: those sharing the query's rarest words (or their variants).

        Written for both kinds of postings: sets of entry ids (this in-memory matcher) and Bitsets (the
        stored index, organizations.match_index), hence no in-place set operations."""
        tokens, probes = retrieval_probes(key)
        expanded = [(t, self._vocabulary_variants(t)) for t in probes]
        expanded = [(t, v) for t, v in expanded if v]
        if not expanded:
            return []

        def frequency(item: tuple[str, set[str]]) -> int:
            return sum(len(self._postings[v]) for v in item[1])

        expanded.sort(key=lambda item: (frequency(item), item[0]))
        postings = [self._postings_of(variants) for _, variants in expanded]
        # Seed from the rarest word and narrow by the next rarest ones while that keeps something,
        # until the set is small. Seed again from the second rarest: if the rarest is a word the
        # known name lacks ("... - Japan"), that still finds it (an EXTRA: shown as ambiguous).
        # Set intersections keep this at C speed: ~1 ms a line against 400,000 names.
        found = None
        for seed in range(min(2, len(postings))):
            current = postings[seed]
            for other in postings[seed + 1 :]:
                if len(current) <= CANDIDATES_SCORED:
                    break
                narrowed = current & other
                if narrowed:
                    current = narrowed
            if len(current) > MAX_POSTINGS:
                current = lowest_ids(current, MAX_POSTINGS)
            found = current if found is None else found | current
        # Rank by how many query words (with variants) each entry carries, then by how close its number of
        # words is, then by id; keep the best few. An entry carries a query word exactly when it is in that
        # word's postings, so the counts are set operations (C speed), not a Python loop over up to 40,000
        # entries: `levels[c]` holds the entries found that carry exactly c of the query words.
        levels = [found]
        for posting in postings:
            hit = found & posting
            levels.append(found - found)  # empty, of the postings' own kind
            for count in range(len(levels) - 2, -1, -1):
                moved = levels[count] & hit
                if moved:
                    levels[count] = levels[count] - moved
                    levels[count + 1] = levels[count + 1] | moved
        ranked: list[int] = []
        for level in reversed(levels):
            if level:
                ranked += self._closest_lengths(level, len(tokens), CANDIDATES_SCORED - len(ranked))
                if len(ranked) >= CANDIDATES_SCORED:
                    break
        return ranked[:CANDIDATES_SCORED]

    def _closest_lengths(self, level: set[int], length: int, wanted: int) -> list[int]:
        """The first `wanted` entries of `level` ordered by (|number of words - length|, id)."""
        if len(level) <= 4 * wanted:
            entries = self._entries
            return sorted(level, key=lambda entry_id: (abs(len(entries[entry_id].tokens) - length), entry_id))[:wanted]
        return self._closest_lengths_by_length(level, length, wanted)

    def _closest_lengths_by_length(self, level, length: int, wanted: int) -> list[int]:
        chosen: list[int] = []
        longest = max(self._entries_by_length, default=0)
        for distance in range(max(length, longest) + 1):
            group = None
            for size in {length - distance, length + distance}:
                same_length = self._entries_by_length.get(size)
                if same_length:
                    group = level & same_length if group is None else group | (level & same_length)
            if group:
                chosen += first_ids(group, wanted - len(chosen))
            if len(chosen) >= wanted:
                break
        return chosen[:wanted]

    def _postings_of(self, variants: set[str]) -> set[int]:
        return functools.reduce(operator.or_, (self._postings[v] for v in sorted(variants)))

    def _match_fuzzy(self, text: str) -> Match:
        info = analyse(text)
        zawgyi = ""  # match() says when the line was converted from Zawgyi
        queries = [(info.base_key, "")]
        if info.latin:
            queries += [(info.latin, info.other), (info.other, info.latin)]
        # organization id -> (score, text, verdict, note, score used for "maybe"); the best verdict
        # wins, then the best score
        rank = {SAME: 0, REORDERED: 1, EXTRA: 2, CONFLICT: 3}
        best: dict[int, tuple[float, str, str, str, float]] = {}
        for query, other in queries:
            entry_ids = self._retrieve(query)
            if info.acronym and not other:
                # Names printed with the same acronym are worth scoring even when no word is shared
                # as printed: "KnowUsMoreMyanmar (KUM)" / "Know Us More Myanmar (KUM)".
                same_acronym = sorted(self._entries_by_acronym.get(info.acronym, ()))[:CANDIDATES_SCORED]
                entry_ids = list(dict.fromkeys(entry_ids + same_acronym))
            if not entry_ids:
                continue
            choices = {entry_id: self._entries[entry_id].key for entry_id in entry_ids}
            scored = process.extract(query, choices, scorer=fuzz.token_sort_ratio, limit=len(choices))
            query_tokens = content_tokens(query) or query.split()
            for _, score, entry_id in scored:
                entry = self._entries[entry_id]
                if len(entry.names) > GENERIC_KEY_NAMES:
                    continue
                verdict, only_query, only_known = _compare_tokens(query_tokens, list(entry.tokens), self._postings)
                if verdict == SAME and score < FUZZY_MIN:
                    # All words paired, yet a low score: stop words weigh on it ("Sein Pan Strike
                    # Column" / "Sein Pan Strike") or the spacing differs ("MilkTeaAlliance" / "Milk
                    # Tea Alliance"). Score the content words, then their letters without spaces.
                    score = max(
                        score,
                        fuzz.token_sort_ratio(" ".join(query_tokens), " ".join(entry.tokens)),
                        fuzz.ratio("".join(query_tokens), "".join(entry.tokens)),
                    )
                note = ""
                if verdict == REORDERED and len(query_tokens) >= REORDERED_AUTO_WORDS and score >= FUZZY_MIN:
                    # Every word pairs up, in another order, and there are enough of them that the
                    # order is a translation's, not a different group's: "University of Computer
                    # (Mandalay) Students Union" / "Computer University ( Mandalay ) Student Union".
                    verdict, note = SAME, "the same words in another order"
                spelled = False  # the acronym decides, whatever the score
                if verdict == EXTRA and len(only_query) + len(only_known) == 1:
                    # The shorter name's own acronym must spell the longer name (the acronym of
                    # the longer one always does: "General Strike Committee of Basic and Higher
                    # Education (GSCBHE)" is not "Basic Education General Strikes Committee").
                    longer = list(entry.tokens) if only_known else query_tokens
                    shorter_acronym = info.acronym if only_known else entry.acronym
                    initials = "".join(t[0] for t in longer)
                    if shorter_acronym == initials and len(initials) >= 3:
                        # The word only one side has is spelled by the acronym: "Calgary Karen
                        # Community (CKCA)" is Calgary Karen Community Association (CKCA).
                        verdict, note = (
                            SAME,
                            f'the acronym {initials.upper()} spells the word "{(only_query or only_known)[0]}"',
                        )
                        spelled = True
                    elif min(len(query_tokens), len(entry.tokens)) >= ONE_WORD_MORE_AUTO_WORDS and score >= FUZZY_MIN:
                        verdict, note = SAME, f'a long name with one word more ("{(only_query or only_known)[0]}")'
                if verdict in (SAME, REORDERED) and not _acronyms_agree(entry.acronym, info.acronym):
                    verdict, note = EXTRA, f"the acronyms differ ({info.acronym.upper()} / {entry.acronym.upper()})"
                if verdict in (SAME, REORDERED) and other and entry.other and not self._same_words(other, entry.other):
                    verdict, note = CONFLICT, "the other-script parts differ"
                if not note and (only_query or only_known):
                    note = _describe_difference(only_query, only_known)
                if verdict == EXTRA and score < AMBIGUOUS_MIN and _one_qualifier(only_query, only_known, query_tokens):
                    # "Dragon Dawn" / "Dragon Dawn (Japan)" scores only 79 (short names), yet on the
                    # seeds one added word to a name of 2+ words is most often the same group.
                    score_for_maybe = AMBIGUOUS_MIN
                else:
                    score_for_maybe = max(score, FUZZY_MIN) if spelled else score
                for index in entry.names:
                    org = self._names[index].organization_id
                    current = best.get(org)
                    candidate = (score, self._names[index].text, verdict, note, score_for_maybe)
                    if current is None or (rank[verdict], -score) < (rank[current[2]], -current[0]):
                        best[org] = candidate
        return self._decide_fuzzy(best, zawgyi)

    def _decide_fuzzy(self, best: dict[int, tuple[float, str, str, str, float]], zawgyi: str) -> Match:
        auto = {org: v for org, v in best.items() if v[2] == SAME and v[4] >= FUZZY_MIN}
        maybe = {
            org: v
            for org, v in best.items()
            if org not in auto and v[2] in (SAME, REORDERED, EXTRA) and v[4] >= AMBIGUOUS_MIN
        }
        if len(auto) == 1:
            # One name whose words all pair up beats "maybes" (a word more or less, another order)
            # that score clearly lower: "Basic Education General Strikes Committee" is BEGSC
            # (98.8), not "General Strike Committee of Basic and Higher Education" (85.1).
            top_score = next(iter(auto.values()))[0]
            if all(v[0] <= top_score - CLEAR_MARGIN for v in maybe.values()):
                maybe = {}
        if len(auto) == 1 and not maybe:
            org, (score, text, _, note, _) = next(iter(auto.items()))
            return Match(
                Rule.FUZZY,
                org,
                self._org_name(org),
                round(score, 1),
                self._candidates({o: (v[0], v[1]) for o, v in best.items() if o != org}),
                f'Fuzzy: "{text}" scores {score:.1f} (token sort ratio, threshold {FUZZY_MIN:g}) and every '
                "word pairs up (same, plural or a one-letter slip)" + (f", {note}." if note else ".") + zawgyi,
            )
        if auto or maybe:
            options = {**auto, **maybe}
            candidates = self._candidates({o: (v[0], v[1]) for o, v in options.items()})
            # Fill the list with the nearest misses: the curator chooses among three, and a word
            # translated differently ("Medical" / "Medicine" University) is often the right one.
            near = {o: (v[0], v[1]) for o, v in best.items() if o not in options and v[0] >= NEAR_MISS_MIN}
            candidates += self._candidates(near)[: TOP_CANDIDATES - len(candidates)]
            top = options[candidates[0].organization_id]
            if len(options) > 1:
                why = (
                    f'{len(options)} organizations are close (best "{top[1]}", {top[0]:.1f}); the curator must choose.'
                )
            elif top[2] == REORDERED:
                why = f'"{top[1]}" has the same words in another order ({top[0]:.1f}); the curator must confirm.'
            elif top[2] == EXTRA:
                why = f'"{top[1]}" is close ({top[0]:.1f}) but {top[3]}; the curator must confirm.'
            else:
                why = f'"{top[1]}" scores {top[0]:.1f}, below the automatic threshold {FUZZY_MIN:g}; the curator must confirm.'
            return Match(Rule.AMBIGUOUS, None, None, round(top[0], 1), candidates, why + zawgyi)
        near = {o: (v[0], v[1]) for o, v in best.items() if v[0] >= NEAR_MISS_MIN}
        candidates = self._candidates(near)
        if candidates:
            top = best[candidates[0].organization_id]
            why = f'New: the closest, "{top[1]}" ({top[0]:.1f}), differs: {top[3] or "too different"}.'
        else:
            why = "New: no known name is close."
        return Match(Rule.NEW, None, None, None, candidates, why + zawgyi)


def _acronyms_agree(a: str | None, b: str | None) -> bool:
    """Two names printed with acronyms must carry the same one (one OCR slip allowed:
    JMFCA / JMFCFA); "X - AWDO (Magway)" is not "X - AWDO (Nagphe)" is handled by the words."""
    return not a or not b or token_variant(a, b)


def _one_qualifier(only_query: list[str], only_known: list[str], query_tokens: list[str]) -> bool:
    extra = only_query or only_known
    return len(extra) == 1 and len(query_tokens) - len(only_query) >= 2


def _describe_difference(only_query: list[str], only_known: list[str]) -> str:
    if only_query and only_known:
        return f'"{" ".join(only_query)}" against "{" ".join(only_known)}" (a different place or kind)'
    extra = only_query or only_known
    side = "the line" if only_query else "the known name"
    return f'only {side} has "{" ".join(extra)}"'
