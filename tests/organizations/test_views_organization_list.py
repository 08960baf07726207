"""The organization list: only public organizations, filtered by name, kind and initial, sortable."""

import pytest

from organizations.models import Alias, Organization
from tests.conftest import build_letter


def names(client, query: str = "") -> str:
    return client.get(f"/organizations/{query}").content.decode()


def test_list_shows_signers_and_addressees(client, letter):
    html = names(client)

    assert "open-letter Organization 001" in html
    assert "INTERPOL" in html


def test_withheld_and_draft_organizations_are_not_listed(client, letter, draft_letter):
    html = names(client)

    assert "open-letter Organization 007" not in html
    assert "draft-letter Organization" not in html
    assert "Draft Addressee" not in html


def test_search_by_name_and_by_printed_spelling(client, letter):
    assert "Organization 005" in names(client, "?q=organization+005")
    assert "Organization 002" not in names(client, "?q=organization+005")
    assert "Organization 005" in names(client, "?q=005+as+printed")


def test_search_never_finds_a_withheld_spelling(client, letter):
    org = Organization.objects.get(slug="open-letter-org-5")
    Alias.objects.create(organization=org, name="Secret spelling", source=Alias.Source.LETTER)

    assert "Organization 005" not in names(client, "?q=secret")


def test_kind_and_initial_filters(client, letter):
    html = names(client, "?kind=intergovernmental_body")
    assert "INTERPOL" in html
    assert "Organization 001" not in html

    html = names(client, "?initial=I")
    assert "INTERPOL" in html
    assert "Organization 001" not in html


def test_sort_by_letters_signed(client, letter):
    busy = Organization.objects.get(slug="open-letter-org-9")
    other = build_letter(1, slug="other", org_prefix="other")
    other.signatures.create(organization=busy, position=2, listed_as="Nine")

    html = names(client, "?sort=-letters")

    assert html.index("Organization 009") < html.index("Organization 001")
    assert "signed 2" in html


def test_filters_are_links(client, letter):
    html = names(client, "?kind=organization")

    assert 'href="?kind=organization&amp;initial=A"' in html
    assert 'href="?kind=organization&amp;sort=-letters"' in html


@pytest.mark.parametrize("size", [5, 300])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, db, size):
    build_letter(size, slug="big")

    with django_assert_num_queries(2):
        response = names(client, "?sort=-letters")

    assert response.count("<li><a href=") == min(size, 60)


def test_a_new_curator_alias_is_found_and_a_deleted_one_no_more(client, letter):
    org = Organization.objects.get(slug="open-letter-org-5")
    alias = Alias.objects.create(organization=org, name="Kawthoolei Friends", source=Alias.Source.CURATOR)
    assert "Organization 005" in names(client, "?q=kawthoolei")

    alias.delete()
    assert "Organization 005" not in names(client, "?q=kawthoolei")


def test_a_search_past_the_cap_says_more_than(client, db, monkeypatch):
    from organizations import views

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    build_letter(5, slug="capped")

    html = names(client, "?q=organization")
    assert "More than 3 organizations" in html
    assert "Download every organization that matches" in html
    assert html.count('<li><a href="/organizations/') == 3  # the first 3 offered
    assert "More than" not in names(client, "")  # the stored count of every public organization, exact
    assert '<h2 class="found">1 organization</h2>' in names(client, "?q=organization+001")


def test_a_retyped_printed_spelling_is_searched_as_printed(client, letter):
    from letters.models import Signature

    signature = Signature.objects.get(letter=letter, position=5)
    signature.listed_as = "Retyped Spelling Collective"
    signature.save()

    assert "Organization 005" in names(client, "?q=retyped+spelling")
    # The old spelling is still an alias from the import, but no public signature prints it any more.
    assert "Organization 005" not in names(client, "?q=005+as+printed")
