"""An import that fails half-way, on a forced database error, leaves every table exactly as it was."""

import pytest
from django.db import DatabaseError

from letters.importing import build_report, commit_report
from letters.models import Demand, Signature
from organizations.models import Alias
from tests.snapshots import full_snapshot

# Every test here reads the seed letters: loaded once for the module.
pytestmark = pytest.mark.usefixtures("seeded_once")


@pytest.mark.parametrize(
    ("model", "method"),
    [(Signature, "bulk_create"), (Signature, "bulk_update"), (Demand, "bulk_create"), (Alias, "bulk_create")],
)
def test_an_import_failing_half_way_leaves_every_table_as_it_was(seeded, small_letter_text, monkeypatch, model, method):
    before = full_snapshot()
    report = build_report(small_letter_text)

    def fail(*args, **kwargs):
        raise DatabaseError("disk full (forced by the test)")

    monkeypatch.setattr(model.objects, method, fail)
    with pytest.raises(DatabaseError):
        commit_report(report, status="published")

    assert full_snapshot() == before


def test_the_snapshot_sees_a_successful_import(seeded, small_letter_text):
    before = full_snapshot()

    commit_report(build_report(small_letter_text), status="published")

    assert full_snapshot() != before
