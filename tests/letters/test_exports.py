"""CSV and JSON of the list and detail pages: the same filters as the HTML, public data only."""

import csv
import io
import json

from django.http import StreamingHttpResponse
from django.urls import reverse

from letters.models import Letter, Signature
from organizations.models import Organization
from tests.conftest import build_letter


def read(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    text = read(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def letter_kwargs(letter: Letter) -> dict:
    return {"year": letter.date.year, "month": f"{letter.date:%m}", "day": f"{letter.date:%d}", "slug": letter.slug}


def test_letter_csv_has_one_row_per_named_signatory(client, letter):
    response = client.get(reverse("letters:detail_csv", kwargs=letter_kwargs(letter)))
    rows = csv_rows(response)

    assert response["Content-Disposition"] == 'attachment; filename="2022-07-14-open-letter.csv"'
    assert len(rows) == Signature.objects.filter(letter=letter, withheld=False).count() == 9
    assert rows[0]["organization_id"] == str(Organization.objects.get(slug="open-letter-org-1").pk)
    assert rows[0]["organization_name"] == "open-letter Organization 001"
    assert rows[0]["listed_as"] == "open-letter Organization 001 as printed"
    assert [row["coalition_position"] for row in rows[:5]] == ["", "1", "1", "1", ""]


def test_withheld_signatory_is_not_in_letter_csv_or_json(client, letter):
    text = read(client.get(reverse("letters:detail_csv", kwargs=letter_kwargs(letter))))
    data = client.get(reverse("letters:detail_json", kwargs=letter_kwargs(letter))).json()

    assert "open-letter-org-7" not in text
    assert "open-letter-org-7" not in json.dumps(data)
    assert [row["position"] for row in data["signatories"]] == list(range(1, 10))


def test_interpol_search_csv_has_the_one_matching_letter(client, seeded):
    rows = csv_rows(client.get(reverse("letters:list_csv"), {"q": "INTERPOL"}))

    assert [row["slug"] for row in rows] == ["interpol-ban-myanmar-junta"]
    assert rows[0]["url"] == "http://testserver/letters/2021/11/22/interpol-ban-myanmar-junta/"


def test_letter_list_csv_and_json_honour_filters_and_sort(client, letter, interpol):
    build_letter(2, slug="later", title="Later letter", date=letter.date.replace(year=2024), kind=Letter.Kind.PETITION)

    everything = csv_rows(client.get(reverse("letters:list_csv"), {"sort": "date"}))
    petitions = json.loads(read(client.get(reverse("letters:list_json"), {"kind": "petition"})))
    to_interpol = json.loads(read(client.get(reverse("letters:list_json"), {"addressee": "interpol"})))

    assert [row["slug"] for row in everything] == ["open-letter", "later"]
    assert [row["slug"] for row in petitions] == ["later"]
    assert [row["slug"] for row in to_interpol] == ["open-letter"]
    assert to_interpol[0]["signatories_named"] == 9
    assert to_interpol[0]["signatories_undisclosed"] == 33


def test_letter_list_exports_span_every_page(client, db):
    for n in range(25):
        build_letter(1, slug=f"letter-{n}", org_prefix=f"p{n}")

    assert len(csv_rows(client.get(reverse("letters:list_csv"), {"page": "2"}))) == 25


def test_draft_letter_not_in_list_exports(client, letter, draft_letter):
    text = read(client.get(reverse("letters:list_csv")))
    data = read(client.get(reverse("letters:list_json"), {"signer": "draft-letter-org-1"}))

    assert "draft-letter" not in text
    assert json.loads(data) == []


def test_organization_list_exports_honour_filters_and_hide_withheld_only_signers(client, letter, draft_letter):
    rows = csv_rows(client.get(reverse("organizations:list_csv"), {"q": "Organization 00"}))
    data = json.loads(read(client.get(reverse("organizations:list_json"), {"kind": "intergovernmental_body"})))

    slugs = [row["slug"] for row in rows]
    assert "open-letter-org-1" in slugs
    assert "open-letter-org-7" not in slugs
    assert not [slug for slug in slugs if slug.startswith("draft")]
    assert [org["slug"] for org in data] == ["interpol"]


def test_organization_detail_csv_lists_letters_signed_with_listed_as(client, letter):
    response = client.get(reverse("organizations:detail_csv", kwargs={"slug": "open-letter-org-2"}))
    rows = csv_rows(response)

    assert response["Content-Disposition"] == 'attachment; filename="open-letter-org-2-letters.csv"'
    assert [(row["letter_slug"], row["listed_as"]) for row in rows] == [
        ("open-letter", "open-letter Organization 002 as printed")
    ]


def test_organization_detail_json_shows_what_the_page_shows(client, letter):
    data = client.get(reverse("organizations:detail_json", kwargs={"slug": "interpol"})).json()

    assert data["slug"] == "interpol"
    assert data["letters_signed"] == []
    assert [row["slug"] for row in data["letters_addressed"]] == ["open-letter"]
    assert len(data["demands_received"]) == 1


def test_organization_exports_of_withheld_or_draft_only_signer_are_404(client, letter, draft_letter):
    for slug in ("open-letter-org-7", "draft-letter-org-1"):
        assert client.get(reverse("organizations:detail_csv", kwargs={"slug": slug})).status_code == 404
        assert client.get(reverse("organizations:detail_json", kwargs={"slug": slug})).status_code == 404


def test_pages_link_their_exports_with_the_current_filters(client, letter):
    letters = client.get(reverse("letters:list"), {"q": "arms", "page": "1"}).content.decode()
    organizations = client.get(reverse("organizations:list"), {"kind": "organization"}).content.decode()
    organization = client.get(reverse("organizations:detail", kwargs={"slug": "interpol"})).content.decode()

    assert (
        '<link rel="alternate" type="text/csv" title="These letters (CSV)" href="/letters/letters.csv?q=arms">'
        in letters
    )
    assert '<a href="/letters/letters.json?q=arms">JSON</a>' in letters
    assert 'href="/organizations/organizations.csv?kind=organization"' in organizations
    assert '<link rel="alternate" type="application/json"' in organizations
    assert 'href="/organizations/interpol/letters.csv"' in organization
    assert '<link rel="alternate" type="text/csv" title="Letters signed (CSV)"' in organization


def test_list_csv_query_count_does_not_grow_with_rows(client, django_assert_num_queries, db):
    for n in range(30):
        build_letter(3, slug=f"letter-{n}", org_prefix=f"p{n}")

    with django_assert_num_queries(1):
        read(client.get(reverse("letters:list_csv")))
    with django_assert_num_queries(1):
        read(client.get(reverse("organizations:list_csv")))


def test_a_name_that_looks_like_a_formula_is_text_in_csv_but_as_printed_in_json(client, db):
    from letters.models import Signature
    from tests.conftest import build_letter

    letter = build_letter(3, slug="formula")
    Signature.objects.filter(letter=letter, position=2).update(listed_as='=HYPERLINK("http://x.example","y")')
    base = letter.get_absolute_url()

    csv_text = b"".join(client.get(base + "signatories.csv").streaming_content).decode("utf-8-sig")
    data = client.get(base + "letter.json").json()

    assert "'=HYPERLINK" in csv_text
    assert ',"=HYPERLINK' not in csv_text
    assert any(row["listed_as"].startswith("=HYPERLINK") for row in data["signatories"])
