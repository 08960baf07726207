"""The letter parser on the five seed letters, on synthetic letters, and on hostile input.

Plain Python: no Django needed (run with `pytest -p no:django tests/letters/test_parsing.py`).
"""

import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letters.parsing import MAX_INPUT_CHARS, LetterInputError, ParsedLetter, check_input, parse_letter

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "letters"


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def by_name(letter: ParsedLetter, listed_as: str):
    matches = [s for s in letter.signatories if s.listed_as == listed_as]
    assert len(matches) == 1, f"{listed_as!r} found {len(matches)} times"
    return matches[0]


def assert_well_formed(letter: ParsedLetter, text: str) -> None:
    """What every report must satisfy, whatever the input."""
    flat = collapse(text)
    assert [s.position for s in letter.signatories] == list(range(1, len(letter.signatories) + 1))
    assert [d.position for d in letter.demands] == list(range(1, len(letter.demands) + 1))
    for signatory in letter.signatories:
        assert signatory.listed_as
        assert collapse(signatory.listed_as) in flat
        assert signatory.kind_hint in {"organization", "coalition", "individual"}
        if signatory.member_of is not None:
            assert 1 <= signatory.member_of < signatory.position
            assert letter.signatories[signatory.member_of - 1].kind_hint == "coalition"
    assert letter.kind in {"open_letter", "joint_statement", "press_release", "statement"}
    assert not any(w.startswith("Internal parser error") for w in letter.warnings)


# --------------------------------------------------------------------------------------------------------------
# Seed letters
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def japan() -> ParsedLetter:
    return parse_letter(seed_text("2022-07-14-japan-defence-minister.txt"))


@pytest.fixture(scope="module")
def press_release() -> ParsedLetter:
    return parse_letter(seed_text("2022-05-10-asean-complicity-press-release.txt"))


@pytest.fixture(scope="module")
def ethnic() -> ParsedLetter:
    return parse_letter(seed_text("2022-09-26-ethnic-resistance-organizations.txt"))


@pytest.fixture(scope="module")
def unsc() -> ParsedLetter:
    return parse_letter(seed_text("2024-02-01-un-security-council.txt"))


@pytest.fixture(scope="module")
def interpol() -> ParsedLetter:
    return parse_letter(seed_text("2021-11-22-interpol.txt"))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_seed_report_is_well_formed_and_stable(path):
    text = check_input(path.read_bytes())
    letter = parse_letter(text)
    assert_well_formed(letter, text)
    assert parse_letter(text) == letter


def test_japan_letter_header(japan):
    assert japan.title == "Open Letter to ADMM Dialogue Partner"
    assert japan.date == datetime.date(2022, 7, 14)
    assert japan.kind == "open_letter"
    assert japan.addressees == ["Ministry of Defense, Japan"]
    assert japan.subject.startswith("Participation in the ASEAN Defence Ministers' Meeting-Plus")
    assert japan.body.startswith("Your Excellency,")
    assert "Progressive Voice" in japan.body  # the contact lines stay in the body
    assert "8888 Generation" not in japan.body


def test_japan_letter_counts(japan):
    assert len(japan.signatories) == 415
    assert japan.declared_total == 448
    assert japan.undisclosed == 33
    assert all(s.member_of is None for s in japan.signatories)


def test_japan_letter_names(japan):
    assert japan.signatories[0].listed_as == "8888 Generation (New Zealand)"
    assert japan.signatories[0].line == 43
    assert japan.signatories[-1].listed_as == "一般社団法人 ミャンマーグローバル支援財団 (MGSF)"
    assert by_name(japan, "Youth Poets' Union").position == 406  # printed "- 406."
    assert by_name(japan, "လူငယ်များသမဂ္ဂ - ပုသိမ်").position == 413
    assert by_name(japan, "Colorfulspring (ရောင်စုံမြေဦး)").line == 116
    # The contact people above the list are not signatories.
    assert not any("Khin Ohmar" in s.listed_as for s in japan.signatories)


