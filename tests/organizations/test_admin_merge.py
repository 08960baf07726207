"""The merge action in the admin: choose the survivor, see what moves (nothing written), confirm, read the log."""

import re

import pytest
from django.urls import reverse

from letters.models import Letter, Signature
from organizations.models import Alias, MergeLog, Organization
from tests.conftest import build_letter

CHANGELIST = reverse("admin:organizations_organization_changelist")
MERGE_URL = reverse("admin:organizations_organization_merge")


def make(name: str, **fields) -> Organization:
    slug = name.lower().replace(" ", "-").replace("(", "").replace(")", "")
    return Organization.objects.create(name=name, slug=slug, **fields)


@pytest.fixture
def group(db):
    """Three spellings of one group; the second has the most signatures; two letters are signed by two of them."""
    one, two, three = make("Active Youth (Kalay)"), make("Active Youths (Kalay)"), make("Active Youths Kalaymyo")
    first = build_letter(3, slug="first", title="First")
    second = build_letter(3, slug="second", title="Second")
    Signature.objects.create(letter=first, organization=one, position=10, listed_as=one.name)
    Signature.objects.create(letter=first, organization=two, position=11, listed_as=two.name)
    Signature.objects.create(letter=second, organization=two, position=10, listed_as=two.name)
    Signature.objects.create(letter=second, organization=three, position=11, listed_as=three.name)
    first.addressees.add(three)
    Alias.objects.create(organization=three, name="AYK")
    return one, two, three


def ids(*orgs) -> str:
    return ",".join(str(o.pk) for o in orgs)


def test_action_goes_to_the_merge_page_with_the_selection(admin_client, group):
    response = admin_client.post(CHANGELIST, {"action": "merge_selected", "_selected_action": [o.pk for o in group]})

    assert response.status_code == 302
    assert response["Location"].startswith(MERGE_URL)
    assert ids(*sorted(group, key=lambda o: o.pk)).replace(",", "%2C") in response["Location"]


def test_action_needs_two_organizations(admin_client, group):
    response = admin_client.post(
        CHANGELIST, {"action": "merge_selected", "_selected_action": [group[0].pk]}, follow=True
    )

    assert "at least two" in response.content.decode()


def test_preview_proposes_the_busiest_record_and_writes_nothing(admin_client, group):
    one, two, three = group

    response = admin_client.get(MERGE_URL, {"ids": ids(one, two, three)})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{two.pk}" checked' in html  # the survivor proposed: most signatures
    assert [p.organization for p in response.context["previews"]] == [one, three]
    by_org = {p.organization: p for p in response.context["previews"]}
    assert by_org[one].signatures == 1
    assert by_org[one].letters_signed_by_both == 1
    assert by_org[three].addressee_links == 1
    assert by_org[three].aliases == 1
    assert "Merge 2 records into “Active Youths (Kalay)”" in html
    assert MergeLog.objects.count() == 0
    assert Organization.objects.filter(merged_into__isnull=False).count() == 0


def test_curator_can_choose_another_survivor(admin_client, group):
    one, two, three = group

    response = admin_client.get(MERGE_URL, {"ids": ids(one, two, three), "survivor": three.pk})

    assert response.context["survivor"] == three
    assert {p.organization for p in response.context["previews"]} == {one, two}


def test_confirm_merges_and_reports_the_log(admin_client, admin_user, group):
    one, two, three = group

    response = admin_client.post(MERGE_URL, {"ids": ids(one, two, three), "survivor": two.pk}, follow=True)

    log = MergeLog.objects.get()
    assert log.user == admin_user
    assert log.survivor == two
    html = response.content.decode()
    assert f"merge log #{log.pk}" in html
    assert response.redirect_chain[-1][0] == reverse("admin:organizations_organization_change", args=[two.pk])
    assert set(Organization.objects.filter(merged_into=two)) == {one, three}
    assert Signature.objects.filter(organization=two).count() == 2


