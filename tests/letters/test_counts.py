"""The stored public counts (letters.counts) follow every kind of write, and a recount finds no drift."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from letters.counts import counted_once, counts_drift, refresh_all_counts
from letters.importing import build_report, commit_report
from letters.leaks import check_leaks
from letters.models import Demand, Letter, Signature
from organizations.filters import public_organizations
from organizations.merging import merge_organizations
from organizations.models import Organization
from tests.letters.test_admin_signature_lines import lines_url, page_data

TOTALS_RECOUNT = 'UPDATE "letters_publictotals" SET "organizations"'  # letters.counts.refresh_totals


def org(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def assert_no_drift():
    assert counts_drift() == []


def test_a_built_letter_has_its_counts(letter):
    # 10 lines, line 7 withheld; stated 10 + 33, but a withheld name turns the total into named + undisclosed.
    assert (letter.named_count, letter.withheld_count, letter.signatory_total) == (9, 1, 42)
    assert org("open-letter-org-1").letters_signed == 1
    assert org("open-letter-org-1").is_public
    assert not org("open-letter-org-7").is_public  # known only through a withheld signature
    assert org("open-letter-org-7").letters_signed == 0
    assert_no_drift()


def test_withholding_and_disclosing_a_signature_through_save(letter):
    signature = Signature.objects.get(letter=letter, position=3)
    signature.withheld = True
    signature.save()

    letter.refresh_from_db()
    assert (letter.named_count, letter.withheld_count) == (8, 2)
    assert not org("open-letter-org-3").is_public
    assert org("open-letter-org-3").letters_signed == 0

    signature.withheld = False
    signature.save()
    assert org("open-letter-org-3").is_public
    assert_no_drift()


def test_a_signature_moved_to_another_organization_recounts_both(letter):
    newcomer = Organization.objects.create(name="Newcomer", slug="newcomer")
    signature = Signature.objects.get(letter=letter, position=2)
    signature.organization = newcomer
    signature.save()

    assert not org("open-letter-org-2").is_public
    assert org("newcomer").is_public
    assert org("newcomer").letters_signed == 1
    assert_no_drift()


def test_deleting_a_signature_and_a_letter(letter, interpol):
    Signature.objects.get(letter=letter, position=5).delete()
    letter.refresh_from_db()
    assert letter.named_count == 8
    assert not org("open-letter-org-5").is_public

    letter.delete()
    assert not org("open-letter-org-1").is_public
    assert not Organization.objects.get(pk=interpol.pk).is_public  # it was the addressee and a demand's target
    assert_no_drift()


def test_unpublishing_and_publishing_a_letter(letter, interpol):
    letter.status = Letter.Status.DRAFT
    letter.save()
    assert not public_organizations().exists()

    letter.status = Letter.Status.PUBLISHED
    letter.save()
    assert public_organizations().count() == 10  # 9 named signers and the addressee
    assert_no_drift()


def test_addressees_and_demand_targets(letter, draft_letter):
    outsider = Organization.objects.create(name="Ministry", slug="ministry")
    assert not outsider.is_public

    letter.addressees.add(outsider)
    assert org("ministry").is_public
    letter.addressees.remove(outsider)
    assert not org("ministry").is_public
    outsider.letters_received.add(letter)  # from the other side of the relation
    assert org("ministry").is_public
    letter.addressees.clear()
    assert not org("ministry").is_public

    demand = Demand.objects.create(letter=letter, position=3, text="Stop.", target=outsider)
    assert org("ministry").is_public
    demand.target = None
    demand.save()
    assert not org("ministry").is_public
    assert not org("draft-addressee").is_public
    assert_no_drift()


def test_demand_count_follows_demands_and_publication(letter):
    # The organization page shows "Demands made of it" from this stored count, and reads no demand when it is 0.
    target = Organization.objects.create(name="Ministry", slug="ministry")
    first = Demand.objects.create(letter=letter, position=11, text="Stop.", target=target)
    Demand.objects.create(letter=letter, position=12, text="Release them.", target=target)
    assert org("ministry").demand_count == 2

    first.delete()
    assert org("ministry").demand_count == 1

    letter.status = Letter.Status.DRAFT
    letter.save()
    assert org("ministry").demand_count == 0  # a draft's demands are not public
    letter.status = Letter.Status.PUBLISHED
    letter.save()
    assert org("ministry").demand_count == 1

    Demand.objects.filter(target=target).update(target=None)  # no signal: drift, then fixed
    assert f"organization {target.pk}: demand_count is 1, a recount gives 0" in counts_drift()
    refresh_all_counts()
    assert org("ministry").demand_count == 0
    assert_no_drift()


def test_a_spelling_changed_behind_the_counts_back_is_drift_in_both_stored_names(letter):
    Signature.objects.filter(letter=letter, position=5).update(listed_as="Changed in SQL")  # no signal

    drift = counts_drift()
    organization = Signature.objects.get(letter=letter, position=5).organization_id
    assert f"organization {organization}: search_names differs from a recount" in drift
    assert f"organization {organization}: other_names differs from a recount" in drift
    refresh_all_counts()
    assert "Changed in SQL" in org("open-letter-org-5").other_names
    assert_no_drift()


def test_addressee_names_follow_links_renames_merges_and_deletes(letter, interpol):
    # A letter list's rows read them stored (Letter.addressee_names): every way a name or a link changes renews them.
    def names() -> list[str]:
        return Letter.objects.get(pk=letter.pk).addressee_names

    assert names() == ["INTERPOL"]
    revision = Letter.objects.get(pk=letter.pk).signatures_revision
    ministry = Organization.objects.create(name="Ministry", slug="ministry")
    letter.addressees.add(ministry)
    assert names() == ["INTERPOL", "Ministry"]
    ministry.letters_received.remove(letter)  # from the other side
    assert names() == ["INTERPOL"]
    ministry.letters_received.add(letter)
    interpol.name = "Interpol (renamed)"
    interpol.save()
    assert names() == ["Interpol (renamed)", "Ministry"]
    # Its signatures did not change: its stored signatory list and the co-signers counted over it stay current.
    assert Letter.objects.get(pk=letter.pk).signatures_revision == revision

    twin = Organization.objects.create(name="Ministry twin", slug="ministry-twin")
    letter.addressees.remove(ministry)
    letter.addressees.add(twin)
    merge_organizations(ministry, [twin])
    assert names() == ["Interpol (renamed)", "Ministry"]

    embassy = Organization.objects.create(name="Embassy", slug="embassy")
    letter.addressees.add(embassy)
    embassy.delete()  # its links go with it, and no m2m signal says so
    assert names() == ["Interpol (renamed)", "Ministry"]
    letter.addressees.remove(ministry)
    interpol.letters_received.clear()
    assert names() == []
    assert_no_drift()

    Organization.objects.filter(pk=interpol.pk).update(name="Renamed in SQL")  # no signal
    letter.addressees.add(interpol)
    Organization.objects.filter(pk=interpol.pk).update(name="Renamed again in SQL")
    assert f"letter {letter.pk}: addressee_names differs from a recount" in counts_drift()


def test_a_merged_record_is_never_public(letter):
    merged = org("open-letter-org-4")
    merged.merged_into = org("open-letter-org-5")
    merged.save()

    assert not org("open-letter-org-4").is_public
    assert_no_drift()


def test_merge_recounts_letters_and_both_records(letter):
    # Two records that both signed the letter: the merge keeps one signature.
    result = merge_organizations(org("open-letter-org-5"), [org("open-letter-org-6")])

    letter.refresh_from_db()
    assert letter.named_count == 8
    assert result.survivor.letters_signed == 1
    assert not org("open-letter-org-6").is_public
    assert_no_drift()


def test_an_import_stores_its_counts(db, small_letter_text):
    report = build_report(small_letter_text)
    letter = commit_report(report, status=Letter.Status.PUBLISHED).letter

    letter.refresh_from_db()
    assert letter.named_count == Signature.objects.filter(letter=letter, withheld=False).count() > 0
    assert public_organizations().count() >= letter.named_count
    assert_no_drift()


def test_drift_is_found_and_refresh_all_fixes_it(letter):
    # A queryset update sends no signal: exactly what counts_drift and check_leaks are there to catch.
    Signature.objects.filter(letter=letter, position=2).update(withheld=True)

    drift = counts_drift()
    assert f"letter {letter.pk}: named_count is 9, a recount gives 8" in drift
    assert any("is_public is True, a recount gives False" in line for line in drift)
    assert check_leaks(max_pages=5).stale == drift

    refresh_all_counts()
    assert_no_drift()


@pytest.mark.parametrize("size", [3, 40])
def test_refreshing_a_letter_takes_the_same_queries_whatever_its_size(django_assert_num_queries, db, size):
    from tests.conftest import build_letter

    built = build_letter(size, slug=f"size-{size}")
    signature = Signature.objects.get(letter=built, position=1)
    signature.withheld = True
    # all inside the save's savepoint (2): the read before the save, the save, its history row; then the recount's
    # savepoint, the totals row (get, lock), a new revision, the letter's recount and its addressees' names (fresh,
    # stored), the organization's recount, the organization's years (group, stored, store), its search names (names,
    # curators' aliases, printed spellings, stored, store), the totals (organizations, timeline, most written to,
    # update), the release
    with django_assert_num_queries(26):
        signature.save()


def test_refresh_derived_command_lists_then_fixes_drift(letter):
    Signature.objects.filter(letter=letter, position=2).update(withheld=True)

    listed = StringIO()
    call_command("refresh_derived", "--dry-run", stdout=listed)
    assert f"letter {letter.pk}: named_count is 9, a recount gives 8" in listed.getvalue()
    assert counts_drift() != []  # a dry run changes nothing

    call_command("refresh_derived", stdout=StringIO())
    assert_no_drift()


def test_signed_by_year_follows_publication(letter):
    organization = org("open-letter-org-1")
    assert organization.signed_by_year == [{"year": 2022, "count": 1}]

    letter.status = Letter.Status.DRAFT
    letter.save()
    assert org("open-letter-org-1").signed_by_year == []
    assert_no_drift()


def test_years_changed_behind_the_counts_back_are_drift_and_a_refresh_stores_them(letter):
    Letter.objects.filter(pk=letter.pk).update(date=datetime.date(2019, 3, 1))  # no signal
    Organization.objects.filter(slug="open-letter-org-2").update(signed_by_year=[])

    drift = counts_drift()
    for slug in ("open-letter-org-1", "open-letter-org-2"):
        assert f"organization {org(slug).pk}: signed_by_year differs from a recount" in drift
    refresh_all_counts()
    assert org("open-letter-org-2").signed_by_year == [{"year": 2019, "count": 1}]
    assert_no_drift()


def test_a_redated_letter_moves_its_signers_years(letter):
    letter.date = datetime.date(2019, 3, 1)
    letter.save()

    assert org("open-letter-org-1").signed_by_year == [{"year": 2019, "count": 1}]
    assert_no_drift()


def test_counted_once_recounts_at_the_end_of_the_block(letter):
    with CaptureQueriesContext(connection) as queries, counted_once():
        for position in (2, 3, 4):
            Signature.objects.filter(letter=letter, position=position).first().delete()
        letter.refresh_from_db()
        assert letter.named_count == 9  # not yet recounted

    letter.refresh_from_db()
    assert letter.named_count == 6
    assert len([q for q in queries.captured_queries if q["sql"].startswith(TOTALS_RECOUNT)]) == 1
    assert_no_drift()


def test_counted_once_leaves_nothing_behind_when_the_block_fails(letter):
    with pytest.raises(RuntimeError), counted_once():
        Signature.objects.filter(letter=letter, position=2).delete()
        raise RuntimeError("the admin save failed after a first write")

    assert Signature.objects.filter(letter=letter, position=2).exists()  # rolled back
    Signature.objects.filter(letter=letter, position=3).first().delete()  # outside a block: counted at once
    letter.refresh_from_db()
    assert letter.named_count == 8
    assert_no_drift()


def test_an_admin_save_of_many_signature_lines_recounts_once(client, django_user_model, letter):
    curator = django_user_model.objects.create_superuser("curator", "curator@example.org", "a long password 123")
    client.force_login(curator)
    data = page_data(letter, {position: {"withheld": True} for position in (2, 3, 4)})  # 7 was withheld already

    with CaptureQueriesContext(connection) as queries:
        response = client.post(lines_url(letter), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    letter.refresh_from_db()
    assert (letter.named_count, letter.withheld_count) == (6, 4)
    assert not org("open-letter-org-3").is_public
    assert len([q for q in queries.captured_queries if q["sql"].startswith(TOTALS_RECOUNT)]) == 1
    assert_no_drift()


def test_an_admin_delete_of_a_letter_and_its_signatures_recounts_once(client, django_user_model, letter):
    curator = django_user_model.objects.create_superuser("curator", "curator@example.org", "a long password 123")
    client.force_login(curator)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("admin:letters_letter_delete", args=[letter.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Letter.objects.filter(pk=letter.pk).exists()
    assert not org("open-letter-org-1").is_public
    assert len([q for q in queries.captured_queries if q["sql"].startswith(TOTALS_RECOUNT)]) == 1
    assert_no_drift()