def test_japan_letter_prose_demand_is_a_candidate(japan):
    assert japan.demands == []
    assert any(c.startswith("We call on you to boycott the upcoming ADMM-Plus EWG") for c in japan.candidate_demands)


def test_press_release_header(press_release):
    assert press_release.kind == "press_release"
    assert press_release.title == "ASEAN's complicity in the Myanmar military's atrocity crimes exposed"
    assert press_release.date == datetime.date(2022, 5, 10)
    assert press_release.signatories == []
    assert press_release.declared_total is None
    assert press_release.undisclosed is None


def test_press_release_demands_by_target(press_release):
    demands = press_release.demands
    assert len(demands) == 11
    assert Counter(d.target for d in demands) == {"ASEAN": 5, "ADMM-Plus countries": 6}
    assert demands[0].text == "Exclude the Myanmar military junta from all meetings and activities."
    assert demands[5].target == "ADMM-Plus countries"
    assert demands[5].text.startswith("Call on ASEAN to exclude the Myanmar military junta")
    assert demands[10].text.endswith("through the UN Security Council.")


def test_ethnic_letter_counts(ethnic):
    assert ethnic.date == datetime.date(2022, 9, 26)
    assert len(ethnic.signatories) == 281
    assert ethnic.declared_total == 567
    assert ethnic.undisclosed == 286
    assert ethnic.kind == "open_letter"
    assert ethnic.title  # no title line: the first clause stands in, so the import can save it
    assert "Note – out of a total of 567" in ethnic.body


def test_ethnic_letter_names(ethnic):
    assert ethnic.signatories[0].listed_as == "Action Against Myanmar Military Coup (Sydney)"
    assert ethnic.signatories[70].listed_as == "Kamma Lover"  # numbering restarts at 1 after 70
    assert ethnic.signatories[-1].listed_as == (
        "အောင်မြေသာစံ ပညာရေးကျောင်းပေါင်းစုံ သပိတ်စစ်ကြောင်း – Aung Myay Thar Zan Education Schools Strike Column"
    )
    bilingual = by_name(ethnic, "တိုက်ကွမ်ဒို အားကစားအသင်း – Taekwando Sport Association")
    assert bilingual.kind_hint == "organization"
    # Broken across lines (with a blank line between): joined with one space.
    broken = by_name(ethnic, "ချမ်းမြသာစည်မြို့နယ် လူထုသပိတ်စစ်ကြောင်း – Chan Mya Thar Si Township People Strike Column")
    assert broken.line == 232
    by_name(ethnic, "ဆေးတက္ကသိုလ်(မန္တလေး)ကျောင်းသားများသမဂ္ဂ – Medical University ( Mandalay ) Student Union")
    assert not any(s.listed_as in {"Strike Column", "Student Union"} for s in ethnic.signatories)


def test_unsc_letter_header(unsc):
    assert unsc.date == datetime.date(2024, 2, 1)
    assert unsc.addressees == ["United Nations Security Council"]
    assert unsc.subject == (
        "Urgent call for swift action against the military junta to end its war of terror and protect civilians "
        "in Myanmar"
    )
    assert unsc.title == unsc.subject
    assert unsc.kind == "open_letter"


def test_unsc_letter_counts(unsc):
    assert len(unsc.signatories) == 402
    assert sum(1 for s in unsc.signatories if s.member_of is None) == 361
    assert sum(1 for s in unsc.signatories if s.member_of is not None) == 41
    assert unsc.declared_total == 462
    assert unsc.undisclosed == 84


