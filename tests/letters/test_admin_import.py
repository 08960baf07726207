"""The curator's import screen: every field and line editable in the review, posted back, saved in one transaction."""

import datetime
import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from letters.importing import build_report, commit_report
from letters.models import Letter, Signature
from letters.review_draft import STATE_SALT
from organizations.models import Organization
from tests.letters.documents import letter_docx, letter_names
from tests.letters.review_form import form_fields

IMPORT_URL = reverse("admin:letters_letter_import")


@pytest.fixture
def curator(admin_client):
    return admin_client


def preview(client, text: str, **extra):
    return client.post(IMPORT_URL, {"text": text, "status": "draft", **extra})


def post_back(client, response, action: str = "apply", **changes):
    """The review form posted as the browser would, with `changes` typed in (None unticks a box)."""
    fields = {**form_fields(response), **changes, "action": action}
    return client.post(IMPORT_URL, {name: value for name, value in fields.items() if value is not None})


def key_of(response, printed: str) -> str:
    """The form prefix ("line-3-") of the line that shows `printed`."""
    fields = form_fields(response)
    return next(
        name.removesuffix("text") for name, value in fields.items() if name.endswith("-text") and value == printed
    )


def shown_lines(response) -> list[str]:
    fields = form_fields(response)
    return [value for name, value in fields.items() if re.fullmatch(r"line-\d+-text", name)]


