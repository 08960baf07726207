"""The admin's letter page with its signature lines: the lines' organizations and coalitions are read once for the
page, not once per line, and a line can still be moved to any organization."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from letters.models import Signature
from organizations.models import Organization
from tests.conftest import build_letter
from tests.test_history import change_form_data


def change_url(letter) -> str:
    return reverse("admin:letters_letter_change", args=[letter.pk])


def lines_data(letter, changes: dict[int, dict] | None = None) -> dict:
    """The change form as the page submits it, every line unchanged but for `changes` (position -> {field: value})."""
    signatures = list(letter.signatures.order_by("position"))
    data = change_form_data(letter, **{"signatures-TOTAL_FORMS": len(signatures)})
    data["signatures-INITIAL_FORMS"] = len(signatures)
    for index, signature in enumerate(signatures):
        values = {**model_to_dict(signature), **(changes or {}).get(signature.position, {})}
        for field, value in values.items():
            if value is not None and value is not False:
                data[f"signatures-{index}-{field}"] = "on" if value is True else value
    return data


@pytest.mark.parametrize("size", [10, 60])
def test_change_page_query_count_does_not_grow_with_lines(admin_client, django_assert_num_queries, db, size):
    letter = build_letter(size, members=3)
    admin_client.get(change_url(letter))  # the session is loaded once

    # session, user, the change view's savepoint (2), letter, addressees, its lines with their organizations and
    # coalitions (once for the forms, once for the widgets' labels), demands, themes: none per line
    with django_assert_num_queries(10):
        response = admin_client.get(change_url(letter))

    assert response.status_code == 200


def test_change_page_shows_each_lines_organization_and_coalition(admin_client, db):
    letter = build_letter(5, members=2)
    html = admin_client.get(change_url(letter)).content.decode()
    coalition = Signature.objects.get(letter=letter, position=1)
    member_index = 1  # the second line, under the first

    for index, signature in enumerate(letter.signatures.select_related("organization").order_by("position")):
        org = signature.organization
        assert f'<option value="{org.pk}" selected>{org.name}</option>' in html, index
    coalition_link = reverse("admin:letters_signature_change", args=[coalition.pk])
    assert f'name="signatures-{member_index}-member_of" value="{coalition.pk}"' in html
    assert f'<a href="{coalition_link}">{coalition}</a>' in html


def test_a_line_moved_to_another_organization_is_saved(admin_client, db):
    letter = build_letter(5)
    other = Organization.objects.create(name="Another Organization", slug="another-organization")

    response = admin_client.post(change_url(letter), lines_data(letter, {3: {"organization": other.pk}}))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Signature.objects.get(letter=letter, position=3).organization == other


def test_a_line_pointing_at_no_organization_is_an_error_on_that_line(admin_client, db):
    letter = build_letter(5)

    response = admin_client.post(change_url(letter), lines_data(letter) | {"signatures-2-organization": 999999})

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.errors
    assert errors[2] == {"organization": ["Select a valid choice. That choice is not one of the available choices."]}
    assert Signature.objects.get(letter=letter, position=3).organization.slug == "open-letter-org-3"


@pytest.mark.parametrize("size", [10, 60])
def test_saving_a_letter_does_not_look_up_each_lines_organization(admin_client, db, size):
    letter = build_letter(size)

    with CaptureQueriesContext(connection) as captured:
        response = admin_client.post(change_url(letter), lines_data(letter))

    assert response.status_code == 302, response.content.decode()[:2000]
    lookups = [q for q in captured.captured_queries if q["sql"].startswith('SELECT "organizations_organization"."id"')]
    assert len(lookups) <= 2, [q["sql"][:200] for q in lookups]
