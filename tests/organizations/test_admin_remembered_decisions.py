"""Remembered decisions: what a curator decides on the import screen is not asked again."""

import pytest
from django.urls import reverse

from letters.importing import build_report
from letters.models import Letter
from organizations.models import Alias, DistinctPair, Organization
from tests.conftest import SMALL_LETTER
from tests.letters.review_form import form_fields

IMPORT_URL = reverse("admin:letters_letter_import")

SECOND_LETTER = """Joint Statement on Coastal Land Grabs

9 May 2023

To: Ministry of Fisheries

We, the undersigned organizations, call on the Ministry to return the land.

Signatories:
1. Mangrove Watch
2. Kalay Youths Network
3. River Keepers
"""


def review_and_confirm(client, text: str, **choices) -> Letter:
    """Review the text and save it with the curator's choices, keyed as "<field>-<position>" ("other-4")."""
    review = client.post(IMPORT_URL, {"text": text, "status": "draft"})
    fields = form_fields(review)
    for name, value in choices.items():
        field, position = name.rsplit("-", 1)
        # A line's form fields are named by its key, which is its position minus one before any line is split.
        fields[f"line-{int(position) - 1}-{field}"] = value
    response = client.post(IMPORT_URL, {**fields, "action": "save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Letter.objects.get(pk=response["Location"].rstrip("/").split("/")[-2])


def make(name: str) -> Organization:
    return Organization.objects.create(name=name, slug=name.lower().replace(" ", "-").replace("'", ""))


def pair(x: Organization, y: Organization) -> tuple[int, int]:
    return (min(x.pk, y.pk), max(x.pk, y.pk))


def distinct_pairs() -> set[tuple[int, int]]:
    return set(DistinctPair.objects.values_list("organization_a_id", "organization_b_id"))


def test_curator_link_makes_spelling_an_alias(admin_client, db):
    existing = make("Mangrove Watchers Alliance")

    letter = review_and_confirm(admin_client, SMALL_LETTER, **{"other-4": existing.slug})

    assert letter.signatures.get(position=4).organization == existing
    assert Alias.objects.filter(organization=existing, name="Mangrove Watch").exists()
    # The next letter printing that spelling is matched to it at once, by the alias.
    decision = next(d for s, d in build_report(SECOND_LETTER).signatories if s.listed_as == "Mangrove Watch")
    assert decision.match.rule == "alias"
    assert decision.organization_id == existing.pk


def test_new_choice_records_distinct_pairs(admin_client, admin_user, db):
    fishers = make("Coastal Fisher Union")  # line 1, "Coastal Fishers Union", matches it (fuzzy: the plural)
    delta = make("Delta Women's Association (Bogale)")  # line 3 is only a maybe of it (ambiguous)
    report = build_report(SMALL_LETTER)
    decisions = {s.position: d for s, d in report.signatories}
    assert decisions[1].organization_id == fishers.pk
    assert [c.organization_id for c in decisions[3].match.candidates] == [delta.pk]

    review_and_confirm(admin_client, SMALL_LETTER, **{"choice-1": "new", "choice-3": "new"})

    new_fishers = Organization.objects.get(name="Coastal Fishers Union")
    new_delta = Organization.objects.get(name="Delta Women's Association")
    assert distinct_pairs() == {pair(new_fishers, fishers), pair(new_delta, delta)}
    assert set(DistinctPair.objects.values_list("decided_by", flat=True)) == {admin_user.pk}
    # The same printed names match their new records exactly next time.
    again = {s.listed_as: d for s, d in build_report(SMALL_LETTER.replace("Shrimp", "Prawn")).signatories}
    assert again["Coastal Fishers Union"].organization_id == new_fishers.pk
    assert again["Coastal Fishers Union"].match.rule == "exact"
    assert again["Delta Women's Association"].organization_id == new_delta.pk


def test_lines_the_matcher_decided_alone_record_no_pair(admin_client, db):
    make("Coastal Fisher Union")

    review_and_confirm(admin_client, SMALL_LETTER)  # no choice: the fuzzy line links, new lines are new

    assert distinct_pairs() == set()


def test_a_candidate_recorded_as_distinct_is_not_offered_again(db):
    kalay = make("Kalay Youth Network")
    japan = make("Kalay Youth Network Japan")
    line = next(d for s, d in build_report(SECOND_LETTER).signatories if s.listed_as == "Kalay Youths Network")
    assert line.organization_id == kalay.pk
    assert [c.organization_id for c in line.match.candidates] == [japan.pk]

    DistinctPair.record([(japan.pk, kalay.pk)])

    line = next(d for s, d in build_report(SECOND_LETTER).signatories if s.listed_as == "Kalay Youths Network")
    assert line.organization_id == kalay.pk
    assert line.match.candidates == []


@pytest.mark.parametrize("order", ["low-high", "high-low"])
def test_distinct_pair_is_stored_once_whatever_the_order(db, order):
    a, b = make("One"), make("Two")
    first, second = (a, b) if order == "low-high" else (b, a)

    assert DistinctPair.record([(first.pk, second.pk)]) == 1
    assert DistinctPair.record([(second.pk, first.pk)]) == 0
    assert distinct_pairs() == {pair(a, b)}
    with pytest.raises(ValueError):
        DistinctPair.record([(a.pk, a.pk)])
