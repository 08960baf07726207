"""The review's checks on their own: each mistake of the parser is caught, with the line it is on."""

import datetime

import pytest

from letters.importing import CuratorChoice, apply_choices, printed_headings, report_for
from letters.parsing import ParsedLetter, ParsedSignatory
from letters.review_checks import ReviewWarning, parser_notes, review_checks
from organizations.matching import KnownName, Matcher

TEXT = """Open letter on the dam

12 June 2022

We, the undersigned 7 organizations, call for a halt. 2 organizations chose not to be named.

Signatories:
Myanmar
Coastal Fishers Union
Green River Network
Delta Women's Association
Mangrove Watch
Justice For Farmers
"""


def make_report(
    text: str = TEXT,
    names: tuple[str, ...] = (
        "Coastal Fishers Union",
        "Green River Network",
        "Delta Women's Association",
        "Mangrove Watch",
        "Justice For Farmers",
    ),
    *,
    declared: int | None = 7,
    undisclosed: int | None = 2,
    date: datetime.date | None = datetime.date(2022, 6, 12),
    section: str = "",
    warnings: tuple[str, ...] = (),
    known: tuple[str, ...] = (),
):
    """A report on `text` whose parser read these names and figures (the checks must not depend on the parser)."""
    lines = text.split("\n")
    signatories = [
        ParsedSignatory(k + 1, name, None, lines.index(name) + 1, "organization", section=section)
        for k, name in enumerate(names)
    ]
    parsed = ParsedLetter(
        title="Open letter on the dam",
        date=date,
        addressees=[],
        subject="",
        body="",
        kind="open_letter",
        declared_total=declared,
        undisclosed=undisclosed,
        signatories=signatories,
        warnings=list(warnings),
    )
    matcher = Matcher([KnownName(k + 1, name, name, True) for k, name in enumerate(known)])
    return report_for(parsed, text, printed_headings(parsed, text), matcher)


def messages(report) -> list[str]:
    return [str(warning) for warning in review_checks(report)]


def test_a_faithful_report_has_no_warning(db):
    assert review_checks(make_report()) == []


def test_totals_that_do_not_add_up_are_told_on_the_line_that_states_the_total(db):
    report = make_report(TEXT.replace("undersigned 7", "undersigned 9"), declared=9)

    assert messages(report) == ["Line 5: the letter states 9 signatories, but 5 named + 2 undisclosed = 7 (2 fewer)."]


def test_a_total_that_is_a_year_printed_in_the_letter_is_caught(db):
    text = TEXT.replace("undersigned 7 organizations", "undersigned organizations (report of 2019)")

    warnings = review_checks(make_report(text, declared=2019, undisclosed=None))

    assert (
        ReviewWarning(
            5, "the declared total 2019 is also a year of the letter: check it is not a date read as a count."
        )
        in warnings
    )


def test_a_total_that_is_the_year_of_the_letters_date_is_caught_even_when_not_printed(db):
    text = TEXT.replace("12 June 2022", "")

    warnings = messages(make_report(text, declared=2022, undisclosed=None))

    assert "the declared total 2022 is also a year of the letter" in " ".join(warnings)


def test_undisclosed_larger_than_the_total_is_caught(db):
    text = TEXT.replace("2 organizations chose", "12 organizations chose")

    warnings = messages(make_report(text, declared=7, undisclosed=12))

    assert "Line 5: 12 undisclosed is more than the stated total of 7." in warnings


def test_lines_the_parser_skipped_are_listed_with_their_line(db):
    report = make_report(warnings=("Line 14: 'https://example.org' is a link or address, not a signatory; skipped.",))

    assert messages(report) == ["Line 14: 'https://example.org' is a link or address, not a signatory; skipped."]


def test_other_parser_warnings_are_notes_not_checks(db):
    joined = "Lines 9-10: a name broken across lines joined as 'Coastal Fishers Union'."
    report = make_report(warnings=(joined,))

    assert review_checks(report) == []
    assert parser_notes(report) == [joined]


def test_a_heading_the_matcher_knows_as_an_organization_is_caught_on_its_line(db):
    text = TEXT.replace("Myanmar", "Green River Network")
    names = ("Coastal Fishers Union", "Delta Women's Association", "Mangrove Watch", "Justice For Farmers")

    report = make_report(
        text,
        names,
        declared=6,
        undisclosed=2,
        section="Green River Network",
        known=names[:1] + ("Green River Network",),
    )

    assert messages(report) == [
        "Line 8: the heading 'Green River Network' is the name of Green River Network: is it a signatory rather "
        "than a heading?"
    ]


def test_a_heading_the_matcher_does_not_know_is_no_warning(db):
    names = (
        "Coastal Fishers Union",
        "Green River Network",
        "Delta Women's Association",
        "Mangrove Watch",
        "Justice For Farmers",
    )

    assert review_checks(make_report(names=names, section="Myanmar", known=names)) == []


def test_a_repeat_the_import_drops_is_told_and_one_kept_is_a_duplicate(db):
    text = TEXT.replace("Green River Network", "Green River Network – GRN").replace(
        "Justice For Farmers", "Justice For Farmers\nGreen River Network (GRN)"
    )
    names = (
        "Coastal Fishers Union",
        "Green River Network – GRN",
        "Delta Women's Association",
        "Mangrove Watch",
        "Justice For Farmers",
        "Green River Network (GRN)",
    )
    report = make_report(text, names)

    assert messages(report) == ["Line 14: 'Green River Network (GRN)' repeats #2: dropped, unless you keep it."]
    apply_choices(report, {6: CuratorChoice(CuratorChoice.NEW)})
    assert "Line 14: 'Green River Network (GRN)' is printed twice (also #2)." in messages(report)


def test_two_lines_linked_to_one_organization_are_a_duplicate(db):
    report = make_report(known=("Mangrove Watch",))
    apply_choices(report, {5: CuratorChoice(CuratorChoice.LINK, organization_id=1)})

    assert messages(report) == [
        "Line 13: 'Justice For Farmers' and #4 'Mangrove Watch' are linked to one organization: a letter has one "
        "signature per organization."
    ]


@pytest.mark.parametrize(("declared", "undisclosed", "short"), [(20, 2, True), (12, 2, False), (13, 2, True)])
def test_a_list_much_shorter_than_the_stated_total_is_caught(db, declared, undisclosed, short):
    warnings = messages(make_report(declared=declared, undisclosed=undisclosed))

    assert any("was the list cut short" in w for w in warnings) is short
