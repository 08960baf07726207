"""`manage.py import_letter`: JSON report, dry run, and a one-line refusal of bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from letters.models import Letter
from letters.parsing import MAX_INPUT_CHARS
from organizations.models import Organization
from tests.letters.documents import FORMATS_DIR, letter_docx, letter_names

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def letter_file(tmp_path, small_letter_text):
    path = tmp_path / "letter.txt"
    path.write_text(small_letter_text, encoding="utf-8")
    return path


def test_json_report_has_the_documented_shape(db, letter_file, capsys):
    call_command("import_letter", str(letter_file), "--dry-run", "--json")

    report = json.loads(capsys.readouterr().out)
    assert set(report) >= {"letter", "signatories", "demands", "warnings"}
    assert set(report["letter"]) >= {"title", "date", "addressees", "subject", "declared_total", "undisclosed", "kind"}
    assert report["letter"]["date"] == "2023-03-03"
    first = report["signatories"][0]
    assert set(first) >= {"position", "listed_as", "member_of", "match", "organization", "score", "candidates"}
    assert first["match"] == "new"
    assert first["organization"] is None
    assert [d["position"] for d in report["demands"]] == [1, 2]


def test_dry_run_saves_nothing(db, letter_file):
    call_command("import_letter", str(letter_file), "--dry-run")

    assert Letter.objects.count() == 0
    assert Organization.objects.count() == 0


def test_import_saves_a_draft_and_twice_is_a_no_op(db, letter_file, capsys):
    call_command("import_letter", str(letter_file))
    call_command("import_letter", str(letter_file))

    assert Letter.objects.get().status == Letter.Status.DRAFT
    assert "nothing changed" in capsys.readouterr().out


def test_a_corrected_text_goes_into_the_letter_it_corrects(db, letter_file, tmp_path, small_letter_text, capsys):
    call_command("import_letter", str(letter_file), "--publish")
    letter = Letter.objects.get()
    kept = letter.signatures.get(listed_as="Coastal Fishers Union")
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(small_letter_text.replace("5. Justice For Farmers", "5. River Keepers"), encoding="utf-8")

    call_command("import_letter", str(corrected), "--into", letter.slug, "--retract-removed")

    assert "1 lines added, 1 no longer printed, 0 renamed, 0 moved" in capsys.readouterr().out
    assert Letter.objects.count() == 1
    assert letter.signatures.get(listed_as="Coastal Fishers Union").pk == kept.pk
    assert letter.signatures.get(listed_as="Justice For Farmers").retracted_on is not None
    assert Letter.objects.get().status == Letter.Status.PUBLISHED


def test_json_report_has_the_reviews_checks(db, tmp_path, small_letter_text, capsys):
    path = tmp_path / "letter.txt"
    path.write_text(small_letter_text.replace("undersigned 7", "undersigned 9"), encoding="utf-8")

    call_command("import_letter", str(path), "--dry-run", "--json")

    checks = json.loads(capsys.readouterr().out)["checks"]
    assert checks == ["Line 9: the letter states 9 signatories, but 5 named + 2 undisclosed = 7 (2 fewer)."]


def test_stdin_is_read_with_a_dash(db, small_letter_text, monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(small_letter_text.encode())))
    call_command("import_letter", "-", "--dry-run", "--json")

    assert json.loads(capsys.readouterr().out)["letter"]["title"] == "Open Letter on Shrimp Farm Evictions"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"Open letter\x00 with a NUL", "NUL"),
        (bytes(range(256)) * 40, ""),
    ],
    ids=["empty", "whitespace", "nul-byte", "binary"],
)
def test_bad_input_is_refused_in_one_line(db, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)

    with pytest.raises(CommandError) as error:
        call_command("import_letter", str(path))

    text = str(error.value)
    assert "\n" not in text
    assert message.lower() in text.lower()
    assert Letter.objects.count() == 0


def test_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_letter", str(tmp_path / "nope.txt"))


def test_oversized_input_is_refused(db, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Signatory line\n" * (MAX_INPUT_CHARS // 10), encoding="utf-8")

    with pytest.raises(CommandError, match="over the (size )?limit"):
        call_command("import_letter", str(path))
    assert Letter.objects.count() == 0


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage\xff\xfe"], ids=["empty", "binary"])
def test_command_line_error_has_no_traceback_and_fails(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}

    run = subprocess.run(
        [sys.executable, "manage.py", "import_letter", str(path)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


# --- Files as curators receive them (letters/formats) ---


@pytest.mark.parametrize("name", ["letter.pdf", "letter.html"])
def test_a_pdf_or_a_web_page_is_imported_like_its_text(db, name, capsys):
    call_command("import_letter", str(FORMATS_DIR / name), "--dry-run", "--json")

    report = json.loads(capsys.readouterr().out)
    assert [s["listed_as"] for s in report["signatories"]] == letter_names()


def test_a_word_document_is_imported_and_saved(db, tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(letter_docx())

    call_command("import_letter", str(path))

    letter = Letter.objects.get()
    assert letter.title == "Open Letter on the Salween Dams"
    assert [s.listed_as for s in letter.signatures.order_by("position")] == letter_names()


def test_an_image_is_refused_in_one_line_naming_the_accepted_types(db, tmp_path):
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200))

    with pytest.raises(CommandError) as error:
        call_command("import_letter", str(path))

    assert str(error.value).startswith(f"{path}: Unsupported file: a JPEG image. Accepted: plain text")
    assert Letter.objects.count() == 0


def test_standard_input_is_read_as_text_only(db, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((FORMATS_DIR / "letter.pdf").read_bytes())))

    with pytest.raises(CommandError, match="^-: (NUL byte|Not UTF-8)"):
        call_command("import_letter", "-", "--dry-run")
