"""Feed, sitemap, robots.txt, error pages, and no third-party requests."""

import re

from django.test import override_settings


def test_atom_feed_lists_published_letters_only(client, letter, draft_letter):
    response = client.get("/letters/feed/")
    body = response.content.decode()

    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Open letter on arms sales" in body
    assert "http://testserver/letters/2022/07/14/open-letter/" in body
    assert "Draft letter" not in body


def test_sitemap_lists_public_pages_only(client, letter, draft_letter):
    body = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/letters/2022/07/14/open-letter/</loc>" in body
    assert "<loc>http://testserver/organizations/interpol/</loc>" in body
    assert "<loc>http://testserver/organizations/open-letter-org-1/</loc>" in body
    assert "open-letter-org-7" not in body
    assert "draft" not in body


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@override_settings(DEBUG=False)
def test_friendly_404(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "This page is not in the archive" in response.content.decode()


def test_500_page_renders_without_a_request():
    from django.template import loader

    html = loader.get_template("500.html").render()

    assert "Something went wrong" in html


def test_public_pages_load_nothing_from_other_hosts(client, letter):
    for url in ["/", "/letters/", "/organizations/", letter.get_absolute_url(), "/organizations/interpol/"]:
        html = client.get(url).content.decode()
        loaded = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html)
        assert not [u for u in loaded if u.startswith(("http:", "https:", "//")) and "testserver" not in u], url
        assert "<script" not in html
