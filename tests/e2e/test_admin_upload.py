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
    # The form this change touched (the admin's breadcrumbs above it are another screen's business).
    assert serious_violations(page) == []

    picker.set_input_files(str(FORMATS_DIR / "letter.pdf"))
    page.click("text=Preview the import")

    page.wait_for_selector("select[name=choice-50]")
    content = page.inner_text("#content")
    for name in (letter_names()[0], letter_names()[12], letter_names()[-1]):
        assert name in content
    assert page.locator("select[name^=choice-]").count() == 50
    screenshot(page, "admin-import-upload-review")
    assert Letter.objects.count() == 0
    assert page.foreign_requests == []
