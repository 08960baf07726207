"""The five seed letters, loaded as `make run` loads them, give the figures the letters print."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from letters.models import Demand, Letter, Signature
from organizations.models import Alias, Organization

EXPECTED = {
    # date: (signatures saved, declared total, undisclosed, demands)
    "2021-11-22": (259, 259, 0, 3),
    "2022-05-10": (0, None, None, 11),
    "2022-07-14": (415, 448, 33, None),
    # 281 lines are printed, but Karen National League Japan is printed twice (positions 73 and 99):
    # one organization signs once, and the repeat is kept as a note (see the test below).
    "2022-09-26": (280, 567, 286, None),
    "2024-02-01": (402, 462, 84, None),
}


# Every test here reads the seed letters: loaded once for the module.
pytestmark = pytest.mark.usefixtures("seeded_once")


@pytest.fixture
def letters_by_date(seeded):
    return {letter.date.isoformat(): letter for letter in Letter.objects.annotate(n=Count("signatures"))}


@pytest.mark.parametrize("date", EXPECTED)
def test_seed_letter_figures(letters_by_date, date):
    named, declared, undisclosed, demands = EXPECTED[date]
    letter = letters_by_date[date]

    assert letter.status == Letter.Status.PUBLISHED
    assert letter.n == named
    assert letter.declared_signatory_count == declared
    assert letter.undisclosed_signatory_count == undisclosed
    if demands is not None:
        assert letter.demands.count() == demands


def test_press_release_demands_have_their_targets(letters_by_date):
    demands = Demand.objects.filter(letter=letters_by_date["2022-05-10"]).select_related("target")

    targets = [d.target.name for d in demands.order_by("position")]
    assert targets == ["ASEAN"] * 5 + ["ADMM-Plus countries"] * 6


def test_interpol_demands_target_interpol(letters_by_date):
    targets = set(letters_by_date["2021-11-22"].demands.values_list("target__name", flat=True))

    assert targets == {"INTERPOL"}


def test_coalition_members_are_listed_under_their_coalition(letters_by_date):
    signatures = Signature.objects.filter(letter=letters_by_date["2024-02-01"])

    assert signatures.filter(member_of__isnull=True).count() == 361
    assert signatures.filter(member_of__isnull=False).count() == 41
    assert signatures.filter(members__isnull=False).distinct().count() == 5


def test_every_signature_keeps_the_name_as_printed(letters_by_date):
    for letter in letters_by_date.values():
        collapsed = " ".join(letter.source_text.split())
        for listed_as in letter.signatures.values_list("listed_as", flat=True):
            assert " ".join(listed_as.split()) in collapsed


def test_a_name_printed_twice_is_one_signature_with_a_note(letters_by_date):
    signature = Signature.objects.get(letter=letters_by_date["2022-09-26"], position=73)

    assert signature.listed_as == "Karen National League Japan (KNL)"
    assert signature.note == "Printed again at position 99 as “Karen National League Japan – KNL”."
    assert not Signature.objects.filter(letter=letters_by_date["2022-09-26"], position=99).exists()


def test_progressive_voice_is_one_record_across_four_letters(seeded):
    progressive_voice = Organization.objects.get(name="Progressive Voice")

    assert progressive_voice.signatures.values("letter").distinct().count() == 4


def test_addressees_are_linked(letters_by_date):
    assert list(letters_by_date["2021-11-22"].addressees.values_list("name", flat=True)) == ["INTERPOL"]
    assert list(letters_by_date["2024-02-01"].addressees.values_list("name", flat=True)) == [
        "United Nations Security Council"
    ]


def test_loading_the_seeds_twice_loads_nothing_twice(seeded):
    models = (Letter, Signature, Demand, Organization, Alias)
    before = {model.__name__: model.objects.count() for model in models}

    call_command("load_seed_letters", verbosity=0)

    assert {model.__name__: model.objects.count() for model in models} == before
