"""Backups of the archive, in two formats, and their restore.

- `json` (portable, any database): Django's dumpdata of the archive's apps (organizations, letters, with their
  history) and the curators' accounts, natural foreign keys for permissions; restored by loaddata in one
  transaction. A name ending in .gz, .bz2, .xz or .lzma is compressed. Restores into SQLite or PostgreSQL alike.
- `pg` (PostgreSQL only): `pg_dump -Fc` of the whole database, restored with `pg_restore --clean --if-exists`
  in one transaction. Needs the PostgreSQL client binaries (pg_dump, pg_restore) on PATH.

A backup holds everything, withheld signatures and drafts included: keep it as private as the database itself.
"""

import datetime
import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.serializers import json as django_json
from django.core.serializers import register_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

# Order matters only for deleting; loaddata defers constraint checks until the end of its transaction.
ARCHIVE_APPS = ["organizations", "letters"]
ACCOUNT_MODELS = ["auth.group", "auth.user"]
# Derived from the names and rebuilt on restore (organizations.match_index): not worth copying.
DERIVED_MODELS = [
    "organizations.MatchName",
    "organizations.MatchEntry",
    "organizations.MatchPosting",
    "organizations.MatchVariant",
]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def archive_models(include_auto_created: bool = False) -> list:
    """The models of the archive's apps; with `include_auto_created`, their many-to-many tables too."""
    return [
        model
        for label in ARCHIVE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=include_auto_created)
    ]


def archive_is_empty() -> bool:
    """No row in the archive's apps but the totals row, which is counted afresh and whose revision carries on."""
    return not any(
        model._default_manager.exists() for model in archive_models() if model._meta.label != "letters.PublicTotals"
    )


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's JSON, but times keep their microseconds (DjangoJSONEncoder cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    """The "archive-json" format: Django's json format, read back by the plain json deserializer."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = django_json.Deserializer


def dump_json(path: Path) -> None:
    register_serializer("archive-json", __name__)
    call_command(
        "dumpdata",
        *ACCOUNT_MODELS,
        *ARCHIVE_APPS,
        format="archive-json",
        natural_foreign=True,
        exclude=DERIVED_MODELS,
        output=str(path),
        verbosity=0,
    )


def json_contents(path: Path) -> Counter:
    """Rows by model in a JSON backup (read whole: for --dry-run)."""
    opener = open
    suffix = path.suffix.lower()
    if suffix == ".gz":
        import gzip

        opener = gzip.open
    elif suffix == ".bz2":
        import bz2

        opener = bz2.open
    elif suffix in (".xz", ".lzma"):
        import lzma

        opener = lzma.open
    with opener(path, "rt", encoding="utf-8") as handle:
        return Counter(row["model"] for row in json.load(handle))


def empty_archive() -> None:
    """Delete every row of the archive's apps, history included, but not the totals' revision counter.

    `PublicTotals.revision` only goes up (letters.counts): a revision handed out again could match what a page read
    before the archive was emptied and stores after it (a letter's stored signatory list), so a fresh totals row
    carries it on. Used by restore --replace and generate_archive --force.

    PostgreSQL: one TRUNCATE of every table, which sends no signals and takes seconds at full scale; it locks the
    tables until the transaction ends, so pages wait for the restore or generation rather than read the old archive.
    Elsewhere the ORM's deletes, which send a signal a row: each signature's would recount its letter and
    organization, so they are counted once, at the end, to nothing; each organization's and alias's would take its
    names out of the matcher's index one by one, so the index goes first. A restore --replace of the test archive
    took 22 s, most of it those.
    """
    from letters.counts import counted_once
    from letters.models import Demand, Letter, LetterSlug, PublicTotals, Signature
    from organizations.match_index import clear_match_index
    from organizations.models import Alias, DistinctPair, MergeLog, Organization, OrganizationSlug

    revision = PublicTotals.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
    if connection.vendor == "postgresql":
        tables = [model._meta.db_table for model in archive_models(include_auto_created=True)]
        with connection.cursor() as cursor:
            # TRUNCATE refuses a table with foreign-key checks still deferred, which rows written earlier in the same
            # transaction leave: run them now, then defer them again (Django's foreign keys are INITIALLY DEFERRED,
            # and a restore's loaddata needs them so).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(table) for table in tables))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        clear_match_index()
        with counted_once():
            Signature.objects.update(member_of=None)
            for model in (Signature, Demand, LetterSlug, Letter, Alias, OrganizationSlug, DistinctPair, MergeLog):
                model._default_manager.all().delete()
            Organization.objects.update(parent=None, merged_into=None)
            Organization.objects.all().delete()
        # After the recount, which stores the (empty) totals row: the history tables, the totals and anything else.
        for model in archive_models():
            model._default_manager.all().delete()
    PublicTotals.objects.create(pk=1, revision=revision)


def restore_json(path: Path, *, replace: bool = False) -> None:
    from letters.models import PublicTotals

    with transaction.atomic():
        # The revision counter only goes up, across a restore too: the copy's is older, and a revision given again
        # could match what a page read before the restore and stores after it (a stored signatory list).
        revision = PublicTotals.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
        if not archive_is_empty():
            if not replace:
                raise BackupError("The archive is not empty: restore into an empty database, or pass --replace.")
            empty_archive()
        call_command("loaddata", str(path), verbosity=0)
        PublicTotals.objects.get_or_create(pk=1)
        PublicTotals.objects.filter(pk=1).update(revision=Greatest(F("revision"), Value(revision)))
        # Derived data is recomputed rather than trusted from the copy (loaddata sends raw saves, which the signals
        # that keep it fresh ignore): the public counts, and the matcher's index, which backups leave out.
        from letters.counts import refresh_all_counts
        from organizations.match_index import rebuild_match_index

        refresh_all_counts()
        rebuild_match_index()
        if connection.vendor == "postgresql":
            # Search vectors are derived: rebuild them rather than trust the copy.
            from django.contrib.postgres.search import SearchVector

            from letters.models import Letter

            Letter.objects.update(
                search_vector=SearchVector("title", weight="A", config="english")
                + SearchVector("subject", weight="B", config="english")
                + SearchVector("body", weight="C", config="english")
            )


# --- PostgreSQL --------------------------------------------------------------------------------------------------


def _pg_binary(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client (Debian: postgresql-client).")
    return found


def _pg_arguments(database: dict) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore from a Django DATABASES entry; the password goes in the env."""
    if "postgresql" not in database["ENGINE"]:
        raise BackupError("The pg format needs PostgreSQL; use --format json on this database.")
    args = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if run.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {run.stderr.strip()[-2000:]}")


def dump_pg(path: Path, database: dict) -> None:
    args, env = _pg_arguments(database)
    _run([_pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(path), *args], env)


def restore_pg(path: Path, database: dict) -> None:
    args, env = _pg_arguments(database)
    _run(
        [
            _pg_binary("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(path),
        ],
        env,
    )


def pg_contents(path: Path) -> list[str]:
    """The tables a pg backup holds (pg_restore --list), for --dry-run."""
    run = subprocess.run(
        [_pg_binary("pg_restore"), "--list", str(path)], capture_output=True, text=True, timeout=600, check=False
    )
    if run.returncode != 0:
        raise BackupError(f"pg_restore cannot read {path}: {run.stderr.strip()}")
    return [line.split()[-2] for line in run.stdout.splitlines() if " TABLE DATA " in line]


def detect_format(path: Path) -> str:
    """`pg` for a pg_dump custom-format file (it starts with PGDMP), else `json`."""
    with open(path, "rb") as handle:
        return "pg" if handle.read(5) == b"PGDMP" else "json"
