"""The admin's letter and organization lists: their counts come from stored figures or from the rows shown, so a
page's queries neither grow with the archive nor group every signature in it."""

import re

import pytest
from django.urls import reverse

from letters.models import Letter, Signature
from organizations.models import Organization
from tests.conftest import build_letter

LETTERS = reverse("admin:letters_letter_changelist")
ORGANIZATIONS = reverse("admin:organizations_organization_changelist")


def cells(html: str, column: str) -> list[str]:
    """The text of each row's cell in a list_display column (Django marks each `field-<name>`)."""
    marker = f'class="field-{column}">'
    return [re.sub(r"<[^>]+>", "", re.split(r"</t[dh]>", part, maxsplit=1)[0]) for part in html.split(marker)[1:]]


def test_letter_list_shows_named_signatories_without_the_withheld(admin_client, letter):
    html = admin_client.get(LETTERS).content.decode()

    assert cells(html, "named_signatories") == ["9"]  # 10 lines, one withheld


@pytest.mark.parametrize("size", [3, 40])
def test_letter_list_query_count_does_not_grow(admin_client, django_assert_num_queries, db, size):
    for n in range(size):
        build_letter(5, slug=f"letter-{n}", title=f"Letter {n}", withheld=(2,))
    admin_client.get(LETTERS)  # the session is loaded once

    # session, user, count, total count, the page's letters, language and kind filters' choices, date hierarchy
    # years, and the two queries of the import link's template context
    with django_assert_num_queries(10) as captured:
        response = admin_client.get(LETTERS)

    assert cells(response.content.decode(), "named_signatories") == ["4"] * size
    assert not [query for query in captured.captured_queries if '"letters_signature"' in query["sql"]]


@pytest.mark.parametrize("size", [3, 40])
def test_organization_list_query_count_does_not_grow(admin_client, django_assert_num_queries, db, size):
    build_letter(size, withheld=(2,))
    admin_client.get(ORGANIZATIONS)

    # session, user, count, total count, the page's organizations (signatures counted for them alone), the kind
    # filter's choices, and the duplicate finder's link
    with django_assert_num_queries(7) as captured:
        response = admin_client.get(ORGANIZATIONS)

    assert len(cells(response.content.decode(), "signature_count")) == size
    # One correlated count in the page's query, not a join grouping the signatures of every organization.
    assert not [query for query in captured.captured_queries if 'JOIN "letters_signature"' in query["sql"]]


def test_organization_list_counts_every_signature_and_the_public_letters(admin_client, letter, draft_letter):
    org = Organization.objects.get(slug="open-letter-org-7")  # withheld on the published letter
    Signature.objects.create(letter=draft_letter, organization=org, position=9, listed_as=org.name)
    public = Organization.objects.get(slug="open-letter-org-5")

    response = admin_client.get(ORGANIZATIONS, {"q": "open-letter Organization 00"})
    html = response.content.decode()
    counts = zip(cells(html, "signature_count"), cells(html, "public_letters_signed"), strict=True)
    rows = dict(zip(cells(html, "name"), counts, strict=True))

    assert Letter.objects.get(pk=draft_letter.pk).status == Letter.Status.DRAFT
    assert rows[org.name] == ("2", "0")  # withheld on one letter, on a draft on the other: counted, not public
    assert rows[public.name] == ("1", "1")
