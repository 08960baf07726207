"""The import pipeline: one transaction, idempotent, nothing half-saved."""

import datetime

import pytest
from django.db import DatabaseError

from letters.importing import (
    ImportConflict,
    build_report,
    commit_report,
    letter_digest,
    pair_with_letter,
    update_letter,
)
from letters.models import Demand, Letter, Signature, Theme
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


# --- Re-import: a corrected text into the letter already in the archive ---

CORRECTED = """Open Letter on Shrimp Farm Evictions

3 March 2023

To: Ministry of Fisheries

Re: Stop the evictions

We, the undersigned 7 organizations, call on the Ministry to stop the evictions. 2 organizations have chosen not to disclose their names.

We demand that the Ministry:
1. Halt all evictions immediately.
2. Compensate the families who lost their homes.

Signatories:
1. Green River Network – GRN
2. Delta Women's Associaton
3. Mangrove Watch
4. River Keepers of Chindwin
5. Coastal Fishers Union
"""


@pytest.fixture
def archived(db, small_letter_text):
    """The small letter, published, with a curator's decisions on it: a line withheld, a note, a line relinked."""
    letter = commit_report(build_report(small_letter_text), status=Letter.Status.PUBLISHED).letter
    lines = {s.listed_as: s for s in letter.signatures.all()}
    mangrove = lines["Mangrove Watch"]
    mangrove.withheld = True
    mangrove.save()
    coastal = lines["Coastal Fishers Union"]
    coastal.note = "Checked with the union by phone."
    coastal.save()
    alliance = Organization.objects.create(name="Mangrove Watchers Alliance", slug="mangrove-watchers-alliance")
    green = lines["Green River Network (GRN)"]
    green.organization = alliance
    green.save()
    return letter


def test_a_corrected_text_shows_what_it_adds_removes_renames_and_moves(archived):
    report = build_report(CORRECTED)

    diff = pair_with_letter(report, archived)

    assert [s.listed_as for s in diff.added] == ["River Keepers of Chindwin"]
    assert [s.listed_as for s in diff.removed] == ["Justice For Farmers"]
    assert [(s.listed_as, line.listed_as) for s, line in diff.renamed] == [
        ("Green River Network (GRN)", "Green River Network – GRN"),
        ("Delta Women's Association", "Delta Women's Associaton"),
    ]
    # Coastal moved to the end; the others only shifted up when it did.
    assert [(s.listed_as, s.position, line.position) for s, line in diff.moved] == [("Coastal Fishers Union", 1, 5)]
    assert diff.kept == 4


def test_a_corrected_text_updates_the_letter_and_keeps_every_curator_decision(archived):
    before = {s.listed_as: s for s in archived.signatures.all()}

    result = update_letter(build_report(CORRECTED), archived.pk, status=Letter.Status.PUBLISHED)

    assert not result.created
    after = {s.listed_as: s for s in Letter.objects.get(pk=archived.pk).signatures.select_related("organization")}
    assert sorted((s.position, name) for name, s in after.items()) == [
        (1, "Green River Network – GRN"),
        (2, "Delta Women's Associaton"),
        (3, "Mangrove Watch"),
        (4, "River Keepers of Chindwin"),
        (5, "Coastal Fishers Union"),
    ]
    assert after["Mangrove Watch"].pk == before["Mangrove Watch"].pk
    assert after["Mangrove Watch"].withheld
    assert after["Coastal Fishers Union"].note == "Checked with the union by phone."
    assert after["Green River Network – GRN"].pk == before["Green River Network (GRN)"].pk
    assert after["Green River Network – GRN"].organization.name == "Mangrove Watchers Alliance"
    assert after["Delta Women's Associaton"].pk == before["Delta Women's Association"].pk
    assert not Signature.objects.filter(pk=before["Justice For Farmers"].pk).exists()
    letter = Letter.objects.get(pk=archived.pk)
    assert letter.source_text == CORRECTED
    assert letter.named_count == 4  # Mangrove Watch is withheld


def test_a_reimport_records_history_for_what_it_changes_and_only_that(archived, small_letter_text):
    coastal = archived.signatures.get(listed_as="Coastal Fishers Union")
    justice = archived.signatures.get(listed_as="Justice For Farmers")
    versions = {s.pk: s.history.count() for s in (coastal, justice)}

    update_letter(
        build_report(small_letter_text.replace("Justice For Farmers", "Justice for Farmers")),
        archived.pk,
        status=Letter.Status.PUBLISHED,
    )

    assert coastal.history.count() == versions[coastal.pk]
    assert justice.history.count() == versions[justice.pk] + 1
    assert justice.history.first().listed_as == "Justice for Farmers"