def test_import_page_needs_a_staff_login(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_preview_shows_every_line_editable_and_saves_nothing(curator, small_letter_text):
    response = preview(curator, small_letter_text)

    assert response.status_code == 200
    assert shown_lines(response) == [
        "Coastal Fishers Union",
        "Green River Network (GRN)",
        "Delta Women's Association",
        "Mangrove Watch",
        "Justice For Farmers",
    ]
    assert Letter.objects.count() == 0


def test_the_review_labels_the_letters_fields_as_curators_know_them(curator, small_letter_text):
    html = preview(curator, small_letter_text).content.decode()

    for label in ["Title", "Date", "Kind", "Addressees", "Subject", "Declared total", "Undisclosed", "Source URL"]:
        assert re.search(rf'<label for="id_\w+">{label}</label>', html), label


def test_bad_input_is_shown_as_a_form_error(curator):
    response = preview(curator, "   ")

    assert response.status_code == 200
    assert "empty" in response.content.decode().lower()
    assert Letter.objects.count() == 0


def test_save_applies_the_curators_choices(curator, small_letter_text):
    existing = Organization.objects.create(name="Mangrove Watchers Alliance", slug="mangrove-watchers-alliance")
    review = preview(curator, small_letter_text)
    justice, mangrove, green = (
        key_of(review, name) for name in ["Justice For Farmers", "Mangrove Watch", "Green River Network (GRN)"]
    )

    response = post_back(
        curator,
        review,
        "save",
        **{f"{justice}choice": "drop", f"{mangrove}other": existing.slug, f"{green}withheld": "on"},
    )

    assert response.status_code == 302
    letter = Letter.objects.get()
    signatures = {s.position: s for s in letter.signatures.all()}
    assert sorted(signatures) == [1, 2, 3, 4]
    assert signatures[4].organization == existing
    assert signatures[2].withheld
    assert not signatures[1].withheld
    assert existing.aliases.filter(name="Mangrove Watch").exists()


def test_the_letters_fields_are_saved_as_corrected(curator, small_letter_text):
    review = preview(curator, small_letter_text)

    post_back(
        curator,
        review,
        "save",
        title="Open letter on shrimp farm evictions in Bogale",
        date="2023-03-04",
        kind="joint_statement",
        subject="Stop the evictions now",
        declared_total="12",
        undisclosed="7",
        source_url="https://example.org/letter",
        body="We call on the Ministry.",
    )

    letter = Letter.objects.get()
    assert letter.title == "Open letter on shrimp farm evictions in Bogale"
    assert letter.date == datetime.date(2023, 3, 4)
    assert letter.kind == "joint_statement"
    assert letter.subject == "Stop the evictions now"
    assert letter.declared_signatory_count == 12
    assert letter.undisclosed_signatory_count == 7
    assert letter.source_url == "https://example.org/letter"
    assert letter.body == "We call on the Ministry."
    assert letter.source_text == small_letter_text.strip()


def test_an_addressee_added_is_matched_and_can_be_another_organization(curator, small_letter_text):
    asean = Organization.objects.create(name="ASEAN", slug="asean")
    council = Organization.objects.create(name="United Nations Security Council", slug="unsc")
    review = preview(curator, small_letter_text)

    review = post_back(curator, review, addressees="Ministry of Fisheries\nASEAN\nthe Council")

    assert "keep: exact: ASEAN" in review.content.decode()
    others = [name for name in form_fields(review) if name.startswith("addressee-") and name.endswith("-other")]
    assert len(others) == 3
    post_back(curator, review, "save", **{others[2]: "unsc"})

    letter = Letter.objects.get()
    addressed = set(letter.addressees.values_list("name", flat=True))
    assert addressed == {"Ministry of Fisheries", "ASEAN", "United Nations Security Council"}
    assert asean.letters_received.get() == letter
    assert council.aliases.filter(name="the Council").exists()


def test_demands_are_edited_removed_added_and_promoted(curator, small_letter_text):
    text = small_letter_text.replace(
        "disclose their names.\n", "disclose their names.\n\nWe urge the Ministry to publish the survey.\n"
    )
    review = preview(curator, text)
    survey = re.search(
        r'name="(candidate-\d+-promote)"> Make it a demand:</label> We urge the Ministry to publish the survey.',
        review.content.decode(),
    )

    review = post_back(
        curator,
        review,
        **{
            "demand-0-text": "Halt every eviction immediately.",
            "demand-0-target": "Ministry of Fisheries",
            "demand-1-remove": "on",
            "demand-new-text": "Return the land.",
            survey[1]: "on",
        },
    )
    post_back(curator, review, "save")

    demands = Letter.objects.get().demands.order_by("position")
    assert [(d.position, d.text) for d in demands] == [
        (1, "Halt every eviction immediately."),
        (2, "Return the land."),
        (3, "We urge the Ministry to publish the survey."),
    ]
    assert demands[0].target.name == "Ministry of Fisheries"


def test_a_line_is_split_joined_and_made_a_heading(curator, small_letter_text):
    text = (
        small_letter_text.replace("1. Coastal Fishers Union", "1. Myanmar\n2. Coastal Fishers Union")
        .replace("4. Mangrove Watch", "4. Mangrove Watch Hill Farmers")
        .replace("5. Justice For Farmers", "5. Justice For\n6. Farmers")
    )
    review = preview(curator, text)
    assert shown_lines(review)[0] == "Myanmar"

    review = post_back(
        curator,
        review,
        **{
            f"{key_of(review, 'Myanmar')}operation": "heading",
            f"{key_of(review, 'Mangrove Watch Hill Farmers')}text": "Mangrove Watch | Hill Farmers",
            f"{key_of(review, 'Mangrove Watch Hill Farmers')}operation": "split",
            f"{key_of(review, 'Justice For')}operation": "join",
        },
    )
    assert shown_lines(review) == [
        "Myanmar",
        "Coastal Fishers Union",
        "Green River Network (GRN)",
        "Delta Women's Association",
        "Mangrove Watch",
        "Hill Farmers",
        "Justice For Farmers",
    ]
    post_back(curator, review, "save", declared_total="8")

    letter = Letter.objects.get()
    lines = list(letter.signatures.order_by("position").values_list("position", "listed_as", "section"))
    assert lines == [
        (1, "Coastal Fishers Union", "Myanmar"),
        (2, "Green River Network (GRN)", "Myanmar"),
        (3, "Delta Women's Association", "Myanmar"),
        (4, "Mangrove Watch", "Myanmar"),
        (5, "Hill Farmers", "Myanmar"),
        (6, "Justice For Farmers", "Myanmar"),
    ]
    assert not Organization.objects.filter(name="Myanmar").exists()


def test_a_heading_made_a_line_again_gives_the_lines_after_it_their_section_back(curator, small_letter_text):
    text = small_letter_text.replace("1. Coastal Fishers Union", "1. Myanmar\n2. Coastal Fishers Union")
    review = preview(curator, text)
    myanmar = key_of(review, "Myanmar")
    review = post_back(curator, review, **{f"{myanmar}operation": "heading"})

    review = post_back(curator, review, **{f"{myanmar}operation": "line"})
    post_back(curator, review, "save")

    assert set(Letter.objects.get().signatures.values_list("section", flat=True)) == {""}


def test_a_line_set_as_member_of_a_coalition_and_cleared(curator, small_letter_text):
    review = preview(curator, small_letter_text)
    delta, mangrove = key_of(review, "Delta Women's Association"), key_of(review, "Mangrove Watch")
    review = post_back(curator, review, **{f"{delta}member": "2", f"{mangrove}member": "2"})

    post_back(curator, review, "save", **{f"{mangrove}member": ""})

    lines = {s.listed_as: s for s in Letter.objects.get().signatures.select_related("member_of")}
    assert lines["Delta Women's Association"].member_of.listed_as == "Green River Network (GRN)"
    assert lines["Mangrove Watch"].member_of is None


def test_a_name_corrected_is_matched_again(curator, small_letter_text):
    known = Organization.objects.create(name="Mangrove Watchers Alliance", slug="mangrove-watchers-alliance")
    review = preview(curator, small_letter_text)
    mangrove = key_of(review, "Mangrove Watch")

    review = post_back(curator, review, **{f"{mangrove}text": "Mangrove Watchers Alliance"})

    assert "keep: exact: Mangrove Watchers Alliance" in review.content.decode()
    post_back(curator, review, "save")
    assert Letter.objects.get().signatures.get(position=4).organization == known


def test_edits_survive_round_trips(curator, small_letter_text):
    review = preview(curator, small_letter_text)
    justice = key_of(review, "Justice For Farmers")
    changes = {"declared_total": "9", f"{justice}choice": "drop", f"{justice}withheld": "on", "subject": "Edited"}

    once = post_back(curator, review, **changes)
    twice = post_back(curator, once)

    fields = form_fields(twice)
    assert {name: fields.get(name) for name in changes} == changes


def test_save_with_changes_to_the_list_shows_them_first(curator, small_letter_text):
    review = preview(curator, small_letter_text)
    justice = key_of(review, "Justice For Farmers")

    response = post_back(
        curator, review, "save", **{f"{justice}text": "Justice | Farmers", f"{justice}operation": "split"}
    )

    assert response.status_code == 200
    assert "check them, then save" in response.content.decode()
    assert Letter.objects.count() == 0
    assert post_back(curator, response, "save").status_code == 302
    assert Letter.objects.get().signatures.count() == 6


def test_a_line_the_archive_now_decides_otherwise_is_shown_again_before_saving(curator, small_letter_text):
    review = preview(curator, small_letter_text)
    Organization.objects.create(name="Mangrove Watch", slug="mangrove-watch")

    response = post_back(curator, review, "save")

    assert response.status_code == 200
    assert "#4: matched again since the page showed them" in response.content.decode()
    assert Letter.objects.count() == 0


def test_a_form_changed_outside_the_review_is_refused(curator, small_letter_text):
    review = preview(curator, small_letter_text)
    fields = form_fields(review)
    state = signing.loads(fields["state"], salt=STATE_SALT)
    state["lines"] = state["lines"][:2]
    forged = signing.dumps(state, salt="another salt", compress=True)

    for changes in [{"state": forged}, {"text": small_letter_text + "\n6. Added Behind Your Back"}]:
        response = post_back(curator, review, "save", **changes)

        assert response.status_code == 400
        assert "does not match the text it was made from" in response.content.decode()
    assert Signature.objects.count() == 0


def test_unknown_other_organization_is_an_error_and_saves_nothing(curator, small_letter_text):
    review = preview(curator, small_letter_text)
    delta = key_of(review, "Delta Women's Association")

    response = post_back(curator, review, "save", **{f"{delta}other": "no-such-organization"})

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Line #3 (&#x27;Delta Women&#x27;s Association&#x27;): no organization &#x27;no-such-organization&#x27;."
        in html
    )
    assert Letter.objects.count() == 0


