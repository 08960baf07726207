"""The signature lines screen: a letter's lines, 100 a page in printed order, each row editable with labelled inputs;
saves checked against the letter's other lines, recounted once, kept in history; queries flat."""

import datetime
import re

import pytest
from django.db.models import F
from django.forms.renderers import DjangoTemplates
from django.urls import reverse

from letters.models import Signature
from organizations.models import Organization
from tests.conftest import build_letter

ROW_FIELDS = ["position", "listed_as", "organization", "section", "member_of", "withheld", "retracted_on", "note"]


def lines_url(letter, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"letter__id__exact": letter.pk, **params}.items())
    return reverse("admin:letters_signature_changelist") + "?" + query


def page_data(letter, changes: dict[int, dict] | None = None, rows: int = 100) -> dict:
    """The first page of the letter's lines as the browser submits it, unchanged but for `changes` (position ->
    {field: value}), "Save" pressed."""
    lines = list(Signature.objects.filter(letter=letter).order_by("position")[:rows])
    data = {"_save": "Save", "form-TOTAL_FORMS": len(lines), "form-INITIAL_FORMS": len(lines)}
    for index, line in enumerate(lines):
        values = {field: getattr(line, field) for field in ROW_FIELDS if field not in ("organization", "member_of")}
        values |= {"id": line.pk, "organization": line.organization_id, "member_of": line.member_of_id}
        values |= (changes or {}).get(line.position, {})
        for field, value in values.items():
            if value is not None and value is not False:
                data[f"form-{index}-{field}"] = "on" if value is True else value
    return data


def row_errors(response) -> dict[int, dict]:
    """Position (as it was) -> the row's errors, for the rows that have any."""
    formset = response.context["cl"].formset
    return {form.initial["position"]: form.errors for form in formset.forms if form.errors}


@pytest.mark.parametrize("size", [20, 150])
def test_lines_page_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries, db, size):
    letter = build_letter(size, members=5, withheld=(3,))
    admin_client.get(lines_url(letter))

    # session, user, the savepoint of counted_once (2), the letter filter's title, the section filter's choices,
    # count, the page's lines with their letter, organization and coalition
    with django_assert_num_queries(8):
        response = admin_client.get(lines_url(letter))

    assert len(response.context["cl"].result_list) == min(size, 100)


def test_lines_page_lists_one_letters_lines_in_printed_order_100_a_page(admin_client, db):
    letter = build_letter(150)
    build_letter(3, slug="other-letter", title="Another letter")
    # Printed order against the order of creation: the first line created is printed last (in two steps, so that no
    # two lines share a position on the way).
    Signature.objects.filter(letter=letter).update(position=F("position") + 1000)
    Signature.objects.filter(letter=letter).update(position=3000 - F("position"))

    first = admin_client.get(lines_url(letter))
    second = admin_client.get(lines_url(letter, p=2))

    positions = [line.position for line in first.context["cl"].result_list]
    assert positions == list(range(1850, 1950))
    assert [line.position for line in second.context["cl"].result_list] == list(range(1950, 2000))
    assert first.context["title"] == "Signature lines of “Open letter on arms sales”"
    assert 'href="{}">Back to the letter</a>'.format(reverse("admin:letters_letter_change", args=[letter.pk])) in (
        first.content.decode()
    )


def test_every_input_on_the_lines_page_is_labelled_with_its_line(admin_client, letter):
    html = admin_client.get(lines_url(letter)).content.decode()
    inputs = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    row_inputs = [tag for tag in inputs if 'name="form-' in tag and 'type="hidden"' not in tag]

    assert len(row_inputs) == 10 * len(ROW_FIELDS)
    assert [tag for tag in row_inputs if "aria-label=" not in tag] == []
    assert 'aria-label="Listed as, line 4"' in html
    assert 'aria-label="Withheld, line 7"' in html
    assert [tag for tag in row_inputs if "aria-describedby" in tag] == []  # naming help the list does not show


def test_lines_page_shows_each_lines_organization_and_coalition(admin_client, letter):
    html = admin_client.get(lines_url(letter)).content.decode()
    coalition = Signature.objects.get(letter=letter, position=1)
    member = Signature.objects.select_related("organization").get(letter=letter, position=2)

    org_link = reverse("admin:organizations_organization_change", args=[member.organization_id])
    assert f'<a href="{org_link}">{member.organization.name}</a>' in html
    coalition_link = reverse("admin:letters_signature_change", args=[coalition.pk])
    assert f'<a href="{coalition_link}">{coalition}</a>' in html
    # the coalition is looked up among this letter's lines
    assert f"?_to_field=id&amp;letter__id__exact={letter.pk}" in html


