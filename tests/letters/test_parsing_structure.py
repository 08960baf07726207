"""The parser's rules for how a signatory list is laid out, headed, divided and ended, and for addressees, demands and
stated totals: one small letter per rule, written for these tests (invented organisations, our own wording).

Every expected value here was written by reading the fixture, never by running the parser.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letters.parsing import ParsedLetter, parse_letter
from tests.letters.test_parsing import assert_well_formed, collapse

# Lines 1-6 of every letter built by `letter_with`; its heading is line 7, a blank line 8, the list starts at line 9.
INTRO = (
    "Open letter on the coastal wetlands\n\n4 March 2024\n\nWe ask the regional council to protect the wetlands.\n\n"
)
FIRST_LIST_LINE = 9


def letter_with(signatories: str, heading: str = "Signatories:") -> str:
    return f"{INTRO}{heading}\n\n{signatories}"


def names(letter: ParsedLetter) -> list[str]:
    return [s.listed_as for s in letter.signatories]


def line_of(text: str, fragment: str) -> int:
    """The 1-based number of the line of `text` that holds `fragment` (once)."""
    found = [n for n, line in enumerate(text.split("\n"), start=1) if fragment in line]
    assert len(found) == 1, (fragment, found)
    return found[0]


# --------------------------------------------------------------------------------------------------------------
# Text laid out in columns (pdftotext -layout): read column by column
# --------------------------------------------------------------------------------------------------------------

TWO_COLUMNS = """\
Riverkeepers of Valoria          Green Hollow Trust
Delta Fishers Union              Mountain Water Collective
Friends of the                   Clean Banks Initiative
Lower Marshes                    Estuary Watch and
Silt and Stone Network           Heron Coast Alliance
"""


def test_two_columns_are_read_column_by_column_and_a_wrapped_name_joins():
    # No assert_well_formed here: a name wrapped inside a column is joined from two rows, so it is not one run of the
    # given text (the property test at the end says what holds instead).
    letter = parse_letter(letter_with(TWO_COLUMNS))

    assert names(letter) == [
        "Riverkeepers of Valoria",
        "Delta Fishers Union",
        "Friends of the Lower Marshes",
        "Silt and Stone Network",
        "Green Hollow Trust",
        "Mountain Water Collective",
        "Clean Banks Initiative",
        "Estuary Watch and Heron Coast Alliance",
    ]


def test_line_numbers_in_columns_refer_to_the_text_as_given():
    text = letter_with(TWO_COLUMNS)
    letter = parse_letter(text)

    lines = {s.listed_as: s.line for s in letter.signatories}
    assert lines["Green Hollow Trust"] == line_of(text, "Green Hollow Trust") == FIRST_LIST_LINE
    assert lines["Clean Banks Initiative"] == line_of(text, "Clean Banks Initiative")
    assert lines["Silt and Stone Network"] == line_of(text, "Silt and Stone Network")
    # The second column's wrapped name spans the given lines 12-13 (in reading order it comes after the first column).
    first, second = line_of(text, "Estuary Watch and"), line_of(text, "Heron Coast Alliance")
    assert (first, second) == (12, 13)
    assert lines["Estuary Watch and Heron Coast Alliance"] == first
    assert (
        f"Lines {first}-{second}: a name broken across lines joined as 'Estuary Watch and Heron Coast Alliance'."
        in letter.warnings
    )


def test_a_warning_about_a_line_in_columns_names_the_line_as_given():
    listed = (
        "Riverkeepers of Valoria          Green Hollow Trust\n"
        "Delta Fishers Union              www.greenhollow.example\n"
        "Silt and Stone Network           Heron Coast Alliance\n"
    )
    text = letter_with(listed)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [
        "Riverkeepers of Valoria",
        "Delta Fishers Union",
        "Silt and Stone Network",
        "Green Hollow Trust",
        "Heron Coast Alliance",
    ]
    assert line_of(text, "www.greenhollow.example") == 10
    assert "Line 10: 'www.greenhollow.example' is a link or address, not a signatory; skipped." in letter.warnings


THREE_COLUMNS = """\
Harbour Lights Trust        Kelp Forest Alliance       Quay Street Residents
Dune Grass Network          Lagoon Kayak Club          Reedbed Restoration Group
Estuary Watch               Mudflat Walkers            Saltmarsh Friends
Ferry Lane Allotments       Northbay Sailing Club      Tidepool Education Centre
"""
THREE_COLUMNS_READ = [
    "Harbour Lights Trust",
    "Dune Grass Network",
    "Estuary Watch",
    "Ferry Lane Allotments",
    "Kelp Forest Alliance",
    "Lagoon Kayak Club",
    "Mudflat Walkers",
    "Northbay Sailing Club",
    "Quay Street Residents",
    "Reedbed Restoration Group",
    "Saltmarsh Friends",
    "Tidepool Education Centre",
]


def test_three_columns_are_read_column_by_column():
    text = letter_with(THREE_COLUMNS)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == THREE_COLUMNS_READ
    assert [s.line for s in letter.signatories] == [9, 10, 11, 12] * 3


def test_columns_leave_the_short_lines_above_the_list_alone():
    # "Signed by:" names no kind of signatory, so it does not end a region as "Signatories:" does.
    text = letter_with(THREE_COLUMNS, heading="Signed by:")
    letter = parse_letter(text)

    assert letter.title == "Open letter on the coastal wetlands"
    assert letter.body == "We ask the regional council to protect the wetlands."
    assert names(letter) == THREE_COLUMNS_READ


FOUR_COLUMNS = """\
Alder Trust         Birch Forum         Cedar Union         Dogwood Circle
Elm Collective      Fir Network         Gorse Alliance      Hazel Society
Ivy Commons         Juniper League      Kauri Fund          Larch Guild
"""


def test_four_columns_are_read_column_by_column():
    text = letter_with(FOUR_COLUMNS)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [
        "Alder Trust",
        "Elm Collective",
        "Ivy Commons",
        "Birch Forum",
        "Fir Network",
        "Juniper League",
        "Cedar Union",
        "Gorse Alliance",
        "Kauri Fund",
        "Dogwood Circle",
        "Hazel Society",
        "Larch Guild",
    ]


NUMBER_COLUMNS = """\
1    34 Lanterns Collective         5    Marram Works
2    Birchwood Forum                6    Quiet Harbour Society
3    Copper Valley Guild            7    7 Rivers Theatre
4    Dune Grass Network             8    Ember Street Club
"""


def test_a_number_column_beside_names_gives_numbered_entries_and_names_keep_their_digits():
    text = letter_with(NUMBER_COLUMNS)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [
        "34 Lanterns Collective",
        "Birchwood Forum",
        "Copper Valley Guild",
        "Dune Grass Network",
        "Marram Works",
        "Quiet Harbour Society",
        "7 Rivers Theatre",
        "Ember Street Club",
    ]


# Row 3: a long name pulls the next column's number left of where the column starts, one space after the name.
PULLED_NUMBER = """\
1    Harbour Lights Trust            5    Kelp Forest Alliance
2    Dune Grass Network              6    Lagoon Kayak Club
3    Estuary Watch Wader Count 7          Mudflat Walkers
4    Ferry Lane Allotments           8    Northbay Sailing Club
"""
# Row 3: a name that overfills its column pushes the next column's number right, one space before its name.
PUSHED_NUMBER = """\
1    Harbour Lights Trust            5    Kelp Forest Alliance
2    Dune Grass Network              6    Lagoon Kayak Club
3    Estuary Watch Wader Counting Group 7 Mudflat Walkers
4    Ferry Lane Allotments           8    Northbay Sailing Club
"""


@pytest.mark.parametrize(
    "layout, long_name",
    [(PULLED_NUMBER, "Estuary Watch Wader Count"), (PUSHED_NUMBER, "Estuary Watch Wader Counting Group")],
    ids=["pulled-left", "pushed-right"],
)
def test_a_number_moved_by_a_long_name_still_starts_the_next_columns_entry(layout, long_name):
    text = letter_with(layout)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [
        "Harbour Lights Trust",
        "Dune Grass Network",
        long_name,
        "Ferry Lane Allotments",
        "Kelp Forest Alliance",
        "Lagoon Kayak Club",
        "Mudflat Walkers",
        "Northbay Sailing Club",
    ]
    assert letter.signatories[6].line == line_of(text, "Mudflat Walkers")


# The names start at two positions (3-4 and 7-8): a number beside its name is one entry, not two columns.
UNEVEN_NUMBERED_LIST = """\
1      Harbour Lights Trust
2  Dune Grass Network
3       Estuary Watch
4  Ferry Lane Allotments
5      Kelp Forest Alliance
6   Lagoon Kayak Club
"""


def test_a_numbered_single_column_list_with_uneven_gaps_is_not_rearranged():
    text = letter_with(UNEVEN_NUMBERED_LIST)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [
        "Harbour Lights Trust",
        "Dune Grass Network",
        "Estuary Watch",
        "Ferry Lane Allotments",
        "Kelp Forest Alliance",
        "Lagoon Kayak Club",
    ]
    assert [s.line for s in letter.signatories] == list(range(FIRST_LIST_LINE, FIRST_LIST_LINE + 6))


COLUMNS_UNDER_TWO_HEADINGS = """\
Organisations

