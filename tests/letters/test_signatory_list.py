"""The letter page's stored signatory list: used while the letter's revision is the one it was rendered at, rendered
again after any write that recounts the letter, never stored from lines older than the revision it names."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import DatabaseError

from letters.counts import refresh_all_counts
from letters.models import Letter, Signature
from letters.signatory_list import printed_signatories, signatory_list_drift
from organizations.models import Organization
from tests.conftest import ROW_LOCKS, build_letter, held_by_another_transaction


def signatories_section(client, letter: Letter) -> str:
    cache.clear()  # the view itself, not the page cache
    html = client.get(letter.get_absolute_url()).content.decode()
    return html[html.index('<section aria-labelledby="signatories">') :]


def line(letter: Letter, position: int) -> Signature:
    return Signature.objects.get(letter=letter, position=position)


def test_the_page_stores_its_rendered_list_under_the_letters_revision(client, letter):
    assert Letter.objects.get(pk=letter.pk).signatory_list is None

    section = signatories_section(client, letter)

    stored = Letter.objects.get(pk=letter.pk)
    assert stored.signatory_list["revision"] == stored.signatures_revision
    assert stored.signatory_list["items"] in section
    assert (
        '<a href="/organizations/open-letter-org-5/">open-letter Organization 005 as printed</a>'
        in stored.signatory_list["items"]
    )


def test_a_line_withheld_after_the_list_was_stored_is_not_shown(client, letter):
    assert "Organization 005 as printed" in signatories_section(client, letter)
    signature = line(letter, 5)
    signature.withheld = True
    signature.save()  # through letters.counts: a new revision for the letter

    section = signatories_section(client, letter)

    assert "Organization 005" not in section
    assert "Organization 004 as printed" in section
    assert "Organization 005" not in Letter.objects.get(pk=letter.pk).signatory_list["items"]  # stored again


def test_a_line_retracted_after_the_list_was_stored_is_struck_through_and_counted(client, letter):
    signatories_section(client, letter)
    signature = line(letter, 6)
    signature.retracted_on = datetime.date(2023, 3, 1)
    signature.save()

    section = signatories_section(client, letter)

    assert (
        '<del><a href="/organizations/open-letter-org-6/">open-letter Organization 006 as printed</a></del>' in section
    )
    assert "1 since retracted" in section


def test_a_renamed_organization_is_linked_at_its_new_address(client, letter):
    assert 'href="/organizations/open-letter-org-5/"' in signatories_section(client, letter)
    org = Organization.objects.get(slug="open-letter-org-5")
    org.slug = "renamed-org-5"
    org.save()

    section = signatories_section(client, letter)

    assert '<a href="/organizations/renamed-org-5/">open-letter Organization 005 as printed</a>' in section
    assert "open-letter-org-5" not in section


def test_a_withholding_whose_recount_fails_is_not_saved_either(client, letter):
    signatories_section(client, letter)
    signature = line(letter, 5)
    signature.withheld = True

    failing_recount = mock.patch("letters.counts._lock_totals", side_effect=DatabaseError("lock timeout"))
    with failing_recount, pytest.raises(DatabaseError):
        signature.save()

    # One transaction: saved apart from its recount, the line would be withheld under the letter's old revision,
    # whose stored list still shows it.
    assert not line(letter, 5).withheld
    assert Letter.objects.get(pk=letter.pk).signatures_revision == letter.signatures_revision


def test_an_older_copy_of_the_letter_saved_back_never_brings_back_its_older_list(client, letter):
    signatories_section(client, letter)
    older = Letter.objects.get(pk=letter.pk)  # its stored list shows line 5
    signature = line(letter, 5)
    signature.withheld = True
    signature.save()
    assert "Organization 005" not in signatories_section(client, letter)
    older.title = "A typo fixed in an old tab"

    failing_recount = mock.patch("letters.counts._lock_totals", side_effect=DatabaseError("lock timeout"))
    with failing_recount, pytest.raises(DatabaseError):
        older.save()

    assert "Organization 005" not in signatories_section(client, letter)
    older.save()  # and when its recount runs, it renews the revision the older copy wrote back
    assert "Organization 005" not in signatories_section(client, letter)


def test_lines_read_after_a_recount_are_not_stored_under_the_revision_read_before_it(letter):
    read_before = Letter.objects.get(pk=letter.pk)  # the page has read the letter and its revision...
    signature = line(letter, 5)
    signature.withheld = True
    signature.save()  # ...a write commits a recount...

    items, _ = printed_signatories(read_before)  # ...then the page reads the lines

    assert "Organization 005" not in items
    assert Letter.objects.get(pk=letter.pk).signatory_list is None  # nothing stored under either revision


def test_drift_check_finds_a_stored_list_a_bypassing_write_made_stale(client, letter):
    signatories_section(client, letter)
    assert signatory_list_drift() == []

    # queryset.update() sends no signal: the stored list and its revision stay as they were
    Signature.objects.filter(letter=letter, position=5).update(withheld=True)

    assert signatory_list_drift() == [f"letter {letter.pk}: its stored signatory list differs from its signatures"]


def test_recounting_everything_clears_the_stored_lists(client, letter):
    signatories_section(client, letter)

    refresh_all_counts()

    assert Letter.objects.get(pk=letter.pk).signatory_list is None


@ROW_LOCKS
@pytest.mark.django_db(transaction=True)
def test_a_page_does_not_wait_for_a_write_holding_the_letters_row(client):
    letter = build_letter(10, withheld=(7,))

    # an admin save, mid-transaction
    with held_by_another_transaction(lambda: Letter.objects.select_for_update().get(pk=letter.pk)):
        section = signatories_section(client, letter)

    assert "Organization 005 as printed" in section  # rendered for the page
    assert Letter.objects.get(pk=letter.pk).signatory_list is None  # storing it was skipped
    signatories_section(client, letter)
    assert Letter.objects.get(pk=letter.pk).signatory_list is not None  # stored by the next view
