"""The admin's letter page: the letter's own fields and demands, and a summary of its signature lines linking to the
screen where they are edited, so that its size and queries do not grow with the number of lines."""

import datetime

import pytest
from django.urls import reverse

from letters.models import Letter, Signature
from tests.conftest import build_letter
from tests.test_history import change_form_data


def change_url(letter) -> str:
    return reverse("admin:letters_letter_change", args=[letter.pk])


@pytest.mark.parametrize("size", [10, 600])
def test_change_page_query_count_does_not_grow_with_lines(admin_client, django_assert_num_queries, db, size):
    letter = build_letter(size, members=3)
    admin_client.get(change_url(letter))  # the session is loaded once

    # session, user, the change view's savepoint (2), letter, addressees, the lines' summary, demands, themes
    with django_assert_num_queries(9):
        response = admin_client.get(change_url(letter))

    assert response.status_code == 200


def test_a_600_line_letters_change_page_is_under_300_kb(admin_client, db):
    letter = build_letter(600, members=20, withheld=tuple(range(5, 600, 15)))

    response = admin_client.get(change_url(letter))

    assert response.status_code == 200
    assert len(response.content) < 300 * 1024
    assert "Edit the 600 signature lines" in response.content.decode()


def test_change_page_summarises_the_lines_and_links_to_them(admin_client, letter):
    Signature.objects.filter(letter=letter, position__in=(3, 7)).update(retracted_on=datetime.date(2023, 1, 5))

    html = admin_client.get(change_url(letter)).content.decode()

    # 10 lines, line 7 withheld (and retracted: withheld wins, so not counted as a retracted named line)
    assert "<p>10 lines: 9 named (1 since retracted), 1 withheld.</p>" in html
    lines_url = reverse("admin:letters_signature_changelist") + f"?letter__id__exact={letter.pk}"
    assert f'<a href="{lines_url}">Edit the 10 signature lines</a>' in html
    add_url = reverse("admin:letters_signature_add") + f"?letter={letter.pk}&amp;position=11"
    assert f'<a href="{add_url}" class="addlink">Add a line</a>' in html
    assert 'name="signatures-' not in html  # no inline form of the lines


def test_add_page_says_how_lines_are_added(admin_client, db):
    html = admin_client.get(reverse("admin:letters_letter_add")).content.decode()

    assert "Save the letter, then add its signature lines" in html


def test_saving_a_letter_keeps_its_lines(admin_client, letter):
    response = admin_client.post(change_url(letter), change_form_data(letter, title="A new title"))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Letter.objects.get(pk=letter.pk).title == "A new title"
    assert Signature.objects.filter(letter=letter).count() == 10