Harbour Lights Trust        Kelp Forest Alliance
Dune Grass Network          Lagoon Kayak Club
Estuary Watch               Mudflat Walkers

Individuals

Marta Quintal               Priya Anand
Jonas Weir                  Tomas Lindqvist
Ada Moreno                  Ines Okafor
"""


def test_a_heading_alone_on_its_line_divides_two_regions_of_columns():
    text = letter_with(COLUMNS_UNDER_TWO_HEADINGS)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.section) for s in letter.signatories] == [
        ("Harbour Lights Trust", "Organisations"),
        ("Dune Grass Network", "Organisations"),
        ("Estuary Watch", "Organisations"),
        ("Kelp Forest Alliance", "Organisations"),
        ("Lagoon Kayak Club", "Organisations"),
        ("Mudflat Walkers", "Organisations"),
        ("Marta Quintal", "Individuals"),
        ("Jonas Weir", "Individuals"),
        ("Ada Moreno", "Individuals"),
        ("Priya Anand", "Individuals"),
        ("Tomas Lindqvist", "Individuals"),
        ("Ines Okafor", "Individuals"),
    ]


# --------------------------------------------------------------------------------------------------------------
# Printed numbers: markers, or part of the name
# --------------------------------------------------------------------------------------------------------------


def test_a_bare_number_is_a_marker_only_where_the_numbers_run_on():
    listed = "1 Alder Grove Group\n2 Birch Forum\n3 Cedar Union\n34 Lanterns\n8888 Horizon\n7 Rivers\n"
    text = letter_with(listed)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [
        "Alder Grove Group",
        "Birch Forum",
        "Cedar Union",
        "34 Lanterns",
        "8888 Horizon",
        "7 Rivers",
    ]


def test_names_that_start_with_a_number_keep_their_digits_in_an_unnumbered_list():
    text = letter_with("34 Lanterns\n8888 Horizon\n7 Rivers\nMarram Works\n")
    letter = parse_letter(text)

    assert names(letter) == ["34 Lanterns", "8888 Horizon", "7 Rivers", "Marram Works"]


@pytest.mark.parametrize(
    "listed",
    ["1- Alder Grove Group\n2- Birch Forum\n3- 7 Rivers\n", "(1) Alder Grove Group\n(2) Birch Forum\n(3) 7 Rivers\n"],
    ids=["number-dash", "bracketed"],
)
def test_a_number_with_a_dash_or_in_brackets_is_a_marker(listed):
    letter = parse_letter(letter_with(listed))

    assert names(letter) == ["Alder Grove Group", "Birch Forum", "7 Rivers"]


@pytest.mark.parametrize(
    "listed",
    ["1. Alder Grove Group\n2. 11.11.11\n3. Cedar Union\n", "Alder Grove Group\n11.11.11\nCedar Union\n"],
    ids=["numbered", "unnumbered"],
)
def test_a_name_made_of_dotted_numbers_is_kept(listed):
    letter = parse_letter(letter_with(listed))

    assert names(letter) == ["Alder Grove Group", "11.11.11", "Cedar Union"]


# --------------------------------------------------------------------------------------------------------------
# Sections: headings inside the list label the names under them and are never signatories
# --------------------------------------------------------------------------------------------------------------


def test_kind_headings_in_capitals_and_in_title_case_become_sections():
    listed = "COMPANIES AND ORGANIZATIONS\nAlder Grove Group\nBirch Forum\n\nIndividuals\nMarta Quintal\nJonas Weir\n"
    text = letter_with(listed)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.section, s.kind_hint) for s in letter.signatories] == [
        ("Alder Grove Group", "COMPANIES AND ORGANIZATIONS", "organization"),
        ("Birch Forum", "COMPANIES AND ORGANIZATIONS", "organization"),
        ("Marta Quintal", "Individuals", "individual"),
        ("Jonas Weir", "Individuals", "individual"),
    ]


def test_a_spanish_kind_heading_with_commas_becomes_a_section():
    listed = "Colectivo Río Claro\nRed Bosque Alto\n\nASAMBLEAS, ONGs Y OTRAS INSTITUCIONES\nAsamblea Valle Seco\nFundación Piedra Azul\n"
    letter = parse_letter(letter_with(listed, heading="Firman:"))

    assert [(s.listed_as, s.section) for s in letter.signatories] == [
        ("Colectivo Río Claro", ""),
        ("Red Bosque Alto", ""),
        ("Asamblea Valle Seco", "ASAMBLEAS, ONGs Y OTRAS INSTITUCIONES"),
        ("Fundación Piedra Azul", "ASAMBLEAS, ONGs Y OTRAS INSTITUCIONES"),
    ]


@pytest.mark.parametrize(
    "rule",
    [
        "===",
        "---",
    ],
)
def test_a_heading_set_off_by_rules_becomes_a_section(rule):
    listed = (
        f"{rule} ENTIDADES {rule}\n\nColetivo Serra Verde\nInstituto Águas Claras\n\n"
        f"{rule} PESSOAS {rule}\n\nMarta Quintal\nJonas Weir\n"
    )
    letter = parse_letter(letter_with(listed, heading="Abaixo assinamos:"))

    assert [(s.listed_as, s.section) for s in letter.signatories] == [
        ("Coletivo Serra Verde", "ENTIDADES"),
        ("Instituto Águas Claras", "ENTIDADES"),
        ("Marta Quintal", "PESSOAS"),
        ("Jonas Weir", "PESSOAS"),
    ]


def test_country_headings_become_sections():
    listed = "BRAZIL\nInstituto Mata Viva\nRede Cerrado Aberto\n\nKenya\nTana Delta Trust\nNairobi Green Circle\n"
    text = letter_with(listed)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.section, s.line) for s in letter.signatories] == [
        ("Instituto Mata Viva", "BRAZIL", 10),
        ("Rede Cerrado Aberto", "BRAZIL", 11),
        ("Tana Delta Trust", "Kenya", 14),
        ("Nairobi Green Circle", "Kenya", 15),
    ]


def test_a_short_line_ending_with_a_colon_above_a_blank_line_is_a_section():
    listed = "Coletivo Serra Verde\nInstituto Águas Claras\n\nApoiadores:\n\nRede Mangue Vivo\nAssociação Pé na Terra\n"
    letter = parse_letter(letter_with(listed, heading="Assinam:"))

    assert [(s.listed_as, s.section) for s in letter.signatories] == [
        ("Coletivo Serra Verde", ""),
        ("Instituto Águas Claras", ""),
        ("Rede Mangue Vivo", "Apoiadores:"),
        ("Associação Pé na Terra", "Apoiadores:"),
    ]


# One paragraph an entry: "Coastal Frontiers" / "Australia" is one name, and "Australia" heads nothing.
PARAGRAPH_LIST = """\
Harbour Lights Trust

