"""A curator uploads the letter as the PDF they received, in a real browser, and reviews what it read."""

import pytest
from django.core.cache import cache

from letters.models import Letter
from tests.e2e.conftest import serious_violations
from tests.letters.documents import FORMATS_DIR, letter_names

pytestmark = pytest.mark.browser

PASSWORD = "curator-password"


@pytest.fixture
def curator(transactional_db, django_user_model):
    cache.clear()
    return django_user_model.objects.create_superuser("curator", "curator@example.org", PASSWORD)


def test_curator_uploads_a_pdf_and_reviews_its_fifty_signatories(page, live_server, curator, screenshot):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    page.goto(live_server.url + "/admin/letters/letter/import/")

    picker = page.locator("input[type=file][name=file]")
    assert picker.get_attribute("accept") == ".txt,.text,.md,.markdown,.pdf,.html,.htm,.xhtml,.mht,.mhtml,.docx"
    assert "PDF with a text layer" in page.inner_text("#content")
    screenshot(page, "admin-import-upload")
    assert serious_violations(page) == []

    picker.set_input_files(str(FORMATS_DIR / "letter.pdf"))
    page.click("text=Preview the import")

    page.wait_for_selector("table.lines")
    printed = page.locator("input[name^=line-][name$=-text]")
    assert [printed.nth(k).input_value() for k in range(printed.count())] == letter_names()
    screenshot(page, "admin-import-upload-review")
    assert Letter.objects.count() == 0

    page.get_by_role("button", name="Save letter").click()
    page.wait_for_selector(".messagelist .success")
    letter = Letter.objects.get()
    assert [s.listed_as for s in letter.signatures.order_by("position")] == letter_names()
    assert page.foreign_requests == []
