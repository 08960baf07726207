"""The letter page: what it shows, what it never shows, where it lives, and how many queries it costs."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from letters.models import Letter, Signature
from letters.signatory_list import signatory_tree
from organizations.models import Organization
from tests.conftest import build_letter


def get(client, letter: Letter):
    return client.get(letter.get_absolute_url())


def uncached_get(client, letter: Letter):
    cache.clear()  # the view itself, not the page cache
    return get(client, letter)


def test_letter_lives_at_its_dated_address(letter):
    assert letter.get_absolute_url() == "/letters/2022/07/14/open-letter/"


def test_letter_page_shows_title_date_kind_subject_and_linked_addressees(client, letter):
    html = get(client, letter).content.decode()

    assert "<h1>Open letter on arms sales</h1>" in html
    assert "14 July 2022" in html
    assert "Open letter" in html
    assert "Stop the sale of arms" in html
    assert '<a href="/organizations/interpol/">INTERPOL</a>' in html


def test_every_public_signatory_is_listed_as_printed_and_linked(client, letter):
    html = get(client, letter).content.decode()

    for n in (1, 2, 3, 4, 5, 6, 8, 9, 10):
        assert f'<a href="/organizations/open-letter-org-{n}/">open-letter Organization {n:03d} as printed</a>' in html


def test_signatories_are_in_printed_order(client, letter):
    html = get(client, letter).content.decode()

    positions = [html.index(f"Organization {n:03d} as printed") for n in (1, 2, 3, 4, 5, 6, 8, 9, 10)]
    assert positions == sorted(positions)


def test_coalition_members_are_nested_under_their_coalition(client, letter):
    html = get(client, letter).content.decode()

    coalition = html.index("Organization 001 as printed")
    nested = html.index("<ol>", coalition)
    closing = html.index("</ol>", nested)
    for n in (2, 3, 4):
        assert nested < html.index(f"Organization {n:03d} as printed") < closing
    assert html.index("Organization 005 as printed") > closing


def test_withheld_signatory_is_not_on_letter_page(client, letter):
    html = get(client, letter).content.decode()

    assert "Organization 007" not in html
    assert "open-letter-org-7" not in html


def test_count_says_named_and_undisclosed_without_withheld(client, letter):
    html = get(client, letter).content.decode()

    # 10 lines, one withheld: 9 named; the letter's own 33 undisclosed.
    assert "42 signatories: 9 named, 33 undisclosed" in html


def test_count_without_undisclosed_is_a_plain_total(client, db):
    letter = build_letter(4, slug="plain")

    html = get(client, letter).content.decode()

    assert "4 signatories" in html
    assert "undisclosed" not in html


def test_body_is_rendered_from_markdown_and_sanitised(client, db):
    letter = build_letter(
        2,
        slug="markdown",
        body="We call for an [arms embargo](#).\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <https://example.org/r>",
    )

    html = get(client, letter).content.decode()

    assert "<p>We call for an arms embargo.</p>" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert '<a href="https://example.org/r" rel="nofollow noopener noreferrer">https://example.org/r</a>' in html


def test_body_html_is_computed_on_save(letter):
    letter.body = "**Now** bold."
    letter.save()

    letter.refresh_from_db()
    assert letter.body_html == "<p><strong>Now</strong> bold.</p>\n"


def test_demands_are_shown_with_their_targets(client, letter):
    html = get(client, letter).content.decode()

    assert "Suspend the junta&#x27;s access to I-24/7." in html
    assert "Publish the decision." in html
    assert 'Asked of <a href="/organizations/interpol/">INTERPOL</a>' in html


def test_source_citation_and_data_links(client, letter):
    html = get(client, letter).content.decode()

    assert 'href="https://example.org/letter"' in html
    assert "@misc{open-letter-2022," in html
    assert "&quot;date-parts&quot;: [" in html
    assert "“Open letter on arms sales.” Open letter, 14 July 2022." in html
    assert '<link rel="alternate" type="text/csv"' in html
    assert '<link rel="alternate" type="application/json"' in html


def test_link_preview_meta_uses_public_counts(client, letter):
    html = get(client, letter).content.decode()

    assert '<meta property="og:title" content="Open letter on arms sales">' in html
    assert '<meta property="og:url" content="http://testserver/letters/2022/07/14/open-letter/">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'content="42 signatories: 9 named, 33 undisclosed.' in html


def test_draft_letter_is_404(client, draft_letter):
    assert get(client, draft_letter).status_code == 404


def test_unknown_letter_is_404(client, db):
    assert client.get("/letters/2022/07/14/no-such-letter/").status_code == 404


def test_renamed_letter_old_address_answers_301(client, letter):
    old_url = letter.get_absolute_url()
    letter.slug = "open-letter-on-arms"
    letter.save()

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == "/letters/2022/07/14/open-letter-on-arms/"


def test_letter_renamed_twice_keeps_both_old_addresses(client, letter):
    letter.slug = "second"
    letter.save()
    letter.slug = "third"
    letter.save()

    assert client.get("/letters/2022/07/14/open-letter/")["Location"] == "/letters/2022/07/14/third/"
    assert client.get("/letters/2022/07/14/second/")["Location"] == "/letters/2022/07/14/third/"


def test_corrected_date_redirects_to_the_right_date(client, letter):
    letter.date = datetime.date(2022, 7, 15)
    letter.save()

    response = client.get("/letters/2022/07/14/open-letter/")

    assert response.status_code == 301
    assert response["Location"] == "/letters/2022/07/15/open-letter/"


def test_old_slug_of_a_draft_letter_is_404(client, draft_letter):
    draft_letter.slug = "renamed-draft"
    draft_letter.save()

    assert client.get("/letters/2023/01/05/draft-letter/").status_code == 404


def test_csv_has_public_signatories_numbered_without_gaps(client, letter):
    response = client.get(reverse("letters:detail_csv", kwargs=kwargs(letter)))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0] == (
        "position,listed_as,organization_id,organization_slug,organization_name,coalition_position,"
        "added_on,retracted_on,retraction_reason"
    )
    assert len(lines) == 1 + 9
    assert "Organization 007" not in text
    assert [line.split(",")[0] for line in lines[1:]] == [str(n) for n in range(1, 10)]
    assert lines[2].split(",")[5] == "1"


def test_json_has_public_data_only(client, letter):
    data = client.get(reverse("letters:detail_json", kwargs=kwargs(letter))).json()

    assert data["title"] == "Open letter on arms sales"
    assert data["signatories_named"] == 9
    assert data["signatories_undisclosed"] == 33
    assert data["signatories_total"] == 42
    assert len(data["signatories"]) == 9
    assert "open-letter-org-7" not in str(data)
    assert data["addressees"] == [{"name": "INTERPOL", "slug": "interpol"}]


def test_data_of_a_draft_letter_is_404(client, draft_letter):
    assert client.get(reverse("letters:detail_csv", kwargs=kwargs(draft_letter))).status_code == 404
    assert client.get(reverse("letters:detail_json", kwargs=kwargs(draft_letter))).status_code == 404


def test_withheld_coalition_leaves_its_members_listed_at_top_level(client, db):
    letter = build_letter(4, slug="hidden-coalition", withheld=(1,), members=2)

    html = get(client, letter).content.decode()

    assert "Organization 001" not in html
    assert "<ol><li>" not in html
    assert "Organization 002 as printed" in html


def kwargs(letter: Letter) -> dict:
    return {"year": letter.date.year, "month": f"{letter.date:%m}", "day": f"{letter.date:%d}", "slug": letter.slug}


@pytest.mark.parametrize("size", [10, 415])
def test_letter_page_query_count_does_not_grow_with_signatories(client, django_assert_num_queries, interpol, size):
    letter = build_letter(
        size, undisclosed=33, withheld=(3,), members=4, addressees=(interpol,), demands=(("Act.", interpol),)
    )

    # letter with its public counts, addressees, demands with targets, signatures with organizations, the rendered
    # list stored inside a savepoint (3)
    with django_assert_num_queries(7):
        response = get(client, letter)
    # Then the stored list: letter, addressees, demands.
    with django_assert_num_queries(3):
        again = uncached_get(client, letter)

    assert response.status_code == 200
    assert response.content.decode().count('<li><a href="/organizations/') == size - 1
    assert again.content == response.content


def test_signature_of_an_organization_on_two_letters_shows_each_listing(client, letter):
    org = Organization.objects.get(slug="open-letter-org-5")
    other = build_letter(1, slug="other", org_prefix="other", date=datetime.date(2023, 3, 1))
    Signature.objects.create(letter=other, organization=org, position=2, listed_as="Org Five, another spelling")

    html = get(client, other).content.decode()

    assert '<a href="/organizations/open-letter-org-5/">Org Five, another spelling</a>' in html


def test_signatory_addresses_are_those_reverse_gives(seeded):
    # signatory_tree quotes slugs itself (one reverse() a page): Burmese slugs must come out as reverse() gives them.
    urls = dict(Signature.objects.select_related("organization").values_list("pk", "organization__slug"))
    checked_non_ascii = 0
    for letter in Letter.objects.all():
        for top in signatory_tree(letter):
            for line in (top, *top.members_listed):
                assert line.organization_url == reverse("organizations:detail", kwargs={"slug": urls[line.pk]})
                checked_non_ascii += not urls[line.pk].isascii()
    assert checked_non_ascii > 10
