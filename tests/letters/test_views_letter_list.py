"""Browse: /letters/ filtered by text, dates, addressee, signer and kind; sorted; paginated; only published."""

import datetime

import pytest

from letters import counts, views
from letters.counts import refresh_all_counts
from letters.models import Letter
from organizations.models import Organization
from tests.conftest import build_letter


def browse(client, query: str = "") -> str:
    return client.get(f"/letters/{query}").content.decode()


@pytest.fixture
def letters(interpol):
    asean = Organization.objects.create(name="ASEAN", slug="asean")
    return {
        "old": build_letter(
            3, slug="old", title="Interpol letter", date=datetime.date(2021, 11, 22), addressees=(interpol,)
        ),
        "mid": build_letter(
            40,
            slug="mid",
            title="ASEAN press release",
            date=datetime.date(2022, 5, 10),
            addressees=(asean,),
            kind=Letter.Kind.PRESS_RELEASE,
            body="The junta commits atrocity crimes.",
            undisclosed=2,
        ),
        "new": build_letter(10, slug="new", title="Security Council letter", date=datetime.date(2024, 2, 1)),
    }


def titles(html: str) -> list[str]:
    found = []
    for title in [
        "Interpol letter",
        "ASEAN press release",
        "Security Council letter",
        "Draft letter not yet published",
    ]:
        if f">{title}</a>" in html:
            found.append((html.index(f">{title}</a>"), title))
    return [title for _, title in sorted(found)]


def test_browse_lists_published_letters_newest_first(client, letters, draft_letter):
    assert titles(browse(client)) == ["Security Council letter", "ASEAN press release", "Interpol letter"]


def test_draft_letter_is_never_found(client, letters, draft_letter):
    assert "Draft letter" not in browse(client, "?q=draft")
    assert "Draft letter" not in browse(client, "?signer=draft-letter-org-1")
    assert "Draft letter" not in browse(client, "?addressee=draft-addressee")
    assert "Draft Addressee" not in browse(client)


def test_full_text_search_covers_title_subject_and_body(client, letters):
    assert titles(browse(client, "?q=atrocity")) == ["ASEAN press release"]
    assert titles(browse(client, "?q=security")) == ["Security Council letter"]
    assert len(titles(browse(client, "?q=sale+of+arms"))) == 3


def test_date_range(client, letters):
    html = browse(client, "?date_after=2022-01-01&date_before=2023-12-31")

    assert titles(html) == ["ASEAN press release"]


def test_addressee_and_signer_filters(client, letters):
    assert titles(browse(client, "?addressee=interpol")) == ["Interpol letter"]
    assert titles(browse(client, "?signer=new-org-3")) == ["Security Council letter"]


def test_withheld_signature_does_not_make_a_signer(client, db):
    build_letter(3, slug="withheld", title="Interpol letter", withheld=(2,))

    assert titles(browse(client, "?signer=withheld-org-1")) == ["Interpol letter"]
    assert titles(browse(client, "?signer=withheld-org-2")) == []


def test_kind_filter(client, letters):
    assert titles(browse(client, "?kind=press_release")) == ["ASEAN press release"]


def test_sort_by_number_of_signatories(client, letters):
    assert titles(browse(client, "?sort=-signatories")) == [
        "ASEAN press release",
        "Security Council letter",
        "Interpol letter",
    ]
    assert titles(browse(client, "?sort=date")) == ["Interpol letter", "ASEAN press release", "Security Council letter"]


def test_counts_exclude_withheld(client, db):
    build_letter(5, slug="counted", undisclosed=4, withheld=(1, 2))

    assert "7 signatories: 3 named, 4 undisclosed" in browse(client)


def test_filters_are_shareable_links(client, letters):
    html = browse(client, "?kind=open_letter")

    assert 'href="?kind=open_letter&amp;addressee=interpol"' in html
    assert 'href="?kind=open_letter&amp;sort=-signatories"' in html
    assert 'href="?kind=press_release"' in html


def addressee_links(html: str) -> str:
    return html[html.index("<p>To: ") : html.index("<p>Year: ")]


def test_addressee_links_are_the_stored_most_written_to(client, letters, draft_letter):
    # Stored with the totals (letters.counts.public_totals): kept fresh by the same writes, renames included.
    html = addressee_links(browse(client))
    assert ">INTERPOL<" in html and ">ASEAN<" in html
    assert "draft-addressee" not in html  # only a draft is addressed to it: not public

    asean = Organization.objects.get(slug="asean")
    asean.name = "Association of Southeast Asian Nations"
    asean.save()
    assert ">Association of Southeast Asian Nations<" in addressee_links(browse(client))

    letters["mid"].status = Letter.Status.DRAFT
    letters["mid"].save()
    assert "asean" not in addressee_links(browse(client))


def test_an_addressee_chosen_from_outside_the_links_is_named_with_a_way_back(client, letters, monkeypatch):
    monkeypatch.setattr(counts, "TOP_ADDRESSEES", 1)
    refresh_all_counts()  # the links: ASEAN alone (one letter each, then by name)

    assert "Addressed to:" not in browse(client, "?addressee=asean")  # its link is marked as chosen instead
    assert "Addressed to: <strong>INTERPOL</strong>" in browse(client, "?addressee=interpol")


