"""The stored matcher index: a StoredMatcher decides as the full in-memory Matcher does, and the index follows
every way names change (created, renamed, merged, aliases added or removed, an import committed)."""

from array import array

import pytest

from letters.importing import build_report, commit_report
from letters.parsing import parse_letter
from organizations.match_index import (
    archive_names,
    build_matcher,
    known_names,
    rebuild_match_index,
)
from organizations.matching import Matcher, Rule
from organizations.merging import merge_organizations
from organizations.models import Alias, MatchEntry, MatchName, MatchPosting, MatchVariant, Organization
from tests.conftest import SEED_FILES, seed_text


def decision(match):
    return (
        match.rule,
        match.organization_id,
        match.score,
        [(c.organization_id, c.score, c.matched_text) for c in match.candidates],
        match.reason,
    )


def noisy(line: str) -> list[str]:
    """A printed line and the kinds of noise a list adds to it."""
    words = line.split()
    longest = max(words, key=len)
    variants = [line, line.upper(), line.replace("-", " ").replace("(", "").replace(")", ""), line + "s"]
    if len(longest) >= 5:
        slipped = longest[:2] + longest[3:]
        variants.append(line.replace(longest, slipped, 1))
    variants.append(f"{line} Network")
    return variants


def index_contents() -> tuple:
    """The index without its ids: names, entries by key with their names and acronym, postings by key, variants."""
    names = {
        pk: (org, text, canonical)
        for pk, org, text, canonical in MatchName.objects.values_list("pk", "organization_id", "text", "is_canonical")
    }
    entry_key = {pk: (key, other) for pk, key, other in MatchEntry.objects.values_list("pk", "key", "other")}
    linked: dict = {}
    for entry_id, name_id in MatchName.entries.through.objects.values_list("matchentry_id", "matchname_id"):
        linked.setdefault(entry_key[entry_id], []).append(names[name_id])
    entries = {
        (key, other): (acronym, tokens, sorted(linked[(key, other)]))
        for key, other, acronym, tokens in MatchEntry.objects.values_list("key", "other", "acronym", "tokens")
    }
    postings = {}
    for token, length, ids, size in MatchPosting.objects.values_list("token", "length", "entry_ids", "size"):
        unpacked = array("I")
        unpacked.frombytes(bytes(ids))
        assert len(unpacked) == size
        postings[(token, length)] = sorted(entry_key[i] for i in unpacked)
    variants = set(MatchVariant.objects.values_list("variant", "token"))
    return sorted(names.values()), entries, postings, variants


def assert_index_is_complete_and_rebuildable() -> None:
    stored = sorted((n.organization_id, n.text, n.is_canonical) for n in known_names())
    assert stored == sorted((n.organization_id, n.text, n.is_canonical) for n in archive_names())
    incremental = index_contents()
    rebuild_match_index()
    assert index_contents() == incremental


def assert_same_decisions(lines: list[str]) -> None:
    full = Matcher(known_names())
    stored = build_matcher(lines)
    differing = [line for line in lines if decision(stored.match(line)) != decision(full.match(line))]
    assert differing == []


@pytest.mark.django_db
def test_stored_matcher_decides_the_seed_lines_as_the_full_matcher(seeded):
    lines = []
    for name in SEED_FILES:
        lines += [s.listed_as for s in parse_letter(seed_text(name)).signatories]
    lines = list(dict.fromkeys(lines))
    assert_same_decisions(lines + [variant for line in lines[::7] for variant in noisy(line)])


@pytest.mark.django_db
def test_seed_import_keeps_the_index_complete(seeded):
    assert MatchName.objects.count() == len(archive_names())
    assert_index_is_complete_and_rebuildable()


@pytest.mark.django_db
def test_index_follows_creation_rename_alias_and_deletion():
    karen = Organization.objects.create(name="Karen Student Union", slug="ksu", acronym="KSU")
    kachin = Organization.objects.create(name="Kachin Women Network", slug="kwn")
    lines = ["Karen Students Union", "KSU", "Kachin Womens Network", "Mandalay Poets Union"]
    assert build_matcher(lines).match("Karen Students Union").organization_id == karen.pk
    assert build_matcher(lines).match("KSU").organization_id == karen.pk

    karen.name = "Karen Youth Union"
    karen.save()
    assert build_matcher(lines).match("Karen Students Union").organization_id is None
    alias = Alias.objects.create(organization=kachin, name="Mandalay Poets Union")
    assert build_matcher(lines).match("Mandalay Poets Union").rule is Rule.ALIAS
    assert_same_decisions(lines)
    assert_index_is_complete_and_rebuildable()

    alias.delete()
    assert build_matcher(lines).match("Mandalay Poets Union").rule is Rule.NEW
    kachin.delete()
    assert build_matcher(lines).match("Kachin Womens Network").rule is Rule.NEW
    assert_same_decisions(lines)
    assert_index_is_complete_and_rebuildable()


@pytest.mark.django_db
def test_index_follows_a_merge():
    survivor = Organization.objects.create(name="Active Youth Kalay", slug="ayk")
    duplicate = Organization.objects.create(name="Kalay Active Youths", slug="kay")
    Alias.objects.create(organization=duplicate, name="AYK Kalaymyo")
    merge_organizations(survivor, [duplicate])

    matcher = build_matcher(["Kalay Active Youths", "AYK Kalaymyo"])
    assert matcher.match("Kalay Active Youths").organization_id == survivor.pk
    assert matcher.match("AYK Kalaymyo").organization_id == survivor.pk
    assert not MatchName.objects.filter(organization=duplicate).exists()
    assert_index_is_complete_and_rebuildable()


@pytest.mark.django_db
def test_the_next_import_sees_what_a_commit_added(small_letter_text):
    first = build_report(small_letter_text)
    assert {d.match.rule for _, d in first.signatories} == {Rule.NEW}
    commit_report(first)

    again = small_letter_text.replace("Open Letter on Shrimp Farm Evictions", "Second letter").replace(
        "Coastal Fishers Union", "COASTAL FISHERS UNION"
    )
    second = build_report(again)
    rules = {s.listed_as: d.match.rule for s, d in second.signatories}
    assert rules["COASTAL FISHERS UNION"] is Rule.NORMALIZED
    assert rules["Green River Network (GRN)"] is Rule.EXACT
    assert_index_is_complete_and_rebuildable()


@pytest.mark.django_db
def test_build_matcher_reads_a_bounded_number_of_queries(seeded, django_assert_max_num_queries):
    lines = [s.listed_as for s in parse_letter(seed_text("japan")).signatories]
    with django_assert_max_num_queries(40):
        build_matcher(lines)