def test_a_line_no_longer_printed_is_deleted_with_a_version_in_its_history(archived):
    update_letter(build_report(CORRECTED), archived.pk, status=Letter.Status.PUBLISHED)

    removed = Signature.history.filter(listed_as="Justice For Farmers").first()
    assert removed.history_type == "-"


def test_a_published_letters_removed_lines_become_retractions_only_when_asked(archived):
    update_letter(build_report(CORRECTED), archived.pk, status=Letter.Status.PUBLISHED, retract_removed=True)

    justice = archived.signatures.get(listed_as="Justice For Farmers")
    assert justice.retracted_on == datetime.date.today()
    assert justice.position == 6
    assert "Not printed on the corrected text" in justice.retraction_reason


def test_a_line_already_retracted_is_never_deleted(archived):
    justice = archived.signatures.get(listed_as="Justice For Farmers")
    justice.retracted_on = datetime.date(2023, 5, 1)
    justice.retraction_reason = "Withdrew in May."
    justice.save()

    update_letter(build_report(CORRECTED), archived.pk, status=Letter.Status.PUBLISHED)

    justice.refresh_from_db()
    assert justice.retracted_on == datetime.date(2023, 5, 1)
    assert justice.retraction_reason == "Withdrew in May."


def test_a_coalition_no_longer_printed_does_not_take_its_members_with_it(db):
    letter = commit_report(build_report(SMALL_COALITION)).letter
    assert letter.signatures.get(listed_as="Member Two").member_of.listed_as == "Farmers Alliance"
    flat = SMALL_COALITION.split("Signatories:")[0] + "Signatories:\n1. Solo Group\n2. Member One\n3. Member Two\n"

    update_letter(build_report(flat), letter.pk, status=Letter.Status.DRAFT)

    assert sorted(letter.signatures.values_list("listed_as", flat=True)) == ["Member One", "Member Two", "Solo Group"]
    assert letter.signatures.filter(member_of__isnull=False).count() == 0


SMALL_COALITION = """Open letter on seeds

5 May 2023

We call for seed sovereignty.

Signatories:
1. Solo Group
2. Farmers Alliance:
   - Member One
   - Member Two
"""


def test_a_demand_keeps_its_themes_when_the_text_around_it_changes(archived):
    theme = Theme.objects.create(name="Evictions", slug="evictions")
    halt = archived.demands.get(position=1)
    halt.themes.add(theme)
    corrected = CORRECTED.replace(
        "1. Halt all evictions immediately.\n", "1. Return the land.\n2. Halt all evictions immediately.\n"
    ).replace("2. Compensate", "3. Compensate")

    update_letter(build_report(corrected), archived.pk, status=Letter.Status.PUBLISHED)

    demands = list(archived.demands.order_by("position").values_list("position", "text"))
    assert [text for _, text in demands] == [
        "Return the land.",
        "Halt all evictions immediately.",
        "Compensate the families who lost their homes.",
    ]
    assert list(archived.demands.get(text="Halt all evictions immediately.").themes.all()) == [theme]


def test_a_reimport_refuses_a_letter_changed_since_it_was_reviewed(archived):
    reviewed = letter_digest(archived.pk)
    line = archived.signatures.get(listed_as="Justice For Farmers")
    line.withheld = True
    line.save()
    before = archive_counts()

    with pytest.raises(ImportConflict, match="changed since you reviewed it"):
        update_letter(build_report(CORRECTED), archived.pk, status=Letter.Status.PUBLISHED, reviewed_digest=reviewed)

    assert archive_counts() == before
    assert Letter.objects.get(pk=archived.pk).source_text != CORRECTED


def test_a_failed_reimport_changes_nothing(archived, monkeypatch):
    before = list(archived.signatures.order_by("pk").values_list("pk", "position", "listed_as", "withheld"))

    def fail(*args, **kwargs):
        raise DatabaseError("disk full (forced by the test)")

    monkeypatch.setattr(Demand.objects, "bulk_create", fail)
    with pytest.raises(DatabaseError):
        update_letter(build_report(CORRECTED.replace("Halt all", "Stop all")), archived.pk, status="published")

    assert list(archived.signatures.order_by("pk").values_list("pk", "position", "listed_as", "withheld")) == before
