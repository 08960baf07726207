"""The public lists' shared pieces (letters.listing) and rows built in Python (letters.rendering) give what the
template tags and the templates' autoescape would."""

import datetime

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from letters.listing import letter_urls, query_links, slug_urls
from letters.models import Letter
from letters.rendering import facet_line, initial_line, letter_items, letter_link_items, organization_items
from letters.views import LETTER_ROW_FIELDS
from organizations.models import Organization
from tests.conftest import build_letter

QUERIES = ["", "q=arms+embargo&page=3", "kind=open_letter&q=a&q=b", "q=%E1%80%80%E1%80%BB&signer=org%2F1&page=2"]
CHANGES = [
    {"kind": "joint_statement", "page": None},
    {"date_after": "2021-01-01", "date_before": "2021-12-31", "page": None},
    {"q": "ဗမာ & <b>", "page": 4},
    {"signer": None},
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("changes", CHANGES)
def test_query_links_give_what_the_querystring_tag_gives(query, changes):
    request = RequestFactory().get("/letters/?" + query)
    tag = "{% querystring query " + " ".join(f"{key}=v_{key}" for key in changes) + " %}"
    values = {f"v_{key}": value for key, value in changes.items()}
    expected = Template(tag).render(Context({"query": request.GET, **values}, autoescape=False))

    # "" for an empty query with everything removed is the tag's answer; a facet link always sets something
    assert query_links(request.GET)(**changes) == (expected or "?")


def test_query_links_leave_the_query_unchanged():
    query = QueryDict("q=a&page=2")
    link = query_links(query)
    link(page=None, q="b")
    assert link(kind="x") == "?q=a&page=2&kind=x"


@pytest.mark.parametrize("slug", ["interpol", "ဗမာ-အမျိုးသမီး-အဖွဲ့", "日本の市民団体", "a_b-9", "café", "a%b", "x~y"])
def test_slug_urls_are_what_reverse_gives(slug):
    assert slug_urls("organizations:detail")(slug) == reverse("organizations:detail", kwargs={"slug": slug})


def test_letter_rows_escape_text_and_show_counts_and_addressees(db):
    addressee = Organization.objects.create(name="Ministry <of> Defence & Co", slug="ministry")
    another = Organization.objects.create(name="Army", slug="army")
    letter = build_letter(3, title='Stop "arms" <now> & forever', undisclosed=5, addressees=(addressee, another))
    rows = str(letter_items(Letter.objects.only(*LETTER_ROW_FIELDS), empty="None."))

    assert f'<a href="{letter.get_absolute_url()}">Stop &quot;arms&quot; &lt;now&gt; &amp; forever</a>' in rows
    assert (
        '<time datetime="2022-07-14">14 July 2022</time> · Open letter · 8 signatories: 3 named, 5 undisclosed' in rows
    )
    assert "<br>To Army; Ministry &lt;of&gt; Defence &amp; Co</p></li>" in rows  # in name order
    assert str(letter_items([], empty="No <letters>.")) == "<li>No &lt;letters&gt;.</li>"


def test_organization_rows_escape_names_and_link_as_reverse(db):
    organization = Organization(name="Women's <League>", acronym="WL&B", slug="ဗမာ-အမျိုးသမီး", letters_signed=3)
    rows = str(organization_items([organization], slug_urls("organizations:detail"), empty="None."))

    url = reverse("organizations:detail", kwargs={"slug": organization.slug})
    assert rows == (
        f'<li><a href="{url}">Women&#x27;s &lt;League&gt;</a> (WL&amp;B) <span class="meta">Organization · signed 3'
        "</span></li>"
    )


def test_letter_link_rows_escape_the_note(db):
    letter = Letter(title="A & B", slug="a-b", date=datetime.date(2021, 3, 9))
    rows = str(letter_link_items([letter], lambda letter: "listed as “<Org>”"))

    assert rows == (
        f'<li><a href="{letter.get_absolute_url()}">A &amp; B</a> <span class="meta"><time datetime="2021-03-09">'
        "9 March 2021</time> · listed as “&lt;Org&gt;”</span></li>"
    )


def test_facet_line_links_choices_and_bolds_the_chosen_one_with_a_remove_link():
    line = facet_line(
        [("Open <letter>", "?kind=a&page=2", False), ("Joint & statement", "?kind=b", True)],
        remove_url="?q=x&y",
        remove_label="Remove kind filter",
    )

    assert line == (
        '<a href="?kind=a&amp;page=2">Open &lt;letter&gt;</a> · <strong>Joint &amp; statement</strong> '
        '<a href="?q=x&amp;y" aria-label="Remove kind filter">×</a>'
    )


def test_initial_line_marks_the_chosen_initial_and_offers_all_only_when_narrowed():
    chosen = initial_line([("A", "?initial=A", False), ("B", "?initial=B", True)], all_url="?kind=x&q=1")
    unchosen = initial_line([("A", "?initial=A", False)], all_url=None)

    assert (
        chosen == '<a href="?initial=A">A</a> <strong aria-current="true">B</strong> <a href="?kind=x&amp;q=1">All</a>'
    )
    assert unchosen == '<a href="?initial=A">A</a> '


@pytest.mark.parametrize("slug", ["open-letter", "ဗမာ-စာ", "日本の手紙", "a_b~c"])
@pytest.mark.parametrize("day", [datetime.date(2021, 2, 3), datetime.date(1999, 12, 31)])
def test_letter_urls_are_what_get_absolute_url_gives(slug, day):
    letter = Letter(slug=slug, date=day)
    assert letter_urls()(letter.date, letter.slug) == letter.get_absolute_url()


def test_a_list_row_dates_its_letter_as_the_date_filter_would():
    day = datetime.date(2021, 11, 22)
    letter = Letter(title="T", slug="t", date=day, kind=Letter.Kind.OPEN_LETTER)
    expected = Template('<time datetime="{{ d|date:"Y-m-d" }}">{{ d|date:"j F Y" }}</time>')
    for _ in range(2):  # formatted, then from the cache: the same
        row = letter_link_items([letter], lambda letter: "note")
        assert expected.render(Context({"d": day})) in row
    assert '<time datetime="2021-11-22">22 November 2021</time>' in row
