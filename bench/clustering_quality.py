"""Print how well the matcher clusters the seed signatories, against the human clustering and baselines.

    .venv/bin/python bench/clustering_quality.py

The pipeline figures come from the same code as tests/organizations/test_clustering_quality.py: the
four signed seed letters imported in date order into an empty (in-memory) test database, accepting
every automatic decision. The baselines cluster the same 1,357 printed lines without the archive:

- exact: lines with the same text, character for character;
- fingerprint: OpenRefine's key collision (lowercase, punctuation removed, unique tokens sorted);
- fuzzy: rapidfuzz token_sort_ratio >= 85 between the lowercased lines, single link.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from rapidfuzz import fuzz, process, utils  # noqa: E402

from tests.organizations.test_clustering_quality import (  # noqa: E402
    Line,
    Scores,
    describe,
    import_seed_letters,
    load_gold,
    pairwise_scores,
    seed_lines,
)

FUZZY_BASELINE_MIN = 85


def fingerprint(text: str) -> str:
    tokens = re.sub(r"[^\w\s]", "", text.strip().lower()).split()
    return " ".join(sorted(set(tokens)))


def single_link(lines: dict[Line, str], threshold: float) -> dict[Line, int]:
    keys = list(lines)
    texts = [utils.default_process(lines[k]) for k in keys]
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, text in enumerate(texts):
        for _, _, j in process.extract(text, texts, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None):
            if j != i:
                parent[find(i)] = find(j)
    return {key: find(i) for i, key in enumerate(keys)}


def row(name: str, scores: Scores) -> str:
    return (
        f"{name:<34} precision {scores.precision:.4f}  recall {scores.recall:.4f}  "
        f"(predicted pairs {scores.predicted_pairs}, shared {scores.shared_pairs}, gold {scores.gold_pairs})"
    )


def main() -> None:
    lines = seed_lines()
    gold = load_gold(lines)
    clusters = len(set(gold.values()))
    multi = sum(1 for c in set(gold.values()) if list(gold.values()).count(c) > 1)
    print(f"Gold: {len(lines)} lines, {clusters} organizations, {multi} of them on 2+ lines.\n")

    print(row("exact text", pairwise_scores({k: v.strip() for k, v in lines.items()}, gold)))
    print(row("fingerprint (OpenRefine)", pairwise_scores({k: fingerprint(v) for k, v in lines.items()}, gold)))
    print(
        row(
            f"fuzzy token_sort_ratio >= {FUZZY_BASELINE_MIN}, 1-link",
            pairwise_scores(single_link(lines, FUZZY_BASELINE_MIN), gold),
        )
    )

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        imported = import_seed_letters(gold)
        elapsed = time.perf_counter() - started
        scores = pairwise_scores(imported.organization_of, gold)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    print(row("archive pipeline (matching.py)", scores))
    print(f"\nPipeline: {describe(scores, imported.ambiguous)}; import of the 4 letters took {elapsed:.1f} s.")
    if scores.false_pairs:
        print("\nFalse merges:")
        for a, b in scores.false_pairs:
            print(f"  {lines[a]!r} ~ {lines[b]!r}")
    print(f"\nMissed pairs ({len(scores.missed_pairs)}):")
    for a, b in scores.missed_pairs:
        print(f"  {a[0]} {lines[a]!r} ~ {b[0]} {lines[b]!r}")
    misses = [a for a in imported.ambiguous if a.gold_organizations and not a.hit]
    if misses:
        print("\nAmbiguous lines whose organization is not in the top 3:")
        for a in misses:
            print(
                f"  {a.line} {a.listed_as!r}: candidates {a.candidates}, expected one of {sorted(a.gold_organizations)}"
            )


if __name__ == "__main__":
    main()
