"""Backups restore every letter, signature, organization, alias and demand exactly as they were."""

import datetime
import shutil
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from letters.backups import archive_is_empty, empty_archive
from letters.models import Letter, PublicTotals, Signature
from organizations.models import Organization
from tests.snapshots import archive_snapshot


@pytest.fixture
def lived_archive(seeded):
    """The seed letters plus the awkward cases: a withheld line, a retraction, a draft, a merged record, history."""
    signature = Signature.objects.order_by("pk").first()
    signature.retracted_on = datetime.date(2024, 5, 1)
    signature.retraction_reason = "Withdrawn after a vote of its members."
    signature.save()
    withheld = Signature.objects.order_by("-pk").first()
    withheld.withheld = True
    withheld.save()
    draft = Letter.objects.order_by("pk").first()
    draft.status = Letter.Status.DRAFT
    draft.save()
    first, second = Organization.objects.filter(signatures__isnull=True).order_by("pk")[:2] or (None, None)
    if first and second:
        second.merged_into = first
        second.save()


def test_json_backup_restores_into_an_empty_archive_identical(lived_archive, tmp_path):
    before = archive_snapshot()
    history_before = Signature.history.count()
    path = tmp_path / "archive.json.gz"

    call_command("backup_archive", str(path), "--format", "json", verbosity=0)
    empty_archive()
    assert Letter.objects.count() == Organization.objects.count() == Signature.history.count() == 0
    call_command("restore_archive", str(path), verbosity=0)

    after = archive_snapshot()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert Signature.history.count() == history_before
    assert len(before["letters_signature"]) > 1000


def test_json_restore_refuses_a_non_empty_archive_unless_replace(lived_archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("backup_archive", str(path), verbosity=0)
    before = archive_snapshot()

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_archive", str(path), verbosity=0)
    Letter.objects.filter(pk=Letter.objects.order_by("pk").values("pk")[:1]).update(title="Changed after the backup")
    call_command("restore_archive", str(path), "--replace", verbosity=0)

    assert archive_snapshot() == before


def test_restore_dry_run_lists_the_backup_and_changes_nothing(lived_archive, tmp_path, capsys):
    path = tmp_path / "archive.json"
    call_command("backup_archive", str(path), verbosity=0)
    before = archive_snapshot()

    call_command("restore_archive", str(path), "--dry-run")

    assert "letters.signature: " in capsys.readouterr().out
    assert archive_snapshot() == before


def test_pg_format_needs_postgresql(db, tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("this database is PostgreSQL")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("backup_archive", str(tmp_path / "x.dump"), "--format", "pg")


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not on PATH")
def test_pg_dump_restores_into_a_fresh_database_identical(transactional_db, django_db_blocker, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump backups need PostgreSQL (CI runs the suite on PostgreSQL too)")
    import psycopg
    from psycopg import sql

    from letters.backups import restore_pg

    call_command("load_seed_letters", verbosity=0)
    Signature.objects.filter(pk=Signature.objects.order_by("pk").values("pk")[:1]).update(
        retracted_on=datetime.date(2024, 5, 1), retraction_reason="Withdrawn."
    )
    tables = ["letters_letter", "letters_signature", "organizations_organization", "organizations_alias"]
    tables += ["letters_demand", "letters_letter_addressees"]
    path = tmp_path / "archive.dump"
    call_command("backup_archive", str(path), "--format", "pg", verbosity=0)

    settings = connection.settings_dict
    params = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"]}
    params["password"] = settings["PASSWORD"]
    fresh = f"restore_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname=settings["NAME"], autocommit=True, **params) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    try:
        restore_pg(path, {**settings, "NAME": fresh})

        def rows(dbname: str) -> dict:
            with psycopg.connect(dbname=dbname, **params) as conn:
                return {
                    table: conn.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(sql.Identifier(table))).fetchall()
                    for table in tables
                }

        original, restored = rows(settings["NAME"]), rows(fresh)
        for table in tables:
            assert restored[table] == original[table], table
        assert len(restored["letters_signature"]) > 1000
    finally:
        with psycopg.connect(dbname=settings["NAME"], autocommit=True, **params) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh)))


def test_a_restore_never_gives_a_letter_a_revision_used_before(lived_archive, tmp_path):
    path = tmp_path / "archive.json"
    call_command("backup_archive", str(path), verbosity=0)
    letter = Letter.objects.order_by("pk").first()
    for _ in range(3):
        letter.save()  # the counter moves on after the backup
    highest = PublicTotals.objects.get(pk=1).revision

    call_command("restore_archive", str(path), "--replace", verbosity=0)

    assert min(Letter.objects.values_list("signatures_revision", flat=True)) > highest


def test_emptying_the_archive_deletes_every_row_but_carries_the_revision_counter_on(lived_archive):
    PublicTotals.objects.filter(pk=1).update(revision=F("revision") + 50)
    highest = PublicTotals.objects.get(pk=1).revision
    assert Signature.history.exists() and Letter.addressees.through.objects.exists()

    empty_archive()

    assert archive_is_empty()
    assert not Letter.addressees.through.objects.exists()  # a many-to-many table, which archive_is_empty leaves out
    assert PublicTotals.objects.get(pk=1).revision == highest
