"""Build a deterministic synthetic archive of realistic shape, with bulk inserts (COPY on PostgreSQL).

For benchmarks and scale tests, never for a real archive: every name, title and body is made up.
Shape: signatory lists of 20 to 600 lines with a long tail (log-normal, median ~150), a few "hub" organizations
that sign thousands of letters, names in Latin, Burmese and Japanese script, acronyms and aliases, coalitions
with their members listed under them, addressees (government and intergovernmental bodies), numbered demands
with targets and themes, drafts, undisclosed counts and withheld signatures.
"""

import datetime
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.postgres.search import SearchVector
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from letters.backups import empty_archive
from letters.counts import refresh_all_counts
from letters.models import Demand, Letter, Signature, Theme
from letters.rendering import render_markdown
from organizations.match_index import rebuild_match_index
from organizations.models import Alias, MatchEntry, MatchName, MatchPosting, Organization

# --- Vocabulary ----------------------------------------------------------------------------------------------------

PLACES = [
    "Mandalay",
    "Monywa",
    "Yangon",
    "Sagaing",
    "Magway",
    "Bago",
    "Pyay",
    "Dawei",
    "Myeik",
    "Kalay",
    "Hpa-An",
    "Mawlamyine",
    "Taunggyi",
    "Lashio",
    "Myitkyina",
    "Bhamo",
    "Hakha",
    "Falam",
    "Tedim",
    "Mindat",
    "Loikaw",
    "Sittwe",
    "Thandwe",
    "Pathein",
    "Hinthada",
    "Pakokku",
    "Myingyan",
    "Meiktila",
    "Kyaukse",
    "Shwebo",
    "Katha",
    "Mogaung",
    "Hopin",
    "Depayin",
    "Yinmarbin",
    "Salingyi",
    "Ayadaw",
    "Budalin",
    "Gangaw",
    "Tilin",
    "Kani",
    "Homalin",
    "Tamu",
    "Kanbalu",
    "Kawlin",
    "Indaw",
    "Launglon",
    "Yebyu",
    "Palaw",
    "Kawthaung",
    "Thaton",
    "Mudon",
    "Kyaikto",
    "Bilin",
    "Letpadan",
    "Minbu",
    "Salin",
    "Chauk",
    "Natmauk",
    "Thayet",
    "Insein",
    "Hlaing",
    "Kamayut",
    "Sanchaung",
    "Tamwe",
    "Dagon",
    "Bahan",
    "Amarapura",
    "Madaya",
    "Singu",
    "Taungtha",
    "Tokyo",
    "Osaka",
    "Seoul",
    "Bangkok",
    "Mae-Sot",
    "Chiang-Mai",
    "Kuala-Lumpur",
    "Singapore",
    "Jakarta",
    "Manila",
    "Dhaka",
    "London",
    "Dublin",
    "Oslo",
    "Stockholm",
    "Prague",
    "Berlin",
    "Paris",
    "Geneva",
    "Brussels",
    "Toronto",
    "Calgary",
    "Chicago",
    "Washington",
    "Sydney",
    "Melbourne",
    "Auckland",
    "Fort-Wayne",
    "Utica",
]
GROUPS = [
    "Students'",
    "Women",
    "Youth",
    "People's",
    "Teachers'",
    "Farmers",
    "Workers'",
    "Medical",
    "LGBT",
    "Engineers",
    "Monks",
    "Artists",
    "Poets'",
    "Lawyers",
    "Nurses",
    "Doctors",
    "Villagers",
    "Karen",
    "Kachin",
    "Chin",
    "Mon",
    "Shan",
    "Rakhine",
    "Karenni",
    "Ta'ang",
    "Pa-O",
    "Zomi",
    "Rohingya",
    "Lisu",
    "Naga",
    "Danu",
    "Basic-Education-Students'",
    "University-Students'",
    "Muslim-Youth",
    "Christian-Youth",
    "Buddhist-Youth",
    "Ethnic-Youth",
]
KINDS = [
    "Union",
    "Network",
    "Strike-Committee",
    "Strike-Column",
    "Association",
    "Alliance",
    "Federation",
    "Council",
    "Forum",
    "Group",
    "Foundation",
    "Society",
    "Community",
    "Committee",
    "Coalition",
    "Movement",
    "Collective",
    "Initiative",
    "Support-Group",
    "Relief-Team",
    "Defence-Team",
]
COUNTRIES = [
    "Japan",
    "Korea",
    "Norway",
    "Australia",
    "Canada",
    "USA",
    "UK",
    "Ireland",
    "Sweden",
    "Germany",
    "France",
    "Thailand",
    "Malaysia",
    "Taiwan",
]
BURMESE_PLACES = [
    "မန္တလေး",
    "မုံရွာ",
    "ရန်ကုန်",
    "စစ်ကိုင်း",
    "မကွေး",
    "ထားဝယ်",
    "မြိတ်",
    "ကလေး",
    "တောင်ကြီး",
    "လားရှိုး",
    "ဟားခါး",
    "စစ်တွေ",
    "ပုသိမ်",
    "ပခုက္ကူ",
]
BURMESE_GROUPS = ["လူငယ်", "အမျိုးသမီး", "ကျောင်းသား", "ဆရာ", "လယ်သမား", "အလုပ်သမား", "ဆေးဘက်", "ကဗျာဆရာ", "လူထု"]
BURMESE_KINDS = ["များသမဂ္ဂ", "သပိတ်စစ်ကြောင်း", "ကွန်ရက်", "အဖွဲ့", "ကော်မတီ", "အသင်း"]
JAPANESE_PREFIXES = ("一般社団法人", "特定非営利活動法人", "NPO法人", "")
JAPANESE_STEMS = ["ミャンマー", "ビルマ", "カレン", "カチン", "チン", "シャン", "モン", "ロヒンギャ"]
JAPANESE_KINDS = ["支援財団", "支援協会", "友好協会", "難民支援会", "市民ネットワーク", "青年会", "女性会", "学生連合"]

