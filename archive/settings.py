"""Settings for the letters archive, read from the environment.

With no variables set the archive runs for local use: SQLite file, DEBUG on, a development key.
`DEBUG=False` is production: a missing SECRET_KEY or ALLOWED_HOSTS stops start-up with a clear message.
"""

import datetime
import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A boolean from the environment; anything but a clear yes or no is an error, not False."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use one of true/false, 1/0, yes/no, on/off.")


def env_list(name: str) -> list[str]:
    """A comma-separated list from the environment, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (production).")
    SECRET_KEY = "django-insecure-development-key-only-for-local-use"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when DEBUG is off (production), e.g. ALLOWED_HOSTS=letters.example.org."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS may not contain '*': name the hosts that serve the archive.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "organizations",
    "letters",
    "api",
    "archive",  # the page cache's invalidation signals (archive/cache.py), our lookups (archive/lookups.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so a page answered from it carries the same security headers as a fresh one.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers cached public pages before sessions, auth and URL routing run (archive/cache.py).
    "archive.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "archive.security.RateLimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "archive.wsgi.application"

DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL, conn_max_age=60, conn_health_checks=True
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address this archive understands: {error}") from None
# PostgreSQL's planner prices a random read at RANDOM_PAGE_COST (archive.apps sets it on each new connection; empty
# leaves the server's own). PostgreSQL's default, 4, is a spinning disk's; the archive's database is expected on SSD
# or in memory, where 1.1 is the usual value. At 4 the organization name search's capped count flipped from the
# trigram index (3.5 ms) to reading every name (11.5 ms) after an ANALYZE, the two plans' estimates 1% apart; at 1.1
# no heavy page's plan got slower (README "Indexes").
RANDOM_PAGE_COST = os.environ.get("RANDOM_PAGE_COST", "1.1").strip()
if RANDOM_PAGE_COST:
    try:
        float(RANDOM_PAGE_COST)
    except ValueError:
        raise ImproperlyConfigured(f"RANDOM_PAGE_COST={RANDOM_PAGE_COST!r} is not a number.") from None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number of seconds.") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name}={raw!r} cannot be negative.")
    return value


def cache_from_url(url: str) -> dict:
    """CACHES["default"] from CACHE_URL: locmem:// (default), redis://host:6379/0 (rediss:// too) or dummy:// (off)."""
    scheme, separator, rest = url.partition("://")
    if separator and scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if separator and scheme in {"redis", "rediss"} and rest:
        # Django's own RedisCache; needs the `redis` package (in requirements.txt).
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if separator and scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r} is not a cache this archive understands: use locmem://, "
        "redis://host:6379/0 (or rediss://) or dummy:// to switch caching off."
    )


# Public pages are cached for anonymous visitors and invalidated on any change (archive/cache.py).
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "").strip() or "locmem://")}
# How long a cached page may live at most; a change invalidates it at once anyway (the archive version).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Cache-Control max-age for browsers and CDNs: how long a repeat visit may be served without asking us.
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 60)
# With the per-process locmem cache, the archive version lives in this file, shared by all processes of a machine.
ARCHIVE_VERSION_FILE = os.environ.get("ARCHIVE_VERSION_FILE") or str(
    Path(tempfile.gettempdir())
    / "letters-archive-version-{}".format(
        hashlib.sha256(repr(sorted(DATABASES["default"].items(), key=str)).encode()).hexdigest()[:12]
    )
)

# django-axes first: it refuses a locked-out username and address before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
# The interface is in English only: no translation catalogs, no LocaleMiddleware. Django's translation machinery
# (the active language looked up on every reverse() and lazy string) cost 0.4-0.6 ms of CPU on each heavy public page,
# about a tenth, for nothing. Before turning it on for a translated interface, key the cached row dates by language
# (letters.rendering._time).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# A pasted signatory list of 600 lines posts ~1,800 form fields in the review screen.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An uploaded letter (text or PDF) above this size is written to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): everything from this host, no inline script or style, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Admin login lockout (django-axes): twelve wrong passwords in a row for one username from one address lock that
# username at that address out for AXES_COOLOFF_MINUTES (trying meanwhile does not extend it); a right password
# before the limit clears the count.
AXES_FAILURE_LIMIT = 12
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout ends when its time is up, however often someone tries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Attempts and lockouts are kept in the admin (Axes: access attempts), not printed by every command.
AXES_VERBOSE = False

# Rate limits (archive/security.py) per client address, within a sliding minute. RATE_LIMITS=false turns them off
# (the load test in bench/ does, since all its clients share one address).
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS", default=True)
RATE_LIMIT_SEARCHES_PER_MINUTE = 60
RATE_LIMIT_EXPORTS_PER_MINUTE = 60
RATE_LIMIT_BULK_DOWNLOADS_PER_MINUTE = 20
# Never limited: loopback by default (the leak checker, the load test, a local server). Comma-separated.
RATE_LIMIT_EXEMPT_ADDRESSES = env_list("RATE_LIMIT_EXEMPT_ADDRESSES") or ["127.0.0.1", "::1"]
# Behind a reverse proxy on this host every request comes from loopback: name the header it sets to the client's
# address (e.g. X-Real-IP), or the limits never apply.
RATE_LIMIT_CLIENT_ADDRESS_HEADER = os.environ.get("RATE_LIMIT_CLIENT_ADDRESS_HEADER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