Northern Wetland Bird
Watchers Society

Dune Grass Network

Coastal Frontiers
Australia

Tidepool Education Centre

Riverside Allotment Society

Kelp Forest Alliance
"""


def test_a_list_of_paragraphs_joins_each_paragraphs_lines_and_a_place_word_ends_a_name():
    text = letter_with(PARAGRAPH_LIST)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.section, s.line) for s in letter.signatories] == [
        ("Harbour Lights Trust", "", 9),
        ("Northern Wetland Bird Watchers Society", "", 11),
        ("Dune Grass Network", "", 14),
        ("Coastal Frontiers Australia", "", 16),
        ("Tidepool Education Centre", "", 19),
        ("Riverside Allotment Society", "", 21),
        ("Kelp Forest Alliance", "", 23),
    ]


def test_a_place_word_under_a_name_in_a_plain_list_ends_that_name():
    text = letter_with("Alder Grove Group\nCoastal Frontiers\nAustralia\n\nBirch Forum\nCedar Union\n")
    letter = parse_letter(text)

    assert [(s.listed_as, s.section) for s in letter.signatories] == [
        ("Alder Grove Group", ""),
        ("Coastal Frontiers Australia", ""),
        ("Birch Forum", ""),
        ("Cedar Union", ""),
    ]


# --------------------------------------------------------------------------------------------------------------
# Signatory headings in several languages, and the lead signatory named in the heading
# --------------------------------------------------------------------------------------------------------------

SHORT_LIST = "Colectivo Río Claro\nRed Bosque Alto\nFundación Piedra Azul\n"


@pytest.mark.parametrize(
    "heading",
    [
        "Firman:",
        "Suscriben:",
        "Assinam:",
        "Abaixo assinamos:",
        "Unterzeichnende:",
        "Signataires :",
        "Selected Signatories:",
        "The directors of the following 3 companies.",
    ],
)
def test_a_signatory_heading_in_several_languages_starts_a_short_list(heading):
    # Three names are too few to be taken as a list without a heading: only the heading finds them.
    text = letter_with(SHORT_LIST, heading=heading)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == ["Colectivo Río Claro", "Red Bosque Alto", "Fundación Piedra Azul"]
    assert [s.line for s in letter.signatories] == [9, 10, 11]
    assert not any("no signatory heading" in w for w in letter.warnings)


@pytest.mark.parametrize(
    "heading, lead",
    [
        ("Rede Mangue Vivo e as entidades abaixo-assinadas:", "Rede Mangue Vivo"),
        ("Harbour Lights Trust and the undersigned organisations:", "Harbour Lights Trust"),
    ],
    ids=["portuguese", "english"],
)
def test_the_signatory_named_in_the_line_introducing_the_others_is_the_first_entry(heading, lead):
    text = letter_with(SHORT_LIST, heading=heading)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [lead, "Colectivo Río Claro", "Red Bosque Alto", "Fundación Piedra Azul"]
    assert letter.signatories[0].line == 7


# --------------------------------------------------------------------------------------------------------------
# Tables, affiliations, paragraphs and lines that run on
# --------------------------------------------------------------------------------------------------------------

MARKDOWN_TABLES = """\
| Organisation Name |
| --- |
| Harbour Lights Trust |
| Dune Grass Network |

