"""Nothing withheld or drafted reaches a public surface: the crawler attacks every address it can reach."""

import datetime

import pytest
from django.core.management import call_command

from letters import exports, totals
from letters.leaks import LINK_PATTERNS, Planted, check_leaks, crawl, plant_secrets
from letters.models import Letter, Signature
from tests.conftest import build_letter


@pytest.fixture
def archive(db):
    """A small public archive: two letters, one with a coalition."""
    build_letter(6, slug="first-letter", members=2)
    build_letter(4, slug="second-letter", title="Second letter", date=datetime.date(2023, 5, 1))


def test_crawl_finds_no_planted_secret(archive):
    report = check_leaks(max_pages=3000)

    assert report.pages > 20
    assert report.leaks == []
    assert report.visible == []
    assert report.errors == []


def test_crawl_is_rolled_back(archive):
    before = (Letter.objects.count(), Signature.objects.count())

    check_leaks(max_pages=50)

    assert (Letter.objects.count(), Signature.objects.count()) == before


def test_the_crawler_does_catch_a_leak(archive, client):
    """The checker must be able to fail: publish the planted draft and it is reported."""
    planted = plant_secrets()
    Letter.objects.filter(status=Letter.Status.DRAFT).update(status=Letter.Status.PUBLISHED)

    report = crawl(client, planted, max_pages=3000)

    assert any("Secret Draft Letter" in leak for leak in report.leaks)
    assert report.visible


def test_the_crawler_catches_a_withheld_name_made_public(archive, client):
    planted = plant_secrets()
    Signature.objects.filter(withheld=True).update(withheld=False)

    report = crawl(client, planted, max_pages=3000)

    assert any("Withheld Signatory Union" in leak for leak in report.leaks)


def test_link_patterns_read_html_sitemaps_and_json():
    found = {
        m for p in LINK_PATTERNS for m in p.findall('<a href="/a/">x</a><loc>http://testserver/b/</loc>{"url": "/c/"}')
    }

    assert found == {"/a/", "http://testserver/b/", "/c/"}


def test_command_reports_success(archive, capsys):
    call_command("check_leaks", "--max-pages", "200")

    assert "No planted secret reached any public surface." in capsys.readouterr().out


def test_planted_is_what_is_checked(archive):
    planted = plant_secrets()

    assert isinstance(planted, Planted)
    assert len(planted.forbidden_urls) == 4
    stated = Letter.objects.get(title="A letter with a withheld line")
    assert planted.secrets[-1] == str(stated.declared_signatory_count)
    # Stated = the public line, the withheld one and the undisclosed: shown beside them, it would count the withheld.
    assert stated.declared_signatory_count - stated.named_count - stated.undisclosed_signatory_count == 1


def test_the_crawler_catches_a_stated_total_that_counts_a_withheld_line(archive, client, monkeypatch):
    """The checker must be able to fail on the letter figures too: tell them as if no line were withheld, and the
    planted letter's stated total (a number no other page shows) is reported where the page, JSON and API show it."""
    planted = plant_secrets()
    told = totals.public_totals
    careless = lambda **figures: told(**{**figures, "withheld": 0})  # noqa: E731
    monkeypatch.setattr(totals, "public_totals", careless)
    monkeypatch.setattr(exports, "public_totals", careless)

    report = crawl(client, planted, max_pages=3000)

    stated = planted.secrets[-1]
    leaked_at = {leak.split(" shows ")[0] for leak in report.leaks if f"'{stated}'" in leak}
    page = next(url for url in leaked_at if url.startswith("/letters/2023/03/01/stated-total-") and url.endswith("/"))
    assert {page, f"{page}letter.json", "/api/letters", "/letters/", "/data/letters.csv"} <= leaked_at


def test_crawl_of_an_empty_archive_finds_no_planted_secret(db):
    """With no published letter the withheld name is planted on a public letter of its own, which must not show
    the marker either."""
    report = check_leaks(max_pages=500)

    assert report.leaks == []
    assert report.visible == []
