"""The curator's import screen: preview every decision, override some, confirm in one transaction."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from letters.models import Letter, Signature
from organizations.models import Organization
from tests.letters.documents import letter_docx, letter_names

IMPORT_URL = reverse("admin:letters_letter_import")


@pytest.fixture
def curator(admin_client):
    return admin_client


def preview(client, text: str, **extra):
    return client.post(IMPORT_URL, {"step": "preview", "text": text, "status": "draft", **extra})


def confirm_fields(response) -> dict[str, str]:
    """The hidden fields the review page carries into its confirm step."""
    html = response.content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', html).group(1)
    return {"digest": digest}


def test_import_page_needs_a_staff_login(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_preview_shows_every_line_and_saves_nothing(curator, small_letter_text):
    response = preview(curator, small_letter_text)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Open Letter on Shrimp Farm Evictions" in html
    for name in ["Coastal Fishers Union", "Green River Network (GRN)", "Justice For Farmers"]:
        assert name in html
    assert html.count('name="choice-') == 5
    assert Letter.objects.count() == 0


def test_bad_input_is_shown_as_a_form_error(curator):
    response = preview(curator, "   ")

    assert response.status_code == 200
    assert "empty" in response.content.decode().lower()
    assert Letter.objects.count() == 0


def test_confirm_applies_the_curators_choices(curator, small_letter_text):
    existing = Organization.objects.create(name="Mangrove Watchers Alliance", slug="mangrove-watchers-alliance")
    response = preview(curator, small_letter_text)

    response = curator.post(
        IMPORT_URL,
        {
            "step": "confirm",
            "text": small_letter_text,
            "status": "draft",
            **confirm_fields(response),
            "choice-5": "drop",
            "other-4": existing.slug,
            "withheld-2": "on",
        },
    )

    assert response.status_code == 302
    letter = Letter.objects.get()
    signatures = {s.position: s for s in letter.signatures.all()}
    assert sorted(signatures) == [1, 2, 3, 4]
    assert signatures[4].organization == existing
    assert signatures[2].withheld
    assert not signatures[1].withheld
    assert existing.aliases.filter(name="Mangrove Watch").exists()


def test_confirm_refuses_a_list_that_changed_since_review(curator, small_letter_text):
    response = curator.post(
        IMPORT_URL,
        {"step": "confirm", "text": small_letter_text, "status": "draft", "digest": "0" * 64},
    )

    assert response.status_code == 200
    assert "differs from the one you reviewed" in response.content.decode()
    assert Signature.objects.count() == 0


def test_unknown_other_organization_is_an_error_and_saves_nothing(curator, small_letter_text):
    response = preview(curator, small_letter_text)

    response = curator.post(
        IMPORT_URL,
        {
            "step": "confirm",
            "text": small_letter_text,
            "status": "draft",
            **confirm_fields(response),
            "other-3": "no-such-organization",
        },
    )

    assert response.status_code == 200
    assert "no organization &#x27;no-such-organization&#x27;" in response.content.decode()
    assert Letter.objects.count() == 0


def table_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<table class="review">') :]


def test_uncertain_lines_come_first_on_request(curator, small_letter_text):
    # Line 1 is now an exact match; lines 2-5 are new, so the uncertain order puts line 1 last.
    Organization.objects.create(name="Coastal Fishers Union", slug="coastal-fishers-union")

    in_letter_order = table_of(preview(curator, small_letter_text))
    uncertain_first = table_of(preview(curator, small_letter_text, order="uncertain"))

    assert in_letter_order.index("Coastal Fishers Union") < in_letter_order.index("Justice For Farmers")
    assert uncertain_first.index("Justice For Farmers") < uncertain_first.index("Coastal Fishers Union")


# --- Uploads: the files curators receive (letters/formats) ---


def test_the_file_picker_says_which_types_it_takes(curator):
    page = curator.get(IMPORT_URL).content.decode()

    assert 'accept=".txt,.text,.md,.markdown,.pdf,.html,.htm,.xhtml,.mht,.mhtml,.docx"' in page
    assert "PDF with a text layer" in page
    assert "Word .docx; at most 20 MB" in page


def test_an_uploaded_word_document_is_reviewed_then_saved_from_its_text(curator):
    upload = SimpleUploadedFile("letter.docx", letter_docx())
    response = curator.post(IMPORT_URL, {"step": "preview", "text": "", "status": "draft", "file": upload})

    assert response.status_code == 200
    assert response.content.decode().count('name="choice-') == 50
    assert Letter.objects.count() == 0
    # The review page carries the upload's text, not the file, into its confirm step.
    carried = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', response.content.decode(), re.S)
    text = html.unescape(carried.group(1))
    assert "1. Salween Watch Coalition" in text

    response = curator.post(
        IMPORT_URL, {"step": "confirm", "text": text, "status": "draft", **confirm_fields(response)}
    )

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert [s.listed_as for s in letter.signatures.order_by("position")] == letter_names()


def test_an_uploaded_image_is_a_form_error_and_saves_nothing(curator):
    upload = SimpleUploadedFile("letter.png", b"\x89PNG\r\n\x1a\n" + bytes(100))

    response = curator.post(IMPORT_URL, {"step": "preview", "text": "", "status": "draft", "file": upload})

    assert response.status_code == 200
    assert "Unsupported file: a PNG image. Accepted: plain text" in response.content.decode()
    assert Letter.objects.count() == 0