def test_unsc_letter_coalitions(unsc):
    coalitions = {s.listed_as: s for s in unsc.signatories if s.kind_hint == "coalition"}
    members = Counter(s.member_of for s in unsc.signatories if s.member_of is not None)
    sizes = {name: members[s.position] for name, s in coalitions.items()}
    assert sizes == {
        "General Strike Committee of Basic and Higher Education (GSCBHE)": 3,
        "LGBT Alliance": 5,
        "Mandalay Strike Force (MSF)": 15,
        "Monywa People's Strike Steering Committee": 6,
        "Women Alliance Burma (WAB)": 12,
    }
    msf = coalitions["Mandalay Strike Force (MSF)"]
    assert by_name(unsc, "Chanmyatharzi Township People's Strike").member_of == msf.position
    assert by_name(unsc, "Seinpann Strike").member_of == msf.position
    assert by_name(unsc, "Mandalay-Based University Students’ Unions (MDY_SUs)").member_of is None
    assert by_name(unsc, "Monywa LGBT Strike").member_of == coalitions["LGBT Alliance"].position
    assert by_name(unsc, "Yangon Women Strike").member_of == coalitions["Women Alliance Burma (WAB)"].position
    assert by_name(unsc, "Women Lead Resource Center (WLRC)").member_of is None
    assert by_name(unsc, "Monywa-Amyint Road Strike Leading Committee").member_of is None


def test_unsc_letter_names(unsc):
    assert unsc.signatories[0].listed_as == "5/ of Zaya State Strike"
    assert unsc.signatories[-1].listed_as == "Zomi Community Queensland"
    assert by_name(unsc, "Australia Myanmar Youth Alliance (AMYA)").line == 197
    assert by_name(unsc, "Colorful Spring (Gepcgegez)").kind_hint == "organization"
    names = {s.listed_as for s in unsc.signatories}
    assert ". Co (2}" not in names  # OCR debris
    assert not any("mailto:" in n or "@" in n for n in names)  # footnote links
    assert not any(n.startswith("disclose their names") for n in names)  # the wrapped heading
    assert not any("Khin Ohmar" in n for n in names)  # contact lines


def test_interpol_letter(interpol):
    assert interpol.date == datetime.date(2021, 11, 22)
    assert interpol.addressees == ["INTERPOL"]
    assert interpol.subject.startswith("Call on INTERPOL to ban the illegal junta")
    assert interpol.kind == "open_letter"
    assert len(interpol.signatories) == 259
    assert interpol.declared_total == 259
    assert interpol.undisclosed == 0
    assert interpol.signatories[0].listed_as == "8888 Generation (New Zealand)"
    assert interpol.signatories[-1].listed_as == "Youth Resource Development Program (YRDP)"
    assert interpol.signatories[182].listed_as == (
        "MINBYUN - Lawyers for a Democratic Society International Solidarity Committee"
    )
    assert interpol.signatories[183].listed_as == "Minnesota Kachin Community"
    assert by_name(interpol, "Kim Wan Sik (MR)").kind_hint == "individual"
    names = {s.listed_as for s in interpol.signatories}
    assert "Jean-Jacques Colombi" not in names  # the addressed delegates
    assert not any(n.startswith("The military junta does not represent") for n in names)


def test_interpol_demands(interpol):
    assert [d.target for d in interpol.demands] == ["INTERPOL"] * 3
    assert (
        interpol.demands[0].text == "Ban the Myanmar military junta from INTERPOL, including the 89th General Assembly."
    )
    assert interpol.demands[2].text.startswith("Take all measures available")
    # The numbered reasons in the body are not demands.
    assert not any(d.text.startswith("The military junta does not represent") for d in interpol.demands)


# --------------------------------------------------------------------------------------------------------------
# Synthetic letters: the rules are general, not keyed to the seeds
# --------------------------------------------------------------------------------------------------------------

BULLETED_LETTER = """Joint Statement on the Protection of Journalists

3 March 2023

We, the undersigned organisations, urge the authorities to release all detained journalists.
We call on the Government of Ruritania to repeal the Media Law without delay.

• Reporters Without Frontiers
• Committee to Protect Journalists (CPJ)
• Article 19
• Free Press Unlimited
• PEN International
"""


