"""The curator's screens in a real browser: import review, duplicate finder, merge. Screenshots at 1280 px."""

import re

import pytest
from django.core.cache import cache

from letters.importing import build_report, commit_report
from letters.models import Letter, Signature
from organizations.models import Alias, DistinctPair, MergeLog, Organization
from tests.conftest import build_letter, seed_text
from tests.e2e.conftest import SCREENSHOTS, serious_violations

pytestmark = pytest.mark.browser

PASSWORD = "curator-password"

LETTER = """Open Letter on Dam Evictions in Kalay

12 June 2023

To: Ministry of Fisheries

Re: Stop the evictions

We, the undersigned 6 organizations, call on the Ministry to stop the evictions.

Signatories:
1. Coastal Fishers Union
2. Delta Women's Association
3. Active Youths Kalaymyo
4. River Keepers of Chindwin
5. Kalay Teachers Network
6. Hill Farmers Federation
"""


@pytest.fixture
def curator(transactional_db, django_user_model):
    cache.clear()
    return django_user_model.objects.create_superuser("curator", "curator@example.org", PASSWORD)


@pytest.fixture
def known(transactional_db):
    """Organizations the archive already knows: one printed exactly, one only close, a group in two records."""
    names = [
        "Coastal Fishers Union",
        "Delta Women's Association (Bogale)",
        "Ministry of Fisheries",
        "Active Youth (Kalay)",
        "Active Youths (Kalay)",
        "Mandalay Women Strike",
        "Monywa Women Strike",
    ]
    return {
        name: Organization.objects.create(name=name, slug=re.sub(r"[^a-z]+", "-", name.lower()).strip("-"))
        for name in names
    }


def log_in(page, live_server) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def shot(page, name: str) -> None:
    """A full-page screenshot at 1280 px."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / f"{name}-1280.png"), full_page=True)


def test_curator_reviews_corrects_and_confirms_an_import(page, live_server, curator, known):
    log_in(page, live_server)
    page.click("#content-main a[href='/admin/letters/letter/']")  # Letters, in the app list
    page.click("text=Import a letter")
    page.fill("textarea[name=text]", LETTER)
    page.click("text=Preview the import")

    page.wait_for_selector("table.lines")
    assert page.locator("table.lines tbody tr:not(.section-row)").count() == 6
    assert "keep: exact: Coastal Fishers Union" in page.inner_text("#line-0")
    assert "ambiguous" in page.inner_text("#line-1")
    shot(page, "admin-import-review")

    # With the keyboard only: line 2 takes the proposed candidate, line 6 is dropped, line 4 is withheld.
    page.focus("[aria-label='Organization for #2']")
    page.keyboard.press("ArrowDown")
    delta = known["Delta Women's Association (Bogale)"]
    assert page.input_value("[aria-label='Organization for #2']") == f"link:{delta.pk}"
    page.focus("[aria-label='Organization for #6']")
    page.keyboard.press("End")
    assert page.input_value("[aria-label='Organization for #6']") == "drop"
    page.focus("[aria-label='Withhold #4']")
    page.keyboard.press("Space")
    assert page.is_checked("[aria-label='Withhold #4']")
    shot(page, "admin-import-review-changed")
    page.get_by_role("button", name="Save letter").click()

    page.wait_for_selector(".messagelist .success")
    assert "Imported" in page.inner_text(".messagelist")
    letter = Letter.objects.get(title="Open Letter on Dam Evictions in Kalay")
    signatures = {s.position: s for s in letter.signatures.select_related("organization")}
    assert sorted(signatures) == [1, 2, 3, 4, 5]
    assert signatures[1].organization == known["Coastal Fishers Union"]
    assert signatures[2].organization == known["Delta Women's Association (Bogale)"]
    assert signatures[2].listed_as == "Delta Women's Association"
    assert signatures[4].withheld
    assert not signatures[1].withheld
    assert letter.status == Letter.Status.DRAFT
    assert Alias.objects.filter(
        organization=known["Delta Women's Association (Bogale)"], name="Delta Women's Association"
    ).exists()
    assert list(letter.addressees.all()) == [known["Ministry of Fisheries"]]
    shot(page, "admin-import-saved")
    assert page.foreign_requests == []


# A letter whose parser reads a year beside the count as the total ("Signatories (2022): 10": the year of the first
# signatures, not a date of the letter), with a region heading it takes for a name and two names printed on one line.
YEAR_NEAR_COUNT = """Joint Statement on the Kalay Dam Evictions

