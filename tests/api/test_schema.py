"""The OpenAPI schema validates, and a schema-driven fuzzer finds no server error in the API."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


# Every test here reads the seed letters: loaded once for the module.
pytestmark = pytest.mark.usefixtures("seeded_once")


def test_openapi_schema_is_valid(client, db):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert {"/api/letters", "/api/letters/{id}", "/api/organizations", "/api/organizations/{id}"} <= set(
        document["paths"]
    )
    assert {"/api/signatures", "/api/demands", "/api/demands/{id}"} <= set(document["paths"])


def test_docs_page_describes_every_endpoint_and_loads_nothing_from_elsewhere(client, db):
    html = client.get("/api/docs").content.decode()

    for path in ("/api/letters", "/api/organizations/{id}", "/api/signatures", "/api/demands"):
        assert f"<code>GET {path}</code>" in html
    assert "<p><code>coalition_position</code>" in html
    assert "cdn" not in html.lower()
    assert "<script" not in html


@pytest.fixture
def connection_kept_open():
    """The real WSGI app closes the database connection after each request, ending the test's transaction on
    PostgreSQL; like Django's test client, keep it open while the fuzzer calls the app."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_has_no_server_error(case, seeded, connection_kept_open):
    case.call_and_validate(checks=[not_a_server_error])
