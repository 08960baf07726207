"""A large letter's admin screens in a real browser: its change form, its signature lines page, an edit saved there;
axe on them and on the import screens. Screenshots at 1280 px (and 360 px for the two letter screens)."""

import pytest
from django.core.cache import cache

from letters.models import Signature
from tests.conftest import build_letter
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_admin_review import LETTER, PASSWORD, log_in
from tests.e2e.test_pages import serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def curator(page, live_server, transactional_db, django_user_model):
    """A curator signed in on `page`."""
    cache.clear()
    django_user_model.objects.create_superuser("curator", "curator@example.org", PASSWORD)
    log_in(page, live_server)


@pytest.fixture
def large_letter(transactional_db):
    letter = build_letter(600, members=12, withheld=tuple(range(5, 600, 15)))
    Signature.objects.filter(letter=letter, position__lte=300).update(section="Myanmar")
    Signature.objects.filter(letter=letter, position__gt=300).update(section="International")
    return letter


def test_a_600_line_letter_opens_and_its_lines_are_edited_on_their_own_page(
    page, live_server, curator, large_letter, screenshot
):
    # How long these screens take to open: bench/admin_letter.py --browser.
    page.goto(f"{live_server.url}/admin/letters/letter/{large_letter.pk}/change/")

    assert page.locator("input[name^=signatures-]").count() == 0
    assert "600 lines: 560 named, 40 withheld." in page.inner_text(".field-signature_lines")
    change_form = serious_violations(page)
    screenshot(page, "admin-letter-change-600")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("text=Edit the 600 signature lines")
    page.wait_for_selector("#result_list")
    assert page.inner_text("h1") == "Signature lines of “Open letter on arms sales”"
    assert page.locator("#result_list tbody tr").count() == 100
    # Nine columns of inputs fit 1280 px: the list does not scroll sideways.
    assert page.evaluate("(el => el.scrollWidth <= el.clientWidth)(document.querySelector('#changelist .results'))")
    lines_page = serious_violations(page)
    screenshot(page, "admin-signature-lines")
    page.screenshot(path=str(SCREENSHOTS / "admin-signature-lines-top-1280.png"))

    page.get_by_label("Listed as, line 3", exact=True).fill("Organization 003, as printed again")
    page.get_by_label("Withheld, line 4", exact=True).check()
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert "2 signatures were changed successfully." in page.inner_text(".messagelist")
    assert Signature.objects.get(letter=large_letter, position=3).listed_as == "Organization 003, as printed again"
    assert Signature.objects.get(letter=large_letter, position=4).withheld

    # A clash is shown on its row and above the list; nothing is saved.
    page.get_by_label("Position, line 6", exact=True).fill("7")
    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")
    assert "Line 6: Position 7 is taken by" in page.inner_text("#content")
    assert Signature.objects.filter(letter=large_letter, position=6).exists()
    errors = serious_violations(page)
    screenshot(page, "admin-signature-lines-error")
    page.screenshot(path=str(SCREENSHOTS / "admin-signature-lines-error-top-1280.png"))

    assert {"change form": change_form, "lines page": lines_page, "lines page with an error": errors} == {
        "change form": [],
        "lines page": [],
        "lines page with an error": [],
    }
    assert page.foreign_requests == []


def test_a_signature_lines_own_page_has_no_serious_accessibility_violation(page, live_server, curator, large_letter):
    line = Signature.objects.get(letter=large_letter, position=2)
    page.goto(f"{live_server.url}/admin/letters/signature/{line.pk}/change/")

    assert page.input_value("#id_listed_as") == line.listed_as
    assert serious_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "admin-signature-change-1280.png"), full_page=True)


def test_the_import_screens_have_no_serious_accessibility_violation(page, live_server, curator):
    page.goto(live_server.url + "/admin/letters/letter/import/")
    paste = serious_violations(page)
    page.fill("textarea[name=text]", LETTER)
    page.click("text=Preview the import")
    page.wait_for_selector("table.review")
    review = serious_violations(page)

    assert {"import": paste, "review": review} == {"import": [], "review": []}