def test_bulleted_list_without_heading():
    letter = parse_letter(BULLETED_LETTER)
    assert_well_formed(letter, BULLETED_LETTER)
    assert letter.title == "Joint Statement on the Protection of Journalists"
    assert letter.date == datetime.date(2023, 3, 3)
    assert letter.kind == "joint_statement"
    assert [s.listed_as for s in letter.signatories] == [
        "Reporters Without Frontiers",
        "Committee to Protect Journalists (CPJ)",
        "Article 19",
        "Free Press Unlimited",
        "PEN International",
    ]
    assert letter.declared_total is None
    assert letter.undisclosed is None
    assert any("repeal the Media Law" in c for c in letter.candidate_demands)


SIGNATORIES_LETTER = """To: the Secretary-General of the United Nations

Re: Protect civic space

15th January 2025

Dear Secretary-General,

We write to ask you to act. This letter is signed by 9 organizations and individuals, including 2 that have
asked not to be named for their safety.

We urge the Secretary-General to:

1. Appoint a special envoy.
2. Publish a report within 90 days.

Signatories:

Human Rights Watch
Amnesty International
Asia Democracy Network:
  Alpha Network
  Beta Collective

Individuals:
Dr. Jane Doe, Professor, University X
U Kyaw Min

For more information: press@example.org
"""


def test_signatories_heading_with_people_and_a_coalition():
    letter = parse_letter(SIGNATORIES_LETTER)
    assert_well_formed(letter, SIGNATORIES_LETTER)
    assert letter.date == datetime.date(2025, 1, 15)
    assert letter.addressees == ["United Nations"]
    assert letter.subject == "Protect civic space"
    assert letter.kind == "open_letter"
    names = [s.listed_as for s in letter.signatories]
    assert names == [
        "Human Rights Watch",
        "Amnesty International",
        "Asia Democracy Network",
        "Alpha Network",
        "Beta Collective",
        "Dr. Jane Doe, Professor, University X",
        "U Kyaw Min",
    ]
    kinds = [s.kind_hint for s in letter.signatories]
    assert kinds == [
        "organization",
        "organization",
        "coalition",
        "organization",
        "organization",
        "individual",
        "individual",
    ]
    assert [s.member_of for s in letter.signatories] == [None, None, None, 3, 3, None, None]
    assert [(d.target, d.text) for d in letter.demands] == [
        ("Secretary-General", "Appoint a special envoy."),
        ("Secretary-General", "Publish a report within 90 days."),
    ]
    assert letter.declared_total == 9
    assert letter.undisclosed == 2


def test_name_and_title_on_two_lines_is_one_individual():
    text = (
        "Open letter on academic freedom\n\n1 June 2024\n\nWe, the undersigned, stand with our colleagues.\n\n"
        "Signed by:\n\nMaria Lopez\nProfessor of Law, University of Somewhere\nJohn Smith\n"
        "Director, Centre for Rights\nGlobal Scholars Network\n"
    )
    letter = parse_letter(text)
    assert_well_formed(letter, text)
    assert [(s.listed_as, s.kind_hint) for s in letter.signatories] == [
        ("Maria Lopez", "individual"),
        ("John Smith", "individual"),
        ("Global Scholars Network", "organization"),
    ]


def test_numbered_paragraphs_in_the_body_are_not_signatories():
    text = (
        "Statement on the elections\n\n2 May 2024\n\nWe are concerned for these reasons:\n\n"
        "1. The vote was held under martial law and no observers were allowed in the country.\n"
        "2. Opposition parties were dissolved before the campaign started in the spring.\n"
        "3. Thousands of voters were displaced by the fighting and could not vote at all.\n\n"
        "Endorsed by\n\n1. Group One\n2. Group Two\n3. Group Three\n"
    )
    letter = parse_letter(text)
    assert [s.listed_as for s in letter.signatories] == ["Group One", "Group Two", "Group Three"]
    assert letter.demands == []