| Individual Name | Affiliation |
| --- | --- |
| Marta Quintal | Coastal Research Institute |
| Jonas Weir | Independent ecologist |
"""


def test_markdown_tables_give_their_header_as_section_and_their_other_cells_as_note():
    text = letter_with(MARKDOWN_TABLES)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.section, s.note, s.kind_hint, s.line) for s in letter.signatories] == [
        ("Harbour Lights Trust", "Organisation Name", "", "organization", 11),
        ("Dune Grass Network", "Organisation Name", "", "organization", 12),
        ("Marta Quintal", "Individual Name", "Coastal Research Institute", "individual", 16),
        ("Jonas Weir", "Individual Name", "Independent ecologist", "individual", 17),
    ]


NAME_AND_AFFILIATION_TABLE = """\
| Name | Affiliation |
| --- | --- |
| Marta Quintal | Coastal Research Institute |
| Jonas Weir | Independent ecologist |
"""


def test_a_markdown_table_of_names_and_affiliations_keeps_the_affiliation_as_note():
    text = letter_with(NAME_AND_AFFILIATION_TABLE)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.section, s.note) for s in letter.signatories] == [
        ("Marta Quintal", "", "Coastal Research Institute"),
        ("Jonas Weir", "", "Independent ecologist"),
    ]


def test_a_second_tables_header_ends_the_first_tables_section():
    text = letter_with("| Organisation Name |\n| --- |\n| Harbour Lights Trust |\n\n" + NAME_AND_AFFILIATION_TABLE)
    letter = parse_letter(text)

    assert [(s.listed_as, s.section, s.note) for s in letter.signatories] == [
        ("Harbour Lights Trust", "Organisation Name", ""),
        ("Marta Quintal", "", "Coastal Research Institute"),
        ("Jonas Weir", "", "Independent ecologist"),
    ]


PEOPLE_WITH_AFFILIATIONS = """\
Organisations

Harbour Lights Trust
Dune Grass Network

Individuals

Dr. Marta Quintal
Senior Lecturer, School of Marine Science
University of Northbay
Jonas Weir
Coastal Research Institute
Priya Anand
Independent ecologist
"""


def test_affiliation_lines_under_a_person_in_an_individuals_section_become_the_note():
    text = letter_with(PEOPLE_WITH_AFFILIATIONS)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.section, s.note, s.kind_hint) for s in letter.signatories] == [
        ("Harbour Lights Trust", "Organisations", "", "organization"),
        ("Dune Grass Network", "Organisations", "", "organization"),
        (
            "Dr. Marta Quintal",
            "Individuals",
            "Senior Lecturer, School of Marine Science University of Northbay",
            "individual",
        ),
        ("Jonas Weir", "Individuals", "Coastal Research Institute", "individual"),
        ("Priya Anand", "Individuals", "Independent ecologist", "individual"),
    ]


PERIOD_LIST = """\
Harbour Lights Trust.
Dune Grass Network.
Riverside Allotment
Society.
Tidepool Education Centre.
Kelp Forest Alliance,
Northbay Chapter.
Saltmarsh Friends.
Quay Street Residents.
"""


def test_in_a_list_whose_entries_end_with_a_period_a_line_without_one_runs_on():
    text = letter_with(PERIOD_LIST)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.line) for s in letter.signatories] == [
        ("Harbour Lights Trust.", 9),
        ("Dune Grass Network.", 10),
        ("Riverside Allotment Society.", 11),
        ("Tidepool Education Centre.", 13),
        ("Kelp Forest Alliance, Northbay Chapter.", 14),
        ("Saltmarsh Friends.", 16),
        ("Quay Street Residents.", 17),
    ]


def test_a_slash_separated_paragraph_is_split_into_names():
    listed = (
        "Harbour Lights Trust / Dune Grass Network / Tidepool Education Centre / Riverside\n"
        "Allotment Society / Kelp Forest Alliance / / Saltmarsh Friends / Myanmar/Burma Solidarity Circle /\n"
        "Northbay Sailing Club\n"
    )
    text = letter_with(listed)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert [(s.listed_as, s.line) for s in letter.signatories] == [
        ("Harbour Lights Trust", 9),
        ("Dune Grass Network", 9),
        ("Tidepool Education Centre", 9),
        ("Riverside Allotment Society", 9),
        ("Kelp Forest Alliance", 10),
        ("Saltmarsh Friends", 10),
        ("Myanmar/Burma Solidarity Circle", 10),
        ("Northbay Sailing Club", 11),
    ]


def test_a_semicolon_separated_paragraph_is_split_into_names():
    listed = (
        "Harbour Lights Trust; Dune Grass Network; Tidepool Education Centre; Riverside\n"
        "Allotment Society; Kelp Forest Alliance; Saltmarsh Friends;\n"
        "Northbay Sailing Club\n"
    )
    text = letter_with(listed)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [
        "Harbour Lights Trust",
        "Dune Grass Network",
        "Tidepool Education Centre",
        "Riverside Allotment Society",
        "Kelp Forest Alliance",
        "Saltmarsh Friends",
        "Northbay Sailing Club",
    ]


# --------------------------------------------------------------------------------------------------------------
# Lines inside a list that are not signatories, and where a list ends
# --------------------------------------------------------------------------------------------------------------

# A page's footnote (and the line that continues it) printed mid-list; the list goes on on the next page ("\f").
LIST_WITH_FOOTNOTES = """\
Harbour Lights Trust
Dune Grass Network
Saltmarsh Friends
[1] Regional Council decision 12/2023 on the northern marshes.
See the annex of the decision for the maps.

