"""The read-only JSON API: public data only, the pages' filters, pagination, pinned query counts."""

import csv
import io
import json

import pytest

from letters.models import Demand, Letter, Theme
from organizations.models import Organization
from tests.conftest import build_letter


def get(client, path: str, **params) -> dict:
    response = client.get(f"/api/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_letter_list_item_has_stable_id_url_and_public_counts(client, letter):
    data = get(client, "letters")

    assert data["count"] == 1
    assert data["next"] is None
    item = data["results"][0]
    assert item["id"] == letter.pk
    assert item["url"] == "http://testserver/letters/2022/07/14/open-letter/"
    assert item["signatories_named"] == 9
    assert item["signatories_undisclosed"] == 33
    assert item["addressees"] == [
        {
            "id": item["addressees"][0]["id"],
            "slug": "interpol",
            "name": "INTERPOL",
            "url": "http://testserver/organizations/interpol/",
        }
    ]


def test_draft_letter_not_in_api(client, letter, draft_letter):
    everything = json.dumps(
        [get(client, path) for path in ("letters", "organizations", "signatures", "demands")], ensure_ascii=False
    )

    assert "draft" not in everything.lower()
    assert client.get(f"/api/letters/{draft_letter.pk}").status_code == 404
    draft_demand = Demand.objects.get(letter=draft_letter)
    assert client.get(f"/api/demands/{draft_demand.pk}").status_code == 404
    addressee = Organization.objects.get(slug="draft-addressee")
    assert client.get(f"/api/organizations/{addressee.pk}").status_code == 404


def test_withheld_signatory_is_not_in_api(client, letter):
    withheld = Organization.objects.get(slug="open-letter-org-7")
    signatures = get(client, "signatures", limit=100)["results"]

    assert len(signatures) == 9
    assert withheld.pk not in {row["organization_id"] for row in signatures}
    assert [row["position"] for row in signatures] == list(range(1, 10))
    assert [row["coalition_position"] for row in signatures[:5]] == [None, 1, 1, 1, None]
    assert client.get(f"/api/organizations/{withheld.pk}").status_code == 404
    assert get(client, "signatures", organization="open-letter-org-7")["count"] == 0
    assert get(client, "letters", signer="open-letter-org-7")["count"] == 0


def test_signature_position_is_public_position_when_filtered_by_organization(client, letter):
    row = get(client, "signatures", organization="open-letter-org-8")["results"][0]

    assert row["id"] == f"{letter.pk}-{row['organization_id']}"
    assert row["position"] == 7
    assert row["letter_url"] == "http://testserver/letters/2022/07/14/open-letter/"


def test_letter_filters_are_the_pages_filters(client, seeded):
    assert [item["slug"] for item in get(client, "letters", q="INTERPOL")["results"]] == ["interpol-ban-myanmar-junta"]
    assert get(client, "letters", date_after="2024-01-01")["count"] == 1
    assert get(client, "letters", kind="press_release")["count"] == 1
    dates = [item["date"] for item in get(client, "letters", sort="date")["results"]]
    assert dates == sorted(dates)


def test_organization_filters_and_detail(client, letter):
    data = get(client, "organizations", kind="intergovernmental_body")
    detail = get(client, f"organizations/{data['results'][0]['id']}")

    assert [org["slug"] for org in data["results"]] == ["interpol"]
    assert detail["url"] == "http://testserver/organizations/interpol/"
    assert get(client, "organizations", q="Organization 007")["count"] == 0


def test_letter_detail_has_body_and_demands(client, letter):
    data = get(client, f"letters/{letter.pk}")

    assert data["body"].startswith("We, the undersigned")
    assert [d["text"] for d in data["demands"]] == ["Suspend the junta's access to I-24/7.", "Publish the decision."]
    assert data["demands"][0]["target"]["slug"] == "interpol"


def test_demands_filter_by_target_and_theme(client, letter):
    embargo = Theme.objects.create(name="Arms embargo", slug="arms-embargo")
    Demand.objects.get(position=2, letter=letter).themes.add(embargo)

    assert [d["position"] for d in get(client, "demands", target="interpol")["results"]] == [1]
    themed = get(client, "demands", theme="arms-embargo")["results"]
    assert [(d["position"], d["themes"]) for d in themed] == [(2, ["arms-embargo"])]


def test_pagination_links_and_max_limit(client, db):
    for n in range(5):
        build_letter(1, slug=f"letter-{n}", org_prefix=f"p{n}")

    first = get(client, "letters", limit=2)
    second = client.get(first["next"]).json()

    assert first["count"] == 5
    assert first["next"] == "http://testserver/api/letters?limit=2&offset=2"
    assert second["previous"] == "http://testserver/api/letters?limit=2&offset=0"
    assert {i["id"] for i in first["results"]}.isdisjoint(i["id"] for i in second["results"])
    assert client.get("/api/letters", {"limit": 501}).status_code == 422
    assert client.get("/api/letters", {"offset": 10**30}).status_code == 422


def test_bad_filter_value_is_a_client_error(client, db):
    assert client.get("/api/letters", {"q": "a\x00b"}).status_code == 400
    assert client.get("/api/letters", {"kind": "nonsense"}).status_code == 422
    assert client.get("/api/letters/999999999").status_code == 404


def seed_archive(letters: int, signatures: int) -> None:
    theme = Theme.objects.create(name="Sanctions", slug="sanctions")
    target = Organization.objects.create(name="ASEAN", slug="asean")
    for n in range(letters):
        letter = build_letter(
            signatures, slug=f"letter-{n}", org_prefix=f"p{n}", addressees=(target,), withheld=(2,), members=2,
            demands=(("Act.", target), ("Sanction.", None)),
        )  # fmt: skip
        for demand in letter.demands.all():
            demand.themes.add(theme)


# count, then the page (with its joins and numbering subqueries), then the page's prefetches
QUERIES = {"letters": 3, "organizations": 2, "signatures": 2, "demands": 3}


@pytest.mark.parametrize("endpoint", QUERIES)
@pytest.mark.parametrize("limit", [5, 100])
def test_list_query_count_does_not_grow_with_page_size(client, django_assert_num_queries, db, endpoint, limit):
    seed_archive(letters=30, signatures=6)

    with django_assert_num_queries(QUERIES[endpoint]):
        data = get(client, endpoint, limit=limit)
    assert len(data["results"]) == min(limit, data["count"])
    assert data["count"] > 5


@pytest.mark.parametrize("endpoint", QUERIES)
def test_filtered_list_query_count_is_pinned(client, django_assert_num_queries, db, endpoint):
    seed_archive(letters=3, signatures=4)
    filters = {"letters": {"addressee": "asean", "q": "arms"}, "organizations": {"q": "p1", "kind": "organization"}}
    filters |= {"signatures": {"letter": "letter-1"}, "demands": {"target": "asean", "theme": "sanctions"}}

    looked_up = 1 if endpoint == "letters" else 0  # the addressee filter reads the organization's id first
    with django_assert_num_queries(QUERIES[endpoint] + looked_up):
        get(client, endpoint, **filters[endpoint])


def test_published_letter_only_ever_served(client, letter):
    letter.status = Letter.Status.DRAFT
    letter.save()

    assert get(client, "letters")["count"] == 0
    assert get(client, "signatures")["count"] == 0
    assert get(client, "demands")["count"] == 0
    assert get(client, "organizations")["count"] == 0


def test_no_download_or_api_reveals_how_many_names_are_withheld(client, db):
    from tests.conftest import build_letter

    letter = build_letter(10, slug="counted", undisclosed=5, withheld=(3,))
    letter.declared_signatory_count = 15
    letter.totals_note = "One line is withheld at the signatory's request."
    letter.save()

    api = client.get(f"/api/letters/{letter.pk}").json()
    listed = client.get("/api/letters").json()["results"][0]
    csv_text = b"".join(client.get("/data/letters.csv").streaming_content).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(csv_text)))

    # 15 stated - 9 named - 5 undisclosed = 1 withheld: the stated 15, the difference and the note that would
    # explain it must not appear beside the public counts.
    for data in (api, listed):
        assert (data["signatories_named"], data["signatories_undisclosed"], data["signatories_total"]) == (9, 5, 14)
        assert (data["signatories_stated"], data["signatories_difference"], data["totals_note"]) == (None, None, "")
    assert [row[name] for name in ("signatories_named", "signatories_undisclosed", "signatories_total")] == [
        "9",
        "5",
        "14",
    ]
    assert [row[name] for name in ("signatories_stated", "signatories_difference", "totals_note")] == ["", "", ""]
    assert "15" not in row.values()
    assert "withheld" not in csv_text
