"""How many edits a curator makes in the import review to turn the parser's reading of each corpus letter into a
faithful record. Prints a table, one row a letter, and the average.

    .venv/bin/python bench/curator_effort.py [DIR]      # DIR: default ../shared/corpus beside the repository

Each letter is DIR/NN-slug.txt with its gold record DIR/NN-slug.json (title, date, addressees,
declared_total_signatories, undisclosed_count, signatories, demands, signatory_sections). An edit is one change the
review screen (letters.review_draft) makes, counted as a curator makes it:

- fields: 1 for each of Title, Date, Declared total, Undisclosed that differs from the gold record;
- addressees: 1 for each line of the Addressees box to edit, add or remove;
- lines: 1 for each signatory line to drop, to mark as a section heading (a line that is one of the gold
  sections), to split (one line holding several names: one "split at |"), to join with the next (a name broken
  over n lines: n - 1 joins), to edit, or to add;
- demands: 1 for each demand to edit, remove or add, and 1 for each demand written in prose to make a demand.

A line's note (a table's second cell) counts as part of it where the gold record keeps that cell after " | ".
Printed names are compared as printed, up to spacing, the form of quotes and dashes, and a trailing full stop,
comma or semicolon. Matching to organizations is not counted (the gold records have no organizations), nor demand
targets (nor have they).
"""

import json
import statistics
import sys
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from letters.parsing import parse_letter  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "corpus"
TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
# The most names one printed line may hold, or one name may be broken over, that the count looks for.
MOST_PARTS = 6


def printed(text: str) -> str:
    """A name as compared: as printed, up to spacing, the form of quotes and dashes and a trailing separator."""
    text = unicodedata.normalize("NFKC", text).translate(TYPOGRAPHY)
    return " ".join(text.split()).rstrip(".,;:").strip()


def squeezed(text: str) -> str:
    """Without any spaces: a name broken over lines joins with or without one."""
    return "".join(printed(text).split())


@dataclass
class Effort:
    fields: int = 0
    addressees: int = 0
    lines: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(["drop", "heading", "split", "join", "edit", "add"], 0)
    )
    demands: int = 0

    @property
    def total(self) -> int:
        return self.fields + self.addressees + sum(self.lines.values()) + self.demands


def list_edits(parsed: list[str], gold: list[str]) -> int:
    """Edits to turn one list into the other, a line edited, added or removed at a time."""
    edits = 0
    opcodes = SequenceMatcher(None, [printed(p) for p in parsed], [printed(g) for g in gold], autojunk=False)
    for tag, i1, i2, j1, j2 in opcodes.get_opcodes():
        if tag != "equal":
            edits += max(i2 - i1, j2 - j1)
    return edits


def line_edits(parsed: list[str], gold: list[str], sections: set[str], effort: Effort) -> None:
    """The review's line operations that turn the parser's lines into the gold list."""
    matcher = SequenceMatcher(None, [printed(p) for p in parsed], [printed(g) for g in gold], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i, j = i1, j1
        while i < i2 or j < j2:
            if i < i2 and printed(parsed[i]) in sections:
                effort.lines["heading"] += 1
                i += 1
                continue
            if i < i2 and j < j2:
                split = next(
                    (k for k in range(2, MOST_PARTS + 1) if j + k <= j2 and _joins(gold[j : j + k], parsed[i])), None
                )
                if split:
                    effort.lines["split"] += 1
                    i, j = i + 1, j + split
                    continue
                joined = next(
                    (k for k in range(2, MOST_PARTS + 1) if i + k <= i2 and _joins(parsed[i : i + k], gold[j])), None
                )
                if joined:
                    effort.lines["join"] += joined - 1
                    i, j = i + joined, j + 1
                    continue
                effort.lines["edit"] += 1
                i, j = i + 1, j + 1
            elif i < i2:
                effort.lines["drop"] += 1
                i += 1
            else:
                effort.lines["add"] += 1
                j += 1


def _joins(parts: list[str], whole: str) -> bool:
    """`parts` printed one after another are `whole` (with or without spaces, or a separator, between them)."""
    together = "".join(squeezed(part) for part in parts)
    bare = squeezed(whole)
    return together == bare or together == "".join(squeezed(p).rstrip(",;/|&") for p in parts) == bare


def demand_edits(parsed: list[str], candidates: list[str], gold: list[str]) -> int:
    """Demands to edit, remove or add, and demands in prose to make demands."""
    in_prose = {printed(c) for c in candidates}
    found = {printed(p) for p in parsed}
    promoted = [g for g in gold if printed(g) in in_prose and printed(g) not in found]
    rest = [g for g in gold if g not in promoted]
    return len(promoted) + list_edits(parsed, rest)


def effort_for(text: str, gold: dict) -> Effort:
    letter = parse_letter(text)
    effort = Effort()
    date = letter.date.isoformat() if letter.date else None
    wanted = [
        (printed(letter.title), printed(gold.get("title") or "")),
        (date, gold.get("date")),
        (letter.declared_total, gold.get("declared_total_signatories")),
        (letter.undisclosed, gold.get("undisclosed_count")),
    ]
    effort.fields = sum(1 for found, right in wanted if found != right)
    effort.addressees = list_edits(letter.addressees, gold.get("addressees") or [])
    sections = {printed(s) for s in gold.get("signatory_sections") or []}
    gold_lines = gold.get("signatories") or []
    # Some gold records keep a table's second cell with the name ("Name | Affiliation"): the parser's note is that cell.
    with_cells = any(" | " in line for line in gold_lines)
    lines = [f"{s.listed_as} | {s.note}" if with_cells and s.note else s.listed_as for s in letter.signatories]
    line_edits(lines, gold_lines, sections, effort)
    effort.demands = demand_edits([d.text for d in letter.demands], letter.candidate_demands, gold.get("demands") or [])
    return effort


def main(directory: Path) -> None:
    letters = sorted(directory.glob("*.json"))
    if not letters:
        raise SystemExit(f"{directory}: no NN-slug.json gold records here.")
    header = f"{'letter':44} {'fields':>6} {'addr':>4} {'drop':>4} {'head':>4} {'split':>5} {'join':>4} {'edit':>4} {'add':>4} {'dem':>4} {'total':>5}"
    print(header)
    print("-" * len(header))
    totals = []
    for path in letters:
        text_path = path.with_suffix(".txt")
        if not text_path.exists():
            print(f"{path.stem[:44]:44} no text file beside it: skipped")
            continue
        effort = effort_for(text_path.read_text(encoding="utf-8"), json.loads(path.read_text(encoding="utf-8")))
        lines = effort.lines
        print(
            f"{path.stem[:44]:44} {effort.fields:6} {effort.addressees:4} {lines['drop']:4} {lines['heading']:4} "
            f"{lines['split']:5} {lines['join']:4} {lines['edit']:4} {lines['add']:4} {effort.demands:4} "
            f"{effort.total:5}"
        )
        totals.append(effort.total)
    print("-" * len(header))
    print(
        f"{len(totals)} letters: {sum(totals)} edits, {statistics.mean(totals):.1f} a letter on average, "
        f"median {statistics.median(totals):g}, most {max(totals)}; {sum(1 for t in totals if t <= 5)} letters "
        "need 5 or fewer"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR)
