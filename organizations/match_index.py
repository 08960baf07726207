"""The matcher's index, stored, so that an import reads only the known names its lines can meet.

`Matcher(names)` analyses every known name and indexes it in memory: 15 s for 200,000 organizations,
for a list of 400 lines. The same analysis is kept in four tables, maintained here whenever names change:

- MatchName: one row per known name (an organization's name, its acronym, each alias), with the keys the
  exact, acronym and country rules look it up by;
- MatchEntry: one row per searchable key (matching._Entry), linked to the names that have it. Ids number
  entries in the order `Matcher(known_names())` creates them, because retrieval breaks ties by entry id;
- MatchPosting: for each word and entry length, the ids of the entries carrying that word;
- MatchVariant: the deletion index of the vocabulary (a word, or the word minus one letter -> the word).

`build_matcher(lines)` returns a StoredMatcher: the in-memory Matcher's own code, running on the part of
the index these lines consult, loaded in a few batched rounds (see StoredMatcher). Its decisions are those
of `Matcher(known_names())`; tests/organizations/test_match_index.py and bench/matcher_index.py check it.

Maintenance: `reindex_organizations(ids)` brings the rows of some organizations up to date (signals call it
for single saves, the import commit and the merge call it for their bulk writes); `rebuild_match_index()`
recomputes everything (after a bulk load, and in the migration that creates the tables).
"""

from __future__ import annotations

import copy
from array import array
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from organizations.matching import (
    CANDIDATES_SCORED,
    Bitset,
    KnownName,
    Match,
    Matcher,
    _acronym_key,
    _Entry,
    _Name,
    acronym_lookup_key,
    analyse,
    deletion_variants,
    entry_keys,
    entry_tokens,
    normalize,
    retrieval_probes,
    variant_probes,
)
from organizations.models import Alias, MatchEntry, MatchName, MatchPosting, MatchVariant, Organization

NameLinks = MatchName.entries.through
BATCH = 5000


def _pack(ids: Iterable[int]) -> bytes:
    return array("I", sorted(ids)).tobytes()  # "I": 4-byte unsigned on every platform we run on


def _unpack(data: bytes | memoryview) -> array:
    ids = array("I")
    ids.frombytes(bytes(data))
    return ids


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------------------------
# The names, from the authority records
# --------------------------------------------------------------------------------------------


def archive_names(organization_ids: Iterable[int] | None = None) -> list[KnownName]:
    """Every name of the live organizations (all, or those of `organization_ids`): name, acronym, aliases.

    Per organization, in this order: what the index appends when an organization is (re)indexed."""
    organizations = Organization.objects.filter(merged_into__isnull=True)
    aliases = Alias.objects.filter(organization__merged_into__isnull=True)
    if organization_ids is not None:
        ids = set(organization_ids)
        organizations, aliases = organizations.filter(pk__in=ids), aliases.filter(organization_id__in=ids)
    names: dict[int, list[KnownName]] = {}
    live: dict[int, str] = {}
    for org_id, name, acronym in organizations.order_by("pk").values_list("pk", "name", "acronym"):
        live[org_id] = name
        names[org_id] = [KnownName(org_id, name, name, True)]
        if acronym:
            names[org_id].append(KnownName(org_id, name, acronym, False))
    for org_id, alias in aliases.order_by("pk").values_list("organization_id", "name"):
        names[org_id].append(KnownName(org_id, live[org_id], alias, False))
    return [name for org_names in names.values() for name in org_names]


def known_names() -> list[KnownName]:
    """Every name the matcher knows, in the index's order: `Matcher(known_names())` is the full in-memory matcher
    whose decisions a StoredMatcher reproduces (the duplicate finder uses it too)."""
    return [
        KnownName(org_id, org_name, text, canonical)
        for org_id, org_name, text, canonical in MatchName.objects.order_by("pk").values_list(
            "organization_id", "organization__name", "text", "is_canonical"
        )
    ]


# --------------------------------------------------------------------------------------------
# Maintenance
# --------------------------------------------------------------------------------------------


