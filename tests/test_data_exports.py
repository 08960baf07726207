"""The bulk downloads under /data/: every public row once, nothing withheld or draft, streamed."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse

from letters import exports
from letters.models import Demand, Letter, Signature
from organizations.filters import public_organizations, public_signatures
from organizations.models import Organization
from tests.conftest import build_letter


def download(client, name: str) -> list[dict]:
    response = client.get(reverse("letters:data_file", kwargs={"name": name}))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def co_signature_truth() -> dict[tuple[int, int], int]:
    """Pairs counted the slow, obvious way in Python, for comparison."""
    by_letter: dict[int, set[int]] = {}
    for letter_id, org_id in public_signatures().values_list("letter_id", "organization_id"):
        by_letter.setdefault(letter_id, set()).add(org_id)
    pairs: dict[tuple[int, int], int] = {}
    for orgs in by_letter.values():
        for a in orgs:
            for b in orgs:
                if a < b:
                    pairs[a, b] = pairs.get((a, b), 0) + 1
    return pairs


def test_each_data_file_has_as_many_rows_as_the_archive(client, seeded):
    assert len(download(client, "letters")) == Letter.objects.published().count() == 5
    assert len(download(client, "organizations")) == public_organizations().count()
    assert len(download(client, "signatures")) == public_signatures().count()
    assert len(download(client, "demands")) == Demand.objects.filter(letter__status="published").count()
    assert len(download(client, "addressees")) == Letter.addressees.through.objects.count()
    assert len(download(client, "co-signatures")) == len(co_signature_truth())


def test_signatures_csv_is_streamed_with_ids_and_slugs(client, letter):
    rows = download(client, "signatures")

    first = rows[0]
    assert first["letter_id"] == str(letter.pk)
    assert first["letter_slug"] == "open-letter"
    assert first["letter_date"] == "2022-07-14"
    assert first["organization_id"] == str(Organization.objects.get(slug="open-letter-org-1").pk)
    assert first["organization_slug"] == "open-letter-org-1"
    assert first["position"] == "1"
    assert first["listed_as"] == "open-letter Organization 001 as printed"


def test_withheld_signatory_is_not_in_signatures_csv(client, letter):
    rows = download(client, "signatures")

    assert len(rows) == 9
    assert "open-letter-org-7" not in {row["organization_slug"] for row in rows}
    # Numbered over the public lines: no gap where the withheld line was.
    assert [row["position"] for row in rows] == [str(n) for n in range(1, 10)]


def test_drafts_and_their_organizations_are_in_no_data_file(client, letter, draft_letter):
    for name in exports.TABLES:
        response = client.get(reverse("letters:data_file", kwargs={"name": name}))
        text = b"".join(response.streaming_content).decode()
        assert "draft" not in text.lower(), name
        assert "open-letter-org-7," not in text, name


def test_co_signatures_ignore_withheld_and_drafts(client, db):
    shared = Organization.objects.bulk_create(Organization(name=f"Shared {n}", slug=f"shared-{n}") for n in range(1, 5))
    one = build_letter(0, slug="one")
    two = build_letter(0, slug="two")
    draft = build_letter(0, slug="draft", status=Letter.Status.DRAFT)
    for position, org in enumerate(shared[:3], start=1):
        Signature.objects.create(letter=one, organization=org, position=position, listed_as=org.name)
        Signature.objects.create(letter=two, organization=org, position=position, listed_as=org.name)
    # shared-4 signs the second letter withheld and the draft openly: neither may count.
    Signature.objects.create(letter=two, organization=shared[3], position=4, listed_as="x", withheld=True)
    for position, org in enumerate(shared, start=1):
        Signature.objects.create(letter=draft, organization=org, position=position, listed_as=org.name)

    rows = download(client, "co-signatures")

    pairs = {(row["organization_a_slug"], row["organization_b_slug"]): row["letters"] for row in rows}
    assert pairs == {("shared-1", "shared-2"): "2", ("shared-1", "shared-3"): "2", ("shared-2", "shared-3"): "2"}
    assert {(int(row["organization_a_id"]), int(row["organization_b_id"])) for row in rows} == set(co_signature_truth())


def test_co_signatures_match_python_count_on_seed_letters(client, seeded):
    rows = download(client, "co-signatures")

    counted = {(int(r["organization_a_id"]), int(r["organization_b_id"])): int(r["letters"]) for r in rows}
    assert counted == co_signature_truth()


def test_unknown_data_file_is_404(client, db):
    assert client.get("/data/passwords.csv").status_code == 404


@pytest.mark.parametrize("name", list(exports.TABLES))
def test_data_file_is_one_query_whatever_its_size(client, django_assert_num_queries, letter, name):
    build_letter(40, slug="second", org_prefix="second", demands=(("Act.", None),))

    # On PostgreSQL a table the database writes whole is its COPY and the work_mem that COPY is given.
    copied = connection.vendor == "postgresql" and isinstance(exports.TABLES[name].rows(str), QuerySet)
    with django_assert_num_queries(2 if copied else 1):
        client.get(reverse("letters:data_file", kwargs={"name": name})).getvalue()


def test_data_page_documents_every_file_and_column(client, db):
    html = client.get(reverse("letters:data")).content.decode()

    for table in exports.TABLES.values():
        assert f'href="/data/{table.name}.csv"' in html
        assert f'<link rel="alternate" type="text/csv" title="{table.filename}"' in html
        for column in table.columns:
            assert f"<p><code>{column.name}</code>" in html
    assert "Licence" in html
    assert 'href="/api/docs"' in html


# --- signatures.csv byte for byte ----------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def awkward(letter, draft_letter) -> Letter:
    """Beside `letter` (line 7 withheld, 2-4 under line 1) and a draft: a letter whose coalition line is withheld,
    a coalition printed after its member, one on another letter, retractions, and names a spreadsheet would run."""
    awkward = build_letter(8, slug="awkward", withheld=(1, 5), members=2)  # 2 and 3 under the withheld line 1
    lines = {s.position: s for s in Signature.objects.filter(letter=awkward)}
    lines[4].member_of = lines[6]  # a coalition printed after its member
    lines[6].member_of = Signature.objects.get(letter=letter, position=1)  # a coalition on another letter
    lines[2].listed_as = '=HYPERLINK("http://x.example","click")'
    lines[3].listed_as = '-5, or "minus five"\non two lines'
    lines[4].listed_as = "\tTabbed"
    lines[6].listed_as = "\rCarriage"
    lines[8].listed_as = "@mention + ငြိမ်းချမ်းရေး"
    lines[3].retracted_on = datetime.date(2023, 3, 1)
    lines[3].retraction_reason = "+ signed in error, by mistake"
    lines[8].added_on = datetime.date(2022, 9, 1)
    Signature.objects.bulk_update(
        lines.values(), ["member_of", "listed_as", "retracted_on", "retraction_reason", "added_on"]
    )
    organization = lines[8].organization
    organization.name, organization.slug = "=1+1", "-dash-first"
    organization.save()
    return awkward


def expected_signatures_csv() -> bytes:
    """signatures.csv worked out the slow, obvious way: each published letter's lines that are not withheld, numbered
    1..M; the coalition's number if that line is among them; a formula-looking text cell behind an apostrophe."""
    table = exports.TABLES["signatures"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.name for column in table.columns])
    for letter in Letter.objects.filter(status=Letter.Status.PUBLISHED).order_by("pk"):
        lines = [s for s in letter.signatures.select_related("organization").order_by("position") if not s.withheld]
        number = {line.pk: n for n, line in enumerate(lines, start=1)}
        for s in lines:
            row = (letter.pk, letter.slug, letter.date, s.organization_id, s.organization.slug, s.organization.name)
            row += (number[s.pk], s.listed_as, number.get(s.member_of_id), s.added_on, s.retracted_on)
            row += (s.retraction_reason,)
            writer.writerow(["'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode()


def test_signatures_csv_is_byte_for_byte_the_public_lines_renumbered(client, awkward):
    response = client.get(reverse("letters:data_file", kwargs={"name": "signatures"}))
    body = b"".join(response.streaming_content)

    assert body == expected_signatures_csv()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    mine = [row for row in rows if row["letter_slug"] == "awkward"]
    assert [row["position"] for row in mine] == ["1", "2", "3", "4", "5", "6"]
    # Lines 2 and 3 sit under a withheld coalition; line 4 under line 6 (now 4); line 6 under another letter's line.
    assert [row["coalition_position"] for row in mine] == ["", "", "4", "", "", ""]
    assert mine[0]["listed_as"] == '\'=HYPERLINK("http://x.example","click")'
    assert mine[1]["retraction_reason"] == "'+ signed in error, by mistake"
    assert mine[5]["organization_slug"] == "'-dash-first"


def test_letter_json_carries_the_text_as_printed_and_csv_guards_it(client, awkward):
    kwargs = {"year": 2022, "month": "07", "day": "14", "slug": "awkward"}
    data = client.get(reverse("letters:detail_json", kwargs=kwargs)).json()["signatories"]
    text = b"".join(client.get(reverse("letters:detail_csv", kwargs=kwargs)).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [line["position"] for line in data] == [1, 2, 3, 4, 5, 6]
    assert [line["coalition_position"] for line in data] == [None, None, 4, None, None, None]
    assert data[0]["listed_as"] == '=HYPERLINK("http://x.example","click")'
    assert data[2]["listed_as"] == "\tTabbed"
    assert data[5]["organization_slug"] == "-dash-first"
    assert data[5]["added_on"] == "2022-09-01"
    assert data[0]["retraction_reason"] == ""
    assert [row["listed_as"] for row in rows] == [
        "'" + line["listed_as"] if line["listed_as"].startswith(FORMULA_STARTS) else line["listed_as"] for line in data
    ]
    assert [row["coalition_position"] for row in rows] == ["", "", "4", "", "", ""]


@pytest.mark.parametrize("name", list(exports.TABLES))
def test_the_database_writes_csv_as_csv_writer_does(awkward, name):
    """A table's lines come from COPY on PostgreSQL, from the database's raw values elsewhere: they must be the bytes
    csv.writer makes of the rows the ORM reads."""
    table = exports.TABLES[name]
    written = io.StringIO()
    csv.writer(written).writerows(exports.streamed(table.rows(lambda path: "http://testserver" + path)))

    lines = exports.csv_lines(table.rows(lambda path: "http://testserver" + path))
    made = b"".join(line if isinstance(line, bytes) else line.encode() for line in lines)

    assert made == written.getvalue().encode()