def test_checks_are_shown_at_the_top_with_their_line(curator, small_letter_text):
    review = preview(curator, small_letter_text.replace("undersigned 7 organizations", "undersigned 9 organizations"))

    html = review.content.decode()
    assert (
        "<strong>Line 9:</strong> the letter states 9 signatories, but 5 named + 2 undisclosed = 7 (2 fewer)." in html
    )
    assert html.index("Check before saving") < html.index('id="signatories"')


def test_lines_to_look_at_are_linked_from_the_top_of_the_list(curator, small_letter_text):
    Organization.objects.create(name="Coastal Fishers Union", slug="coastal-fishers-union")

    review = preview(curator, small_letter_text)

    html = review.content.decode()
    links = re.findall(r'<a href="#(line-\d+)">#(\d)</a>', html)
    assert [position for _, position in links] == ["2", "3", "4", "5"]
    assert all(f'id="{anchor}"' in html for anchor, _ in links)


def test_the_review_reads_a_fixed_number_of_queries_whatever_the_list(
    curator, small_letter_text, django_assert_max_num_queries
):
    review = preview(curator, small_letter_text)
    longer = small_letter_text + "".join(f"{n}. Added Group Number {n}\n" for n in range(6, 60))
    long_review = preview(curator, longer)

    with django_assert_max_num_queries(30) as short:
        post_back(curator, review)
    with django_assert_max_num_queries(30) as long:
        post_back(curator, long_review)
    assert len(long.captured_queries) == len(short.captured_queries)