def rebuild_match_index() -> int:
    """Recompute the whole index from the organizations and aliases. Returns the number of names."""
    with transaction.atomic():
        clear_match_index()
        names = archive_names()
        _add_names(names)
    return len(names)


def clear_match_index() -> None:
    for model in (NameLinks, MatchName, MatchEntry, MatchPosting, MatchVariant):
        model.objects.all().delete()


def reindex_organizations(organization_ids: Iterable[int]) -> None:
    """Bring the index rows of these organizations in line with their names (renamed, merged, aliases added or
    removed, deleted). Names unchanged keep their rows, so the index order stays that of their first indexing."""
    ids = set(organization_ids)
    if not ids:
        return
    with transaction.atomic():
        names = archive_names(ids)
        wanted = Counter((n.organization_id, n.text, n.is_canonical) for n in names)
        stale = []
        for row_id, *name in (
            MatchName.objects.filter(organization_id__in=ids)
            .order_by("pk")
            .values_list("pk", "organization_id", "text", "is_canonical")
        ):
            if wanted[tuple(name)] > 0:
                wanted[tuple(name)] -= 1
            else:
                stale.append(row_id)
        _remove_names(stale)
        added = [n for n in names if wanted[(n.organization_id, n.text, n.is_canonical)] > 0]
        for name in added:
            wanted[(name.organization_id, name.text, name.is_canonical)] -= 1
        _add_names(added)


def remove_organization(organization_id: int) -> None:
    """Before an organization is deleted: its names leave the index (the cascade would skip the postings)."""
    _remove_names(list(MatchName.objects.filter(organization_id=organization_id).values_list("pk", flat=True)))


def _add_names(names: list[KnownName]) -> None:
    if not names:
        return
    analysed = [(name, analyse(name.text)) for name in names]
    rows = MatchName.objects.bulk_create(
        [
            MatchName(
                organization_id=name.organization_id,
                text=name.text,
                is_canonical=name.is_canonical,
                lookup=name.text.strip(),
                acronym=info.acronym or "",
                acronym_key=acronym_lookup_key(name, info),
                country_base=info.country_base,
                in_parentheses=info.country_in_parentheses,
            )
            for name, info in analysed
        ],
        batch_size=BATCH,
    )
    # Entries are created in the order the in-memory matcher creates them: by name, then by entry_keys().
    keys_of = [entry_keys(info) for _, info in analysed]
    first_acronym: dict[tuple[str, str], str] = {}
    for (_, info), keys in zip(analysed, keys_of, strict=True):
        for key in keys:
            first_acronym.setdefault(key, info.acronym or "")
    entry_ids = _existing_entries(first_acronym)
    new = [
        MatchEntry(key=key, other=other, acronym=acronym, tokens=" ".join(entry_tokens(key)))
        for (key, other), acronym in first_acronym.items()
        if (key, other) not in entry_ids
    ]
    MatchEntry.objects.bulk_create(new, batch_size=BATCH)
    entry_ids.update({(entry.key, entry.other): entry.pk for entry in new})
    NameLinks.objects.bulk_create(
        [
            NameLinks(matchname_id=row.pk, matchentry_id=entry_ids[key])
            for row, keys in zip(rows, keys_of, strict=True)
            for key in keys
        ],
        batch_size=BATCH,
    )
    _change_postings({entry.pk: entry.tokens.split() for entry in new}, add=True)


