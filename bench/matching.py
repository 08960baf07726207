"""Benchmark the organization matcher: 600 printed lines against ~200,000 organizations.

Standalone (no Django): `.venv/bin/python bench/matching.py [--orgs 200000] [--lines 600]`.
Prints figures, asserts nothing. The archive is synthetic but shaped like the seed letters:
"<Place> <Group> <Kind>" in Latin script, with acronyms, aliases, Burmese and Japanese names.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from organizations.matching import KnownName, Matcher, Rule  # noqa: E402

SEED = 20240201

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
    "Kalaymyo",
    "Hpa-An",
    "Mawlamyine",
    "Taunggyi",
    "Lashio",
    "Myitkyina",
    "Bhamo",
    "Hakha",
    "Falam",
    "Tedim",
    "Matupi",
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
    "Mohnyin",
    "Hopin",
    "Depayin",
    "Yinmarbin",
    "Salingyi",
    "Wetlet",
    "Ayadaw",
    "Budalin",
    "Chaung-U",
    "Khin-U",
    "Taze",
    "Gangaw",
    "Tilin",
    "Pale",
    "Kani",
    "Mingin",
    "Homalin",
    "Tamu",
    "Kanbalu",
    "Kawlin",
    "Wuntho",
    "Pinlebu",
    "Indaw",
    "Banmauk",
    "Myaung",
    "Launglon",
    "Yebyu",
    "Thayetchaung",
    "Palaw",
    "Tanintharyi",
    "Kawthaung",
    "Bokpyin",
    "Thaton",
    "Mudon",
    "Kyaikto",
    "Bilin",
    "Paung",
    "Ye",
    "Letpadan",
    "Tharrawaddy",
    "Minhla",
    "Minbu",
    "Salin",
    "Sidoktaya",
    "Ngape",
    "Seikphyu",
    "Yenangyaung",
    "Chauk",
    "Natmauk",
    "Taungdwingyi",
    "Aunglan",
    "Thayet",
    "Kamma",
    "Sinbaungwe",
    "Shwedaung",
    "Paungde",
    "Nattalin",
    "Zigon",
    "Okpho",
    "Gyobingauk",
    "Insein",
    "Hlaing",
    "Kamayut",
    "Sanchaung",
    "Tamwe",
    "Thaketa",
    "Dawbon",
    "Kyimyindaing",
    "Lanmadaw",
    "Latha",
    "Pabedan",
    "Mayangone",
    "Hlaingthaya",
    "Shwepyitha",
    "Dagon",
    "Thingangyun",
    "Yankin",
    "Bahan",
    "Mingalartaungnyunt",
    "Chanayethazan",
    "Chanmyathazi",
    "Aungmyethazan",
    "Mahaaungmyay",
    "Pyigyidagun",
    "Amarapura",
    "Patheingyi",
    "Madaya",
    "Singu",
    "Tada-U",
    "Natogyi",
    "Taungtha",
    "Auckland",
    "Wellington",
    "Sydney",
    "Melbourne",
    "Perth",
    "Brisbane",
    "Tokyo",
    "Osaka",
    "Kobe",
    "Yokohama",
    "Nagoya",
    "Fukuoka",
    "Sapporo",
    "Seoul",
    "Busan",
    "Gwangju",
    "Bangkok",
    "Chiang-Mai",
    "Mae-Sot",
    "Kuala-Lumpur",
    "Penang",
    "Singapore",
    "Jakarta",
    "Manila",
    "Dhaka",
    "London",
    "Dublin",
    "Oslo",
    "Stockholm",
    "Helsinki",
    "Copenhagen",
    "Prague",
    "Vienna",
    "Berlin",
    "Paris",
    "Geneva",
    "Zurich",
    "Brussels",
    "Amsterdam",
    "Toronto",
    "Ottawa",
    "Calgary",
    "Winnipeg",
    "Chicago",
    "Houston",
    "Dallas",
    "Omaha",
    "Utica",
    "Buffalo",
    "Indianapolis",
    "Washington",
    "Denver",
    "Phoenix",
    "Atlanta",
    "Austin",
    "Portland",
    "Seattle",
    "Boston",
    "Tulsa",
    "Milwaukee",
]

GROUPS = [
    "Basic-Education-Students'",
    "Women",
    "Youth",
    "Youths",
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
    "Students'",
    "University-Students'",
    "Scouts",
    "Villagers",
    "Muslim-Youth",
    "Christian-Youth",
    "Buddhist-Youth",
    "Ethnic-Youth",
    "Karen",
    "Kachin",
    "Chin",
    "Mon",
    "Shan",
    "Rakhine",
    "Karenni",
    "Kayan",
    "Ta'ang",
    "Pa-O",
    "Zomi",
    "Rohingya",
    "Bamar",
    "Lisu",
    "Naga",
    "Danu",
    "Rawang",
    "Kayin",
    "Akha",
    "Lahu",
    "Wa",
    "Intha",
]

KINDS = [
    "Union",
    "Network",
    "Strike-Committee",
    "Strike-Column",
    "Strike",
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
    "Information-Network",
    "Defence-Team",
    "Revolution-Force",
]

QUALIFIERS = [
    "Japan",
    "Korea",
    "Norway",
    "Australia",
    "Canada",
    "USA",
    "UK",
    "Ireland",
    "Finland",
    "Denmark",
    "Sweden",
    "Germany",
    "France",
    "Thailand",
    "Malaysia",
    "Singapore",
    "New-Zealand",
    "Netherlands",
    "Switzerland",
    "Czech-Republic",
    "Taiwan",
]

BURMESE_PLACES = [
    "မန္တလေး",
    "မုံရွာ",
    "ရန်ကုန်",
    "စစ်ကိုင်း",
    "မကွေး",
    "ပုဂံ",
    "ထားဝယ်",
    "မြိတ်",
    "ကလေး",
    "တောင်ကြီး",
    "လားရှိုး",
    "မြစ်ကြီးနား",
    "ဟားခါး",
    "လွိုင်ကော်",
    "စစ်တွေ",
    "ပုသိမ်",
    "ပခုက္ကူ",
    "မြင်းခြံ",
    "မိတ္ထီလာ",
    "ကျောက်ဆည်",
]
BURMESE_GROUPS = ["လူငယ်", "အမျိုးသမီး", "ကျောင်းသား", "ဆရာ", "လယ်သမား", "အလုပ်သမား", "ဆေးဘက်", "ကဗျာဆရာ", "လူထု", "သံဃာ"]
BURMESE_KINDS = ["များသမဂ္ဂ", "သပိတ်စစ်ကြောင်း", "ကွန်ရက်", "အဖွဲ့", "ကော်မတီ", "အသင်း", "တပ်ပေါင်းစု"]
JAPANESE_PREFIX = ["一般社団法人", "特定非営利活動法人", "NPO法人", ""]
JAPANESE_STEMS = ["ミャンマー", "ビルマ", "カレン", "カチン", "チン", "シャン", "モン", "ロヒンギャ"]
JAPANESE_KINDS = ["支援財団", "支援協会", "友好協会", "難民支援会", "市民ネットワーク", "青年会", "女性会", "学生連合"]


def words(token: str) -> str:
    return token.replace("-", " ")


def acronym(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isalpha() and w[0].isupper())


def latin_name(rng: random.Random) -> str:
    place, group, kind = rng.choice(PLACES), words(rng.choice(GROUPS)), words(rng.choice(KINDS))
    pattern = rng.random()
    if pattern < 0.40:
        name = f"{words(place)} {group} {kind}"
    elif pattern < 0.55:
        name = f"{group} {kind} ({words(place)})"
    elif pattern < 0.70:
        name = f"{words(place)} Township {group} {kind}"
    elif pattern < 0.82:
        name = f"{group} {kind} of {words(rng.choice(PLACES))}, {words(rng.choice(QUALIFIERS))}"
    elif pattern < 0.92:
        name = f"No.{rng.randint(1, 40)} {words(place)} {group} {kind}"
    else:
        name = f"{words(place)} {group} {kind} – {words(rng.choice(QUALIFIERS))}"
    if rng.random() < 0.25:
        short = acronym(name)
        if len(short) >= 3:
            name = f"{name} ({short})"
    return name


def burmese_name(rng: random.Random) -> str:
    name = f"{rng.choice(BURMESE_PLACES)} {rng.choice(BURMESE_GROUPS)}{rng.choice(BURMESE_KINDS)}"
    if rng.random() < 0.5:  # bilingual, as on the ethnic-resistance letter
        name = f"{name} – {latin_name(rng)}"
    return name


def japanese_name(rng: random.Random) -> str:
    name = f"{rng.choice(JAPANESE_PREFIX)} {rng.choice(JAPANESE_STEMS)}{rng.choice(JAPANESE_KINDS)}".strip()
    return f"{name} {words(rng.choice(PLACES))}"


def archive(size: int, rng: random.Random) -> list[str]:
    names: dict[str, None] = {}
    while len(names) < size:
        roll = rng.random()
        name = burmese_name(rng) if roll < 0.06 else japanese_name(rng) if roll < 0.09 else latin_name(rng)
        names.setdefault(name, None)
    return list(names)


def known_names(organizations: list[str], rng: random.Random) -> list[KnownName]:
    """Canonical name + one more name each (acronym, spelling seen on a letter): ~2 names an org."""
    known = []
    for org_id, name in enumerate(organizations, start=1):
        known.append(KnownName(org_id, name, name, True))
        roll = rng.random()
        if roll < 0.3 and name.endswith(")") and name[name.rindex("(") + 1 : -1].isupper():
            alias = name[name.rindex("(") + 1 : -1]  # the acronym alone
        elif roll < 0.6:
            alias = name.upper()
        else:
            alias = name.replace(" ", "  ").replace("'", "’")
        known.append(KnownName(org_id, name, alias, False))
    return known


def typo(name: str, rng: random.Random) -> str:
    words_ = name.split()
    long_words = [i for i, w in enumerate(words_) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return name + "s"
    i = rng.choice(long_words)
    word = words_[i]
    j = rng.randrange(2, len(word) - 1)
    words_[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]  # transposition, like "Twonship"
    return " ".join(words_)


def lines(organizations: list[str], count: int, rng: random.Random) -> list[tuple[str, str, int | None]]:
    """(printed line, kind, the organization id it should resolve to, None for a new one)."""
    out: list[tuple[str, str, int | None]] = []
    for _ in range(count):
        roll = rng.random()
        org_id = rng.randrange(len(organizations))
        name = organizations[org_id]
        org_id += 1  # ids start at 1, see known_names()
        if roll < 0.35:
            out.append((name, "as known", org_id))
        elif roll < 0.50:
            out.append((name.replace("–", "-").replace("'", "’").lower(), "case/punctuation", org_id))
        elif roll < 0.75:
            out.append((typo(name, rng), "OCR slip", org_id))
        else:
            out.append((f"{rng.choice(['Free', 'United', 'Spring'])} {latin_name(rng)}", "new", None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=200_000)
    parser.add_argument("--lines", type=int, default=600)
    args = parser.parse_args()
    rng = random.Random(SEED)

    started = time.perf_counter()
    organizations = archive(args.orgs, rng)
    known = known_names(organizations, rng)
    sample = lines(organizations, args.lines, rng)
    queries = [line for line, _, _ in sample]
    generated = time.perf_counter() - started

    started = time.perf_counter()
    matcher = Matcher(known)
    built = time.perf_counter() - started

    started = time.perf_counter()
    results = [matcher.match(line) for line in queries]
    matched = time.perf_counter() - started

    started = time.perf_counter()
    matcher.match_many(queries)
    batched = time.perf_counter() - started

    rules = Counter(result.rule.value for result in results)
    print(f"archive: {len(organizations):,} organizations, {len(known):,} names (generated in {generated:.1f} s)")
    print(f"build:   {built:.2f} s")
    print(f"match:   {len(queries)} lines in {matched:.3f} s = {len(queries) / matched:,.0f} lines/s (match)")
    print(
        f"batch:   {len(queries)} lines in {batched:.3f} s = {len(queries) / batched:,.0f} lines/s (match_many, warm caches)"
    )
    print("rules:   " + ", ".join(f"{rule} {rules.get(rule.value, 0)}" for rule in Rule))
    # How the decisions compare with what each synthetic line was made from. The synthetic archive
    # holds near-twins ("X" and "X (ACR)" as two organizations), so some ambiguity is expected.
    outcome: dict[str, Counter[str]] = {}
    for (_, kind, expected), result in zip(sample, results, strict=True):
        if result.organization_id is None:
            verdict = result.rule.value
        else:
            verdict = "right organization" if result.organization_id == expected else "WRONG organization"
        outcome.setdefault(kind, Counter())[verdict] += 1
    for kind, counts in outcome.items():
        print(f"  {kind:17} " + ", ".join(f"{verdict} {n}" for verdict, n in counts.most_common()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB (whole process, generator included)")


if __name__ == "__main__":
    main()