# --- A corrected text of a letter already in the archive ---


def test_a_corrected_text_is_compared_with_the_letter_and_updates_it(curator, small_letter_text):
    letter = commit_report(build_report(small_letter_text), status=Letter.Status.PUBLISHED).letter
    justice = letter.signatures.get(listed_as="Justice For Farmers")
    justice.withheld = True
    justice.save()
    corrected = small_letter_text.replace("3. Delta Women's Association\n", "").replace(
        "5. Justice For Farmers", "5. Justice for Farmers\n6. River Keepers"
    )

    review = preview(curator, corrected)

    html = review.content.decode()
    assert f"Changes to letter {letter.pk}" in html
    assert "Added (1)" in html
    assert "No longer printed (1)" in html
    assert "Printed name changed (1)" in html
    assert form_fields(review)["letter"] == str(letter.pk)
    response = post_back(curator, review, "save", retract_removed="on")

    assert response.status_code == 302
    assert Letter.objects.count() == 1
    lines = {s.listed_as: s for s in letter.signatures.all()}
    assert lines["Justice for Farmers"].pk == justice.pk
    assert lines["Justice for Farmers"].withheld
    assert lines["River Keepers"].position == 5
    assert lines["Delta Women's Association"].retracted_on is not None


def test_a_letter_changed_since_the_review_is_not_overwritten(curator, small_letter_text):
    letter = commit_report(build_report(small_letter_text), status=Letter.Status.PUBLISHED).letter
    review = preview(curator, small_letter_text.replace("5. Justice For Farmers", "5. Justice for Farmers"))
    line = letter.signatures.get(position=1)
    line.note = "Edited meanwhile."
    line.save()

    response = post_back(curator, review, "save")

    assert response.status_code == 200
    assert "changed since you reviewed it" in response.content.decode()
    assert letter.signatures.filter(listed_as="Justice For Farmers").exists()
    assert post_back(curator, response, "save").status_code == 302
    assert letter.signatures.filter(listed_as="Justice for Farmers").exists()


# --- Uploads: the files curators receive (letters/formats) ---


def test_the_file_picker_says_which_types_it_takes(curator):
    page = curator.get(IMPORT_URL).content.decode()

    assert 'accept=".txt,.text,.md,.markdown,.pdf,.html,.htm,.xhtml,.mht,.mhtml,.docx"' in page
    assert "PDF with a text layer" in page
    assert "Word .docx; at most 20 MB" in page


def test_an_uploaded_word_document_is_reviewed_then_saved_from_its_text(curator):
    upload = SimpleUploadedFile("letter.docx", letter_docx())
    review = curator.post(IMPORT_URL, {"text": "", "status": "draft", "file": upload})

    assert review.status_code == 200
    assert Letter.objects.count() == 0
    printed = [value for name, value in form_fields(review).items() if re.fullmatch(r"line-\d+-text", name)]
    assert printed == letter_names()

    response = post_back(curator, review, "save")

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert [s.listed_as for s in letter.signatures.order_by("position")] == letter_names()


def test_an_uploaded_image_is_a_form_error_and_saves_nothing(curator):
    upload = SimpleUploadedFile("letter.png", b"\x89PNG\r\n\x1a\n" + bytes(100))

    response = curator.post(IMPORT_URL, {"text": "", "status": "draft", "file": upload})

    assert response.status_code == 200
    assert "Unsupported file: a PNG image. Accepted: plain text" in response.content.decode()
    assert Letter.objects.count() == 0
