"""The public pages' cache: one "archive version" in every cache key, bumped on any change.

How it works
- Every change to what a public page can show (save or delete of a Letter, Signature, Organization, Alias, Demand,
  Theme or old slug, a change of addressees or themes, and any POST/PUT/PATCH/DELETE request, which covers the
  admin's bulk `queryset.update()` actions) replaces the archive version with a new random token. A cached page is
  stored under `page:<version>:<hash of the absolute URL>`, so one bump makes every cached page unreachable at
  once: O(1) invalidation, nothing to enumerate. Old entries age out (PAGE_CACHE_SECONDS) or are culled.
  The bump happens at once and again when the transaction commits, so a page rendered while the change was not
  yet visible cannot stay cached under the new version.
- Where the version lives: with a shared cache (`redis://`) in that cache, so every server sees one version.
  With the per-process `locmem://` cache, in a small file (`ARCHIVE_VERSION_FILE`; read with one stat() call),
  so every gunicorn worker and every management command on the machine agrees on it: a curator's change made
  through one worker, or an `import_letter` run in a shell, invalidates the pages every worker has cached.
- Only anonymous GET requests of views decorated with `@public_page` are stored, only 200 responses that are not
  streamed, and only published content ever reaches those views. A request carrying a session cookie (a
  curator) is never answered from the cache nor stored, and its response is `Cache-Control: private`.
- `PageCacheMiddleware`, placed right after WhiteNoise, answers hits before sessions, auth or URL routing run:
  a hit costs one stat() (or one cache read) and one cache read, and no database query.
- HTTP: a public page carries an ETag made from its own content (never the version, which also moves when a
  curator saves a draft), `Cache-Control: public, max-age=PAGE_MAX_AGE` and `Vary: Cookie`, so a browser or a
  CDN can serve repeat visits and revalidate with a 304.
"""

import hashlib
import os
import secrets
import time
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

VERSION_KEY = "archive:version"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def page_cache_enabled() -> bool:
    return settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.dummy.DummyCache"


def _version_file() -> Path | None:
    """The file holding the version when the cache is per process (locmem); None when the cache is shared."""
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
        return None
    return Path(settings.ARCHIVE_VERSION_FILE)


def archive_version() -> tuple[str, float]:
    """The current archive version (a token) and when it was set (a Unix time)."""
    path = _version_file()
    if path is not None:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            bump_archive_version()
            stat = os.stat(path)
        # A bump replaces the file: a new inode and a new mtime, whatever the clock's resolution.
        return f"{stat.st_ino:x}{stat.st_mtime_ns:x}", stat.st_mtime
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, (secrets.token_hex(8), time.time()), timeout=None)
        version = cache.get(VERSION_KEY) or (secrets.token_hex(8), time.time())
    return version


def bump_archive_version() -> None:
    """Make every cached page stale. Cheap (one small file write or one cache write)."""
    path = _version_file()
    if path is None:
        if page_cache_enabled():
            cache.set(VERSION_KEY, (secrets.token_hex(8), time.time()), timeout=None)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    temporary.write_text(secrets.token_hex(8))
    os.replace(temporary, path)


def bump_now_and_on_commit(**kwargs) -> None:
    """Signal receiver: bump at once, and again when the change is committed and visible to other requests."""
    bump_archive_version()
    transaction.on_commit(bump_archive_version)


def connect_signals() -> None:
    """Called from ArchiveConfig.ready(): every model a public page shows invalidates the cache when it changes."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from letters.models import Demand, Letter, LetterSlug, Signature, Theme
    from organizations.models import Alias, Organization, OrganizationSlug

    for model in (Letter, Signature, Organization, Alias, Demand, Theme, LetterSlug, OrganizationSlug):
        post_save.connect(bump_now_and_on_commit, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
        post_delete.connect(bump_now_and_on_commit, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")
    for through in (Letter.addressees.through, Demand.themes.through):
        m2m_changed.connect(bump_now_and_on_commit, sender=through, dispatch_uid=f"page-cache-m2m-{through.__name__}")


def _is_anonymous(request: HttpRequest) -> bool:
    # Without a session cookie there is no logged-in user: no session lookup, no query needed to know it.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _cacheable_request(request: HttpRequest) -> bool:
    return request.method == "GET" and _is_anonymous(request) and page_cache_enabled()


def page_key(request: HttpRequest, version: str) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{version}:{url}"


def _public_response(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    """Public caching headers, and a 304 when the visitor already holds this content."""
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return get_conditional_response(request, etag=etag, response=response)


class PageCacheMiddleware:
    """Answer anonymous GETs of cached public pages early; bump the version after any unsafe request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            # A signed-in curator's write (admin bulk actions and merges send no model signals) invalidates every
            # page; an anonymous POST changes nothing, and must not let anyone keep the cache cold.
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and response.status_code < 400:
                bump_archive_version()
            return response
        if not _cacheable_request(request):
            return self.get_response(request)
        version, _ = archive_version()
        key = page_key(request, version)
        hit = cache.get(key)
        if hit is None:
            request._page_cache = key
            return self.get_response(request)
        content, content_type, etag = hit
        response = HttpResponse(content, content_type=content_type)
        response["X-Cache"] = "hit"
        return _public_response(request, response, etag)


def public_page(view):
    """Mark a view's 200 HTML/JSON responses as public and cacheable (anonymous visitors only).

    Only for views whose every response shows published content only: what this stores, anyone is served.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        if not _is_anonymous(request):
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        # The ETag comes from the page's own content, never from the archive version: a version (or a
        # Last-Modified) that moves when a curator saves a draft or withholds a name would tell the public so.
        etag = f'W/"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        key = getattr(request, "_page_cache", None)
        if key is not None:  # None: the cache is off (dummy://), and the ETag still spares a repeat download
            cache.set(key, (response.content, response["Content-Type"], etag), timeout=settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return _public_response(request, response, etag)

    return wrapped
