"""The organization page: letters signed and received, demands, co-signers; never anything withheld or draft."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from letters.counts import refresh_all_counts
from letters.leaks import check_leaks
from letters.models import Letter, Signature
from organizations.cosigners import (
    COSIGNER_LETTERS,
    cosigners_drift,
    count_cosigners,
    letters_signed_by,
    window_of,
)
from organizations.merging import merge_organizations
from organizations.models import Alias, Organization
from tests.conftest import ROW_LOCKS, build_letter, held_by_another_transaction


def page(client, slug: str):
    return client.get(f"/organizations/{slug}/")


def test_organization_page_shows_name_acronym_kind_and_letters_signed(client, letter):
    org = Organization.objects.get(slug="open-letter-org-5")
    org.acronym = "OO5"
    org.save()

    html = page(client, org.slug).content.decode()

    assert "<h1>open-letter Organization 005 (OO5)</h1>" in html
    assert "Organization" in html
    assert '<a href="/letters/2022/07/14/open-letter/">Open letter on arms sales</a>' in html
    assert "listed as “open-letter Organization 005 as printed”" in html


def test_letters_signed_are_newest_first(client, letter):
    org = Organization.objects.get(slug="open-letter-org-5")
    newer = build_letter(1, slug="newer", org_prefix="newer", date=datetime.date(2024, 2, 1), title="Newer letter")
    Signature.objects.create(letter=newer, organization=org, position=2, listed_as="Org 5 in 2024")

    html = page(client, org.slug).content.decode()

    assert html.index("Newer letter") < html.index("Open letter on arms sales")
    assert "Org 5 in 2024" in html


def test_addressee_page_shows_letters_addressed_and_demands(client, letter):
    html = page(client, "interpol").content.decode()

    assert "Letters addressed to it (1)" in html
    assert "Demands made of it (1)" in html
    assert "Suspend the junta&#x27;s access to I-24/7." in html


def test_cosigners_are_counted(client, letter):
    second = build_letter(1, slug="second", org_prefix="second", date=datetime.date(2023, 1, 1))
    for n in (5, 6):
        org = Organization.objects.get(slug=f"open-letter-org-{n}")
        Signature.objects.create(letter=second, organization=org, position=n, listed_as=org.name)

    html = page(client, "open-letter-org-5").content.decode()

    cosigners = html[html.index('id="cosigners"') :]
    assert (
        '<a href="/organizations/open-letter-org-6/">open-letter Organization 006</a> <span class="meta">2 letters'
        in (cosigners)
    )
    assert "second-org-1" in cosigners
    assert "open-letter-org-7" not in cosigners  # withheld on the shared letter


def uncached_page(client, slug: str):
    cache.clear()  # the view itself, not the page cache
    return page(client, slug)


def cosigners_section(client, slug: str) -> str:
    html = uncached_page(client, slug).content.decode()
    return html[html.index('id="cosigners"') :]


@pytest.fixture
def shared(letter) -> Letter:
    """A second letter that open-letter-org-5 and open-letter-org-6 also signed."""
    second = build_letter(1, slug="second", org_prefix="second", date=datetime.date(2023, 1, 1))
    for n in (5, 6):
        org = Organization.objects.get(slug=f"open-letter-org-{n}")
        Signature.objects.create(letter=second, organization=org, position=n, listed_as=org.name)
    return second


def test_cosigners_are_stored_and_read_back_without_counting_again(client, shared):
    uncached_page(client, "open-letter-org-5")
    stored = Organization.objects.get(slug="open-letter-org-5").cosigners
    org_6 = Organization.objects.get(slug="open-letter-org-6")

    assert [org_6.pk, 2] in stored["counts"]
    assert [pk for pk, _ in stored["window"]] == [shared.pk, Letter.objects.get(slug="open-letter").pk]
    with CaptureQueriesContext(connection) as second_view:
        assert uncached_page(client, "open-letter-org-5").status_code == 200
    assert any("signatures_revision" in q["sql"] for q in second_view.captured_queries)  # the view read its window
    assert not [q for q in second_view.captured_queries if "GROUP BY" in q["sql"] or q["sql"].startswith("UPDATE")]


def test_stored_cosigners_drop_a_signature_withheld_later(client, shared):
    assert "open-letter-org-6" in cosigners_section(client, "open-letter-org-5")

    signature = Signature.objects.get(letter=shared, organization__slug="open-letter-org-6")
    signature.withheld = True
    signature.save()

    section = cosigners_section(client, "open-letter-org-5")
    assert 'open-letter-org-6/">open-letter Organization 006</a> <span class="meta">1 letter<' in section


def test_an_older_copy_of_a_letter_saved_back_does_not_bring_stored_cosigners_back(client, shared):
    older_copy = Letter.objects.get(pk=shared.pk)
    retyped = Signature.objects.get(letter=shared, organization__slug="second-org-1")
    retyped.listed_as = "Second Org, retyped"
    retyped.save()
    assert "open-letter-org-6" in cosigners_section(client, "open-letter-org-5")  # stored now
    withheld = Signature.objects.get(letter=shared, organization__slug="open-letter-org-6")
    withheld.withheld = True
    withheld.save()

    older_copy.save()  # writes back the revision it was loaded with; with a per-letter +1 that matched again

    section = cosigners_section(client, "open-letter-org-5")
    assert 'open-letter-org-6/">open-letter Organization 006</a> <span class="meta">1 letter<' in section


def test_stored_cosigners_drop_a_letter_withdrawn_later(client, shared):
    assert "second-org-1" in cosigners_section(client, "open-letter-org-5")

    shared.status = Letter.Status.DRAFT
    shared.save()

    section = cosigners_section(client, "open-letter-org-5")
    assert "second-org-1" not in section
    assert 'open-letter-org-6/">open-letter Organization 006</a> <span class="meta">1 letter<' in section


def test_stored_cosigners_follow_a_signature_moved_by_a_merge(client, shared):
    assert "second-org-1" in cosigners_section(client, "open-letter-org-5")

    survivor = Organization.objects.create(name="Survivor Network", slug="survivor-network")
    merge_organizations(survivor, [Organization.objects.get(slug="second-org-1")])

    section = cosigners_section(client, "open-letter-org-5")
    assert "second-org-1" not in section
    assert 'survivor-network/">Survivor Network</a> <span class="meta">1 letter<' in section


def test_timeline_of_signing_is_an_svg(client, letter):
    html = page(client, "open-letter-org-5").content.decode()

    assert '<svg role="img"' in html
    assert "2022: 1 letter" in html


def test_org_known_only_by_withheld_signature_is_404(client, letter):
    assert page(client, "open-letter-org-7").status_code == 404


def test_org_known_only_by_draft_is_404(client, draft_letter):
    assert page(client, "draft-letter-org-1").status_code == 404
    assert page(client, "draft-addressee").status_code == 404


def test_draft_and_withheld_letters_are_not_on_an_organization_page(client, letter, draft_letter):
    org = Organization.objects.get(slug="open-letter-org-5")
    Signature.objects.create(letter=draft_letter, organization=org, position=9, listed_as="Draft spelling")
    hidden = build_letter(1, slug="hidden", org_prefix="hidden", title="Letter it withheld its name on")
    Signature.objects.create(letter=hidden, organization=org, position=2, listed_as="Withheld spelling", withheld=True)

    html = page(client, org.slug).content.decode()

    assert "Draft letter not yet published" not in html
    assert "Draft spelling" not in html
    assert "Letter it withheld its name on" not in html
    assert "Withheld spelling" not in html
    assert "Letters signed (1)" in html


def test_spelling_saved_from_a_withheld_signature_is_not_an_other_name(client, letter):
    org = Organization.objects.get(slug="open-letter-org-5")
    Alias.objects.create(organization=org, name="Secret spelling", source=Alias.Source.LETTER)
    # "open-letter Organization 005 as printed" is an alias already: the fixture keeps printed spellings, as imports do
    Alias.objects.create(organization=org, name="Curated name", source=Alias.Source.CURATOR)

    html = page(client, org.slug).content.decode()

    assert "Secret spelling" not in html
    assert "Also listed as: Curated name; open-letter Organization 005 as printed" in html


def test_other_names_follow_retyped_lines_renames_and_withholding(client, letter):
    # Stored with search_names (letters.counts.refresh_names) and renewed by the same writes.
    org = Organization.objects.get(slug="open-letter-org-5")
    signature = Signature.objects.get(letter=letter, organization=org)
    signature.listed_as = "Retyped by a curator"  # printed so on the letter's page, though no alias
    signature.save()
    assert "Also listed as: Retyped by a curator" in page(client, org.slug).content.decode()

    org.name = "Retyped by a curator"
    org.save()
    assert "Also listed as" not in page(client, org.slug).content.decode()  # its name now, not another

    signature.withheld = True
    signature.save()
    org.name = "Organization 005"
    org.save()
    assert Organization.objects.get(pk=org.pk).other_names == []


def test_unknown_organization_is_404(client, db):
    assert page(client, "nobody").status_code == 404


def test_merged_organization_redirects_to_its_survivor(client, letter):
    survivor = Organization.objects.get(slug="open-letter-org-5")
    Organization.objects.create(name="Old record", slug="old-record", merged_into=survivor)

    response = page(client, "old-record")

    assert response.status_code == 301
    assert response["Location"] == "/organizations/open-letter-org-5/"


def test_merged_into_a_non_public_organization_is_404(client, letter):
    hidden = Organization.objects.get(slug="open-letter-org-7")
    Organization.objects.create(name="Old record", slug="old-record", merged_into=hidden)

    assert page(client, "old-record").status_code == 404


def test_renamed_organization_old_slug_redirects(client, letter):
    org = Organization.objects.get(slug="open-letter-org-5")
    org.slug = "org-five"
    org.save()

    response = page(client, "open-letter-org-5")

    assert response.status_code == 301
    assert response["Location"] == "/organizations/org-five/"


def test_letters_signed_are_paginated(client, db):
    org = Organization.objects.create(name="Prolific", slug="prolific")
    for n in range(30):
        letter = build_letter(
            0, slug=f"l{n}", title=f"Letter {n}", date=datetime.date(2020, 1, 1) + datetime.timedelta(n)
        )
        Signature.objects.create(letter=letter, organization=org, position=1, listed_as="Prolific")

    first = page(client, "prolific").content.decode()
    second = client.get("/organizations/prolific/?signed=2").content.decode()

    assert first.count("listed as “Prolific”") == 25
    assert second.count("listed as “Prolific”") == 5
    assert "?signed=2" in first
    # newest first: the first page is read with the co-signers' window, the second by its own query
    assert ">Letter 29<" in first
    assert ">Letter 5<" in first
    assert ">Letter 4<" not in first
    assert ">Letter 4<" in second
    assert ">Letter 5<" not in second


def test_demands_made_of_it_are_paginated_and_counted_by_their_page(client, db):
    target = Organization.objects.create(name="Ministry", slug="ministry")
    build_letter(0, slug="many", demands=tuple((f"Demand {n:02d}", target) for n in range(1, 31)))
    build_letter(0, slug="draft", status=Letter.Status.DRAFT, demands=(("Draft demand", target),))

    first = page(client, "ministry").content.decode()
    second = client.get("/organizations/ministry/?demands=2").content.decode()
    past_the_end = client.get("/organizations/ministry/?demands=9").content.decode()

    for html in (first, second, past_the_end):
        assert "Demands made of it (30)" in html
        assert "Draft demand" not in html
    assert first.count("Demand ") == 25
    assert "Demand 01 " in first  # in position order: 1-25 on the first page
    assert "Demand 25 " in first
    assert "Demand 26 " not in first
    assert second.count("Demand ") == 5
    assert "Demand 30 " in second
    assert past_the_end.count("Demand ") == 5  # as Paginator.get_page(): the last page


def busy_organization(letters: int, per_letter: int) -> Organization:
    org = Organization.objects.create(name="Busy", slug="busy")
    target = Organization.objects.create(name="Target", slug="target")
    for n in range(letters):
        letter = build_letter(
            per_letter,
            slug=f"busy-{n}",
            date=datetime.date(2021 + n % 3, 1, 1 + n),
            addressees=(org,),
            demands=(("Do it.", org),),
        )
        Signature.objects.create(letter=letter, organization=org, position=per_letter + 1, listed_as="Busy")
        Signature.objects.create(letter=letter, organization=target, position=per_letter + 2, listed_as="Target")
    return org


@pytest.mark.parametrize(("letters", "per_letter"), [(2, 3), (12, 40)])
def test_organization_page_query_count_does_not_grow(client, django_assert_num_queries, db, letters, per_letter):
    busy_organization(letters, per_letter)
    Letter.objects.update(status=Letter.Status.PUBLISHED)
    refresh_all_counts()  # a queryset update sends no signal

    # organization (with its stored counts, timeline and other names), its latest letters (the co-signers' window
    # and the first signed page), addressed page and demands page (the counts of all three stored), co-signers
    # (counts, stored inside a savepoint: 3, names)
    with django_assert_num_queries(9):
        response = page(client, "busy")
    # Then the stored co-signers: names only.
    with django_assert_num_queries(5):
        uncached_page(client, "busy")

    assert response.status_code == 200


def test_the_page_of_an_organization_no_letter_makes_demands_of_reads_no_demand(client, letter):
    # Its stored demand_count is 0, as for nearly every organization: no query for a section it does not show.
    with CaptureQueriesContext(connection) as queries:
        html = uncached_page(client, "open-letter-org-5").content.decode()
    assert 'id="demands"' not in html
    assert not [q["sql"] for q in queries.captured_queries if "letters_demand" in q["sql"]]


def test_cosigners_drift_finds_counts_a_write_behind_letters_counts_left_stale(client, shared):
    uncached_page(client, "open-letter-org-5")
    assert cosigners_drift() == []

    # A queryset update bypasses letters.counts: no new revision, so the stored window still looks current.
    Signature.objects.filter(letter=shared, organization__slug="open-letter-org-6").update(withheld=True)

    org_5 = Organization.objects.get(slug="open-letter-org-5")
    assert cosigners_drift() == [f"organization {org_5.pk}: stored co-signers differ from a recount over their letters"]
    assert f"organization {org_5.pk}: stored co-signers differ" in " ".join(check_leaks(max_pages=5).stale)

    refresh_all_counts()  # renews every revision, clears every stored list
    uncached_page(client, "open-letter-org-5")
    assert cosigners_drift() == []


def test_cosigners_drift_skips_a_stored_list_whose_window_is_no_longer_current(client, shared):
    uncached_page(client, "open-letter-org-5")
    signature = Signature.objects.get(letter=shared, organization__slug="open-letter-org-6")
    signature.withheld = True
    signature.save()  # through letters.counts: a new revision, so the page counts again before showing them

    org_5 = Organization.objects.get(slug="open-letter-org-5")
    window = window_of(letters_signed_by(org_5)[:COSIGNER_LETTERS])
    assert org_5.cosigners["window"] != window
    assert org_5.cosigners["counts"] != count_cosigners(org_5, [pk for pk, _ in window])  # stale, but never shown
    assert cosigners_drift() == []


def lock_the_row_and_view(client, lock) -> str:
    """The organization page of open-letter-org-5 while another transaction runs `lock` and stays open."""
    with held_by_another_transaction(lambda: lock(Organization.objects.get(slug="open-letter-org-5"))):
        return cosigners_section(client, "open-letter-org-5")


@ROW_LOCKS
@pytest.mark.django_db(transaction=True)
def test_a_page_does_not_wait_for_a_write_holding_the_organizations_row(client, shared):
    # an import or a merge, mid-transaction, updating the organization
    section = lock_the_row_and_view(client, lambda org: Organization.objects.select_for_update().get(pk=org.pk))

    assert "open-letter-org-6" in section  # counted for the page
    assert Organization.objects.get(slug="open-letter-org-5").cosigners is None  # storing them was skipped
    assert "open-letter-org-6" in cosigners_section(client, "open-letter-org-5")
    assert Organization.objects.get(slug="open-letter-org-5").cosigners is not None  # stored by the next view


@ROW_LOCKS
@pytest.mark.django_db(transaction=True)
def test_a_write_only_referencing_the_organization_does_not_stop_the_page_storing(client, shared):
    # A signature inserted for it, its foreign key checked at once: a key-share lock on its row, which a no-key
    # update does not wait for. (Django's foreign keys are checked at commit, when the lock is only momentary.)
    third = build_letter(0, slug="third", date=datetime.date(2023, 6, 1))

    def insert_signature(org):
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        Signature.objects.bulk_create([Signature(letter=third, organization=org, position=1, listed_as=org.name)])

    section = lock_the_row_and_view(client, insert_signature)

    assert "open-letter-org-6" in section
    assert Organization.objects.get(slug="open-letter-org-5").cosigners is not None