Tidepool Education Centre
¹ The council's own survey of 2021.
\fRiverside Allotment Society
"""


def test_a_footnote_inside_the_list_is_skipped_with_a_warning_and_the_list_goes_on():
    text = letter_with(LIST_WITH_FOOTNOTES)
    letter = parse_letter(text)

    assert_well_formed(letter, text)
    assert names(letter) == [
        "Harbour Lights Trust",
        "Dune Grass Network",
        "Saltmarsh Friends",
        "Tidepool Education Centre",
        "Riverside Allotment Society",
    ]
    assert letter.signatories[-1].line == line_of(text, "Riverside Allotment Society")
    for fragment in ("[1] Regional Council", "See the annex", "¹ The council"):
        line = line_of(text, fragment)
        assert any(w.startswith(f"Line {line}: ") and "footnote" in w for w in letter.warnings), fragment


def test_a_footnote_carried_over_from_the_page_before_is_skipped_from_its_link_to_the_page_break():
    listed = (
        "Harbour Lights Trust\nDune Grass Network\n\n"
        "https://example.org/reports/2023/the-northern-marshes-survey-of-the-regional-council-and-its-annexes.pdf; Ada\n"
        "Brine, \u201cDredging and the Bay in the Years of the Survey\u201d, Coastal Review\n"
        "Piet Kelp, \u201cSalt and Silt on the Estuary Shore\u201d, Estuary Notes\n"
        "\fTidepool Education Centre\nRiverside Allotment Society\n"
    )
    letter = parse_letter(letter_with(listed))

    assert names(letter) == [
        "Harbour Lights Trust",
        "Dune Grass Network",
        "Tidepool Education Centre",
        "Riverside Allotment Society",
    ]


def test_a_website_printed_under_each_name_is_skipped_and_the_names_below_it_are_kept():
    listed = "Harbour Lights Trust\nhttps://harbourlights.example\nDune Grass Network\nwww.dunegrass.example\nSaltmarsh Friends\n"
    letter = parse_letter(letter_with(listed))

    assert names(letter) == ["Harbour Lights Trust", "Dune Grass Network", "Saltmarsh Friends"]


def test_an_identification_disclaimer_and_a_date_line_inside_the_list_are_skipped():
    listed = (
        "Harbour Lights Trust\nDune Grass Network\nSaltmarsh Friends\nAffiliations for identity purposes only\n"
        "Tidepool Education Centre\n5 March 2024\nRiverside Allotment Society\n"
    )
    text = letter_with(listed)
    letter = parse_letter(text)

    assert names(letter) == [
        "Harbour Lights Trust",
        "Dune Grass Network",
        "Saltmarsh Friends",
        "Tidepool Education Centre",
        "Riverside Allotment Society",
    ]
    disclaimer, date = line_of(text, "Affiliations for"), line_of(text, "5 March 2024")
    assert any(w.startswith(f"Line {disclaimer}: ") for w in letter.warnings)
    assert f"Line {date}: '5 March 2024' is a page header, not a signatory; skipped." in letter.warnings


@pytest.mark.parametrize(
    "ending",
    [
        "\nAttachment\n\nOur letter to the council of May 2022\n",
        "--\nMarta Quintal\nCampaign coordinator\n",
        "\nContactos para mayor información:\nLucía Ferrer\nTomás Vidal\n",
    ],
    ids=["attachment", "signature-dashes", "contactos"],
)
def test_the_list_ends_where_an_attachment_a_signature_or_contacts_begin(ending):
    text = letter_with(f"Harbour Lights Trust\nDune Grass Network\nTidepool Education Centre\n{ending}")
    letter = parse_letter(text)

    assert names(letter) == ["Harbour Lights Trust", "Dune Grass Network", "Tidepool Education Centre"]


NUMBERED_LIST_AND_ATTESTATION = """\
1. Harbour Lights Trust
2. Dune Grass Network
3. Tidepool Education Centre

