"""A letter's figures told honestly: what the letter states and what the archive names as separate facts, the
difference when they do not add up, the curators' note on why, and never a figure that counts a withheld line."""

import csv
import io
import json

import pytest
from django.urls import reverse

from letters.models import Letter
from letters.totals import count_phrase, letter_totals, public_totals, totals_fields, totals_paragraphs
from tests.conftest import build_letter
from tests.test_history import change_form_data


def told(declared, named, undisclosed, *, withheld=0, note="", retracted=0) -> tuple[str, str]:
    """(the short phrase, the page's paragraphs) for these stored figures."""
    totals = public_totals(declared=declared, named=named, undisclosed=undisclosed, withheld=withheld, note=note)
    return count_phrase(totals, retracted=retracted), str(totals_paragraphs(totals, retracted=retracted))


# The three letters the issue found, as the archive holds them: stated, named, undisclosed.
NOT_ADDING_UP = [
    (462, 402, 84, "These figures differ by 24: 402 named and 84 not named make 486, not 462."),
    (567, 280, 286, "These figures differ by 1: 280 named and 286 not named make 566, not 567."),
    (459, 370, 86, "These figures differ by 3: 370 named and 86 not named make 456, not 459."),
]


@pytest.mark.parametrize(("stated", "named", "undisclosed", "difference"), NOT_ADDING_UP)
def test_figures_that_do_not_add_up_are_told_apart_with_the_difference(stated, named, undisclosed, difference):
    phrase, paragraphs = told(stated, named, undisclosed, note="One organization printed twice.")

    assert phrase == f"{named} named, {undisclosed} undisclosed (the letter states {stated})"
    assert f"The letter states {stated} signatories. {named} are named here; " in paragraphs
    assert f"the letter says {undisclosed} chose not to be named." in paragraphs
    assert f'<p class="totals-differ">{difference}</p>' in paragraphs
    assert '<p class="totals-note">Curators’ note: One organization printed twice.</p>' in paragraphs
    assert f"{stated} signatories:" not in phrase + paragraphs  # no false sum


def test_figures_that_add_up_are_one_sum_and_no_note():
    phrase, paragraphs = told(448, 415, 33, note="A stale note from before a correction.")

    assert phrase == "448 signatories: 415 named, 33 undisclosed"
    assert paragraphs == (
        '<p class="count">The letter states 448 signatories. 415 are named here; the letter says 33 chose not to be '
        "named.</p>"
    )


def test_a_letter_that_states_no_total_is_told_by_what_it_names():
    phrase, paragraphs = told(None, 12, 3, note="Nothing to explain.")

    assert phrase == "15 signatories: 12 named, 3 undisclosed"
    assert paragraphs == (
        '<p class="count">12 signatories are named here; the letter says 3 chose not to be named.</p>'
    )


def test_a_letter_with_no_undisclosed_signatories_names_them_all_or_says_by_how_many_not():
    assert told(259, 259, None) == (
        "259 signatories",
        '<p class="count">The letter states 259 signatories. 259 are named here.</p>',
    )
    phrase, paragraphs = told(459, 456, 0)

    assert phrase == "456 named (the letter states 459)"
    assert '<p class="totals-differ">These figures differ by 3.</p>' in paragraphs


def test_a_stated_lower_bound_exceeded_by_the_names_says_by_how_many_more():
    # "More than 60 organizations" is read as a stated 60; the list names 75.
    phrase, paragraphs = told(60, 75, None, note="The letter says “more than 60”.")

    assert phrase == "75 named (the letter states 60)"
    assert "The letter states 60 signatories. 75 are named here." in paragraphs
    assert '<p class="totals-differ">These figures differ by 15.</p>' in paragraphs
    assert "Curators’ note: The letter says “more than 60”." in paragraphs
    assert public_totals(declared=60, named=75, undisclosed=None, withheld=0, note="").difference == -15


