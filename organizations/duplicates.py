"""Find likely duplicate organizations already in the archive, best first.

Every live organization's names (its name and aliases) are matched against all the *other* organizations
with the import's own matcher, so the finder and the import agree on what "the same" means: an exact
spelling another record carries, the same normalized key, or a fuzzy match whose every word pairs up; a
"maybe" (a word more or less, another order) is listed after them. "Mandalay Women Strike" and "Monywa
Women Strike" never pair: the token guard refuses them, as it does on import.

`matching.py` is not changed for this: `DuplicateMatcher` subclasses its `Matcher` and hides one
organization at a time from its decisions. One subtlety: the token guard never takes a word the archive
knows for an OCR slip of another word ("Mandalar" is not a misprint of "Mandalay"). Within the archive
every word is known, if only from the record being examined, so the finder counts a word as known only
when some *other* organization carries it: "Twonship" printed once, on the duplicate itself, is a slip.

The pairs are cached (the Django cache) under a fingerprint of the organizations and aliases tables, so
the admin page computes them once per change of the archive; "not the same" pairs are left out when read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Q

from organizations.match_index import archive_names
from organizations.matching import AMBIGUOUS_MIN, EXTRA, FUZZY_MIN, REORDERED, SAME, KnownName, Match, Matcher, Rule
from organizations.models import Alias, DistinctPair, Organization

# Rules in the order the list shows them: a record carrying another's exact spelling first, maybes last.
RULE_RANK = {Rule.EXACT: 0, Rule.ALIAS: 0, Rule.NORMALIZED: 1, Rule.ACRONYM: 2, Rule.FUZZY: 3, Rule.AMBIGUOUS: 4}
CACHE_KEY = "organizations:duplicate-pairs:{fingerprint}"
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class DuplicatePair:
    """Two organizations that are probably one, with the matcher's rule, score and reason."""

    first_id: int  # the lower id
    second_id: int
    rule: str
    score: float
    reason: str
    text: str  # the name of one record that matched the other

    @property
    def rank(self) -> tuple:
        return (RULE_RANK.get(Rule(self.rule), 9), -self.score, self.first_id, self.second_id)


class _PostingsWithout(dict):
    """The matcher's word index, where a word carried only by the hidden organization's entries counts as unknown."""

    hidden: frozenset[int] = frozenset()

    def __contains__(self, token: object) -> bool:
        entries = dict.get(self, token)
        return entries is not None and not entries <= self.hidden