I confirm that each organisation above agreed to sign this letter on its own behalf.
Marta Quintal
Harbour Lights Trust
12 Quay Street, Northbay
"""


def test_a_numbered_list_ends_at_the_sentence_after_it_with_a_warning_naming_the_lines_left():
    text = letter_with(NUMBERED_LIST_AND_ATTESTATION)
    letter = parse_letter(text)

    assert names(letter) == ["Harbour Lights Trust", "Dune Grass Network", "Tidepool Education Centre"]
    attestation = line_of(text, "I confirm")
    assert (
        f"Line {attestation}: prose after the numbered list; the list ends here and the 4 lines from here on are not "
        "read as signatories."
    ) in letter.warnings


def test_a_name_with_copy_or_to_and_a_dash_is_a_signatory_not_a_cc_or_to_line():
    # No heading: the list is the last run of names at the end, which a "Cc:" or "To:" line would break.
    text = (
        f"{INTRO}Copy-Paste Collective\nHarbour Lights Trust\nDune Grass Network\nSaltmarsh Friends\n"
        "Tidepool Education Centre\nTo-Gether Youth Network\n"
    )
    letter = parse_letter(text)

    assert names(letter) == [
        "Copy-Paste Collective",
        "Harbour Lights Trust",
        "Dune Grass Network",
        "Saltmarsh Friends",
        "Tidepool Education Centre",
        "To-Gether Youth Network",
    ]
    assert letter.signatories[0].line == line_of(text, "Copy-Paste")


# --------------------------------------------------------------------------------------------------------------
# Addressees when no "To:" line names them
# --------------------------------------------------------------------------------------------------------------

BODY_AND_LIST = (
    "We write about the dredging plans for the bay.\n\nSignatories:\nHarbour Lights Trust\nDune Grass Network\n"
)


def test_the_addressee_is_read_from_an_open_letter_to_title():
    letter = parse_letter(f"Open Letter to the Northbay Harbour Council\n\n4 March 2024\n\n{BODY_AND_LIST}")

    assert letter.addressees == ["Northbay Harbour Council"]


def test_the_addressee_in_a_title_stops_before_the_topic():
    letter = parse_letter(f"Open Letter to the Northbay Harbour Council on dredging\n\n4 March 2024\n\n{BODY_AND_LIST}")

    assert letter.addressees == ["Northbay Harbour Council"]


@pytest.mark.parametrize(
    "salutation, addressee",
    [
        ("Dear Members of the Harbour Board,", "Members of the Harbour Board"),
        ("Your Excellency Ambassador,", "Your Excellency Ambassador"),
    ],
    ids=["dear", "your-excellency"],
)
def test_the_addressee_is_read_from_the_salutation(salutation, addressee):
    letter = parse_letter(f"Dredging in the bay\n\n4 March 2024\n\n{salutation}\n\n{BODY_AND_LIST}")

    assert letter.addressees == [addressee]


def test_two_bodies_the_letter_calls_on_are_two_addressees():
    text = (
        "Dredging in the bay\n\n4 March 2024\n\nWe write about the dredging plans. We call on the Northbay Harbour "
        "Council and the Government of Estlandia to halt the works.\n\nSignatories:\nHarbour Lights Trust\n"
        "Dune Grass Network\n"
    )
    letter = parse_letter(text)

    assert letter.addressees == ["Northbay Harbour Council", "Government of Estlandia"]


def test_to_alone_on_its_line_takes_the_addressee_from_the_lines_below():
    text = f"Dredging in the bay\n\n4 March 2024\n\nTo\nThe Northbay Harbour Council\nQuay Road 1\n\n{BODY_AND_LIST}"
    letter = parse_letter(text)

    assert letter.addressees == ["Northbay Harbour Council"]


def test_a_head_set_in_two_columns_gives_the_bodies_of_its_addressees_and_leaves_out_the_copies():
    text = (
        "                                                               4 March 2024\n\n"
        "Councillor the Hon. Ada Brine                     Hon. Piet Kelp MP\n"
        "Chair of the Harbour Board                        Speaker of the Estlandia Assembly\n"
        "PO Box 12                                         PO Box 40\n"
        "Northbay 4410                                     Northbay 4400\n\n"
        "cc: Hon. Rui Sand                                 cc: Hon. Mia Reed\n"
        "Minister for Coasts                               Shadow Minister for Coasts\n"
        "PO Box 7                                          PO Box 8\n\n"
        "To Whom It May Concern:\n\n"
        f"{BODY_AND_LIST}"
    )
    letter = parse_letter(text)

    assert letter.addressees == ["Harbour Board", "Estlandia Assembly"]


def test_a_letter_quoted_in_a_story_gives_the_addressees_of_its_to_block_not_its_copies():
    text = (
        "Dredging in the bay\n\nWe joined other groups in a letter to the minister; it is reproduced in full below, "
        "and the original can be found on the coalition's site.\n\n"
        "> To,\n>\n> Hon. Ada Brine,\n>\n> Minister of Coastal Affairs,\n>\n> Government of Estlandia.\n>\n"
        "> Cc:\n>\n> Hon. Rui Sand, Secretary, Northbay Port Authority\n>\n"
        "> Subject: The dredging of the bay\n>\n> Dear Madam,\n>\n"
        f"> {BODY_AND_LIST}"
    )
    letter = parse_letter(text)

    assert letter.addressees == ["Coastal Affairs", "Government of Estlandia"]


def test_people_addressed_by_title_and_office_are_the_addressees_and_the_greeting_is_not():
    text = (
        "4 March 2024\n\nHon. Ada Brine\nAttorney General of Estlandia\n\nRt. Hon. Piet Kelp\n"
        "Attorney General of Westmark\n\nCC: Hon. Rui Sand, Coast Commissioner, Estlandia;\n"
        "    Hon. Mia Reed, Coast Commissioner, Westmark\n\n"
        "To Ministers Responsible for the Coasts of the North Sea,\n\n"
        f"{BODY_AND_LIST}"
    )
    letter = parse_letter(text)

    assert letter.addressees == [
        "Hon. Ada Brine, Attorney General of Estlandia",
        "Rt. Hon. Piet Kelp, Attorney General of Westmark",
    ]


def test_a_title_above_the_salutation_is_not_taken_for_an_addressed_person():
    letter = parse_letter(f"Dr. Brine must stop the dredging\n\n4 March 2024\n\nDear Dr. Brine,\n\n{BODY_AND_LIST}")

    assert letter.addressees == ["Dr. Brine"]


# --------------------------------------------------------------------------------------------------------------
# Demands
# --------------------------------------------------------------------------------------------------------------


def demands_of(letter: ParsedLetter) -> list[tuple[str | None, str]]:
    return [(d.target, d.text) for d in letter.demands]


def test_demands_after_a_spanish_lead_in():
    text = (
        "Carta abierta sobre el río\n\n2024-03-04\n\nLas organizaciones firmantes exigimos:\n\n"
        "1. Detener las obras del embalse.\n2. Publicar el estudio de impacto.\n\n"
        "Firman:\nColectivo Río Claro\nRed Bosque Alto\n"
    )
    letter = parse_letter(text)

    assert demands_of(letter) == [(None, "Detener las obras del embalse."), (None, "Publicar el estudio de impacto.")]
    assert names(letter) == ["Colectivo Río Claro", "Red Bosque Alto"]


def test_demands_after_a_portuguese_lead_in():
    text = (
        "Carta aberta sobre o rio\n\n2024-03-04\n\nDiante disso, proponemos:\n\n"
        "- Suspender as obras da barragem.\n- Consultar as comunidades ribeirinhas.\n\n"
        "Assinam:\nColetivo Serra Verde\nInstituto Águas Claras\n"
    )
    letter = parse_letter(text)

    assert demands_of(letter) == [
        (None, "Suspender as obras da barragem."),
        (None, "Consultar as comunidades ribeirinhas."),
    ]


def test_demands_after_governments_must():
    text = (
        "Statement on data retention\n\n4 March 2024\n\nGovernments must:\n\n"
        "- Delete the data they hold.\n- Publish the rules they follow.\n\n"
        "Signatories:\nHarbour Lights Trust\nDune Grass Network\n"
    )
    letter = parse_letter(text)

    assert demands_of(letter) == [(None, "Delete the data they hold."), (None, "Publish the rules they follow.")]


@pytest.mark.parametrize(
    "lead_in",
    ["The dredging bill must be rejected, because:", "O projeto de dragagem deve ser rejeitado, porque:"],
    ids=["english", "portuguese"],
)
def test_the_reasons_after_a_must_be_rejected_lead_in_are_demands(lead_in):
    text = (
        f"Statement on dredging\n\n4 March 2024\n\n{lead_in}\n\n"
        "1) It ignores the survey of the marshes.\n2) It breaks the regional plan.\n\n"
        "Signatories:\nHarbour Lights Trust\nDune Grass Network\n"
    )
    letter = parse_letter(text)

    assert demands_of(letter) == [
        (None, "It ignores the survey of the marshes."),
        (None, "It breaks the regional plan."),
    ]


def test_a_list_after_a_lead_in_that_asks_nothing_is_not_demands():
    text = (
        "Statement on dredging\n\n4 March 2024\n\nThe survey found the following:\n\n"
        "1) The marshes shrank by a third.\n2) The birds left the northern bank.\n\n"
        "Signatories:\nHarbour Lights Trust\nDune Grass Network\n"
    )
    letter = parse_letter(text)

    assert demands_of(letter) == []


def test_demands_after_a_lead_in_wrapped_over_two_lines():
    text = (
        "Statement on data retention\n\n4 March 2024\n\nWe take note of the plans. We call on all governments to drop "
        "the retention plans unless the\nfollowing conditions are met:\n\n"
        "- An independent court approves each request.\n- People are told when their data was read.\n\n"
        "Signatories:\nHarbour Lights Trust\nDune Grass Network\n"
    )
    letter = parse_letter(text)

    assert demands_of(letter) == [
        ("all governments", "An independent court approves each request."),
        ("all governments", "People are told when their data was read."),
    ]


def test_lettered_demands_in_a_blockquote_after_the_below_mentioned_measures():
    text = (
        "Letter on delivery workers' data\n\n4 March 2024\n\n"
        "In view of the above, we urge the Labour Ministry to undertake the below mentioned measures.\n\n"
        "> (a) Stop collecting location data from delivery workers.\n"
        "> (b) Delete the data already collected.\n"
        "> (c) Consult the workers' unions before any new app.\n\n"
        "Signatories:\nHarbour Lights Trust\nDune Grass Network\n"
    )
    letter = parse_letter(text)

    assert [d.text for d in letter.demands] == [
        "Stop collecting location data from delivery workers.",
        "Delete the data already collected.",
        "Consult the workers' unions before any new app.",
    ]
    assert {d.target for d in letter.demands} == {"Labour Ministry"}


def test_a_numbered_list_of_what_we_do_is_the_demands_without_a_lead_in():
    text = (
        "Manifesto pelo rio\n\n2024-03-04\n\nA barragem ameaça o modo de vida de milhares de famílias ribeirinhas.\n\n"
        "1. Exigimos a suspensão imediata das obras.\n2. Rejeitamos a criminalização dos pescadores.\n"
        "3. Apoiamos a luta das comunidades ribeirinhas.\n\nAssinam:\nColetivo Serra Verde\nInstituto Águas Claras\n"
    )
    letter = parse_letter(text)

    assert demands_of(letter) == [
        (None, "Exigimos a suspensão imediata das obras."),
        (None, "Rejeitamos a criminalização dos pescadores."),
        (None, "Apoiamos a luta das comunidades ribeirinhas."),
    ]
    assert names(letter) == ["Coletivo Serra Verde", "Instituto Águas Claras"]


def test_bullets_after_a_lead_in_that_asks_for_nothing_are_not_demands():
    text = (
        "Letter on the resolution on online rights\n\n4 March 2024\n\n"
        "We welcome the following elements of the draft resolution:\n\n"
        "- It affirms that the same rights apply online.\n- It condemns network shutdowns.\n\n"
        "Signatories:\nHarbour Lights Trust\nDune Grass Network\n"
    )
    letter = parse_letter(text)

    assert letter.demands == []


# --------------------------------------------------------------------------------------------------------------
# Stated totals
# --------------------------------------------------------------------------------------------------------------


def test_the_following_n_start_up_companies_states_the_total():
    text = letter_with(
        "Harbour Lights Apps\nDune Grass Labs\nSaltmarsh Software\n",
        heading="The founders of the following 312 start-up companies.",
    )
    letter = parse_letter(text)

    assert letter.declared_total == 312
    assert names(letter) == ["Harbour Lights Apps", "Dune Grass Labs", "Saltmarsh Software"]


# --------------------------------------------------------------------------------------------------------------
# Property: any text set in columns
# --------------------------------------------------------------------------------------------------------------

WORD = st.sampled_from(
    ["Alder", "Birch", "Harbour", "Kelp", "Lagoon", "Network", "Trust", "Forum", "Union", "Club", "Öresund", "Ñandú"]
    + [
        "GmbH",
        "(North)",
        "7",
        "34",
        "2030",
        "Dr.",
        "Jane",
        "Doe",
        "Brazil",
        "Individuals",
        "ONGs",
        "Co-op",
        "of",
        "and",
    ]
)
CELL = st.one_of(st.just(""), st.lists(WORD, min_size=1, max_size=5).map(" ".join))
# Narrowest column: a printed page's columns are wider than the distance a long name may push the next cell.
MIN_COLUMN_WIDTH = 16


@st.composite
def column_layouts(draw) -> str:
    """A list printed in 2-4 columns as pdftotext -layout does: each row holds one cell of every column (maybe empty),
    padded to the column's width plus a gap of 3 spaces or more; maybe row numbers; a cell may sit a little right."""
    columns = draw(st.integers(2, 4))
    rows = draw(st.lists(st.lists(CELL, min_size=columns, max_size=columns), min_size=1, max_size=12))
    numbered = draw(st.booleans())
    widths = [
        max([len(row[c]) + 2 for row in rows] + [MIN_COLUMN_WIDTH]) + draw(st.integers(3, 8)) for c in range(columns)
    ]
    lines = []
    for k, row in enumerate(rows):
        line = ""
        for c, cell in enumerate(row):
            number = f"{c * len(rows) + k + 1}" if numbered and cell else ""
            shift = draw(st.integers(0, 2))
            line += (f"{number:<5}" if numbered else "") + (" " * shift + cell).ljust(widths[c])
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