def test_one_signatory_is_singular():
    assert told(1, 1, None) == ("1 signatory", '<p class="count">The letter states 1 signatory. 1 is named here.</p>')
    assert told(None, 1, None)[1] == '<p class="count">1 signatory is named here.</p>'


def test_retracted_lines_stay_in_the_named_figure_and_are_said():
    phrase, paragraphs = told(462, 402, 84, retracted=3)

    assert phrase == "402 named, 84 undisclosed (the letter states 462); 3 since retracted"
    assert "402 are named here (3 since retracted); the letter says 84" in paragraphs


def test_the_note_is_escaped():
    _, paragraphs = told(10, 8, None, note='<script>alert("x")</script>')

    assert "<script>" not in paragraphs
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in paragraphs


@pytest.mark.parametrize("declared", [None, 3, 42, 43, 50, 1000])
def test_with_a_withheld_line_nothing_told_depends_on_the_stated_total(declared):
    """9 public lines, 1 withheld, 33 undisclosed: a stated 43 minus 9 minus 33 would count the withheld line. Whatever
    the letter states, the public is told exactly what it would be told of a letter that states no total."""
    figures = {"named": 9, "undisclosed": 33, "withheld": 1, "note": "One name withheld."}
    without_total = public_totals(declared=None, **figures)

    totals = public_totals(declared=declared, **figures)

    assert totals == without_total
    assert (totals.stated, totals.difference, totals.note, totals.total) == (None, None, "", 42)
    assert totals_fields(totals) == totals_fields(without_total)
    phrase, paragraphs = told(declared, 9, 33, withheld=1, note="One name withheld.")
    assert phrase == "42 signatories: 9 named, 33 undisclosed"
    assert paragraphs == '<p class="count">9 signatories are named here; the letter says 33 chose not to be named.</p>'


@pytest.mark.parametrize(
    ("lines", "undisclosed", "withheld", "declared"),
    [(4, None, (), 4), (4, 2, (), 9), (4, 2, (), None), (4, 2, (2,), 9), (4, None, (1, 3), 4), (3, 5, (), 1)],
)
def test_the_total_a_list_sorts_by_is_the_one_told(db, lines, undisclosed, withheld, declared):
    letter = build_letter(lines, undisclosed=undisclosed, withheld=withheld)
    Letter.objects.filter(pk=letter.pk).update(declared_signatory_count=declared)
    letter.refresh_from_db()

    assert letter_totals(letter).total == letter.signatory_total


# --- The letter page ---------------------------------------------------------------------------------------------


@pytest.fixture
def not_adding_up(db) -> Letter:
    """The third letter the issue found: it states 459 and 86 undisclosed, and prints 370 names."""
    letter = build_letter(370, slug="four-five-nine", undisclosed=86)
    letter.declared_signatory_count = 459
    letter.save()
    return letter


def test_letter_page_tells_459_370_and_86_apart_with_the_difference(client, not_adding_up):
    html = client.get(not_adding_up.get_absolute_url()).content.decode()

    assert '<dt>Signed by</dt><dd><a href="#signatories">370 named, 86 undisclosed (the letter states 459)</a>' in html
    assert (
        '<p class="count">The letter states 459 signatories. 370 are named here; the letter says 86 chose not to be '
        'named.</p>\n<p class="totals-differ">These figures differ by 3: 370 named and 86 not named make 456, not '
        "459.</p>"
    ) in html
    assert "459 signatories:" not in html
    assert "456 signatories" not in html
    assert "totals-note" not in html  # no note yet


def test_a_note_saved_in_the_admin_shows_on_the_cached_page_and_is_kept_in_history(client, admin_client, not_adding_up):
    url = not_adding_up.get_absolute_url()
    assert "Curators’ note" not in client.get(url).content.decode()  # now in the page cache
    change_url = reverse("admin:letters_letter_change", args=[not_adding_up.pk])
    assert 'name="totals_note"' in admin_client.get(change_url).content.decode()

    note = "Three organizations are printed twice."
    response = admin_client.post(change_url, change_form_data(not_adding_up, totals_note=note))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert f'<p class="totals-note">Curators’ note: {note}</p>' in client.get(url).content.decode()
    assert not_adding_up.history.latest().totals_note == note

    response = admin_client.post(change_url, change_form_data(not_adding_up, totals_note="Two, in fact."))

    html = client.get(url).content.decode()
    assert "Curators’ note: Two, in fact." in html
    assert note not in html
    assert [v.totals_note for v in not_adding_up.history.order_by("-history_date")[:2]] == ["Two, in fact.", note]


