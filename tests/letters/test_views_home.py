"""The home page: latest letters, totals, a server-rendered timeline."""

import datetime

import pytest

from tests.conftest import build_letter


def test_home_shows_latest_letters_totals_and_timeline(client, letter, draft_letter):
    build_letter(2, slug="later", title="A later letter", date=datetime.date(2024, 2, 1))

    html = client.get("/").content.decode()

    assert "A later letter" in html
    assert "Open letter on arms sales" in html
    assert "Draft letter" not in html
    assert "<dt>Letters</dt><dd>2</dd>" in html
    assert "<dt>Named signatures</dt><dd>11</dd>" in html  # 9 public on the first letter + 2
    assert "<dt>Organizations</dt><dd>12</dd>" in html  # 11 signers + INTERPOL; never withheld or draft
    assert '<svg role="img"' in html
    assert "2022: 1 letter" in html
    assert "2023: 0 letters" in html
    assert "2024: 1 letter" in html


def test_home_without_letters(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "No letters yet." in response.content.decode()


@pytest.mark.parametrize("size", [2, 30])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, interpol, size):
    for n in range(size):
        build_letter(
            size,
            slug=f"h{n}",
            date=datetime.date(2015, 1, 1) + datetime.timedelta(days=100 * n),
            addressees=(interpol,),
        )

    # the stored totals, latest letters (with their addressees' names)
    with django_assert_num_queries(2):
        client.get("/")
