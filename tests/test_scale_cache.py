"""The public pages' cache (archive/cache.py): served from cache until the archive changes, never to a curator."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from archive.cache import archive_version, bump_archive_version
from letters.models import Letter, Signature
from tests.conftest import build_letter

PROJECT_DIR = Path(__file__).resolve().parents[1]
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def published(db):
    return build_letter(5, slug="cached-letter", title="Letter before the change")


def test_page_is_served_from_cache_until_a_letter_changes(client, django_assert_num_queries, published):
    url = published.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content

    published.title = "Letter after the change"
    published.save()
    third = client.get(url)
    assert third["X-Cache"] == "miss"
    assert "Letter after the change" in third.content.decode()


@pytest.mark.parametrize("path", ["/", "/letters/", "/letters/?q=arms", "/organizations/", "/data/"])
def test_every_public_page_is_a_hit_with_no_query(client, django_assert_num_queries, published, path):
    assert client.get(path)["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(path)
    assert response.status_code == 200
    assert response["X-Cache"] == "hit"


def test_withholding_a_signature_removes_it_from_the_cached_page(client, published):
    url = published.get_absolute_url()
    assert "cached-letter Organization 002 as printed" in client.get(url).content.decode()

    signature = Signature.objects.get(letter=published, position=2)
    signature.withheld = True
    signature.save()

    assert "cached-letter Organization 002 as printed" not in client.get(url).content.decode()


def test_organization_page_follows_a_change_of_its_name(client, published):
    organization = Signature.objects.get(letter=published, position=1).organization
    url = organization.get_absolute_url()
    client.get(url)
    organization.name = "A renamed organization"
    organization.save()

    assert "A renamed organization" in client.get(url).content.decode()


def test_a_draft_is_not_served_from_cache_and_publishing_it_shows_it(client, db):
    draft = build_letter(3, slug="soon", status=Letter.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "soon-org" not in client.get("/").content.decode()

    draft.status = Letter.Status.PUBLISHED
    draft.save()

    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_write_without_signals_is_caught_by_the_curators_next_request(client, admin_client, published):
    """queryset.update() sends no signal; the admin's bulk actions are a curator's POSTs, which bump the version."""
    url = published.get_absolute_url()
    client.get(url)
    Letter.objects.filter(pk=published.pk).update(title="Changed by an update")
    assert client.get(url)["X-Cache"] == "hit"

    admin_client.post("/admin/letters/letter/", {"action": "delete_selected"})  # a curator's admin action

    assert "Changed by an update" in client.get(url).content.decode()


def test_an_anonymous_post_does_not_empty_the_cache(client, published):
    url = published.get_absolute_url()
    client.get(url)

    client.post("/letters/")  # 405
    client.post("/")  # refused by CSRF or by the method

    assert client.get(url)["X-Cache"] == "hit"


def test_a_curator_is_neither_served_from_nor_stored_in_the_cache(client, admin_client, published):
    url = published.get_absolute_url()
    staff = admin_client.get(url)
    assert "X-Cache" not in staff
    assert "private" in staff["Cache-Control"]
    assert client.get(url)["X-Cache"] == "miss"  # the curator's response was not stored
    assert "X-Cache" not in admin_client.get(url)  # nor is the curator served the anonymous one


def test_staff_preview_of_a_draft_never_reaches_the_cache(client, admin_client, db):
    draft = build_letter(3, slug="secret-draft", title="Secret draft", status=Letter.Status.DRAFT)
    preview = admin_client.get(f"/letters/preview/{draft.pk}/")
    if preview.status_code == 404:
        pytest.skip("no staff preview at this address")
    assert "X-Cache" not in preview
    assert client.get(f"/letters/preview/{draft.pk}/").status_code == 404


def test_etag_304(client, published):
    url = published.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    assert "public" in first["Cache-Control"]
    assert "max-age=" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304  # from the cache
    client.get(url)
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    published.title = "Changed"
    published.save()
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_saving_a_draft_does_not_change_a_public_pages_etag(client, published):
    """The ETag is the page's content: a curator's work on a draft must not show in public headers."""
    draft = build_letter(3, slug="quiet-draft", title="A draft", status=Letter.Status.DRAFT)
    url = published.get_absolute_url()
    first = client.get(url)

    draft.title = "Still a draft, renamed"
    draft.save()
    again = client.get(url)

    assert again["X-Cache"] == "miss"  # the version moved, so the page was rendered again
    assert again["ETag"] == first["ETag"]
    assert "Last-Modified" not in again


def test_streamed_exports_are_never_cached(client, published):
    for _ in range(2):
        response = client.get("/data/signatures.csv")
        assert response.streaming
        assert "X-Cache" not in response


@override_settings(CACHES=DUMMY)
def test_cache_off_with_dummy_url(client, django_assert_num_queries, published):
    url = published.get_absolute_url()
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Cache" not in response
    # Off means rendered every time, yet an ETag from the content still spares a repeat download.
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_the_version_is_shared_with_other_processes(db, settings):
    """With locmem pages, the version lives in a file: a command run in a shell invalidates every worker."""
    before = archive_version()
    command = "from archive.cache import bump_archive_version; bump_archive_version()"
    env = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    env["ARCHIVE_VERSION_FILE"] = settings.ARCHIVE_VERSION_FILE
    run = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", command], cwd=PROJECT_DIR, env=env, capture_output=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert archive_version() != before


def test_bump_changes_the_version(db):
    before = archive_version()
    bump_archive_version()
    assert archive_version()[0] != before[0]


def load_cache_setting(url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import archive.settings as s; print(s.CACHES['default'])"],
        cwd=PROJECT_DIR,
        env={**env, "CACHE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bad_cache_url_fails_loudly():
    run = load_cache_setting("bogus://")

    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr
    assert "CACHE_URL='bogus://' is not a cache this archive understands" in run.stderr


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "LocMemCache"),
        ("dummy://", "DummyCache"),
        ("redis://cache.internal:6379/1", "RedisCache"),
        ("rediss://user:secret@cache.internal:6380/0", "RedisCache"),
    ],
)
def test_cache_url_is_parsed(url, backend):
    run = load_cache_setting(url)

    assert run.returncode == 0, run.stderr
    assert backend in run.stdout
    if backend == "RedisCache":
        assert url in run.stdout


def test_redis_backend_can_be_imported():
    """No Redis server is needed: Django's RedisCache only needs the `redis` package, pinned in requirements."""
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache("redis://127.0.0.1:1/0", {})
    assert cache._class.__module__.startswith("django.core.cache.backends.redis")