def test_anonymous_lines_are_counted_not_listed():
    text = (
        "Open letter\n\n1 May 2024\n\nText of the letter.\n\nSignatories:\nGroup A\nGroup B\nGroup C\nAnonymous (x4)\n"
    )
    letter = parse_letter(text)
    assert [s.listed_as for s in letter.signatories] == ["Group A", "Group B", "Group C"]
    assert letter.undisclosed == 4
    assert letter.declared_total is None  # the letter states no total; none is made up from the parts


# --------------------------------------------------------------------------------------------------------------
# Hostile input
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "Empty input"),
        (b"   \n\t \r\n  ", "only whitespace"),
        (b"Dear all,\nline two\x00 here", "NUL byte at line 2"),
        (bytes(range(0x80, 0x100)) * 4, "Not UTF-8"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20]) * 50, "Binary data"),
        (b"\xff\xfeD\x00e\x00a\x00r\x00", "NUL byte"),  # UTF-16
    ],
)
def test_check_input_refuses_what_cannot_be_a_letter(raw, message):
    with pytest.raises(LetterInputError) as error:
        check_input(raw)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_check_input_refuses_text_over_the_limit():
    with pytest.raises(LetterInputError, match="limit") as error:
        check_input(b"a" * (MAX_INPUT_CHARS + 1))
    assert "\n" not in str(error.value)
    with pytest.raises(LetterInputError, match="limit"):
        check_input("é".encode() * (MAX_INPUT_CHARS * 2 + 1))


def test_check_input_decodes_strips_bom_and_normalizes_newlines():
    assert check_input("\ufeffTitle\r\nLine two\rLine three".encode()) == "Title\nLine two\nLine three"
    assert check_input("Burmese မျိုးဆက် text".encode()) == "Burmese မျိုးဆက် text"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_letter_never_fails_on_any_text(text):
    letter = parse_letter(text)
    assert_well_formed(letter, text)
    assert parse_letter(text) == letter


