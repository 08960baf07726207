"""The bulk downloads under /data/: every public row once, nothing withheld or draft, streamed."""

import csv
import io

import pytest
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

    with django_assert_num_queries(1):
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
