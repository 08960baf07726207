"""Nothing withheld or drafted reaches a public surface: the crawler attacks every address it can reach."""

import datetime

import pytest
from django.core.management import call_command

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
    assert len(planted.forbidden_urls) == 3