class DuplicateMatcher(Matcher):
    """The import's matcher, asked "which *other* organization is this name?"."""

    def __init__(self, names: Iterable[KnownName]) -> None:
        super().__init__(names)
        self._postings = _PostingsWithout(self._postings)
        self._entries_of: dict[int, set[int]] = {}
        for entry_id, entry in enumerate(self._entries):
            for index in entry.names:
                self._entries_of.setdefault(self._names[index].organization_id, set()).add(entry_id)
        self._hidden: int | None = None
        self._fuzzy_best: dict[int, tuple[float, str, str, str, float]] = {}

    def others(self, organization_id: int, text: str) -> list[tuple[int, Match]]:
        """(other organization id, the match that links them) for the organizations `text` may also be."""
        self._hidden = organization_id
        self._postings.hidden = frozenset(self._entries_of.get(organization_id, ()))
        try:
            text = text.strip()
            return self._same_text(text) + self._same_key(text) + self._same_acronym(text) + self._close(text)
        finally:
            self._hidden = None
            self._postings.hidden = frozenset()

    def _same_text(self, text: str) -> list[tuple[int, Match]]:
        found = []
        for index in self._by_text.get(text, ()):
            org, _, canonical = self._names[index]
            if org != self._hidden:
                rule, what = (Rule.EXACT, "name") if canonical else (Rule.ALIAS, "recorded alias")
                why = f"Exact: “{text}” is also the {what} of the other record."
                found.append((org, Match(rule, org, self._org_name(org), 100.0, [], why)))
        return found

    def _same_key(self, text: str) -> list[tuple[int, Match]]:
        match = self._match_key(text)
        if match is None:
            return []
        if match.rule == Rule.NORMALIZED:
            return self._linked(match)
        # Several organizations have the line's normalized key: each other one is a pair on that key.
        return [
            (
                c.organization_id,
                Match(
                    Rule.NORMALIZED,
                    c.organization_id,
                    c.organization_name,
                    100.0,
                    [],
                    f"Normalized: “{text}” and “{c.matched_text}” have the same normalized name "
                    "(case, punctuation, quotes, dashes or a trailing acronym differ).",
                ),
            )
            for c in match.candidates
            if c.organization_id != self._hidden
        ]

    def _same_acronym(self, text: str) -> list[tuple[int, Match]]:
        match = self._match_acronym(text)
        if match is None:
            return []
        # An acronym two organizations share is only a maybe: KWO is both Karen and Kachin Women's Organization.
        return [
            (org, Match(Rule.AMBIGUOUS, org, name, 100.0, [], f"Both carry the acronym “{text}”; check."))
            for org, decided in self._linked(match)
            for name in [decided.organization_name]
        ]

    def _linked(self, match: Match | None) -> list[tuple[int, Match]]:
        if match is None or match.rule == Rule.NEW:
            return []
        if match.rule == Rule.AMBIGUOUS:
            # Several organizations may be this name: each other one is a "maybe" pair, scored as the candidate.
            return [
                (
                    c.organization_id,
                    Match(match.rule, c.organization_id, c.organization_name, c.score, [], match.reason),
                )
                for c in match.candidates
                if c.organization_id != self._hidden
            ]
        if match.organization_id == self._hidden:
            return []
        return [(match.organization_id, match)]

    def _close(self, text: str) -> list[tuple[int, Match]]:
        """Fuzzy neighbours, each judged on its own: a pair is "fuzzy" when every word pairs up (the import would
        link them), a "maybe" (ambiguous) when the import would ask the curator; never when the guard refuses."""
        self._fuzzy_best = {}
        self._match_fuzzy(text)
        found = []
        for org, (score, matched, verdict, note, maybe_score) in self._fuzzy_best.items():
            name = self._org_name(org)
            if verdict == SAME and score >= FUZZY_MIN:
                why = (
                    f"Fuzzy: “{text}” and “{matched}” score {score:.1f} (threshold {FUZZY_MIN:g}) and every word "
                    "pairs up (same, plural or a one-letter slip)."
                )
                found.append((org, Match(Rule.FUZZY, org, name, round(score, 1), [], why)))
            elif verdict in (SAME, REORDERED, EXTRA) and maybe_score >= AMBIGUOUS_MIN:
                if verdict == REORDERED:
                    note = "the same words in another order"
                elif verdict == SAME:
                    note = f"below the automatic threshold {FUZZY_MIN:g}"
                note = note.replace("the line", f"“{text}”").replace("the known name", f"“{matched}”")
                why = f"Maybe: “{text}” and “{matched}” score {score:.1f}, but {note}."
                found.append((org, Match(Rule.AMBIGUOUS, org, name, round(score, 1), [], why)))
        return found

    def _decide_fuzzy(self, best, zawgyi):
        # Keep every scored neighbour (the import only needs the winner); decide as if the record were unknown.
        self._fuzzy_best = {org: v for org, v in best.items() if org != self._hidden}
        return super()._decide_fuzzy(self._fuzzy_best, zawgyi)


def find_pairs(names: list[KnownName]) -> list[DuplicatePair]:
    """Every likely duplicate pair among the organizations `names` describe, best first. Pure Python."""
    matcher = DuplicateMatcher(names)
    texts: dict[int, dict[str, None]] = {}
    for name in names:
        texts.setdefault(name.organization_id, {})[name.text] = None
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    for organization_id, spellings in texts.items():
        for text in spellings:
            for other, match in matcher.others(organization_id, text):
                first, second = sorted((organization_id, other))
                pair = DuplicatePair(
                    first,
                    second,
                    str(match.rule),
                    float(match.score if match.score is not None else 0),
                    match.reason,
                    text,
                )
                current = pairs.get((first, second))
                if current is None or pair.rank < current.rank:
                    pairs[(first, second)] = pair
    return sorted(pairs.values(), key=lambda pair: pair.rank)


def fingerprint() -> str:
    """Changes whenever an organization or an alias is added, removed, renamed or merged."""
    orgs = Organization.objects.aggregate(
        n=Count("pk"), live=Count("pk", filter=Q(merged_into__isnull=True)), changed=Max("updated_at"), top=Max("pk")
    )
    aliases = Alias.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return f"{orgs['n']}-{orgs['live']}-{orgs['top']}-{orgs['changed']}-{aliases['n']}-{aliases['top']}".replace(
        " ", "_"
    )


def duplicate_pairs() -> list[DuplicatePair]:
    """The likely duplicates of the archive as it is now, best first, without the pairs curators said are distinct."""
    key = CACHE_KEY.format(fingerprint=fingerprint())
    pairs = cache.get(key)
    if pairs is None:
        pairs = find_pairs(archive_names())
        cache.set(key, pairs, CACHE_SECONDS)
    distinct = set(DistinctPair.objects.values_list("organization_a_id", "organization_b_id"))
    return [pair for pair in pairs if (pair.first_id, pair.second_id) not in distinct]