def test_preview_lists_the_letters_signed_by_both_and_what_becomes_of_their_lines(admin_client, group):
    one, two, three = group
    first, second = Letter.objects.get(slug="first"), Letter.objects.get(slug="second")

    html = admin_client.get(MERGE_URL, {"ids": ids(one, two, three), "survivor": two.pk}).content.decode()

    # One's line 10 is kept on the first letter and moves; the survivor's own line 11 there is combined into it.
    assert (
        "In all, 1 signature moves to “Active Youths (Kalay)”, and 2 printed lines are combined with another line of "
        "the same letter, on the 2 letters below."
    ) in html
    table = html.split('id="merge-letters"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")[:2]
    first_url = reverse("admin:letters_letter_change", args=[first.pk])
    assert f'<th scope="row"><a href="{first_url}">First</a></th>' in rows[0]
    assert "<td>10. “Active Youth (Kalay)” <small>Active Youth (Kalay)</small></td>" in rows[0]
    assert "<td>11. “Active Youths (Kalay)” <small>Active Youths (Kalay)</small></td>" in rows[0]
    assert "<td>Also printed at position 11 as “Active Youths (Kalay)”.</td>" in rows[0]
    assert '<td class="count">5 → 4 named</td>' in rows[0]
    assert f'<a href="{reverse("admin:letters_letter_change", args=[second.pk])}">Second</a>' in rows[1]
    assert "<td>10. “Active Youths (Kalay)” <small>Active Youths (Kalay)</small></td>" in rows[1]
    assert "<td>11. “Active Youths Kalaymyo” <small>Active Youths Kalaymyo</small></td>" in rows[1]
    assert MergeLog.objects.count() == 0


def test_no_letter_signed_by_both_means_no_such_table(admin_client, group):
    one, two, three = group

    html = admin_client.get(MERGE_URL, {"ids": ids(one, three), "survivor": three.pk}).content.decode()

    assert "In all, 1 signature moves to “Active Youths Kalaymyo”. " in html
    assert 'id="merge-letters"' not in html


def test_the_message_after_a_merge_gives_the_true_numbers(admin_client, group):
    one, two, three = group

    response = admin_client.post(MERGE_URL, {"ids": ids(one, two, three), "survivor": two.pk}, follow=True)

    log = MergeLog.objects.get()
    assert (
        f"Merged 2 records into “Active Youths (Kalay)” (merge log #{log.pk}): 1 signature moved; 2 printed lines "
        "combined with another line of the same letter, the other printed name kept in its note, on 2 letters "
        "(“First” 5 → 4 named; “Second” 5 → 4 named); 1 addressee link moved; 0 demand targets moved; 1 alias moved "
        "and 2 added."
    ) in response.content.decode()
    assert [Letter.objects.get(slug=slug).named_count for slug in ("first", "second")] == [4, 4]
    assert (log.counts["signatures"], log.counts["signatures_combined"], log.counts["letters_with_lines_combined"]) == (
        1,
        2,
        2,
    )


def test_the_page_a_merge_lands_on_names_each_alias_input_and_each_autocomplete(admin_client, group):
    three = group[2]  # it has one alias

    html = admin_client.get(reverse("admin:organizations_organization_change", args=[three.pk])).content.decode()

    assert 'aria-label="Name, row 1"' in html
    assert 'aria-label="Source, row 1"' in html
    assert 'aria-label="Delete, row 1"' in html
    assert 'aria-label="Name, row 2"' in html  # the blank row for a new alias
    assert 'aria-label="Name, new row"' in html  # the template "Add another alias" copies
    assert '<script src="/static/js/admin-labels.js" defer></script>' in html  # names the autocompletes


def test_merging_an_already_merged_record_is_refused_with_a_clear_message(admin_client, group):
    one, two, three = group
    admin_client.post(MERGE_URL, {"ids": ids(one, two), "survivor": two.pk})

    response = admin_client.post(MERGE_URL, {"ids": ids(one, three), "survivor": three.pk})

    assert response.status_code == 200
    assert "Already merged" in response.content.decode()
    assert MergeLog.objects.count() == 1
    three.refresh_from_db()
    assert three.merged_into is None


def test_merge_page_needs_change_permission(client, django_user_model, group):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)

    assert client.get(MERGE_URL, {"ids": ids(*group)}).status_code == 403
    assert client.post(MERGE_URL, {"ids": ids(*group), "survivor": group[0].pk}).status_code == 403
    assert MergeLog.objects.count() == 0


@pytest.mark.parametrize("size", [2, 12])
def test_merge_preview_query_count_does_not_grow(admin_client, django_assert_num_queries, db, size):
    records = [make(f"Kalay Youth Group {n}") for n in range(size)]
    for n in range(3):
        letter = build_letter(5, slug=f"l{n}", title=f"L{n}")
        for k, org in enumerate(records):
            Signature.objects.create(letter=letter, organization=org, position=10 + k, listed_as=org.name)
            Alias.objects.create(organization=org, name=f"{org.name} spelling {n}")
        letter.addressees.add(*records)
    admin_client.get(MERGE_URL, {"ids": ids(*records)})  # the session is loaded once

    # session, user, the selected records with their signature counts, the preview (one query, subqueries), the
    # lines of the letters signed by more than one of them (one query)
    with django_assert_num_queries(5):
        response = admin_client.get(MERGE_URL, {"ids": ids(*records)})

    assert len(response.context["previews"]) == size - 1
    assert [len(letter.combined) for letter in response.context["shared_letters"]] == [size - 1] * 3


def test_merge_log_is_read_only_in_the_admin(admin_client, group):
    one, two, _ = group
    admin_client.post(MERGE_URL, {"ids": ids(one, two), "survivor": two.pk})
    log = MergeLog.objects.get()

    changelist = admin_client.get(reverse("admin:organizations_mergelog_changelist"))
    detail = admin_client.get(reverse("admin:organizations_mergelog_change", args=[log.pk]))

    assert changelist.status_code == 200
    assert "Active Youth (Kalay)" in changelist.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client.get(reverse("admin:organizations_mergelog_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:organizations_mergelog_delete", args=[log.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert MergeLog.objects.count() == 1


def test_organization_changelist_links_to_the_duplicate_finder(admin_client, group):
    response = admin_client.get(CHANGELIST)

    html = response.content.decode()
    assert reverse("admin:organizations_organization_duplicates") in html
    assert re.search(r'<option value="merge_selected">Merge selected organizations…</option>', html)
