"""The public pages in a real browser: accessibility (axe-core), layout at 360 and 1280 px, no foreign requests."""

import pytest

from letters.models import Letter, Signature
from tests.e2e.conftest import SCREENSHOTS, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def site(seeded, transactional_db):
    """The five seed letters, with one signature of the largest letter withheld."""
    largest = Letter.objects.get(slug="open-letter-to-admm-dialogue-partner-japan")
    hidden = Signature.objects.filter(letter=largest).order_by("position")[4]
    hidden.withheld = True
    hidden.save()
    return {"letter": largest, "hidden": hidden}


def pages(live_server, site) -> dict[str, str]:
    return {
        "home": "/",
        "browse": "/letters/?sort=-signatories",
        "letter": site["letter"].get_absolute_url(),
        "organizations": "/organizations/",
        "organization": "/organizations/interpol/",
        "signer": f"/organizations/{Signature.objects.filter(letter=site['letter'], withheld=False).first().organization.slug}/",
    }


def test_public_pages_have_no_serious_accessibility_violations(page, live_server, site, screenshot):
    found = {}
    for name, path in pages(live_server, site).items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found[name] = serious_violations(page)
        screenshot(page, name)

    assert found == {name: [] for name in found}
    assert page.foreign_requests == []


def test_letter_page_reads_without_javascript(browser, live_server, site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + site["letter"].get_absolute_url())

    items = page.locator("ol.signatories li a")
    assert items.count() == 414
    assert page.get_by_text("447 signatories: 414 named, 33 undisclosed").first.is_visible()
    assert site["hidden"].listed_as not in page.content()
    context.close()


def test_letter_page_fits_a_360_px_screen(page, live_server, site):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + site["letter"].get_absolute_url())

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")

    assert overflow <= 0


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server, site):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.locator(".skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_browse_filters_work_from_the_form(page, live_server, site):
    page.goto(live_server.url + "/letters/")
    page.fill("#id_q", "INTERPOL")
    page.click(".filters button[type=submit]")

    assert "q=INTERPOL" in page.url
    assert page.locator("ul.rows > li").count() >= 1


def test_a_letter_whose_figures_do_not_add_up_says_so_readably(page, live_server, site, screenshot):
    letter = Letter.objects.get(slug="un-security-council-swift-action-against-junta")
    letter.totals_note = (
        "The list printed with the letter has 402 names, 24 more than 462 less the 84 undisclosed; "
        "the archive keeps the list as printed."
    )
    letter.save()

    page.goto(live_server.url + letter.get_absolute_url() + "#signatories")

    section = page.locator("section[aria-labelledby=signatories]")
    assert section.get_by_text(
        "The letter states 462 signatories. 402 are named here; the letter says 84 chose not to be named."
    ).is_visible()
    assert section.get_by_text("These figures differ by 24: 402 named and 84 not named make 486, not 462.").is_visible()
    assert section.get_by_text("Curators’ note: The list printed with the letter has 402 names").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "letter-totals-differ")
    for width in (360, 1280):
        # The full page is 400 lines long: the top of the signatories section on its own, to look at.
        page.set_viewport_size({"width": width, "height": 800})
        page.locator("#signatories").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"letter-totals-differ-signatories-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert page.foreign_requests == []
