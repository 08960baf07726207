"""generate_archive: a deterministic synthetic archive of realistic shape that the public pages serve."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from letters.models import Demand, Letter, LetterSlug, PublicTotals, Signature
from organizations.models import Alias, Organization

BURMESE = re.compile("[\u1000-\u109f]")
JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def generate(*extra: str, letters: int = 30, organizations: int = 300, seed: int = 7) -> str:
    out = io.StringIO()
    call_command(
        "generate_archive",
        f"--letters={letters}",
        f"--organizations={organizations}",
        f"--seed={seed}",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def snapshot() -> dict:
    return {
        "letters": list(Letter.objects.order_by("pk").values_list("title", "status", "date")),
        "organizations": list(Organization.objects.order_by("pk").values_list("name", flat=True)),
        "signatures": Signature.objects.count(),
        "withheld": Signature.objects.filter(withheld=True).count(),
        "aliases": Alias.objects.count(),
        "demands": Demand.objects.count(),
        "listed": list(Signature.objects.order_by("pk").values_list("listed_as", flat=True)[:200]),
    }


@pytest.mark.django_db(transaction=True)
def test_same_seed_same_archive():
    output = generate()
    assert "Done in" in output
    first = snapshot()
    generate("--force")
    assert snapshot() == first
    generate("--force", seed=8)
    assert snapshot()["organizations"] != first["organizations"]


@pytest.mark.django_db(transaction=True)
def test_force_deletes_what_the_archive_held_besides_letters_and_the_revision_counter_carries_on():
    generate()
    letter = Letter.objects.order_by("pk").first()
    letter.slug += "-renamed"
    letter.save()  # an old address (LetterSlug) and a history row
    assert LetterSlug.objects.exists() and Letter.history.exists()
    highest = PublicTotals.objects.get(pk=1).revision

    generate("--force")

    assert not LetterSlug.objects.exists() and not Letter.history.exists()
    assert min(Letter.objects.values_list("signatures_revision", flat=True)) > highest


@pytest.mark.django_db(transaction=True)
def test_shape_is_realistic():
    generate(organizations=1500)
    sizes = list(Letter.objects.annotate(n=Count("signatures")).values_list("n", flat=True))
    assert len(sizes) == 30
    assert min(sizes) >= 20
    assert max(sizes) <= 600
    assert len(set(sizes)) > 10  # a spread, not one size
    assert Signature.objects.filter(withheld=True).exists()
    assert Signature.objects.filter(member_of__isnull=False).exists()
    assert Letter.objects.filter(undisclosed_signatory_count__isnull=False).exists()
    assert Demand.objects.filter(target__isnull=False).exists()
    assert Letter.addressees.through.objects.exists()
    names = list(Organization.objects.values_list("name", flat=True))
    assert any(BURMESE.search(name) for name in names)
    assert any(JAPANESE.search(name) for name in names)
    # A few organizations sign far more letters than the median one.
    per_org = sorted(Signature.objects.values("organization").annotate(n=Count("pk")).values_list("n", flat=True))
    assert per_org[-1] >= 3 * per_org[len(per_org) // 2]


@pytest.mark.django_db(transaction=True)
def test_drafts_and_withheld_are_generated_at_scale():
    generate(letters=120, organizations=400, seed=3)
    assert Letter.objects.filter(status=Letter.Status.DRAFT).exists()
    assert Letter.objects.filter(status=Letter.Status.PUBLISHED).exists()
    assert Signature.objects.filter(withheld=True).exists()


@pytest.mark.django_db(transaction=True)
def test_generated_archive_passes_the_public_pages(client):
    generate()
    letter = Letter.objects.published().annotate(n=Count("signatures")).order_by("-n").first()
    assert client.get(letter.get_absolute_url()).status_code == 200
    busiest = Organization.objects.annotate(n=Count("signatures")).order_by("-n").first()
    assert client.get(busiest.get_absolute_url()).status_code == 200
    for path in (
        "/",
        "/letters/",
        "/letters/?q=embargo",
        f"/letters/?signer={busiest.slug}",
        "/organizations/?q=union",
    ):
        assert client.get(path).status_code == 200, path
    draft = Letter.objects.filter(status=Letter.Status.DRAFT).first()
    if draft is not None:
        assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_refuses_a_non_empty_archive():
    generate()
    with pytest.raises(CommandError, match="not empty"):
        generate()
    generate("--append", seed=9)
    assert Letter.objects.count() == 60


def test_dry_run_writes_nothing(db):
    assert "nothing written" in generate("--dry-run")
    assert not Letter.objects.exists()
