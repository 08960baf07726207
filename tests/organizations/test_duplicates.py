"""The duplicate finder: likely duplicate pairs already in the archive, best first, minus what curators decided."""

import pytest
from django.core.cache import cache

from letters.importing import CuratorChoice, apply_choices, build_report, commit_report
from organizations.duplicates import duplicate_pairs, find_pairs
from organizations.matching import KnownName
from organizations.merging import merge_organizations
from organizations.models import Alias, DistinctPair, Organization


def known(*names: str) -> list[KnownName]:
    return [KnownName(n, name, name, True) for n, name in enumerate(names, start=1)]


def pair_names(pairs, names: list[KnownName]) -> list[tuple[str, str]]:
    by_id = {name.organization_id: name.text for name in names}
    return [(by_id[p.first_id], by_id[p.second_id]) for p in pairs]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_spellings_of_one_group_pair_up_and_look_alikes_do_not():
    names = known(
        "Active Youth (Kalay)",
        "Active Youths (Kalay)",
        "Active Youths Kalaymyo",
        "Mandalay Women Strike",
        "Monywa Women Strike",
        "Mandalay Youth Strike",
    )

    found = pair_names(find_pairs(names), names)

    assert ("Active Youth (Kalay)", "Active Youths (Kalay)") in found
    assert ("Active Youths (Kalay)", "Active Youths Kalaymyo") in found
    assert ("Active Youth (Kalay)", "Active Youths Kalaymyo") in found
    assert ("Mandalay Women Strike", "Monywa Women Strike") not in found
    assert ("Mandalay Women Strike", "Mandalay Youth Strike") not in found
    assert len(found) == 3


def test_an_ocr_slip_carried_by_one_record_only_is_a_duplicate():
    # The matcher never takes a word the archive knows for a slip of another known word. In the archive every
    # word is known, if only from the record examined: a word counts as known when another record carries it.
    # "Twonship" is printed on one record only: a slip. "Mandalar" and "Mandalay" are both known elsewhere:
    # two real places, two universities.
    names = known(
        "Kalay Twonship Youth Network",
        "Kalay Township Youth Network",
        "Mandalar University",
        "Mandalay University",
        "Mandalar Township",
        "Mandalay Youth Strike",
    )

    found = pair_names(find_pairs(names), names)

    assert found == [("Kalay Twonship Youth Network", "Kalay Township Youth Network")]
    assert find_pairs(names)[0].rule == "fuzzy"


def test_best_pairs_come_first():
    names = known(
        "Green River Network",
        "GREEN RIVER NETWORK",
        "Dragon Dawn",
        "Dragon Dawn (Japan)",
        "Coastal Fisher Union",
        "Coastal Fishers Union",
    )

    pairs = find_pairs(names)

    assert [p.rule for p in pairs] == ["normalized", "fuzzy", "ambiguous"]
    assert pair_names(pairs, names)[0] == ("Green River Network", "GREEN RIVER NETWORK")
    assert pairs[1].score >= 88
    assert "Japan" in pairs[2].reason


def test_an_alias_of_one_record_that_is_another_records_name_is_a_pair():
    names = [
        KnownName(
            1, "Assistance Association for Political Prisoners", "Assistance Association for Political Prisoners", True
        ),
        KnownName(1, "Assistance Association for Political Prisoners", "AAPP Burma", False),
        KnownName(2, "AAPP Burma", "AAPP Burma", True),
    ]

    pairs = find_pairs(names)

    assert [(p.first_id, p.second_id, p.rule) for p in pairs] == [(1, 2, "exact")]


def make(name: str) -> Organization:
    return Organization.objects.create(name=name, slug=name.lower().replace(" ", "-").replace("(", "").replace(")", ""))


def test_not_the_same_pair_is_never_proposed_again(db, admin_client):
    a, b, c = make("Active Youth (Kalay)"), make("Active Youths (Kalay)"), make("Active Youths Kalaymyo")
    assert {(p.first_id, p.second_id) for p in duplicate_pairs()} == {(a.pk, b.pk), (a.pk, c.pk), (b.pk, c.pk)}

    response = admin_client.post(
        "/admin/organizations/organization/duplicates/not-the-same/", {"first": c.pk, "second": a.pk}
    )

    assert response.status_code == 302
    assert DistinctPair.objects.filter(organization_a=a, organization_b=c).exists()
    assert {(p.first_id, p.second_id) for p in duplicate_pairs()} == {(a.pk, b.pk), (b.pk, c.pk)}
    # ...nor after the archive changed (a new alias, a new record), nor in either order.
    Alias.objects.create(organization=c, name="Active Youths, Kalaymyo")
    make("Active Youth Kalaymyo Township")
    assert (a.pk, c.pk) not in {(p.first_id, p.second_id) for p in duplicate_pairs()}


def test_merged_records_are_not_listed(db):
    a, b, c = make("Active Youth (Kalay)"), make("Active Youths (Kalay)"), make("Mandalay Women Strike")
    assert [(p.first_id, p.second_id) for p in duplicate_pairs()] == [(a.pk, b.pk)]

    merge_organizations(a, [b], user=None)

    assert duplicate_pairs() == []
    assert c


def test_curator_choice_of_a_new_organization_keeps_the_pair_out_of_the_finder(db, small_letter_text):
    existing = make("Coastal Fisher Union")
    report = build_report(small_letter_text)
    line = next(d for s, d in report.signatories if s.listed_as == "Coastal Fishers Union")
    assert line.organization_id == existing.pk  # fuzzy: the plural

    apply_choices(report, {1: CuratorChoice(CuratorChoice.NEW)})
    commit_report(report)

    new = Organization.objects.get(name="Coastal Fishers Union")
    assert (min(new.pk, existing.pk), max(new.pk, existing.pk)) not in {
        (p.first_id, p.second_id) for p in duplicate_pairs()
    }
    assert find_pairs(
        [KnownName(existing.pk, existing.name, existing.name, True), KnownName(new.pk, new.name, new.name, True)]
    )  # the matcher alone would still pair them
