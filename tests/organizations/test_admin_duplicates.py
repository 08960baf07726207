"""The duplicate finder page in the admin: pairs best first, merge and "not the same" on each row."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from letters.models import Signature
from organizations.authority import unique_slugs
from organizations.models import DistinctPair, Organization
from tests.conftest import build_letter

FINDER = reverse("admin:organizations_organization_duplicates")
NOT_THE_SAME = reverse("admin:organizations_organization_not_the_same")
MERGE_URL = reverse("admin:organizations_organization_merge")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def make(name: str) -> Organization:
    return Organization.objects.create(name=name, slug=unique_slugs([name])[0])


@pytest.fixture
def archive(db):
    orgs = {
        name: make(name)
        for name in [
            "Active Youth (Kalay)",
            "Active Youths (Kalay)",
            "Mandalay Women Strike",
            "Monywa Women Strike",
            "Green River Network",
            "GREEN RIVER NETWORK",
        ]
    }
    letter = build_letter(2, slug="l", title="L")
    for position, name in enumerate(["Active Youth (Kalay)", "Green River Network"], start=10):
        Signature.objects.create(letter=letter, organization=orgs[name], position=position, listed_as=name)
    return orgs


def test_finder_lists_likely_pairs_best_first_with_links_and_counts(admin_client, archive):
    response = admin_client.get(FINDER)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["first"].name, r["second"].name) for r in rows] == [
        ("Green River Network", "GREEN RIVER NETWORK"),
        ("Active Youth (Kalay)", "Active Youths (Kalay)"),
    ]
    assert rows[0]["first"].signature_total == 1
    assert rows[0]["second"].signature_total == 0
    html = response.content.decode()
    assert "Monywa" not in html
    assert reverse("admin:organizations_organization_change", args=[archive["Active Youth (Kalay)"].pk]) in html
    assert rows[1]["merge_url"] == (
        f"{MERGE_URL}?ids={archive['Active Youth (Kalay)'].pk}%2C{archive['Active Youths (Kalay)'].pk}"
    )
    assert html.count(">Not the same</button>") == 2


def test_merge_button_opens_the_preview_with_both_selected(admin_client, archive):
    row = admin_client.get(FINDER).context["rows"][1]

    response = admin_client.get(row["merge_url"])

    assert response.status_code == 200
    assert {o.name for o in response.context["records"]} == {"Active Youth (Kalay)", "Active Youths (Kalay)"}
    assert response.context["survivor"].name == "Active Youth (Kalay)"  # the one with a signature


def test_not_the_same_records_the_pair_and_returns_to_the_list(admin_client, admin_user, archive):
    a, b = archive["GREEN RIVER NETWORK"], archive["Green River Network"]

    response = admin_client.post(NOT_THE_SAME, {"first": a.pk, "second": b.pk, "page": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"{FINDER}?page=1"
    pair = DistinctPair.objects.get()
    assert (pair.organization_a, pair.organization_b) == (min(a, b, key=lambda o: o.pk), max(a, b, key=lambda o: o.pk))
    assert pair.decided_by == admin_user
    names = [(r["first"].name, r["second"].name) for r in admin_client.get(FINDER).context["rows"]]
    assert names == [("Active Youth (Kalay)", "Active Youths (Kalay)")]


def test_not_the_same_twice_keeps_one_pair(admin_client, archive):
    a, b = archive["GREEN RIVER NETWORK"], archive["Green River Network"]
    admin_client.post(NOT_THE_SAME, {"first": a.pk, "second": b.pk})
    admin_client.post(NOT_THE_SAME, {"first": b.pk, "second": a.pk})

    assert DistinctPair.objects.count() == 1


def test_not_the_same_refuses_get_and_nonsense(admin_client, archive):
    a = archive["Green River Network"]

    assert admin_client.get(NOT_THE_SAME).status_code == 405
    admin_client.post(NOT_THE_SAME, {"first": a.pk, "second": a.pk})
    admin_client.post(NOT_THE_SAME, {"first": a.pk, "second": "x"})
    admin_client.post(NOT_THE_SAME, {"first": a.pk, "second": 999999})

    assert DistinctPair.objects.count() == 0


def test_finder_needs_a_staff_login(client, archive):
    response = client.get(FINDER)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_finder_paginates_fifty_pairs_a_page(admin_client, db):
    Organization.objects.bulk_create(
        Organization(name=f"{word} Youth Network", slug=f"{word}-{n}")
        for n, word in enumerate([f"Town{k:03d}" for k in range(60)] * 2)
    )

    first = admin_client.get(FINDER)
    second = admin_client.get(FINDER, {"page": 2})

    assert first.context["page"].paginator.count == 60
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 10


@pytest.mark.parametrize("size", [10, 60])
def test_finder_query_count_does_not_grow(admin_client, django_assert_num_queries, db, size):
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Town{k:03d} Youth Network", slug=f"town-{k}-{copy}") for k in range(size) for copy in (1, 2)
    )
    letter = build_letter(1, slug="l", title="L")
    Signature.objects.bulk_create(
        Signature(letter=letter, organization=org, position=10 + n, listed_as=org.name) for n, org in enumerate(orgs)
    )
    admin_client.get(FINDER)  # computes the pairs once (and loads the session)

    # session, user, fingerprint of organizations and of aliases, "not the same" pairs, the page's organizations
    with django_assert_num_queries(6):
        response = admin_client.get(FINDER)
    assert len(response.context["rows"]) == min(size, 50)

    cache.clear()
    # ... plus the names the matcher learns from (two queries: organizations, aliases) when the pairs are not cached
    with django_assert_num_queries(8):
        admin_client.get(FINDER)
