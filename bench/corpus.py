"""Score the import's parser on real letters: `bench/corpus.py [DIR]` (default ../shared/corpus).

Each letter is a pair NN-slug.txt (the text as pasted) and NN-slug.json (what a careful reader found in it: every
signatory entry as printed, the stated total, the undisclosed count, the date, the addressees, the demands). The
parser runs on the text exactly as the import's dry run does (`letters.parsing.parse_letter`; matching decides which
organization a line is, not which lines there are) and each field is compared:

- entries: precision, recall and F1 of the printed entries as multisets, after normalising case, whitespace, quotes
  and the " | " / line breaks that join a table row's cells or a person's affiliation lines (an entry is its
  `listed_as` with its note, which keeps those cells and lines);
- total and undisclosed: the figure the letter states, None when it states none (a bound such as "over 145" is none);
  an undisclosed count of 0 (the import's reading of a stated total that equals the names listed) counts as none;
- date: the letter's own date, None when none is printed;
- addressees: each addressee of the gold record (copies, "cc:", aside) found among the parsed ones, and no parsed
  addressee that is none of the gold's;
- demands: the number of numbered, lettered or bulleted demands.

A letter is right when every field is: entries F1 at least ENTRIES_RIGHT, every other field equal. The corpus is read
from ../shared and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz  # noqa: E402

from letters.parsing import ParsedLetter, parse_letter  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ENTRIES_RIGHT = 0.98
# A parsed addressee stands for a gold one when its words are (nearly) all among the gold's.
ADDRESSEE_SIMILARITY = 90
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'"})
COPY = re.compile(r"^(?:b?cc|c/c|copy\s+to)\b[.:]?\s*", re.I)


def normalize(entry: str) -> str:
    text = unicodedata.normalize("NFC", entry).translate(QUOTES).replace("|", " ")
    return " ".join(text.split()).casefold()


def parsed_entries(parsed: ParsedLetter) -> list[str]:
    return [f"{s.listed_as} {s.note}" if s.note else s.listed_as for s in parsed.signatories]


@dataclass
class EntryScore:
    precision: float
    recall: float
    f1: float
    missing: list[str]
    extra: list[str]


def score_entries(found: list[str], gold: list[str]) -> EntryScore:
    found_counts, gold_counts = Counter(map(normalize, found)), Counter(map(normalize, gold))
    common = sum((found_counts & gold_counts).values())
    precision = common / sum(found_counts.values()) if found_counts else (1.0 if not gold_counts else 0.0)
    recall = common / sum(gold_counts.values()) if gold_counts else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return EntryScore(
        precision,
        recall,
        f1,
        sorted((gold_counts - found_counts).elements()),
        sorted((found_counts - gold_counts).elements()),
    )


def words(text: str) -> str:
    """The words of an addressee: the gold joins a person's lines with commas the letter does not print."""
    return " ".join(re.findall(r"\w+", normalize(text)))


def addressee_core(name: str) -> str:
    """The printed addressee, without the "cc:" mark and the gold's explanation in brackets."""
    return COPY.sub("", name).split(" (")[0].strip()


def score_addressees(found: list[str], gold: list[str]) -> tuple[int, int, bool]:
    """(gold addressees found, gold addressees to find, right): copies need not be found but may be."""
    wanted = [addressee_core(g) for g in gold if not COPY.match(g)]
    every = [addressee_core(g) for g in gold]

    def same(a: str, b: str) -> bool:
        return fuzz.token_set_ratio(a, b, processor=words) >= ADDRESSEE_SIMILARITY

    hits = sum(1 for g in wanted if any(same(f, g) for f in found))
    strays = [f for f in found if not any(same(f, g) for g in every)]
    return hits, len(wanted), hits == len(wanted) and not strays


@dataclass
class LetterScore:
    name: str
    entries: EntryScore
    total: tuple[int | None, int | None]
    undisclosed: tuple[int | None, int | None]
    date: tuple[str | None, str | None]
    addressees: tuple[int, int, bool]
    demands: tuple[int, int]
    seconds: float

    @property
    def fields_right(self) -> dict[str, bool]:
        return {
            "entries": self.entries.f1 >= ENTRIES_RIGHT,
            "total": self.total[0] == self.total[1],
            "undisclosed": (self.undisclosed[0] or None) == self.undisclosed[1],
            "date": self.date[0] == self.date[1],
            "addressees": self.addressees[2],
            "demands": self.demands[0] == self.demands[1],
        }

    @property
    def right(self) -> bool:
        return all(self.fields_right.values())