# A body line longer than any cell of a column: the region of columns starts below it. (Short lines right above a
# list are cut into its columns: see test_columns_leave_the_short_lines_above_the_list_alone.)
PROPERTY_INTRO = (
    "Open letter on the coastal wetlands\n\n4 March 2024\n\n"
    "We ask the regional council to protect the wetlands and to publish its survey of the northern marshes.\n\n"
)
# "Lines 12-13: ...", or "Lines 12: ..." when both ends are in one given line (a name continued in the next column).
JOINED = re.compile(r"^Lines (\d+)(?:-\d+)?: a name broken across lines joined as '(.*)'\.$")


@settings(max_examples=200, deadline=None)
@given(column_layouts(), st.sampled_from(["Signatories:", "Signed by:", "Firman:", "Organisations", ""]))
def test_parse_letter_holds_its_invariants_on_text_set_in_columns(layout, heading):
    text = f"{PROPERTY_INTRO}{heading}\n\n{layout}"
    letter = parse_letter(text)

    assert not any(w.startswith("Internal parser error") for w in letter.warnings)
    assert [s.position for s in letter.signatories] == list(range(1, len(letter.signatories) + 1))
    assert parse_letter(text) == letter
    flat = collapse(text)
    given_lines = text.split("\n")
    joined = {(m[2], int(m[1])) for w in letter.warnings if (m := JOINED.match(w))}
    for signatory in letter.signatories:
        # Reported on a line of the text as given, the line that holds the start of the name.
        assert 1 <= signatory.line <= len(given_lines)
        assert signatory.listed_as.split()[0] in given_lines[signatory.line - 1]
        if collapse(signatory.listed_as) in flat:
            continue
        # A name found nowhere in the given text is one broken across rows (a column's, or from the foot of one column
        # to the head of the next): a warning names the lines it was joined from, the first its line.
        assert (signatory.listed_as, signatory.line) in joined, (signatory, letter.warnings)


