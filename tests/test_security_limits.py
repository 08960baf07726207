"""Rate limits on searches and downloads, and the admin login lockout (django-axes)."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

VISITOR = "203.0.113.7"


@pytest.fixture
def visitor(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_SEARCHES_PER_MINUTE = 5
    settings.RATE_LIMIT_EXPORTS_PER_MINUTE = 4
    settings.RATE_LIMIT_BULK_DOWNLOADS_PER_MINUTE = 2
    cache.clear()
    yield Client(REMOTE_ADDR=VISITOR)
    cache.clear()


@freeze_time("2024-01-01 12:00:00")
def test_searches_over_the_limit_get_a_friendly_429(visitor, letter):
    statuses = [visitor.get("/letters/", {"q": f"arms {n}"}).status_code for n in range(6)]
    response = visitor.get("/organizations/", {"q": "union"})

    assert statuses == [200] * 5 + [429]
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert int(response["Retry-After"]) <= 60


@freeze_time("2024-01-01 12:00:00")
def test_pages_without_a_search_are_never_limited(visitor, letter):
    statuses = {visitor.get(letter.get_absolute_url()).status_code for _ in range(12)}
    statuses |= {visitor.get("/letters/").status_code for _ in range(12)}

    assert statuses == {200}


@freeze_time("2024-01-01 12:00:00")
def test_bulk_downloads_have_the_smallest_budget(visitor, letter):
    statuses = [visitor.get("/data/signatures.csv").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@freeze_time("2024-01-01 12:00:00")
def test_exports_and_the_api_share_a_budget(visitor, letter):
    urls = ["/letters/letters.csv", "/letters/letters.json", "/api/letters", "/organizations/organizations.csv"]
    statuses = [visitor.get(url).status_code for url in urls] + [visitor.get("/api/organizations").status_code]

    assert statuses == [200, 200, 200, 200, 429]


def test_the_limit_resets_after_a_minute(visitor, letter):
    with freeze_time("2024-01-01 12:00:00") as clock:
        for _ in range(2):
            visitor.get("/data/letters.csv")
        assert visitor.get("/data/letters.csv").status_code == 429
        clock.tick(datetime.timedelta(seconds=61))
        assert visitor.get("/data/letters.csv").status_code == 200


@freeze_time("2024-01-01 12:00:00")
def test_each_address_has_its_own_budget(visitor, letter):
    for _ in range(2):
        visitor.get("/data/letters.csv")

    assert Client(REMOTE_ADDR="198.51.100.9").get("/data/letters.csv").status_code == 200


@freeze_time("2024-01-01 12:00:00")
def test_loopback_and_a_switch_turn_limits_off(visitor, settings, letter):
    local = Client(REMOTE_ADDR="127.0.0.1")
    assert {local.get("/data/letters.csv").status_code for _ in range(5)} == {200}

    settings.RATE_LIMITS_ENABLED = False
    assert {visitor.get("/data/letters.csv").status_code for _ in range(5)} == {200}


@freeze_time("2024-01-01 12:00:00")
def test_behind_a_proxy_the_named_header_is_the_client(visitor, settings, letter):
    settings.RATE_LIMIT_CLIENT_ADDRESS_HEADER = "X-Real-IP"
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=VISITOR)

    statuses = [proxied.get("/data/letters.csv").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


# --- Admin login lockout -----------------------------------------------------------------------------------------

PASSWORD = "the right password, long enough"


@pytest.fixture
def curator(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: the tests log in often
    return django_user_model.objects.create_superuser("curator", "curator@example.org", PASSWORD)


def log_in(client: Client, password: str):
    return client.post(reverse("admin:login"), {"username": "curator", "password": password, "next": "/admin/"})


def is_logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_twelve_wrong_passwords_lock_the_account_until_the_cool_off_ends(client, curator, settings):
    with freeze_time("2024-01-01 12:00:00") as clock:
        for _ in range(11):
            assert log_in(client, "wrong").status_code == 200  # the form again, with its error
        assert log_in(client, "wrong").status_code == 429  # the twelfth: locked out

        refused = log_in(client, PASSWORD)
        assert refused.status_code == 429
        assert "_auth_user_id" not in client.session

        clock.tick(settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1))
        assert log_in(client, PASSWORD).status_code == 429

        clock.tick(datetime.timedelta(minutes=2))
        assert is_logged_in(log_in(client, PASSWORD))


def test_a_right_password_before_the_limit_resets_the_count(client, curator):
    with freeze_time("2024-01-01 12:00:00"):
        for _ in range(11):
            log_in(client, "wrong")
        assert is_logged_in(log_in(client, PASSWORD))
        client.logout()
        for _ in range(11):
            log_in(client, "wrong")
        assert is_logged_in(log_in(client, PASSWORD))


def test_the_lockout_is_per_username_and_address(client, curator, django_user_model):
    django_user_model.objects.create_superuser("other", "other@example.org", PASSWORD)
    with freeze_time("2024-01-01 12:00:00"):
        for _ in range(12):
            log_in(client, "wrong")
        other = client.post(reverse("admin:login"), {"username": "other", "password": PASSWORD, "next": "/admin/"})
        elsewhere = Client(REMOTE_ADDR="198.51.100.20")
        from_elsewhere = log_in(elsewhere, PASSWORD)

    assert is_logged_in(other)
    assert is_logged_in(from_elsewhere)