ADDRESSEES = (
    ("United Nations Security Council", "UNSC", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("Association of Southeast Asian Nations", "ASEAN", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("INTERPOL", "INTERPOL", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("UN Human Rights Council", "HRC", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("European Union", "EU", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("International Criminal Court", "ICC", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("UN Secretary-General", "", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("ADMM-Plus", "", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("World Bank", "", Organization.Kind.INTERGOVERNMENTAL_BODY),
    ("Ministry of Defense of Japan", "", Organization.Kind.GOVERNMENT_BODY),
    ("Government of Thailand", "", Organization.Kind.GOVERNMENT_BODY),
    ("Government of India", "", Organization.Kind.GOVERNMENT_BODY),
    ("Government of China", "", Organization.Kind.GOVERNMENT_BODY),
    ("Government of Russia", "", Organization.Kind.GOVERNMENT_BODY),
    ("Government of Singapore", "", Organization.Kind.GOVERNMENT_BODY),
    ("United States Department of State", "", Organization.Kind.GOVERNMENT_BODY),
    ("Foreign, Commonwealth & Development Office", "FCDO", Organization.Kind.GOVERNMENT_BODY),
    ("Total Energies", "", Organization.Kind.ORGANIZATION),
    ("Chevron", "", Organization.Kind.ORGANIZATION),
    ("Puma Energy", "", Organization.Kind.ORGANIZATION),
)
TOPICS = (
    "a global arms embargo",
    "jet fuel sales to the military",
    "targeted sanctions on military businesses",
    "referral to the International Criminal Court",
    "the junta's seat at regional meetings",
    "humanitarian aid across borders",
    "the protection of refugees",
    "airstrikes on schools and clinics",
    "the release of political prisoners",
    "recognition of the National Unity Government",
    "access to INTERPOL's databases",
    "the sham elections",
)
THEMES = (
    ("Arms embargo", "arms-embargo"),
    ("Sanctions", "sanctions"),
    ("ICC referral", "icc-referral"),
    ("Exclusion from meetings", "exclusion-from-meetings"),
    ("Recognition", "recognition"),
    ("Humanitarian access", "humanitarian-access"),
    ("Accountability", "accountability"),
    ("Aviation fuel", "aviation-fuel"),
)
DEMAND_TEXTS = (
    "Impose a comprehensive global arms embargo on the military.",
    "Stop the sale and transfer of aviation fuel to the military.",
    "Impose targeted sanctions on military-owned businesses and their partners.",
    "Refer the situation to the International Criminal Court.",
    "Exclude the junta's representatives from all meetings.",
    "Recognise the National Unity Government as the legitimate government.",
    "Ensure cross-border humanitarian aid reaches displaced people.",
    "Suspend the military's access to shared databases and networks.",
    "Release all political prisoners immediately and unconditionally.",
    "Reject the junta's planned elections as a sham.",
)
PARAGRAPHS = (
    "We, the undersigned {count} civil society organizations, write to you about {topic}.",
    "Since the attempted coup, the military has killed thousands of civilians in {place} and across Myanmar, "
    "burned villages, and bombed schools, clinics and monasteries.",
    "Your decision on {topic} will be read in {place} as a signal: either of solidarity with the people, or of "
    "complicity with a junta that has no legitimacy.",
    "We urge you to act **without delay** and to consult civil society, including women's and youth groups.",
    "The people of Myanmar have made their choice clear through the Spring Revolution; the junta's crimes must "
    "not go unpunished.",
    "## Background\n\nReports by the UN Fact-Finding Mission and the Independent Investigative Mechanism document "
    "crimes against humanity and war crimes.",
)


HUBS = 12  # organizations that sign 5% to 30% of all letters each
MIN_ORGANIZATIONS = len(ADDRESSEES) + HUBS + 20


def words(token: str) -> str:
    return token.replace("-", " ")


def acronym_of(name: str) -> str:
    return "".join(word[0] for word in words(name).split() if word[0].isupper())


class Shape:
    """All random choices, from one random.Random(seed): the same seed gives the same archive."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def latin_name(self) -> str:
        rng = self.rng
        place, group, kind = words(rng.choice(PLACES)), words(rng.choice(GROUPS)), words(rng.choice(KINDS))
        roll = rng.random()
        if roll < 0.45:
            return f"{place} {group} {kind}"
        if roll < 0.60:
            return f"{group} {kind} ({place})"
        if roll < 0.75:
            return f"{place} Township {group} {kind}"
        if roll < 0.88:
            return f"{group} {kind} of {place}, {rng.choice(COUNTRIES)}"
        return f"{place} {group} {kind} – {rng.choice(COUNTRIES)}"

    def burmese_name(self) -> str:
        rng = self.rng
        name = f"{rng.choice(BURMESE_PLACES)} {rng.choice(BURMESE_GROUPS)}{rng.choice(BURMESE_KINDS)}"
        return f"{name} – {self.latin_name()}" if rng.random() < 0.5 else name

    def japanese_name(self) -> str:
        rng = self.rng
        stem = f"{rng.choice(JAPANESE_PREFIXES)} {rng.choice(JAPANESE_STEMS)}{rng.choice(JAPANESE_KINDS)}".strip()
        return f"{stem} {words(rng.choice(PLACES))}"

    def organization_name(self) -> str:
        roll = self.rng.random()
        if roll < 0.07:
            return self.burmese_name()
        if roll < 0.11:
            return self.japanese_name()
        return self.latin_name()

    def list_size(self, most: int = 600) -> int:
        """Log-normal around 150 (mean ~200), clipped to the 20..600 lines of real letters (or `most` signers)."""
        return max(20, min(most, round(self.rng.lognormvariate(math.log(150), 0.75))))


@contextmanager
def bulk_writer(model: type[models.Model], fields: tuple[str, ...], batch: int) -> Iterator[Callable]:
    """A `put(row)` for rows of `fields` (attnames): COPY on PostgreSQL, bulk_create in batches elsewhere."""
    if connection.vendor == "postgresql":
        # COPY knows nothing of Django's defaults: every other column gets its field's default, once.
        others = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in fields
            and not f.primary_key
            and not f.generated  # computed by the database (Letter.signatory_total); COPY refuses them
            and not (f.null and not f.has_default())
        ]
        now = timezone.now()
        extra = tuple(
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in others
        )
        names = [model._meta.get_field(f).column for f in fields] + [f.column for f in others]
        columns = ", ".join(connection.ops.quote_name(name) for name in names)
        table = connection.ops.quote_name(model._meta.db_table)
        # Django's CursorWrapper holds psycopg's own cursor, which speaks COPY.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            write = copy.write_row
            yield (lambda row: write(row + extra)) if extra else write
        return
    pending: list[models.Model] = []

    def put(row: tuple) -> None:
        pending.append(model(**dict(zip(fields, row, strict=True))))
        if len(pending) >= batch:
            model.objects.bulk_create(pending, batch_size=batch)
            pending.clear()

    yield put
    if pending:
        model.objects.bulk_create(pending, batch_size=batch)


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic archive (letters, organizations, signatures, aliases, demands) with "
        "bulk inserts, for benchmarks. Refuses a non-empty archive unless --append or --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--letters", type=int, default=200, help="Letters to generate (default 200).")
        parser.add_argument("--organizations", type=int, default=2000, help="Organizations (default 2,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed, the same archive.")
        parser.add_argument("--append", action="store_true", help="Add to an archive that already holds data.")
        parser.add_argument("--force", action="store_true", help="Delete everything in the archive first.")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per bulk_create batch (not COPY).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be generated; write nothing.")

    def handle(self, *args, **options):
        letters, organizations = options["letters"], options["organizations"]
        if letters < 1 or organizations < MIN_ORGANIZATIONS:
            raise CommandError(f"Need --letters >= 1 and --organizations >= {MIN_ORGANIZATIONS}.")
        if options["append"] and options["force"]:
            raise CommandError("--append keeps what is there, --force deletes it: choose one.")
        if options["dry_run"]:
            self.stdout.write(
                f"Would generate {letters:,} letters, {organizations:,} organizations and about "
                f"{letters * 200:,} signatures (seed {options['seed']}) on {connection.vendor}; nothing written."
            )
            return
        if (Letter.objects.exists() or Organization.objects.exists()) and not (options["append"] or options["force"]):
            raise CommandError(
                "The archive is not empty: --append to add to it, --force to delete everything first "
                "(use a throwaway database)."
            )
        self.batch = options["batch_size"]
        self.started = time.perf_counter()
        with transaction.atomic():
            if options["force"]:
                self.delete_everything()
            self.generate(Shape(options["seed"]), letters, organizations)
            # COPY sends no signals: the matcher's index is computed from the names just written.
            rebuild_match_index()
            self.step("indexed the names for the matcher")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Organization, Alias, Letter, Signature, Demand, MatchName, MatchEntry, MatchPosting):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            self.step("analyzed the tables")
        from archive.cache import bump_archive_version

        bump_archive_version()  # bulk inserts send no signals: cached pages are stale now
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - self.started:.1f} s."))

    def step(self, what: str) -> None:
        self.stdout.write(f"[{time.perf_counter() - self.started:7.1f} s] {what}")
        self.stdout.flush()

    def delete_everything(self) -> None:
        empty_archive()
        self.step("deleted the archive (--force)")

    def generate(self, shape: Shape, letter_count: int, organization_count: int) -> None:
        rng = shape.rng
        now = timezone.now()
        first_org, first_letter = next_id(Organization), next_id(Letter)

        # Organizations: addressees first, then signatories, names unique within this run.
        names: list[str] = []
        acronyms: list[str] = []
        kinds: list[str] = []
        seen: set[str] = set()
        for name, acronym, kind in ADDRESSEES:
            names.append(name), acronyms.append(acronym), kinds.append(kind), seen.add(name)
        while len(names) < organization_count:
            name = shape.organization_name()
            if name in seen:
                name = f"No.{rng.randint(1, 999)} {name}"
                if name in seen:
                    continue
            seen.add(name)
            roll = rng.random()
            acronym = acronym_of(name) if roll < 0.25 and len(acronym_of(name)) >= 3 else ""
            kind = (
                Organization.Kind.COALITION
                if roll > 0.985
                else Organization.Kind.NETWORK
                if roll > 0.97
                else Organization.Kind.INDIVIDUAL
                if roll > 0.96
                else Organization.Kind.ORGANIZATION
            )
            names.append(name), acronyms.append(acronym), kinds.append(kind)
        fields = ("id", "name", "slug", "acronym", "kind", "country", "website", "needs_review", "created_at")
        with bulk_writer(Organization, (*fields, "updated_at"), self.batch) as put:
            for index, (name, acronym, kind) in enumerate(zip(names, acronyms, kinds, strict=True)):
                org_id = first_org + index
                slug = f"{slugify(name)[:60].strip('-') or 'organization'}-{org_id}"
                country = rng.choice(COUNTRIES) if rng.random() < 0.1 else ""
                put((org_id, name, slug, acronym, kind, country, "", False, now, now))
        self.step(f"{organization_count:,} organizations")

        # Aliases: a spelling seen on letters for some, a name in another script or an acronym for others.
        variant: dict[int, str] = {}
        with bulk_writer(Alias, ("organization_id", "name", "source", "created_at"), self.batch) as put:
            for index in range(len(ADDRESSEES), organization_count):
                roll = rng.random()
                if roll < 0.08:
                    variant[index] = names[index].upper() if rng.random() < 0.5 else names[index].replace(" ", "  ")
                    put((first_org + index, variant[index], Alias.Source.LETTER, now))
                elif roll < 0.12:
                    put((first_org + index, shape.burmese_name(), Alias.Source.CURATOR, now))
                elif roll < 0.15 and acronyms[index]:
                    put((first_org + index, acronyms[index], Alias.Source.ACRONYM, now))
        self.step(f"{len(variant):,} letter spellings and other aliases")

        themes = list(Theme.objects.filter(slug__in=[slug for _, slug in THEMES]))
        known = {theme.slug for theme in themes}
        themes += Theme.objects.bulk_create(Theme(name=n, slug=s) for n, s in THEMES if s not in known)

        # Letters: dates over ten years, sizes with a long tail, ~3% drafts, ~20% with an undisclosed count.
        hubs = list(range(len(ADDRESSEES), len(ADDRESSEES) + HUBS))
        hub_rate = {org: 0.05 + 0.25 * n / (len(hubs) - 1) for n, org in enumerate(hubs)}
        start = datetime.date(2015, 1, 1)
        most = min(600, organization_count - len(ADDRESSEES) - HUBS)
        plans = []
        letter_fields = [
            "id",
            "title",
            "slug",
            "date",
            "kind",
            "status",
            "subject",
            "body",
            "body_html",
            "language",
            "source_url",
            "source_text",
            "source_sha256",
            "declared_signatory_count",
            "undisclosed_signatory_count",
            "created_at",
            "updated_at",
        ]
        with bulk_writer(Letter, tuple(letter_fields), self.batch) as put:
            for index in range(letter_count):
                letter_id = first_letter + index
                # One letter at the 600-line maximum (a small archive has fewer signers than that).
                size = most if index == 0 else shape.list_size(most)
                addressees = rng.sample(range(len(ADDRESSEES)), rng.choice((1, 1, 1, 2, 3)))
                topic, place = rng.choice(TOPICS), words(rng.choice(PLACES))
                kind = rng.choice(Letter.Kind.values)
                roll = rng.random()
                if roll < 0.04:
                    title = f"{rng.choice(BURMESE_PLACES)} အရပ်ဘက်အဖွဲ့အစည်းများ၏ ပွင့်လင်းပေးစာ {index}"
                elif roll < 0.07:
                    title = f"{names[addressees[0]]}への公開書簡 {index}"
                else:
                    label = Letter.Kind(kind).label
                    title = f"{label} to {names[addressees[0]]} on {topic} ({place}, no. {index})"
                undisclosed = rng.randint(3, 120) if rng.random() < 0.2 else None
                body = "\n\n".join(
                    p.format(count=size + (undisclosed or 0), topic=topic, place=place)
                    for p in rng.sample(PARAGRAPHS, rng.randint(3, 5))
                )
                status = Letter.Status.DRAFT if rng.random() < 0.03 else Letter.Status.PUBLISHED
                date = start + datetime.timedelta(days=rng.randrange(3650))
                slug = f"{slugify(title)[:90].strip('-') or 'letter'}-{letter_id}"
                source_url = f"https://example.org/letters/{letter_id}"
                put(
                    (letter_id, title, slug, date, kind, status, f"On {topic}", body, render_markdown(body), "en")
                    + (source_url, "", "", size + (undisclosed or 0), undisclosed, now, now)
                )
                plans.append((letter_id, size, addressees, topic))
        drafts = Letter.objects.filter(pk__gte=first_letter, status=Letter.Status.DRAFT).count()
        self.step(f"{letter_count:,} letters ({drafts:,} drafts)")

        through = Letter.addressees.through
        with bulk_writer(through, ("letter_id", "organization_id"), self.batch) as put:
            for letter_id, _size, addressees, _topic in plans:
                for index in addressees:
                    put((letter_id, first_org + index))
        demand_id = next_id(Demand)
        demand_themes = []
        with bulk_writer(Demand, ("id", "letter_id", "position", "text", "target_id"), self.batch) as put:
            for letter_id, _size, addressees, _topic in plans:
                for position in range(1, rng.choice((0, 0, 2, 3, 4, 6)) + 1):
                    target = first_org + rng.choice(addressees) if rng.random() < 0.8 else None
                    put((demand_id, letter_id, position, rng.choice(DEMAND_TEXTS), target))
                    demand_themes.append((demand_id, rng.choice(themes).pk))
                    demand_id += 1
        with bulk_writer(Demand.themes.through, ("demand_id", "theme_id"), self.batch) as put:
            for row in demand_themes:
                put(row)
        self.step(f"addressees and {len(demand_themes):,} demands")

        # Signatures: hubs by their rate, the rest from a long-tailed popularity (Zipf-like) over everyone else.
        pool = list(range(len(ADDRESSEES) + len(hubs), organization_count))
        rng.shuffle(pool)
        cumulative, total = [], 0.0
        for rank in range(1, len(pool) + 1):
            total += rank**-0.6
            cumulative.append(total)
        signature_id = next_id(Signature)
        written = withheld = 0
        fields = ("id", "letter_id", "organization_id", "position", "listed_as", "member_of_id", "note", "withheld")
        with bulk_writer(Signature, (*fields, "created_at"), self.batch) as put:
            for number, (letter_id, size, _addressees, _topic) in enumerate(plans, start=1):
                chosen = [org for org in hubs if rng.random() < hub_rate[org]][:size]
                taken = set(chosen)
                if (size - len(chosen)) * 2 > len(pool):  # a small archive: most of the pool signs, uniformly
                    chosen += rng.sample([org for org in pool if org not in taken], size - len(chosen))
                while len(chosen) < size:
                    for org in rng.choices(pool, cum_weights=cumulative, k=size - len(chosen)):
                        if org not in taken:
                            taken.add(org)
                            chosen.append(org)
                rng.shuffle(chosen)
                # A coalition line with 3 to 8 members printed under it, on one letter in ten.
                coalition = rng.randrange(size - 9) if size > 30 and rng.random() < 0.1 else None
                hidden = set(rng.sample(range(size), rng.randint(1, 3))) if rng.random() < 0.1 else set()
                members = rng.randint(3, 8)
                for position, index in enumerate(chosen, start=1):
                    listed_as = variant[index] if index in variant and rng.random() < 0.5 else names[index]
                    member_of = None
                    if coalition is not None and coalition + 1 < position <= coalition + 1 + members:
                        member_of = signature_id - (position - coalition - 1)
                    put(
                        (signature_id, letter_id, first_org + index, position, listed_as, member_of, "")
                        + (position - 1 in hidden, now)
                    )
                    signature_id += 1
                written += size
                withheld += len(hidden)
                if number % 2000 == 0:
                    self.step(f"  {number:,} letters signed, {written:,} signatures")
        self.step(f"{written:,} signatures ({withheld:,} withheld)")

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Organization, Alias, Letter, Signature, Demand, through, Demand.themes.through):
                    table = model._meta.db_table
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}))",
                        [table],
                    )
            # The same vector Letter.save() computes, for every new letter in one statement.
            Letter.objects.filter(pk__gte=first_letter).update(
                search_vector=SearchVector("title", weight="A", config="english")
                + SearchVector("subject", weight="B", config="english")
                + SearchVector("body", weight="C", config="english")
            )
            self.step("sequences set, search vectors computed")
        # Rows went in with COPY or bulk_create, which send no signal: count them all once.
        refresh_all_counts()
        self.step("public counts stored")