# --------------------------------------------------------------------------------------------------------------
# Counts as the check letters print them, in a letter with a numbered demand list before its signatories
# --------------------------------------------------------------------------------------------------------------

COUNTED_LETTER = (
    "Open letter on the crackdown\n\n5 March 2022\n\nTo: ASEAN Secretariat\n\nDear Secretary-General,\n\n{intro}\n\n"
    "We urge ASEAN to:\n1) Stop the violence\n2) Release detainees\n3) Engage civil society\n\nSincerely,\n\n"
    "{heading}\n1. Alpha Group\n2. Beta Union\n3. Gamma Network\n{after}"
)


@pytest.mark.parametrize(
    ("intro", "heading", "after", "declared", "undisclosed"),
    [
        ("Today (430) local and international organizations signed this letter.", "Signatories:", "", 430, None),
        ("This letter is endorsed by civil society.", "Unpublic (86) Organizations endorsed", "", None, 86),
        (
            "A total of 200 organizations, including 4 groups that can't be named, signed this letter.",
            "Signatories:",
            "",
            200,
            4,
        ),
        (
            "This letter is endorsed by civil society.",
            "Signatories:",
            "\n*Note: 213 organizations' names are not disclosed for security reasons.\n",
            None,
            213,
        ),
        ("Signatories (2022): 3 organizations.", "Signatories:", "", None, None),
    ],
)
def test_counts_in_parentheses_footnotes_and_clauses_are_read_and_a_year_is_not(
    intro, heading, after, declared, undisclosed
):
    letter = parse_letter(COUNTED_LETTER.format(intro=intro, heading=heading, after=after))

    assert [s.listed_as for s in letter.signatories] == ["Alpha Group", "Beta Union", "Gamma Network"]
    assert [d.text for d in letter.demands] == ["Stop the violence", "Release detainees", "Engage civil society"]
    assert letter.declared_total == declared
    assert letter.undisclosed == undisclosed


def test_a_year_of_the_letter_is_never_read_as_the_undisclosed_count():
    text = (
        "Joint statement on the floods\n\n3 May 2021\n\nSince the coup of February 2021, 2021 members have chosen not "
        "to disclose their names.\n\nSignatories:\n1. Alpha Group\n2. Beta Union\n3. Gamma Network\n"
    )
    letter = parse_letter(text)

    assert [s.listed_as for s in letter.signatories] == ["Alpha Group", "Beta Union", "Gamma Network"]
    assert letter.undisclosed is None
    assert any("2021 is a year of the letter" in w for w in letter.warnings)