def test_section_filter_offers_the_letters_headings_in_printed_order(admin_client, letter):
    Signature.objects.filter(letter=letter, position__lte=4).update(section="Thailand")
    Signature.objects.filter(letter=letter, position__gt=4).update(section="Individuals")
    build_letter(2, slug="other-letter", title="Another letter")
    Signature.objects.exclude(letter=letter).update(section="Australia")

    response = admin_client.get(lines_url(letter, section="Individuals"))

    section_filter = next(spec for spec in response.context["cl"].filter_specs if spec.title == "section")
    assert [value for value, _ in section_filter.lookup_choices] == ["Thailand", "Individuals"]
    assert [line.position for line in response.context["cl"].result_list] == [5, 6, 7, 8, 9, 10]


def test_lines_page_searches_the_printed_names(admin_client, letter):
    Signature.objects.filter(letter=letter, position=6).update(listed_as="Karen Women's Organisation (KWO)")

    response = admin_client.get(lines_url(letter, q="women"))

    assert [line.position for line in response.context["cl"].result_list] == [6]


def test_a_letter_id_that_is_not_a_number_is_refused_not_ignored(admin_client, db):
    response = admin_client.get(reverse("admin:letters_signature_changelist") + "?letter__id__exact=abc")

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("rows", [10, 100])
def test_saving_an_unchanged_page_reads_no_row_again(admin_client, django_assert_num_queries, db, rows):
    letter = build_letter(rows, members=5)
    data = page_data(letter)
    admin_client.get(lines_url(letter))

    # session, user, the savepoint of counted_once (2), the list's letter, sections and count, the posted rows with
    # their organization and coalition, the save's savepoint (2) with nothing to save in it; nothing a row: no
    # line, organization or coalition read again to check it
    with django_assert_num_queries(10):
        response = admin_client.post(lines_url(letter), data)

    assert response.status_code == 302


def test_edited_lines_are_saved_recounted_and_kept_in_history(admin_client, letter):
    other = Organization.objects.create(name="Another Organization", slug="another-organization")
    changes = {
        3: {"organization": other.pk, "listed_as": "Another Organization, as printed", "section": "Burma"},
        4: {"withheld": True},
        9: {"retracted_on": "2023-02-01", "note": "Withdrew by e-mail"},
    }

    response = admin_client.post(lines_url(letter), page_data(letter, changes))

    assert response.status_code == 302, response.content.decode()[:3000]
    line3 = Signature.objects.get(letter=letter, position=3)
    assert (line3.organization, line3.listed_as, line3.section) == (other, "Another Organization, as printed", "Burma")
    assert Signature.objects.get(letter=letter, position=4).withheld
    line9 = Signature.objects.get(letter=letter, position=9)
    assert (line9.retracted_on, line9.note) == (datetime.date(2023, 2, 1), "Withdrew by e-mail")
    letter.refresh_from_db()
    assert (letter.named_count, letter.withheld_count) == (8, 2)
    # the fixture's bulk_create kept no version: the one there is, is this save's
    assert [(v.history_user.username, v.organization_id) for v in line3.history.all()] == [("admin", other.pk)]
    assert not Signature.objects.get(letter=letter, position=5).history.exists()  # unchanged rows are not saved


def test_an_organization_already_on_the_letter_is_refused_on_its_row(admin_client, letter):
    taken = Signature.objects.get(letter=letter, position=8)

    response = admin_client.post(lines_url(letter), page_data(letter, {3: {"organization": taken.organization_id}}))

    assert response.status_code == 200
    message = f"This organization signed this letter already, as line 8 (“{taken.listed_as}”)."
    assert row_errors(response) == {3: {"organization": [message]}}
    assert f"Line 3: {message}" in response.content.decode()  # the summary above the list
    assert Signature.objects.get(letter=letter, position=3).organization_id != taken.organization_id


def test_a_position_another_line_has_is_refused_and_nothing_is_saved(admin_client, letter):
    changes = {2: {"listed_as": "Renamed"}, 5: {"position": 6}}

    response = admin_client.post(lines_url(letter), page_data(letter, changes))

    assert response.status_code == 200
    taken_by = Signature.objects.get(letter=letter, position=6).listed_as
    assert row_errors(response) == {5: {"position": [f"Position 6 is taken by “{taken_by}” on this letter."]}}
    assert Signature.objects.get(letter=letter, position=2).listed_as != "Renamed"


def test_two_lines_swapping_positions_in_one_save_are_refused_not_a_server_error(admin_client, letter):
    response = admin_client.post(lines_url(letter), page_data(letter, {5: {"position": 6}, 6: {"position": 5}}))

    assert response.status_code == 200
    assert set(row_errors(response)) == {5, 6}


def test_a_new_position_is_free_once_its_line_moved_away(admin_client, letter):
    response = admin_client.post(lines_url(letter), page_data(letter, {10: {"position": 11}}))
    assert response.status_code == 302
    response = admin_client.post(lines_url(letter), page_data(letter, {5: {"position": 10}}))

    assert response.status_code == 302
    positions = Signature.objects.filter(letter=letter).order_by("position").values_list("position", flat=True)
    assert list(positions) == [1, 2, 3, 4, 6, 7, 8, 9, 10, 11]


