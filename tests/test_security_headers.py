"""Production hardening: security headers, `check --deploy`, error pages and request size limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path, reverse

import archive.urls

PROJECT_DIR = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-for-the-deploy-check-" + "x7Q!p2Lm9#Zr4Tv8Wn1Yb6Hc3Jd5Fg0Ks" * 2,
    "ALLOWED_HOSTS": "letters.example.org",
}


def test_check_deploy_is_clean_under_production_settings():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never does.
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env={**env, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_public_page_sends_the_security_headers(client, letter):
    response = client.get(reverse("letters:home"))
    csp = response["Content-Security-Policy"]

    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "base-uri 'self'" in csp
    assert "form-action 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("name", ["letters:home", "letters:list", "organizations:list", "letters:data"])
def test_public_pages_have_no_inline_script_or_style(client, letter, name):
    html = client.get(reverse(name)).content.decode()

    assert "<script" not in html
    assert "<style" not in html
    assert " style=" not in html


def test_admin_pages_still_work_under_the_policy(admin_client, letter):
    for url in (reverse("admin:index"), reverse("admin:letters_letter_change", args=[letter.pk])):
        response = admin_client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Content-Security-Policy" in response
        assert "<script>" not in html  # only external scripts and JSON data blocks


def test_admin_import_review_has_no_inline_style():
    template = (PROJECT_DIR / "templates/admin/letters/letter/import_review.html").read_text()

    assert "<style" not in template
    assert "style=" not in template
    assert "css/admin-review.css" in template


def test_session_and_csrf_cookies_are_secure_in_production():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    code = (
        "import archive.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_SSL_REDIRECT)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env={**env, **PRODUCTION}, capture_output=True, text=True
    )

    assert run.stdout.split() == ["True", "True", "True", "True"], run.stderr


def test_hsts_header_in_production(client, settings, letter):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get(reverse("letters:home"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- Errors show nothing of the server --------------------------------------------------------------------------


def boom(request):
    raise RuntimeError("secret-internal-detail: DATABASE password=hunter2")


urlpatterns = [path("boom/", boom), *archive.urls.urlpatterns]


def test_a_server_error_shows_no_stack_trace_or_settings(settings, db):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")
    html = response.content.decode()

    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Traceback" not in html
    assert "secret-internal-detail" not in html
    assert "hunter2" not in html
    assert "SECRET_KEY" not in html
    assert "RuntimeError" not in html


def test_404_shows_no_url_patterns(client, settings, db):
    settings.DEBUG = False

    html = client.get("/no/such/page/").content.decode()

    assert "This page is not in the archive" in html
    assert "URLconf" not in html
    assert "admin/" not in html.split("<main", 1)[1].split("</main>")[0]


# --- Request sizes -----------------------------------------------------------------------------------------------


def test_an_oversized_post_is_refused(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = "x" * 4096

    response = admin_client.post(reverse("admin:letters_letter_import"), {"text": big})

    assert response.status_code in (400, 413)


def test_upload_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is not None


def test_a_page_answered_from_the_cache_keeps_the_security_headers(client, letter, settings, tmp_path):
    settings.ARCHIVE_VERSION_FILE = str(tmp_path / "archive-version")  # not shared with other test runs
    client.get(letter.get_absolute_url())
    response = client.get(letter.get_absolute_url())

    assert response["X-Cache"] == "hit"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
