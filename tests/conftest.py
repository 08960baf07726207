from pathlib import Path

import pytest
from django.core.management import call_command

SEED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "letters"

SEED_FILES = {
    "interpol": "2021-11-22-interpol.txt",
    "asean": "2022-05-10-asean-complicity-press-release.txt",
    "japan": "2022-07-14-japan-defence-minister.txt",
    "ethnic": "2022-09-26-ethnic-resistance-organizations.txt",
    "unsc": "2024-02-01-un-security-council.txt",
}


def seed_text(name: str) -> str:
    return (SEED_DIR / SEED_FILES[name]).read_text(encoding="utf-8")


@pytest.fixture
def seeded(db):
    """The archive as `make run` leaves it: the five seed letters, published."""
    call_command("load_seed_letters", verbosity=0)


SMALL_LETTER = """Open Letter on Shrimp Farm Evictions

3 March 2023

To: Ministry of Fisheries

Re: Stop the evictions

We, the undersigned 7 organizations, call on the Ministry to stop the evictions. 2 organizations have chosen not to disclose their names.

We demand that the Ministry:
1. Halt all evictions immediately.
2. Compensate the families who lost their homes.

Signatories:
1. Coastal Fishers Union
2. Green River Network (GRN)
3. Delta Women's Association
4. Mangrove Watch
5. Justice For Farmers
"""


@pytest.fixture
def small_letter_text() -> str:
    return SMALL_LETTER