def _existing_entries(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    wanted = set(keys)
    found: dict[tuple[str, str], int] = {}
    if not MatchEntry.objects.exists():
        return found
    for chunk in _chunks(sorted({key for key, _ in wanted})):
        for pk, key, other in MatchEntry.objects.filter(key__in=chunk).values_list("pk", "key", "other"):
            if (key, other) in wanted:
                found[(key, other)] = pk
    return found


def _remove_names(name_ids: list[int]) -> None:
    if not name_ids:
        return
    touched = set(NameLinks.objects.filter(matchname_id__in=name_ids).values_list("matchentry_id", flat=True))
    MatchName.objects.filter(pk__in=name_ids).delete()
    # An entry's acronym is that of its first name: recompute it where the first name may have gone.
    first_name: dict[int, str] = {}
    for entry_id, acronym in (
        NameLinks.objects.filter(matchentry_id__in=touched)
        .order_by("matchentry_id", "matchname_id")
        .values_list("matchentry_id", "matchname__acronym")
    ):
        first_name.setdefault(entry_id, acronym)
    for entry in MatchEntry.objects.filter(pk__in=first_name):
        if entry.acronym != first_name[entry.pk]:
            MatchEntry.objects.filter(pk=entry.pk).update(acronym=first_name[entry.pk])
    orphans = {
        pk: tokens.split()
        for pk, tokens in MatchEntry.objects.filter(pk__in=touched - first_name.keys()).values_list("pk", "tokens")
    }
    MatchEntry.objects.filter(pk__in=orphans).delete()
    _change_postings(orphans, add=False)


def _change_postings(entries: dict[int, list[str]], *, add: bool) -> None:
    """Add (or remove) entries to the postings of their words; a word new to (or gone from) the vocabulary
    gains (or loses) its deletion variants."""
    changes: dict[tuple[str, int], set[int]] = {}
    for entry_id, tokens in entries.items():
        for token in set(tokens):
            changes.setdefault((token, len(tokens)), set()).add(entry_id)
    if not changes:
        return
    words = sorted({token for token, _ in changes})
    before = _vocabulary(words)
    rows: dict[tuple[str, int], MatchPosting] = {}
    for chunk in _chunks(words):
        for row in MatchPosting.objects.select_for_update().filter(token__in=chunk):
            rows[(row.token, row.length)] = row
    created, updated, emptied = [], [], []
    for (token, length), ids in changes.items():
        row = rows.get((token, length))
        current = set(_unpack(row.entry_ids)) if row else set()
        current = current | ids if add else current - ids
        if row is None:
            created.append(MatchPosting(token=token, length=length, entry_ids=_pack(current), size=len(current)))
        elif current:
            row.entry_ids, row.size = _pack(current), len(current)
            updated.append(row)
        else:
            emptied.append(row.pk)
    MatchPosting.objects.bulk_create(created, batch_size=BATCH)
    MatchPosting.objects.bulk_update(updated, ["entry_ids", "size"], batch_size=BATCH)
    MatchPosting.objects.filter(pk__in=emptied).delete()
    after = _vocabulary(words)
    MatchVariant.objects.bulk_create(
        [MatchVariant(variant=v, token=t) for t in sorted(after - before) for v in deletion_variants(t)],
        batch_size=BATCH,
    )
    for chunk in _chunks(sorted(before - after)):
        MatchVariant.objects.filter(token__in=chunk).delete()


def _vocabulary(words: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(words):
        found.update(MatchPosting.objects.filter(token__in=chunk).values_list("token", flat=True))
    return found


# --------------------------------------------------------------------------------------------
# A matcher for a few lines
# --------------------------------------------------------------------------------------------


class Missing(Exception):
    """The StoredMatcher needs rows it has not loaded: `table` names the lookup, `keys` what to load."""

    def __init__(self, table: str, keys: Iterable) -> None:
        super().__init__(table)
        self.table = table
        self.keys = set(keys)


class Partial(dict):
    """Part of one of the matcher's dicts, loaded from the index. A key loaded (even found absent) answers as the
    full dict would; any other key raises Missing, so a decision is never made on rows that were not read."""

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table
        self.loaded: set = set()

    def _check(self, key) -> None:
        if key not in self.loaded:
            raise Missing(self.table, [key])

    def require(self, keys: Iterable) -> None:
        missing = [key for key in keys if key not in self.loaded]
        if missing:
            raise Missing(self.table, missing)

    def __contains__(self, key) -> bool:
        if dict.__contains__(self, key):
            return True
        self._check(key)
        return False

    def __getitem__(self, key):
        if not dict.__contains__(self, key):
            self._check(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        self._check(key)
        return default


class StoredMatcher(Matcher):
    """The matcher's decisions for given lines, from the stored index instead of every known name.

    It runs Matcher's own code on Partial dicts. `prepare(lines)` matches every line in rounds: a line that
    looks up something not loaded yet raises Missing; the round then loads what all its lines missed, in a few
    queries, and matches them again. The first round loads what the lines' own keys and words name (see
    `_first_lookups`), so most lines settle in two or three rounds, whatever the number of lines.

    Retrieval uses the global postings of the line's words (Bitsets: a common word costs its ids, never its
    names), so the rarest-word order, the narrowing and the ranking by entry id are those of the full matcher;
    only the <= CANDIDATES_SCORED entries it ranks, and the entries with the line's keys, are read with names.
    """

    def __init__(self) -> None:
        super().__init__(())
        self._by_text = Partial("texts")
        self._by_acronym = Partial("acronyms")
        self._country_variants = Partial("countries")
        self._entries_by_key = Partial("keys")
        self._entries = Partial("entries")
        self._entries_by_acronym = Partial("entry acronyms")
        self._postings = Partial("words")
        self._deletes = Partial("deletes")
        self._name_index: dict[int, int] = {}  # MatchName id -> index in self._names
        self._in_parentheses: list[bool] = []  # by index in self._names: for _country_variants
        self._decided: dict[str, Match] = {}
        self._retrieved: dict[str, list[int]] = {}
        self._rows: dict[str, dict[int, Bitset]] = {}  # word -> entry length -> its entries (MatchPosting)

    def add(self, name: KnownName) -> None:
        raise TypeError("A StoredMatcher reads the index: add names through organizations.match_index.")

    def match(self, listed_as: str) -> Match:
        if listed_as not in self._decided:
            self.prepare([listed_as])
        # A copy: the import pipeline edits the candidates of its decisions.
        return copy.deepcopy(self._decided[listed_as])

    def prepare(self, lines: Iterable[str]) -> None:
        pending = [line for line in dict.fromkeys(lines) if line not in self._decided]
        self._load(self._first_lookups(pending))
        while pending:
            wanted: dict[str, set] = {}
            retry = []
            for line in pending:
                try:
                    self._decided[line] = super().match(line)
                except Missing as missing:
                    wanted.setdefault(missing.table, set()).update(missing.keys)
                    retry.append(line)
            self._load(wanted)
            pending = retry

    def _retrieve(self, key: str) -> list[int]:
        ranked = self._retrieved.get(key)
        if ranked is None:  # once a query, however many rounds its line takes
            # Entries by number of words, among those carrying the query's words (all _retrieve ranks).
            words = {v for probe in retrieval_probes(key)[1] for v in self._vocabulary_variants(probe)}
            lengths: dict[int, list[Bitset]] = {}
            for word in sorted(words):
                for length, part in self._rows[word].items():
                    lengths.setdefault(length, []).append(part)
            self._entries_by_length = {n: Bitset.union(parts, disjoint=False) for n, parts in lengths.items()}
            ranked = self._retrieved[key] = super()._retrieve(key)
        self._entries.require(ranked)  # all of them in one round, not one a round
        return ranked

    def _closest_lengths(self, level, length: int, wanted: int) -> list[int]:
        # The lengths of entries not loaded are known by posting (MatchPosting.length), not by entry.
        return self._closest_lengths_by_length(level, length, wanted)

    # ---- loading ----------------------------------------------------------------------------

    @staticmethod
    def _first_lookups(lines: list[str]) -> dict[str, set]:
        """What match() consults for these lines, as far as the lines alone tell."""
        wanted: dict[str, set] = {name: set() for name in ("texts", "keys", "acronyms", "countries", "words")}
        wanted["entry acronyms"], wanted["deletes"] = set(), set()
        for line in lines:
            text = line.strip()
            if not normalize(text):
                continue
            info = analyse(text)
            wanted["texts"].add(text)
            wanted["keys"].update(k for k in (info.base_key, info.key, info.home_key, info.latin, info.other) if k)
            if info.acronym_only:
                wanted["acronyms"].add(_acronym_key(text))
            wanted["countries"].add(info.base_key)
            if info.acronym:
                wanted["entry acronyms"].add(info.acronym)
            for query in (info.base_key, info.latin, info.other):
                tokens, probes = retrieval_probes(query) if query else ([], [])
                wanted["words"].update(tokens)
                for probe in probes:
                    wanted["words"].update(variant_probes(probe))
                    wanted["deletes"].update(deletion_variants(probe))
        return wanted

    def _load(self, wanted: dict[str, set]) -> None:
        # Deletion variants first: the words they lead to are loaded with the others.
        words = set(wanted.get("words", ()))
        if wanted.get("deletes"):
            words |= self._load_deletes(wanted["deletes"] - self._deletes.loaded)
        entry_ids = set(wanted.get("entries", ()))
        if wanted.get("keys"):
            entry_ids |= self._load_keys(wanted["keys"] - self._entries_by_key.loaded)
        if wanted.get("entry acronyms"):
            entry_ids |= self._load_entry_acronyms(wanted["entry acronyms"] - self._entries_by_acronym.loaded)
        # Entries come with their words: the token guard asks how many names carry each of them.
        words |= self._load_entries(entry_ids - self._entries.loaded)
        self._load_postings(words - self._postings.loaded)
        self._load_names("texts", wanted.get("texts", set()) - self._by_text.loaded)
        self._load_names("acronyms", wanted.get("acronyms", set()) - self._by_acronym.loaded)
        self._load_names("countries", wanted.get("countries", set()) - self._country_variants.loaded)

    def _load_deletes(self, variants: set[str]) -> set[str]:
        words = set()
        for chunk in _chunks(sorted(variants)):
            for variant, token in MatchVariant.objects.filter(variant__any=chunk).values_list("variant", "token"):
                dict.setdefault(self._deletes, variant, set()).add(token)
                words.add(token)
        self._deletes.loaded |= variants
        return words

    def _load_postings(self, words: set[str]) -> None:
        for chunk in _chunks(sorted(words)):
            for token, length, ids in MatchPosting.objects.filter(token__any=chunk).values_list(
                "token", "length", "entry_ids"
            ):
                self._rows.setdefault(token, {})[length] = Bitset.of(_unpack(ids))
        for token in words & self._rows.keys():
            dict.__setitem__(self._postings, token, Bitset.union(list(self._rows[token].values()), disjoint=True))
        self._postings.loaded |= words

    def _load_keys(self, keys: set[str]) -> set[int]:
        found: dict[str, list[int]] = {}
        for chunk in _chunks(sorted(keys)):
            for pk, key in MatchEntry.objects.filter(key__any=chunk).values_list("pk", "key"):
                found.setdefault(key, []).append(pk)
        for key, ids in found.items():
            dict.__setitem__(self._entries_by_key, key, tuple(sorted(ids)))
        self._entries_by_key.loaded |= keys
        return {pk for ids in found.values() for pk in ids}

    def _load_entry_acronyms(self, acronyms: set[str]) -> set[int]:
        # Fuzzy matching scores the first CANDIDATES_SCORED entries (by id) printed with the line's acronym.
        found: dict[str, set[int]] = {}
        for chunk in _chunks(sorted(acronyms)):
            ranked = MatchEntry.objects.filter(acronym__any=chunk).annotate(
                rank=Window(RowNumber(), partition_by=[F("acronym")], order_by=F("pk").asc())
            )
            for pk, acronym in ranked.filter(rank__lte=CANDIDATES_SCORED).values_list("pk", "acronym"):
                found.setdefault(acronym, set()).add(pk)
        for acronym, ids in found.items():
            dict.__setitem__(self._entries_by_acronym, acronym, ids)
        self._entries_by_acronym.loaded |= acronyms
        return {pk for ids in found.values() for pk in ids}

    def _load_entries(self, entry_ids: set[int]) -> set[str]:
        if not entry_ids:
            return set()
        rows: dict[int, tuple] = {}
        names_of: dict[int, list[int]] = {}
        for chunk in _chunks(sorted(entry_ids)):
            for row in MatchEntry.objects.filter(pk__any=chunk).values_list("pk", "key", "other", "acronym", "tokens"):
                rows[row[0]] = row
            for entry_id, name_id in (
                NameLinks.objects.filter(matchentry_id__any=chunk)
                .order_by("matchname_id")
                .values_list("matchentry_id", "matchname_id")
            ):
                names_of.setdefault(entry_id, []).append(name_id)
        self._add_names_by_id({name_id for ids in names_of.values() for name_id in ids})
        words = set()
        for pk, key, other, acronym, tokens in rows.values():
            indexes = tuple(self._name_index[name_id] for name_id in names_of.get(pk, ()))
            dict.__setitem__(self._entries, pk, _Entry(key, tuple(tokens.split()), acronym or None, other, indexes))
            words.update(tokens.split())
        self._entries.loaded |= entry_ids
        return words

    def _load_names(self, table: str, keys: set[str]) -> None:
        if not keys:
            return
        column = {"texts": "lookup", "acronyms": "acronym_key", "countries": "country_base"}[table]
        found: dict[str, list[int]] = {}
        for chunk in _chunks(sorted(keys)):
            for pk, key in MatchName.objects.filter(**{f"{column}__any": chunk}).values_list("pk", column):
                found.setdefault(key, []).append(pk)
        self._add_names_by_id({pk for ids in found.values() for pk in ids})
        target = {"texts": self._by_text, "acronyms": self._by_acronym, "countries": self._country_variants}[table]
        for key, ids in found.items():
            indexes = [self._name_index[pk] for pk in sorted(ids)]
            if table == "texts":
                value = tuple(indexes)
            elif table == "acronyms":
                value = {self._names[i].organization_id for i in indexes}
            else:
                value = {
                    (self._names[i].organization_id, self._in_parentheses[i], self._names[i].text) for i in indexes
                }
            dict.__setitem__(target, key, value)
        target.loaded |= keys

    def _add_names_by_id(self, name_ids: set[int]) -> None:
        for chunk in _chunks(sorted(name_ids - self._name_index.keys())):
            for pk, org_id, org_name, text, canonical, in_parentheses in (
                MatchName.objects.filter(pk__any=chunk)
                .order_by("pk")
                .values_list("pk", "organization_id", "organization__name", "text", "is_canonical", "in_parentheses")
            ):
                self._name_index[pk] = len(self._names)
                self._in_parentheses.append(in_parentheses)
                self._names.append(_Name(org_id, text, canonical))
                self._org_names[org_id] = org_name


def build_matcher(lines: Iterable[str]) -> StoredMatcher:
    """A matcher that decides these lines as Matcher(known_names()) would, reading only what they need."""
    matcher = StoredMatcher()
    matcher.prepare(lines)
    return matcher


# --------------------------------------------------------------------------------------------
# Signals: single saves and deletes (admin edits, get_or_create). Bulk writes call reindex_organizations.
# --------------------------------------------------------------------------------------------


@receiver(post_save, sender=Organization)
def _organization_saved(sender, instance: Organization, raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata restores the index's own rows
        reindex_organizations([instance.pk])


@receiver(pre_delete, sender=Organization)
def _organization_deleted(sender, instance: Organization, **kwargs) -> None:
    remove_organization(instance.pk)


@receiver(pre_save, sender=Alias)
def _alias_changing(sender, instance: Alias, raw: bool = False, **kwargs) -> None:
    # An alias moved to another organization: both are reindexed once it is saved.
    instance._previous_organization_id = (
        None
        if raw or instance.pk is None
        else Alias.objects.filter(pk=instance.pk).values_list("organization_id", flat=True).first()
    )


@receiver(post_save, sender=Alias)
def _alias_saved(sender, instance: Alias, raw: bool = False, **kwargs) -> None:
    if not raw:
        reindex_organizations({instance.organization_id, getattr(instance, "_previous_organization_id", None)} - {None})


@receiver(post_delete, sender=Alias)
def _alias_deleted(sender, instance: Alias, **kwargs) -> None:
    # Only this spelling's row goes: the organization may be being deleted too, so nothing is re-read from it.
    row = (
        MatchName.objects.filter(organization_id=instance.organization_id, text=instance.name, is_canonical=False)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if row is not None:
        _remove_names([row])
