"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import archive.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"],
        cwd=PROJECT_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_variables_means_local_sqlite_with_debug():
    run = load_settings()

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_debug_must_be_a_clear_boolean():
    run = load_settings(DEBUG="maybe")

    assert run.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in run.stderr


def test_production_needs_a_secret_key():
    run = load_settings(DEBUG="False", ALLOWED_HOSTS="letters.example.org")

    assert run.returncode != 0
    assert "SECRET_KEY must be set" in run.stderr


def test_production_needs_allowed_hosts():
    run = load_settings(DEBUG="false", SECRET_KEY="x" * 50)

    assert run.returncode != 0
    assert "ALLOWED_HOSTS must be set" in run.stderr


def test_production_with_both_starts():
    run = load_settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="letters.example.org")

    assert run.returncode == 0, run.stderr


def test_database_url_selects_postgresql():
    run = load_settings(DATABASE_URL="postgres://u:p@localhost:5432/archive")

    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[1] == "django.db.backends.postgresql"


def test_wildcard_hosts_are_refused():
    run = load_settings(ALLOWED_HOSTS="*")

    assert run.returncode != 0
    assert "may not contain '*'" in run.stderr


def test_random_page_cost_must_be_a_number():
    run = load_settings(RANDOM_PAGE_COST="fast")

    assert run.returncode != 0
    assert "RANDOM_PAGE_COST='fast' is not a number" in run.stderr


@pytest.mark.django_db
def test_postgresql_sessions_price_random_reads_for_ssd():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting; CI runs the suite on PostgreSQL too")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