def test_a_rename_behind_the_counts_back_is_drift(letters):
    Organization.objects.filter(slug="asean").update(name="Renamed")  # no signal: the stored links keep "ASEAN"

    assert [line for line in counts.counts_drift() if line.startswith("public totals")]


def test_year_links_set_the_date_range(client, letters):
    html = browse(client)

    assert 'href="?date_after=2022-01-01&amp;date_before=2022-12-31"' in html
    assert titles(browse(client, "?date_after=2022-01-01&date_before=2022-12-31")) == ["ASEAN press release"]


def test_bad_filter_value_finds_nothing_instead_of_failing(client, letters):
    response = client.get("/letters/?date_after=not-a-date")

    assert response.status_code == 200
    assert titles(response.content.decode()) == []


def test_browse_is_paginated(client, db):
    for n in range(25):
        build_letter(1, slug=f"l{n}", title=f"Letter {n}", date=datetime.date(2020, 1, 1) + datetime.timedelta(n))

    first = browse(client)
    second = browse(client, "?page=2")

    assert first.count("<li><h3>") == 20
    assert second.count("<li><h3>") == 5
    assert '<a href="?page=2" rel="next">' in first


def test_a_text_search_is_counted_with_its_page_and_paginated(client, db):
    for n in range(45):
        build_letter(1, slug=f"l{n}", title=f"Letter {n}", date=datetime.date(2020, 1, 1) + datetime.timedelta(n))
    build_letter(1, slug="other", title="Something else", date=datetime.date(2021, 1, 1))

    first, third = browse(client, "?q=letter"), browse(client, "?q=letter&page=3")
    past_the_end, not_a_number = browse(client, "?q=letter&page=9"), browse(client, "?q=letter&page=x")
    below_one, huge = browse(client, "?q=letter&page=0"), browse(client, "?q=letter&page=" + "9" * 25)

    for html in (first, third, past_the_end, not_a_number, below_one, huge):
        assert '<h2 class="found">45 letters</h2>' in html
    for html in (below_one, huge):  # as Paginator.get_page(): the last page
        assert html.count("<li><h3>") == 5 and "Page 3 of 3" in html
    assert first.count("<li><h3>") == 20 and ">Letter 44<" in first and "Page 1 of 3" in first
    assert third.count("<li><h3>") == 5 and ">Letter 4<" in third and ">Letter 5<" not in third
    assert past_the_end.count("<li><h3>") == 5 and ">Letter 4<" in past_the_end and "Page 3 of 3" in past_the_end
    assert not_a_number.count("<li><h3>") == 20 and ">Letter 44<" in not_a_number
    assert "Something else" not in first + third


def test_a_text_search_that_matches_nothing_reads_its_empty_page_and_no_count(client, django_assert_num_queries, db):
    build_letter(1, slug="l1", title="Letter one")

    # the stored totals (year and addressee links), the ids of its matches (none): no COUNT, no read of a page
    with django_assert_num_queries(2):
        html = browse(client, "?q=nowhere")
    past_the_end = browse(client, "?q=nowhere&page=4")

    assert '<h2 class="found">0 letters</h2>' in html
    assert "No letter matches these filters." in html
    assert '<h2 class="found">0 letters</h2>' in past_the_end
    assert "No letter matches these filters." in past_the_end


@pytest.mark.parametrize("query", ["?q=letter", "?kind=open_letter", "?q=letter&sort=-signatories"])
def test_a_filtered_list_is_counted_no_further_than_the_cap(client, db, monkeypatch, query):
    # A common word matches most of the archive: the list is counted to COUNT_CAP + 1, then says "More than".
    monkeypatch.setattr(views, "COUNT_CAP", 30)
    for n in range(45):
        build_letter(1, slug=f"l{n}", title=f"Letter {n}", date=datetime.date(2020, 1, 1) + datetime.timedelta(n))

    first, second, past_the_cap = (
        browse(client, query),
        browse(client, query + "&page=2"),
        browse(client, query + "&page=3"),
    )

    assert '<h2 class="found">More than 30 letters</h2>' in first
    assert "Download every letter that matches:" in first
    assert first.count("<li><h3>") == 20 and "Page 1 of 2" in first
    assert second.count("<li><h3>") == 10 and "Page 2 of 2" in second  # the first 30 offered
    assert past_the_cap == second  # as Paginator.get_page(): the last page
    if "sort" not in query:  # newest first: the 30 newest
        assert ">Letter 44<" in first and ">Letter 15<" in second and ">Letter 14<" not in second


@pytest.mark.parametrize("size", [3, 40])
def test_browse_query_count_does_not_grow(client, django_assert_num_queries, interpol, size):
    for n in range(size):
        build_letter(size, slug=f"b{n}", date=datetime.date(2020, 1, 1) + datetime.timedelta(n), addressees=(interpol,))

    # the signer (for the filter and the page's heading), the ids of the first 1,001 matches (the count), the page's
    # letters (their addressees' names stored with them), the stored totals (year and addressee links)
    with django_assert_num_queries(4):
        response = browse(client, "?sort=-signatories&signer=b1-org-1&q=arms")

    assert response.count("<li><h3>") == 1
