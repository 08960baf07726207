"""The import pipeline: one transaction, idempotent, nothing half-saved."""

import pytest
from django.db import DatabaseError

from letters.importing import ImportConflict, build_report, commit_report
from letters.models import Demand, Letter, Signature
from organizations.models import Alias, Organization


def archive_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Letter, Signature, Demand, Organization, Alias)}


def test_import_saves_letter_signatures_and_demands(db, small_letter_text):
    result = commit_report(build_report(small_letter_text))

    letter = result.letter
    assert result.created
    assert letter.status == Letter.Status.DRAFT
    assert letter.title == "Open Letter on Shrimp Farm Evictions"
    assert letter.date.isoformat() == "2023-03-03"
    assert letter.declared_signatory_count == 7
    assert letter.undisclosed_signatory_count == 2
    listed = list(letter.signatures.order_by("position").values_list("position", "listed_as"))
    assert listed == [
        (1, "Coastal Fishers Union"),
        (2, "Green River Network (GRN)"),
        (3, "Delta Women's Association"),
        (4, "Mangrove Watch"),
        (5, "Justice For Farmers"),
    ]
    assert letter.demands.count() == 2
    assert Organization.objects.filter(name="Mangrove Watch").count() == 1


def test_reimporting_the_same_text_changes_nothing(db, small_letter_text):
    first = commit_report(build_report(small_letter_text))
    before = archive_counts()

    second = commit_report(build_report(small_letter_text))

    assert not second.created
    assert second.letter.pk == first.letter.pk
    assert archive_counts() == before


def test_second_import_matches_existing_organizations_exactly(db, small_letter_text):
    commit_report(build_report(small_letter_text))
    other = small_letter_text.replace("Open Letter on Shrimp Farm Evictions", "Second letter on evictions")

    report = build_report(other)

    assert {decision.match.rule.value for _, decision in report.signatories} == {"exact"}
    commit_report(report)
    assert Organization.objects.filter(name="Coastal Fishers Union").count() == 1
    assert Signature.objects.filter(organization__name="Coastal Fishers Union").count() == 2


def test_a_failure_half_way_saves_nothing(db, small_letter_text, monkeypatch):
    before = archive_counts()

    def fail(*args, **kwargs):
        raise DatabaseError("disk full (forced by the test)")

    # Demands are written after the letter, organizations and signatures: failing there proves the rollback.
    monkeypatch.setattr(Demand.objects, "bulk_create", fail)
    with pytest.raises(DatabaseError):
        commit_report(build_report(small_letter_text))

    assert archive_counts() == before


def test_another_text_with_the_same_title_and_date_is_refused(db, small_letter_text):
    commit_report(build_report(small_letter_text))
    before = archive_counts()
    edited = small_letter_text.replace("5. Justice For Farmers", "5. Justice For Farmers\n6. Late Signer Collective")

    with pytest.raises(ImportConflict, match="already in the archive"):
        commit_report(build_report(edited))

    assert archive_counts() == before


def test_a_published_letter_needs_a_date(db, small_letter_text):
    undated = small_letter_text.replace("3 March 2023", "")

    with pytest.raises(ImportConflict, match="no date"):
        commit_report(build_report(undated), status=Letter.Status.PUBLISHED)

    assert Letter.objects.count() == 0


def test_every_printed_spelling_becomes_an_alias(db, small_letter_text):
    commit_report(build_report(small_letter_text))
    coastal = Organization.objects.get(name="Coastal Fishers Union")
    variant = small_letter_text.replace("Open Letter on Shrimp Farm Evictions", "Another letter").replace(
        "Coastal Fishers Union", "Coastal Fishers’ Union"
    )

    report = build_report(variant)
    commit_report(report)

    decision = next(d for s, d in report.signatories if s.listed_as == "Coastal Fishers’ Union")
    assert decision.organization_id == coastal.pk
    assert list(coastal.aliases.values_list("name", flat=True)) == ["Coastal Fishers’ Union"]


def test_a_new_name_printed_twice_in_one_list_is_one_signature(db, small_letter_text):
    text = small_letter_text.replace("5. Justice For Farmers", "5. Justice For Farmers\n6. Green River Network – GRN")

    report = build_report(text)
    result = commit_report(report)

    assert [s.position for s, d in report.signatories if d.duplicate_of == 2] == [6]
    assert Organization.objects.filter(name__startswith="Green River Network").count() == 1
    kept = result.letter.signatures.get(position=2)
    assert kept.note == "Printed again at position 6 as “Green River Network – GRN”."
    assert result.letter.signatures.count() == 5


def test_two_different_lines_matching_one_organization_are_left_for_review(db, small_letter_text):
    commit_report(build_report(small_letter_text))
    mangrove = Organization.objects.get(name="Mangrove Watch")
    Alias.objects.create(organization=mangrove, name="Mangrove Watchers Delta")
    text = small_letter_text.replace("Open Letter on Shrimp Farm Evictions", "A third letter").replace(
        "5. Justice For Farmers", "5. Justice For Farmers\n6. Mangrove Watchers Delta"
    )

    report = build_report(text)

    decisions = {s.position: d for s, d in report.signatories}
    assert decisions[4].organization_id == mangrove.pk
    assert decisions[4].match.rule == "exact"
    assert decisions[6].organization_id is None
    assert decisions[6].match.rule == "ambiguous"
    assert "already is Mangrove Watch on this letter" in decisions[6].match.reason


def test_a_slug_already_taken_is_refused_with_a_clear_error(db, small_letter_text):
    commit_report(build_report(small_letter_text), slug="taken")
    other = small_letter_text.replace("Open Letter on Shrimp Farm Evictions", "Another letter entirely")
    before = archive_counts()

    with pytest.raises(ImportConflict, match="'taken' is already used"):
        commit_report(build_report(other), slug="taken")

    assert archive_counts() == before