def test_the_browse_and_home_rows_tell_the_figures_apart(client, not_adding_up):
    for path in ("/", "/letters/"):
        html = client.get(path).content.decode()

        assert "370 named, 86 undisclosed (the letter states 459)" in html, path
        assert "459 signatories" not in html, path


# --- Downloads and the API ---------------------------------------------------------------------------------------


@pytest.fixture
def noted(db) -> Letter:
    """States 9 with 2 undisclosed, names 4: 6 held, 3 fewer than stated, and a note on why."""
    letter = build_letter(4, slug="noted", undisclosed=2)
    letter.declared_signatory_count = 9
    letter.totals_note = "=Three lines were lost in the PDF."  # looks like a formula to a spreadsheet
    letter.save()
    return letter


EXPECTED = {
    "signatories_named": 4,
    "signatories_undisclosed": 2,
    "signatories_total": 9,
    "signatories_stated": 9,
    "signatories_difference": 3,
    "totals_note": "=Three lines were lost in the PDF.",
}
AS_CSV = {
    **{name: str(value) for name, value in EXPECTED.items()},
    "totals_note": "'=Three lines were lost in the PDF.",
}


def csv_row(response) -> dict:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text))
    return row


def json_items(response) -> list:
    return json.loads(b"".join(response.streaming_content))


def test_letter_json_carries_the_figures_and_the_note(client, noted):
    kwargs = {"year": 2022, "month": "07", "day": "14", "slug": "noted"}
    data = client.get(reverse("letters:detail_json", kwargs=kwargs)).json()

    assert {name: data[name] for name in EXPECTED} == EXPECTED


def test_letter_lists_csv_and_json_carry_the_figures_and_the_note(client, noted):
    for response in (client.get(reverse("letters:list_csv")), client.get("/data/letters.csv")):
        row = csv_row(response)
        assert {name: row[name] for name in AS_CSV} == AS_CSV
    (item,) = json_items(client.get(reverse("letters:list_json")))
    assert {name: item[name] for name in EXPECTED} == EXPECTED


def test_api_carries_the_figures_and_the_note(client, noted):
    (listed,) = client.get("/api/letters").json()["results"]
    detail = client.get(f"/api/letters/{noted.pk}").json()

    assert {name: listed[name] for name in EXPECTED} == EXPECTED
    assert {name: detail[name] for name in EXPECTED} == EXPECTED


def test_figures_that_add_up_export_a_zero_difference_and_no_note(client, db):
    letter = build_letter(4, slug="adds-up", undisclosed=2)
    letter.totals_note = "Left from before a correction."
    letter.save()

    detail = client.get(f"/api/letters/{letter.pk}").json()
    row = csv_row(client.get("/data/letters.csv"))

    assert (detail["signatories_stated"], detail["signatories_difference"], detail["totals_note"]) == (6, 0, "")
    assert (row["signatories_stated"], row["signatories_difference"], row["totals_note"]) == ("6", "0", "")


def test_openapi_schema_and_data_dictionary_describe_the_figures(client, db):
    schema = client.get("/api/openapi.json").json()
    data_page = client.get("/data/").content.decode()

    properties = schema["components"]["schemas"]["Letter_"]["properties"]
    for name in EXPECTED:
        assert properties[name]["description"], name
        assert f"<code>{name}</code>" in data_page, name
    assert "withholds a name" in properties["signatories_stated"]["description"]
    assert {"type": "null"} in properties["signatories_difference"]["anyOf"]
    assert properties["totals_note"]["type"] == "string"