def score_letter(text_path: Path) -> LetterScore:
    gold = json.loads(text_path.with_suffix(".json").read_text(encoding="utf-8"))
    text = text_path.read_text(encoding="utf-8")
    started = time.perf_counter()
    parsed = parse_letter(text)
    seconds = time.perf_counter() - started
    return LetterScore(
        name=text_path.stem,
        entries=score_entries(parsed_entries(parsed), gold["signatories"]),
        total=(parsed.declared_total, gold["declared_total_signatories"]),
        undisclosed=(parsed.undisclosed, gold["undisclosed_count"]),
        date=(parsed.date.isoformat() if parsed.date else None, gold["date"]),
        addressees=score_addressees(parsed.addressees, gold["addressees"]),
        demands=(len(parsed.demands), len(gold["demands"])),
        seconds=seconds,
    )


NONE = "-"


def mark(ok: bool, text: str) -> str:
    return text if ok else f"{text}*"


def print_table(scores: list[LetterScore], out) -> None:
    out.write(
        f"{'letter':<44} {'P':>5} {'R':>5} {'F1':>5}  {'total':>11}  {'undiscl.':>9}  {'date':>23}  "
        f"{'addr.':>5}  {'demands':>7}  ok\n"
    )
    for s in scores:
        right = s.fields_right
        out.write(
            f"{s.name[:44]:<44} {s.entries.precision:5.3f} {s.entries.recall:5.3f} "
            f"{mark(right['entries'], f'{s.entries.f1:.3f}'):>6} "
            f"{mark(right['total'], f'{s.total[0]}/{s.total[1]}'):>11}  "
            f"{mark(right['undisclosed'], f'{s.undisclosed[0]}/{s.undisclosed[1]}'):>9}  "
            f"{mark(right['date'], f'{s.date[0] or NONE}/{s.date[1] or NONE}'):>23}  "
            f"{mark(right['addressees'], f'{s.addressees[0]}/{s.addressees[1]}'):>5}  "
            f"{mark(right['demands'], f'{s.demands[0]}/{s.demands[1]}'):>7}  {'yes' if s.right else 'no'}\n"
        )
    count = len(scores)
    fields = scores[0].fields_right.keys() if scores else []
    out.write(
        f"\n{sum(s.right for s in scores)} of {count} letters right on every field; "
        f"mean entries F1 {sum(s.entries.f1 for s in scores) / max(count, 1):.3f} "
        f"(P {sum(s.entries.precision for s in scores) / max(count, 1):.3f}, "
        f"R {sum(s.entries.recall for s in scores) / max(count, 1):.3f}); "
        f"entries exact on {sum(s.entries.f1 == 1 for s in scores)}\n"
    )
    out.write("fields right: " + ", ".join(f"{f} {sum(s.fields_right[f] for s in scores)}/{count}" for f in fields))
    out.write(
        f"\nparse time: {sum(s.seconds for s in scores):.2f} s in all, slowest {max(s.seconds for s in scores):.2f} s\n"
    )
    out.write("(figure/expected; * = wrong)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument(
        "--show",
        action="append",
        default=[],
        help="Print the missing and extra entries of letters whose name contains this (repeatable).",
    )
    args = parser.parse_args()
    texts = sorted(args.directory.glob("*.txt"))
    texts = [t for t in texts if t.with_suffix(".json").exists()]
    if not texts:
        sys.exit(f"No letters (NN-slug.txt with NN-slug.json) in {args.directory}.")
    scores = [score_letter(t) for t in texts]
    print_table(scores, sys.stdout)
    for s in scores:
        if any(pattern in s.name for pattern in args.show):
            print(f"\n== {s.name}\n-- missing ({len(s.entries.missing)}):")
            for e in s.entries.missing:
                print(f"   {e!r}")
            print(f"-- extra ({len(s.entries.extra)}):")
            for e in s.entries.extra:
                print(f"   {e!r}")


if __name__ == "__main__":
    main()
