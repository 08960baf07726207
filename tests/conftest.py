import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

SEED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "letters"

SEED_FILES = {
    "interpol": "2021-11-22-interpol.txt",
    "asean": "2022-05-10-asean-complicity-press-release.txt",
    "japan": "2022-07-14-japan-defence-minister.txt",
    "ethnic": "2022-09-26-ethnic-resistance-organizations.txt",
    "unsc": "2024-02-01-un-security-council.txt",
}


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings, tmp_path_factory):
    """Each test starts with an empty page cache: the cache outlives a test's rolled-back database.

    The archive version file is this test run's own, so two runs on one machine never invalidate each other."""
    from django.core.cache import caches

    settings.ARCHIVE_VERSION_FILE = str(tmp_path_factory.getbasetemp() / "archive-version")
    for cache in caches.all():
        cache.clear()


def seed_text(name: str) -> str:
    return (SEED_DIR / SEED_FILES[name]).read_text(encoding="utf-8")


def load_seeds() -> None:
    call_command("load_seed_letters", verbosity=0)
    if connection.vendor == "postgresql":
        # Rows written inside the test's transaction have no statistics: without them PostgreSQL plans the
        # co-signatures self-join as nested loops (136 s on the seeds, against 1 s once analyzed).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@pytest.fixture
def seeded(db, request):
    """The archive as `make run` leaves it: the five seed letters, published. Loaded for each test, unless its module
    has them loaded once for all its tests (`pytestmark = pytest.mark.usefixtures("seeded_once")`)."""
    if "seeded_once" not in request.fixturenames:
        load_seeds()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The seed letters loaded once for a whole module (about 3 s each time), in a transaction rolled back at its
    end. Each test runs in a savepoint inside it (the `db` fixture), so what one test writes is gone before the next.

    Only for a module whose every test uses the seeds: every test of the module sees them.
    """
    outer = transaction.atomic()
    outer._from_testcase = True  # what Django's TestCase marks its own outer blocks with
    with django_db_blocker.unblock(), outer:
        load_seeds()
        yield
        transaction.set_rollback(True)


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


# --- Public site fixtures: letters built directly through the ORM (no parser involved). ---

import datetime  # noqa: E402

from letters.counts import organizations_of, refresh_counts  # noqa: E402
from letters.models import Demand, Letter, Signature  # noqa: E402
from organizations.models import Alias, Organization  # noqa: E402


def build_letter(
    signatures: int = 10,
    *,
    slug: str = "open-letter",
    title: str = "Open letter on arms sales",
    date: datetime.date = datetime.date(2022, 7, 14),
    status: str = Letter.Status.PUBLISHED,
    undisclosed: int | None = None,
    withheld: tuple[int, ...] = (),
    members: int = 0,
    addressees: tuple[Organization, ...] = (),
    demands: tuple[tuple[str, Organization | None], ...] = (),
    body: str = "We, the undersigned, call for an [arms embargo](#). See <https://example.org/report>.",
    org_prefix: str | None = None,
    kind: str = Letter.Kind.OPEN_LETTER,
) -> Letter:
    """A letter with `signatures` lines, each signed by its own organization (`<prefix>-org-<n>`).

    `withheld` lists 1-based positions marked withheld; `members` puts lines 2..members+1 under line 1,
    a coalition.
    """
    prefix = org_prefix or slug
    letter = Letter.objects.create(
        title=title,
        slug=slug,
        date=date,
        status=status,
        kind=kind,
        subject="Stop the sale of arms",
        body=body,
        undisclosed_signatory_count=undisclosed,
        declared_signatory_count=signatures + (undisclosed or 0),
        source_url="https://example.org/letter",
    )
    orgs = Organization.objects.bulk_create(
        Organization(name=f"{prefix} Organization {n:03d}", slug=f"{prefix}-org-{n}") for n in range(1, signatures + 1)
    )
    rows = Signature.objects.bulk_create(
        Signature(
            letter=letter,
            organization=org,
            position=n,
            listed_as=f"{prefix} Organization {n:03d} as printed",
            withheld=n in withheld,
        )
        for n, org in enumerate(orgs, start=1)
    )
    # As an import does, every printed spelling is remembered as an alias (the organization search reads them).
    Alias.objects.bulk_create(
        Alias(organization_id=row.organization_id, name=row.listed_as, source=Alias.Source.LETTER) for row in rows
    )
    if members:
        for row in rows[1 : members + 1]:
            row.member_of = rows[0]
        Signature.objects.bulk_update(rows[1 : members + 1], ["member_of"])
    letter.addressees.set(addressees)
    Demand.objects.bulk_create(
        Demand(letter=letter, position=n, text=text, target=target) for n, (text, target) in enumerate(demands, 1)
    )
    # Like every bulk writer, the fixture recounts what bulk_create did not signal.
    refresh_counts([letter.pk], organizations_of([letter.pk]))
    letter.refresh_from_db()
    return letter


@pytest.fixture
def interpol(db) -> Organization:
    return Organization.objects.create(
        name="INTERPOL", slug="interpol", acronym="INTERPOL", kind=Organization.Kind.INTERGOVERNMENTAL_BODY
    )


@pytest.fixture
def letter(interpol) -> Letter:
    """A published letter: 10 lines (2-4 under the coalition on line 1), line 7 withheld, 33 undisclosed."""
    return build_letter(
        10,
        undisclosed=33,
        withheld=(7,),
        members=3,
        addressees=(interpol,),
        demands=(("Suspend the junta's access to I-24/7.", interpol), ("Publish the decision.", None)),
    )


@pytest.fixture
def draft_letter(db) -> Letter:
    """A draft: never public, nor is an organization known only through it."""
    addressee = Organization.objects.create(name="Draft Addressee", slug="draft-addressee")
    return build_letter(
        3,
        slug="draft-letter",
        title="Draft letter not yet published",
        status=Letter.Status.DRAFT,
        addressees=(addressee,),
        demands=(("A draft demand.", addressee),),
        date=datetime.date(2023, 1, 5),
    )


ROW_LOCKS = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite locks the file"
)


@contextmanager
def held_by_another_transaction(lock: Callable[[], object]) -> Iterator[None]:
    """The block runs while another connection has run `lock` in a transaction it keeps open (then rolls back).

    Here, a lock wait of more than 2 s is an error: a page that waited for the row would fail, not hang the test.
    Needs `django_db(transaction=True)`, so the other connection sees this test's rows.
    """
    holding, release = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            lock()
            holding.set()
            release.wait(10)
            transaction.set_rollback(True)
        connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        yield
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