def test_a_coalition_from_another_letter_is_refused(admin_client, letter):
    other = build_letter(2, slug="other-letter", title="Another letter")
    foreign = Signature.objects.get(letter=other, position=1)

    response = admin_client.post(lines_url(letter), page_data(letter, {6: {"member_of": foreign.pk}}))

    assert response.status_code == 200
    assert row_errors(response) == {6: {"member_of": ["The coalition must be a line of this letter."]}}


def test_a_retraction_date_cleared_under_its_reason_is_refused(admin_client, letter):
    Signature.objects.filter(letter=letter, position=9).update(
        retracted_on=datetime.date(2023, 2, 1), retraction_reason="Asked to be removed"
    )

    response = admin_client.post(lines_url(letter), page_data(letter, {9: {"retracted_on": ""}}))

    assert response.status_code == 200
    assert row_errors(response) == {9: {"retracted_on": ["A retraction reason needs the date of the retraction."]}}


def test_position_zero_is_refused(admin_client, letter):
    response = admin_client.post(lines_url(letter), page_data(letter, {4: {"position": 0}}))

    assert response.status_code == 200
    assert row_errors(response) == {4: {"position": ["Ensure this value is greater than or equal to 1."]}}


def test_a_lines_own_page_opens_and_names_a_clash(admin_client, letter):
    line = Signature.objects.get(letter=letter, position=3)
    taken = Signature.objects.get(letter=letter, position=8)
    url = reverse("admin:letters_signature_change", args=[line.pk])
    assert admin_client.get(url).status_code == 200

    data = {
        "letter": letter.pk,
        "organization": taken.organization_id,
        "position": 3,
        "listed_as": line.listed_as,
        "retraction_reason": "Asked",
    }
    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "organization": [f"This organization signed this letter already, as line 8 (“{taken.listed_as}”)."],
        "retracted_on": ["A retraction reason needs the date of the retraction."],
    }


def test_a_line_added_on_its_own_page_is_saved(admin_client, letter):
    org = Organization.objects.create(name="Late Signatory", slug="late-signatory")
    add_url = reverse("admin:letters_signature_add")
    form = admin_client.get(add_url, {"letter": letter.pk, "position": 11}).context["adminform"].form
    assert (form.initial["letter"], form.initial["position"]) == (str(letter.pk), "11")

    data = {"letter": letter.pk, "organization": org.pk, "position": 11, "listed_as": "Late Signatory"}
    response = admin_client.post(add_url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Signature.objects.get(letter=letter, position=11).organization == org


def test_a_line_under_itself_is_refused(admin_client, letter):
    line = Signature.objects.get(letter=letter, position=6)

    response = admin_client.post(lines_url(letter), page_data(letter, {6: {"member_of": line.pk}}))

    assert response.status_code == 200
    assert row_errors(response) == {6: {"member_of": ["A line cannot be listed under itself."]}}


def test_rows_drawn_in_python_are_the_pages_django_templates_draw(admin_client, letter, monkeypatch):
    Signature.objects.filter(letter=letter, position=3).update(
        listed_as='Women\'s "League" <Burma> & Co', note="ア & <b>", retracted_on=datetime.date(2023, 2, 1)
    )
    error = page_data(letter, {5: {"position": 6}})

    def pages() -> list[str]:
        html = [admin_client.get(lines_url(letter)).content, admin_client.post(lines_url(letter), error).content]
        return [re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode()) for page in html]

    drawn = pages()
    monkeypatch.setattr("letters.admin.ROW_WIDGETS", DjangoTemplates())
    templated = pages()

    assert "Women&#x27;s &quot;League&quot; &lt;Burma&gt; &amp; Co" in drawn[0]
    assert 'value="2023-02-01"' in drawn[0]
    assert "Position 6 is taken by" in drawn[1]
    assert drawn == templated


@pytest.mark.parametrize("size", [5, 60])
def test_the_list_of_every_letters_lines_names_each_lines_letter(admin_client, django_assert_num_queries, db, size):
    build_letter(size, title="First letter")
    build_letter(size, slug="second-letter", title="Second letter")
    url = reverse("admin:letters_signature_changelist")
    admin_client.get(url)

    # session, user, the savepoint of counted_once (2), count, the page's lines with their letter (not its texts),
    # organization and coalition
    with django_assert_num_queries(6) as captured:
        response = admin_client.get(url)

    letters = {line.letter.title for line in response.context["cl"].result_list}
    assert letters == {"First letter", "Second letter"}
    [rows] = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "letters_signature"."id"')]
    assert '"letters_letter"."title"' in rows
    assert '"letters_letter"."body"' not in rows


def test_a_coalition_is_looked_up_among_its_letters_lines(admin_client, letter):
    build_letter(3, slug="other-letter", title="Another letter")

    response = admin_client.get(lines_url(letter, _popup=1, _to_field="id"))  # the lookup beside "Member of"

    assert response.status_code == 200
    assert [line.position for line in response.context["cl"].result_list] == list(range(1, 11))
    assert response.context["cl"].formset is None  # a list to pick from, not to edit