LIST_LINES = st.lists(
    st.one_of(
        st.sampled_from(["", "Signed by:", "Signatories", "1. ", "- ", "o ", "  ", "Dr. ", "U ", "Anonymous"]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
        st.from_regex(r"(\d{1,3}\. )?[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8}){0,3}:?", fullmatch=True),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(LIST_LINES)
def test_parse_letter_holds_its_invariants_on_list_shaped_text(lines):
    text = "\n".join(lines)
    letter = parse_letter(text)
    assert_well_formed(letter, text)
    assert parse_letter(text) == letter


MARKDOWN_LETTER = """# Joint Letter to the Human Rights Council on Accountability in Sri Lanka

**September 5, 2023**

Your Excellency,

We, the undersigned 7 human rights organizations, write to urge your delegation to support a strong
resolution. We urge the Council to renew the mandate of the accountability project.

Sincerely,

Amnesty International
Asian Forum for Human Rights and Development (FORUM-ASIA)
CIVICUS
Human Rights Watch
International Commission of Jurists
Minority Rights Group
"""


def test_markdown_heading_and_closing_before_the_list():
    letter = parse_letter(MARKDOWN_LETTER)
    assert_well_formed(letter, MARKDOWN_LETTER)
    assert letter.title == "Joint Letter to the Human Rights Council on Accountability in Sri Lanka"
    assert letter.date == datetime.date(2023, 9, 5)
    assert letter.kind == "open_letter"
    assert len(letter.signatories) == 6
    assert letter.signatories[-1].listed_as == "Minority Rights Group"
    assert letter.declared_total == 7
    # 7 declared, 6 printed, and nothing says the seventh is undisclosed: the figure is not invented.
    assert letter.undisclosed is None
    assert any("Declared total 7 but 6 names found" in w for w in letter.warnings)
    assert letter.body.startswith("Your Excellency,")
    assert "Sincerely," in letter.body


PRESS_RELEASE = """FOR IMMEDIATE RELEASE

Rights groups condemn new cybersecurity law

Bangkok, 2 March 2024 - The new law threatens online freedom, the groups said today.

"We urge parliament to repeal the law," said the director of one group.

###

Media contact: press@example.org
"""


def test_press_release_with_dateline_and_media_contact():
    letter = parse_letter(PRESS_RELEASE)
    assert_well_formed(letter, PRESS_RELEASE)
    assert letter.kind == "press_release"
    assert letter.title == "Rights groups condemn new cybersecurity law"
    assert letter.signatories == []
    assert letter.date == datetime.date(2024, 3, 2)


def test_prose_signatures_are_reported_not_guessed():
    text = (
        "Open letter\n\n1 May 2024\n\nPlease act.\n\nSigned by:\n\nGroup A, Group B, Group C and Group D, "
        "who together stand with the people of the region in their hour of need and ask for help now.\n"
    )
    letter = parse_letter(text)
    assert letter.signatories == []
    assert any("signatory heading without a list" in w for w in letter.warnings)


# --------------------------------------------------------------------------------------------------------------
# Unseen-style letters: other organizations, other topics, other layouts (tests/letters/data/unseen/)
# The expected figures in expected.json were written by reading each letter, never by running the parser.
# --------------------------------------------------------------------------------------------------------------

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen"
UNSEEN_EXPECTED = json.loads((UNSEEN / "expected.json").read_text(encoding="utf-8"))


def test_every_unseen_letter_has_expectations():
    assert sorted(p.name for p in UNSEEN.glob("*.txt")) == sorted(UNSEEN_EXPECTED)
    assert len(UNSEEN_EXPECTED) >= 12


@pytest.mark.parametrize("name", sorted(UNSEEN_EXPECTED), ids=lambda n: n.removesuffix(".txt"))
def test_unseen_letter(name):
    expected = UNSEEN_EXPECTED[name]
    text = check_input((UNSEEN / name).read_bytes())
    letter = parse_letter(text)
    assert_well_formed(letter, text)
    assert parse_letter(text) == letter

    assert letter.title == expected["title"]
    assert letter.date == datetime.date.fromisoformat(expected["date"])
    assert letter.kind == expected["kind"]
    assert letter.addressees == expected["addressees"]
    assert letter.declared_total == expected["declared_total"]
    assert letter.undisclosed == expected["undisclosed"]

    names = [s.listed_as for s in letter.signatories]
    assert len(names) == expected["signatories"], names
    if names:
        assert names[0] == expected["first"]
        assert names[-1] == expected["last"]
    for listed_as in expected.get("includes", []):
        assert listed_as in names
    for listed_as in expected.get("excludes", []):
        assert listed_as not in names
    for prefix in expected.get("excludes_prefix", []):
        assert not any(n.startswith(prefix) for n in names), prefix
    for listed_as in expected.get("individuals", []):
        assert by_name(letter, listed_as).kind_hint == "individual"
    for listed_as in expected.get("organizations", []):
        assert by_name(letter, listed_as).kind_hint == "organization"
    if expected.get("no_members"):
        assert all(s.member_of is None for s in letter.signatories)
    for member, coalition in expected.get("members", {}).items():
        parent = by_name(letter, coalition)
        assert parent.kind_hint == "coalition"
        assert by_name(letter, member).member_of == parent.position
    for listed_as in expected.get("top_level", []):
        assert by_name(letter, listed_as).member_of is None

    assert [d.target for d in letter.demands] == expected["demand_targets"]
    for needle in expected.get("warnings_contain", []):
        assert any(needle in w for w in letter.warnings), (needle, letter.warnings)


@pytest.mark.parametrize(
    "line, count",
    [
        ("+ 108 organizations that cannot be named for security reasons", 108),
        ("and 45 other organizations", 45),
        ("…and 12 individuals who wish to remain anonymous", 12),
        ("...and 12 individuals who wish to remain anonymous", 12),
        ("Plus 30 organisations from inside Myanmar whose names are withheld for security reasons.", 30),
        ("Anonymous (x4)", 4),
        ("12 Strike Column", None),  # a name that starts with a number
        ("8888 Generation (New Zealand)", None),
        ("100 Women Network", None),
    ],
)
def test_lines_standing_for_unnamed_signatories(line, count):
    text = f"Open letter\n\n1 May 2024\n\nText of the letter.\n\nSignatories:\nGroup A\nGroup B\nGroup C\n{line}\n"
    letter = parse_letter(text)
    names = [s.listed_as for s in letter.signatories]
    if count is None:
        assert names[-1] == line.rstrip(".")
        assert letter.undisclosed is None
    else:
        assert names == ["Group A", "Group B", "Group C"]
        assert letter.undisclosed == count
        assert letter.declared_total is None


def test_several_unnamed_lines_add_up():
    text = (
        "Joint statement\n\n1 May 2024\n\nText of the statement.\n\nSignatories:\nGroup A\nGroup B\nGroup C\n"
        "+ 20 organizations from inside Myanmar that cannot be named\n+ 5 individuals who wish to remain anonymous\n"
    )
    letter = parse_letter(text)
    assert len(letter.signatories) == 3
    assert letter.undisclosed == 25


def test_numbers_in_the_story_are_not_signatory_totals():
    text = (
        "Statement on the crisis\n\n1 May 2024\n\nWe, the undersigned organisations, are alarmed.\n\n"
        "The crisis has displaced 27.6 million people, and the military has carried out 909 airstrikes.\n\n"
        "In 2021, 300 organisations called on the UN to act, and more than 4,000 people have been killed.\n\n"
        "Signatories:\nGroup A\nGroup B\nGroup C\n"
    )
    letter = parse_letter(text)
    assert letter.declared_total is None
    assert letter.undisclosed is None


def test_stated_total_without_undisclosed_is_not_turned_into_an_undisclosed_figure():
    listed = "\n".join(f"Group {n}" for n in range(1, 18))
    text = f"Joint statement\n\n1 May 2024\n\n87 organizations signed this statement today.\n\nSignatories:\n{listed}\n"
    letter = parse_letter(text)
    assert (letter.declared_total, len(letter.signatories), letter.undisclosed) == (87, 17, None)
    assert any("Declared total 87 but 17 names found" in w for w in letter.warnings)


def test_stated_total_with_unnumbered_undisclosed_mention_is_inferred():
    listed = "\n".join(f"Group {n}" for n in range(1, 18))
    text = (
        "Joint statement\n\n1 May 2024\n\n87 organizations signed this statement today. Some organizations asked "
        f"not to be named for their safety.\n\nSignatories:\n{listed}\n"
    )
    letter = parse_letter(text)
    assert (letter.declared_total, letter.undisclosed) == (87, 70)
    assert any("undisclosed taken as 70" in w for w in letter.warnings)


def test_cc_line_is_not_an_addressee():
    text = (
        "Joint letter\n\n12 October 2023\n\nTo: Ursula von der Leyen, President of the European Commission\n"
        "Cc: Members of the European Parliament Committee on International Trade (INTA)\n\nDear President,\n\n"
        "We urge the Commission to:\n\n1. Act now.\n2. Publish the findings.\n"
    )
    letter = parse_letter(text)
    assert letter.addressees == ["European Commission"]
    assert [d.target for d in letter.demands] == ["European Commission", "European Commission"]


@pytest.mark.parametrize(
    "text",
    [
        "Joint statement on arms sales\n12 March 2022\n\nWe call for an embargo.\n\nSignatories:\n1. Alpha Org\n2. Beta Org\n",
        "Letter on arms sales\n12 March 2022\nSignatories:\n1. Alpha Org\n2. Beta Org\n",
    ],
    ids=["two-numbered-names", "date-right-above-the-heading"],
)
def test_a_two_name_list_under_a_heading_is_read_and_no_total_is_invented(text):
    parsed = parse_letter(text)

    assert [s.listed_as for s in parsed.signatories] == ["Alpha Org", "Beta Org"]
    assert parsed.declared_total is None