12 June 2023

To: Ministry of Fisheries

We call on the Ministry to stop the evictions and to return the land.

Signatories (2022): 10, of whom three chose not to disclose their names.

Signatories:
Sagaing Region
1. Coastal Fishers Union
2. Delta Women's Association
3. Active Youths Kalaymyo
4. River Keepers of Chindwin
5. Kalay Teachers Network Hill Farmers Federation
6. Monywa Women Strike
"""


def test_curator_corrects_the_totals_addressees_and_lines_of_a_misread_letter(page, live_server, curator, known):
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/letters/letter/import/")
    assert serious_violations(page) == []
    page.fill("textarea[name=text]", YEAR_NEAR_COUNT)
    page.click("text=Preview the import")

    page.wait_for_selector("table.lines")
    checks = page.inner_text(".review-checks")
    assert "the declared total 2022 is also a year of the letter" in checks
    shot(page, "admin-review-misread")
    assert serious_violations(page) == []

    page.get_by_label("Declared total", exact=True).fill("10")
    page.get_by_label("Undisclosed", exact=True).fill("3")
    page.get_by_label("Addressees", exact=True).fill("Ministry of Fisheries\nASEAN")
    assert page.get_by_label("Printed name #1", exact=True).input_value() == "Sagaing Region"
    page.get_by_label("Organization for #1", exact=True).select_option("drop")
    joined = page.get_by_label("Printed name #6", exact=True)
    assert joined.input_value() == "Kalay Teachers Network Hill Farmers Federation"
    joined.fill("Kalay Teachers Network | Hill Farmers Federation")
    page.get_by_label("Change line #6", exact=True).select_option("split")
    page.get_by_role("button", name="Apply changes").first.click()

    page.wait_for_selector("table.lines")
    assert page.get_by_label("Printed name #6", exact=True).input_value() == "Kalay Teachers Network"
    assert page.get_by_label("Printed name #7", exact=True).input_value() == "Hill Farmers Federation"
    assert page.get_by_label("Declared total", exact=True).input_value() == "10"
    assert page.locator(".review-checks").count() == 0  # 7 named + 3 undisclosed = 10: nothing left to check
    assert "keep: exact: Monywa Women Strike" in page.inner_text("table.lines")
    shot(page, "admin-review-corrected")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save letter").click()

    page.wait_for_selector(".messagelist .success")
    letter = Letter.objects.get(title="Joint Statement on the Kalay Dam Evictions")
    assert letter.declared_signatory_count == 10
    assert letter.undisclosed_signatory_count == 3
    assert sorted(letter.addressees.values_list("name", flat=True)) == ["ASEAN", "Ministry of Fisheries"]
    assert list(letter.signatures.order_by("position").values_list("listed_as", flat=True)) == [
        "Coastal Fishers Union",
        "Delta Women's Association",
        "Active Youths Kalaymyo",
        "River Keepers of Chindwin",
        "Kalay Teachers Network",
        "Hill Farmers Federation",
        "Monywa Women Strike",
    ]
    assert letter.signatures.get(listed_as="Monywa Women Strike").organization == known["Monywa Women Strike"]
    assert not Organization.objects.filter(name="Sagaing Region").exists()
    assert page.foreign_requests == []


def test_a_long_list_stays_readable(page, live_server, curator):
    """The review table of a 400-line letter, against an archive that knows the organizations of an earlier one."""
    commit_report(build_report(seed_text("interpol")))
    text = seed_text("japan")
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/letters/letter/import/")
    page.fill("textarea[name=text]", text)
    page.click("text=Preview the import")
    page.wait_for_selector("table.lines")
    page.wait_for_load_state("load")

    assert page.locator("table.lines tbody tr:not(.section-row)").count() > 400
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "admin-import-review-long-1280.png"))
    page.locator("#signatories").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "admin-import-review-long-table-1280.png"))
    # The lines to look at are linked from above the table: the first one's link scrolls to it.
    page.locator("a[href^='#line-']").first.click()
    page.screenshot(path=str(SCREENSHOTS / "admin-import-review-long-first-to-look-at-1280.png"))
    # The table fits the window: no sideways scrolling at 1280 px.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280


def test_curator_finds_duplicates_and_merges_them(page, live_server, curator, known):
    letter = build_letter(3, slug="kalay-letter", title="Kalay letter")
    for position, name in [(10, "Active Youth (Kalay)"), (11, "Active Youths (Kalay)")]:
        Signature.objects.create(letter=letter, organization=known[name], position=position, listed_as=name)
    letter.addressees.add(known["Active Youths (Kalay)"])
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/organizations/organization/")
    page.click("text=Find duplicates")

    page.wait_for_selector("#duplicates")
    table = page.inner_text("#duplicates")
    assert "Active Youth (Kalay)" in table
    assert "Monywa Women Strike" not in table
    shot(page, "admin-duplicates")

    row = page.locator("#duplicates tbody tr", has_text="Active Youths (Kalay)")
    row.get_by_role("link", name=re.compile("Merge")).click()
    page.wait_for_selector("#merge-preview")
    # The letter both signed, with the line kept, the line combined into it and its named count before and after.
    letters = page.inner_text("#merge-letters")
    assert "Kalay letter" in letters
    assert "5 → 4 named" in letters
    assert "Also printed at position 11 as “Active Youths (Kalay)”." in letters
    assert serious_violations(page) == []
    shot(page, "admin-merge-preview")
    page.click("input[type=submit][value^='Merge 1 record']")

    page.wait_for_selector(".messagelist .success")
    message = page.inner_text(".messagelist")
    log = MergeLog.objects.get()
    assert f"merge log #{log.pk}" in message
    assert "1 printed line combined with another line of the same letter" in message
    assert "(“Kalay letter” 5 → 4 named)" in message
    page.wait_for_load_state("load")  # its own script names the autocomplete boxes once they are built
    assert serious_violations(page) == []  # the survivor's change page, where the merge lands
    shot(page, "admin-merge-done")
    assert log.counts["signatures_combined"] == 1
    merged = Organization.objects.get(pk=log.merged[0]["id"])
    assert merged.merged_into_id == log.survivor_id
    assert {merged.name, log.survivor_name} == {"Active Youth (Kalay)", "Active Youths (Kalay)"}

    page.goto(live_server.url + "/admin/organizations/organization/duplicates/")
    assert "No likely duplicates" in page.inner_text("#content")
    page.goto(live_server.url + "/admin/organizations/mergelog/")
    shot(page, "admin-merge-log")
    assert page.foreign_requests == []


def test_curator_says_not_the_same(page, live_server, curator, known):
    Organization.objects.create(name="GREEN RIVER NETWORK", slug="green-river-network-2")
    green = Organization.objects.create(name="Green River Network", slug="green-river-network")
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/organizations/organization/duplicates/")

    row = page.locator("#duplicates tbody tr", has_text="GREEN RIVER NETWORK")
    row.get_by_role("button", name=re.compile("not the same")).click()

    page.wait_for_selector(".messagelist .success")
    assert "will not be proposed again" in page.inner_text(".messagelist")
    assert "GREEN RIVER NETWORK" not in page.inner_text("#content")
    assert (
        DistinctPair.objects.filter(organization_b=green).exists()
        or DistinctPair.objects.filter(organization_a=green).exists()
    )
