"""Every change to letters, signatures, organizations, aliases and demands is kept, with who and when."""

import pytest
from django.urls import reverse

from letters.importing import build_report, commit_report
from letters.models import Demand, Letter, Signature
from organizations.models import Alias, Organization


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "curator@example.org", "a long password 123")


def change_form_data(letter: Letter, **changes) -> dict:
    data = {
        "title": letter.title,
        "slug": letter.slug,
        "date": letter.date.isoformat(),
        "kind": letter.kind,
        "status": letter.status,
        "language": letter.language,
        "subject": letter.subject,
        "body": letter.body,
        "source_url": letter.source_url,
        "source_text": letter.source_text,
        "declared_signatory_count": letter.declared_signatory_count or "",
        "undisclosed_signatory_count": letter.undisclosed_signatory_count or "",
        "demands-TOTAL_FORMS": 0,
        "demands-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def test_two_admin_edits_make_three_versions_with_who_and_a_revert(client, curator, draft_letter):
    draft_letter.history.all().delete()
    draft_letter.save()  # the first version, as an import or the add form would leave it
    client.force_login(curator)
    url = reverse("admin:letters_letter_change", args=[draft_letter.pk])

    for title in ("Second title", "Third title"):
        response = client.post(url, change_form_data(draft_letter, title=title))
        assert response.status_code == 302, response.content.decode()[:2000]

    versions = list(draft_letter.history.order_by("history_date"))
    assert [v.title for v in versions] == ["Draft letter not yet published", "Second title", "Third title"]
    assert [v.history_user for v in versions[1:]] == [curator, curator]

    history_page = client.get(reverse("admin:letters_letter_history", args=[draft_letter.pk]))
    assert history_page.status_code == 200
    assert "Second title" in history_page.content.decode()

    first = versions[0]
    revert_url = reverse("admin:letters_letter_simple_history", args=[draft_letter.pk, first.history_id])
    assert client.get(revert_url).status_code == 200
    response = client.post(revert_url, change_form_data(draft_letter, title=first.title))
    assert response.status_code == 302

    draft_letter.refresh_from_db()
    assert draft_letter.title == "Draft letter not yet published"
    assert draft_letter.history.count() == 4
    assert draft_letter.history.latest().history_user == curator


def test_revert_through_the_model_keeps_the_imported_text(letter):
    letter.source_text = "The text as pasted."
    letter.save()
    letter.title = "Renamed"
    letter.save()

    letter.history.earliest().instance.save()

    letter.refresh_from_db()
    assert letter.title == "Open letter on arms sales"
    assert letter.source_text == "The text as pasted."
    assert "arms embargo" in letter.body_html


@pytest.mark.parametrize("model", [Letter, Signature, Organization, Alias, Demand])
def test_every_archive_model_keeps_history(model):
    assert hasattr(model, "history")


def test_an_import_records_the_first_version_of_everything_it_saves(db, small_letter_text, curator):
    result = commit_report(build_report(small_letter_text), status="published")
    letter = result.letter

    assert letter.history.count() == 1
    assert Signature.history.filter(letter_id=letter.pk, history_type="+").count() == letter.signatures.count()
    assert Demand.history.filter(letter_id=letter.pk).count() == letter.demands.count() == 2
    assert Organization.history.filter(history_type="+").count() == Organization.objects.count()
    assert Alias.history.count() == Alias.objects.count()


def test_signature_edit_keeps_the_earlier_version(letter):
    signature = letter.signatures.get(position=3)
    signature.listed_as = "Corrected spelling"
    signature.save()

    assert [v.listed_as for v in signature.history.order_by("history_date")][-1] == "Corrected spelling"


def test_history_is_admin_only(client, letter):
    url = reverse("admin:letters_letter_history", args=[letter.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
