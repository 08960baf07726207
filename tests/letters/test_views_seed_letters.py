"""The public pages on the five real seed letters."""

import gzip
import html as htmllib
from pathlib import Path

import pytest
from django.db.models import Count, Q

from letters.models import Letter, Signature

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
BUDGET = 40 * 1024


# Every test here reads the seed letters: loaded once for the module.
pytestmark = pytest.mark.usefixtures("seeded_once")


@pytest.fixture
def published(seeded):
    return list(Letter.objects.published())


def test_every_seed_letter_page_lists_every_public_signatory_linked(client, published):
    assert len(published) == 5
    for letter in published:
        html = client.get(letter.get_absolute_url()).content.decode()
        signatures = Signature.objects.filter(letter=letter, withheld=False).select_related("organization")
        for signature in signatures:
            link = f'<a href="{signature.organization.get_absolute_url()}">{htmllib.escape(signature.listed_as)}</a>'
            assert link in html, (letter.slug, signature.listed_as)
        if letter.undisclosed_signatory_count:
            named, undisclosed = len(signatures), letter.undisclosed_signatory_count
            # No seed signature is withheld, so the page states the letter's own total, as a sum only where it is one.
            total = letter.declared_signatory_count
            if total == named + undisclosed:
                assert f"{total} signatories: {named} named, {undisclosed} undisclosed" in html
            else:
                assert f"{named} named, {undisclosed} undisclosed (the letter states {total})" in html
            assert f"The letter states {total} signatories. {named} are named here" in html


def test_japan_letter_count_says_what_the_letter_says(client, published):
    letter = Letter.objects.get(slug="open-letter-to-admm-dialogue-partner-japan")

    html = client.get(letter.get_absolute_url()).content.decode()

    assert "448 signatories: 415 named, 33 undisclosed" in html


@pytest.mark.parametrize(
    ("slug", "short", "told"),
    [
        # The letter states 462 with 84 undisclosed, and prints 402 names: 486, 24 more than it states.
        (
            "un-security-council-swift-action-against-junta",
            "402 named, 84 undisclosed (the letter states 462)",
            "The letter states 462 signatories. 402 are named here; the letter says 84 chose not to be named.</p>\n"
            '<p class="totals-differ">These figures differ by 24: 402 named and 84 not named make 486, not 462.</p>',
        ),
        # 281 lines printed, one organization twice: 280 named, and 286 undisclosed make 566 of the 567 stated.
        (
            "ethnic-resistance-organizations-sham-peace-dialogue",
            "280 named, 286 undisclosed (the letter states 567)",
            "The letter states 567 signatories. 280 are named here; the letter says 286 chose not to be named.</p>\n"
            '<p class="totals-differ">These figures differ by 1: 280 named and 286 not named make 566, not 567.</p>',
        ),
    ],
)
def test_figures_that_do_not_add_up_are_told_apart_with_their_difference(client, published, slug, short, told):
    html = client.get(Letter.objects.get(slug=slug).get_absolute_url()).content.decode()

    assert f'<a href="#signatories">{short}</a>' in html  # "Signed by"
    assert f'<meta name="description" content="{short}.' in html
    assert told in html
    # No false sum anywhere: the stated total never heads the named and undisclosed figures.
    assert "462 signatories:" not in html
    assert "567 signatories:" not in html


def test_a_withheld_signature_turns_the_total_into_named_plus_undisclosed(client, published):
    letter = Letter.objects.get(slug="open-letter-to-admm-dialogue-partner-japan")
    signature = Signature.objects.get(letter=letter, position=5)
    signature.withheld = True
    signature.save()

    html = client.get(letter.get_absolute_url()).content.decode()

    # 448 stated minus 414 public minus 33 undisclosed would reveal one withheld name: the page reads as if the
    # letter stated no total.
    assert "447 signatories: 414 named, 33 undisclosed" in html
    assert "414 signatories are named here; the letter says 33 chose not to be named." in html
    assert "The letter states" not in html
    assert "differ" not in html
    assert "448" not in html.split("<main", 1)[1].split("</article>", 1)[0].replace(letter.body_html, "")


def test_seed_letter_made_draft_is_404(client, published):
    letter = published[0]
    url = letter.get_absolute_url()
    letter.status = Letter.Status.DRAFT
    letter.save()

    assert client.get(url).status_code == 404


def test_largest_seed_letter_page_with_css_is_within_40_kb_gzip(client, published):
    letter = (
        Letter.objects.published()
        .annotate(named=Count("signatures", filter=Q(signatures__withheld=False)))
        .order_by("-named")
        .first()
    )
    html = client.get(letter.get_absolute_url()).content

    weight = len(gzip.compress(html)) + len(gzip.compress(CSS.read_bytes()))

    assert letter.named >= 400
    assert weight <= BUDGET


def test_seed_organization_pages_and_browse_answer(client, published):
    for url in ["/", "/letters/", "/organizations/", "/organizations/interpol/", "/letters/?q=junta"]:
        assert client.get(url).status_code == 200, url
