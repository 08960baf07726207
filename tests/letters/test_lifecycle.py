"""A signature's life after publication: added later (with its date) or retracted (date and reason), never deleted."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from letters.models import Signature
from tests.conftest import build_letter


def kwargs(letter):
    return {"year": letter.date.year, "month": f"{letter.date:%m}", "day": f"{letter.date:%d}", "slug": letter.slug}


@pytest.fixture
def lived(db):
    """Five lines: line 2 retracted with a reason, line 4 added after publication, line 5 withheld and retracted."""
    letter = build_letter(5, slug="lived", withheld=(5,))
    Signature.objects.filter(letter=letter, position=2).update(
        retracted_on=datetime.date(2023, 3, 1), retraction_reason="Signed in error by a former member."
    )
    Signature.objects.filter(letter=letter, position=4).update(added_on=datetime.date(2022, 8, 1))
    Signature.objects.filter(letter=letter, position=5).update(
        retracted_on=datetime.date(2023, 4, 1), retraction_reason="Secret reason of a withheld line."
    )
    return letter


def test_retraction_is_struck_through_with_its_date_and_note(client, lived):
    html = client.get(reverse("letters:detail", kwargs=kwargs(lived))).content.decode()

    assert '<del><a href="/organizations/lived-org-2/">lived Organization 002 as printed</a></del>' in html
    assert 'retracted <time datetime="2023-03-01">1 March 2023</time>: Signed in error by a former member.' in html


def test_added_signature_says_when(client, lived):
    html = client.get(reverse("letters:detail", kwargs=kwargs(lived))).content.decode()

    assert 'lived Organization 004 as printed</a> <span class="added">added <time datetime="2022-08-01">' in html


def test_retracted_lines_stay_in_the_count_which_says_how_many(client, lived):
    html = client.get(reverse("letters:detail", kwargs=kwargs(lived))).content.decode()

    assert "4 signatories; 1 since retracted" in html


def test_a_withheld_retracted_signature_shows_nothing(client, lived):
    html = client.get(reverse("letters:detail", kwargs=kwargs(lived))).content.decode()
    csv = b"".join(client.get("/data/signatures.csv").streaming_content).decode()
    api = client.get("/api/signatures").content.decode()

    for body in (html, csv, api):
        assert "Secret reason" not in body
        assert "Organization 005" not in body
    assert "2 since retracted" not in html


def test_letter_csv_and_json_carry_the_lifecycle(client, lived):
    csv = b"".join(client.get(reverse("letters:detail_csv", kwargs=kwargs(lived))).streaming_content)
    lines = csv.decode("utf-8-sig").splitlines()
    data = client.get(reverse("letters:detail_json", kwargs=kwargs(lived))).json()

    assert lines[0].endswith(",added_on,retracted_on,retraction_reason")
    assert lines[2].endswith(",,2023-03-01,Signed in error by a former member.")
    assert lines[4].endswith(",2022-08-01,,")
    assert data["signatories"][1]["retracted_on"] == "2023-03-01"
    assert data["signatories"][3]["added_on"] == "2022-08-01"


def test_bulk_signatures_csv_and_api_say_so(client, lived):
    csv = b"".join(client.get("/data/signatures.csv").streaming_content).decode("utf-8-sig").splitlines()
    results = client.get("/api/signatures?letter=lived").json()["results"]

    assert csv[0].endswith(",added_on,retracted_on,retraction_reason")
    assert csv[2].endswith(",2023-03-01,Signed in error by a former member.")
    assert results[1]["retracted_on"] == "2023-03-01"
    assert results[1]["retraction_reason"] == "Signed in error by a former member."
    assert results[3]["added_on"] == "2022-08-01"
    assert results[0]["retracted_on"] is None


def test_organization_letters_csv_says_retracted(client, lived):
    csv = b"".join(client.get("/organizations/lived-org-2/letters.csv").streaming_content).decode("utf-8-sig")

    assert "2023-03-01,Signed in error by a former member." in csv


def test_data_dictionary_documents_the_lifecycle(client):
    html = client.get(reverse("letters:data")).content.decode()

    assert "retracted_on" in html
    assert "added_on" in html


def test_a_reason_needs_a_retraction_date(lived):
    with pytest.raises(IntegrityError):
        Signature.objects.filter(letter=lived, position=1).update(retraction_reason="No date given")


# --- Staff preview of a draft --------------------------------------------------------------------------------------


def test_staff_preview_shows_a_draft_never_cached_nor_indexed(admin_client, draft_letter):
    response = admin_client.get(reverse("letters:preview", kwargs={"pk": draft_letter.pk}))
    html = response.content.decode()

    assert response.status_code == 200
    assert draft_letter.title in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"
    assert "Staff preview: draft" in html


def test_staff_preview_of_an_undated_draft(admin_client, draft_letter):
    draft_letter.date = None
    draft_letter.save()

    response = admin_client.get(reverse("letters:preview", kwargs={"pk": draft_letter.pk}))

    assert response.status_code == 200


def test_preview_is_404_for_visitors_and_non_staff(client, django_user_model, draft_letter):
    url = reverse("letters:preview", kwargs={"pk": draft_letter.pk})
    assert client.get(url).status_code == 404

    user = django_user_model.objects.create_user("reader", password="a long password 123")
    client.force_login(user)
    assert client.get(url).status_code == 404


def test_preview_withheld_lines_stay_hidden(admin_client, letter):
    html = admin_client.get(reverse("letters:preview", kwargs={"pk": letter.pk})).content.decode()

    assert "Organization 007" not in html


def test_letter_admin_links_to_the_preview(admin_client, draft_letter):
    html = admin_client.get(reverse("admin:letters_letter_change", args=[draft_letter.pk])).content.decode()

    assert reverse("letters:preview", kwargs={"pk": draft_letter.pk}) in html
