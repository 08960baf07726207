"""Compare the stored-index matcher with the full in-memory matcher on the archive in DATABASE_URL.

`DATABASE_URL=... .venv/bin/python bench/matcher_index.py [--signatures 2000] [--seed 1]`
Lines: every signatory line of the seed letters, `--signatures` printed names drawn from the archive's
signatures, and noisy variants of some of them (case, punctuation, a dropped or changed letter, an added word,
a plural). Both matchers decide every line; the script prints how many decisions differ (rule, organization,
candidates), a few examples, and the build times. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")


def noisy(line: str, rng: random.Random) -> str:
    words = line.split()
    roll = rng.randrange(6)
    if roll == 0:
        return line.upper() if rng.random() < 0.5 else line.lower()
    if roll == 1:
        return line.replace("-", " ").replace("(", "").replace(")", "").replace(",", "")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if roll == 2 and len(word) >= 5:
        i = rng.randrange(1, len(word))
        words[longest] = word[:i] + word[i + 1 :]  # a dropped letter
    elif roll == 3 and len(word) >= 5:
        i = rng.randrange(1, len(word))
        words[longest] = word[:i] + rng.choice("aeiounrst") + word[i + 1 :]  # a changed letter
    elif roll == 4:
        words.insert(rng.randrange(len(words) + 1), rng.choice(["Network", "Japan", "Group", "Youth"]))
    else:
        words[longest] = word + "s"  # a plural
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from letters.models import Signature
    from letters.parsing import parse_letter
    from organizations.match_index import build_matcher, known_names
    from organizations.matching import Matcher

    rng = random.Random(args.seed)
    seeds = []
    for path in sorted((ROOT / "fixtures" / "letters").glob("*.txt")):
        seeds += [s.listed_as for s in parse_letter(path.read_text(encoding="utf-8")).signatories]
    top = Signature.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = [rng.randrange(1, top + 1) for _ in range(args.signatures)] if top else []
    printed = list(Signature.objects.filter(pk__in=picked).values_list("listed_as", flat=True))
    lines = list(dict.fromkeys(seeds + printed + [noisy(line, rng) for line in seeds[::3] + printed[::2]]))

    started = time.perf_counter()
    names = known_names()
    full = Matcher(names)
    built_full = time.perf_counter() - started
    started = time.perf_counter()
    stored = build_matcher(lines)
    built_stored = time.perf_counter() - started

    def decision(match):
        return (match.rule, match.organization_id, [(c.organization_id, c.score) for c in match.candidates])

    differing = []
    rules: Counter[str] = Counter()
    for line in lines:
        expected, got = full.match(line), stored.match(line)
        rules[expected.rule.value] += 1
        if decision(expected) != decision(got):
            differing.append((line, expected, got))
    print(f"known names: {len(names):,}; lines compared: {len(lines):,} ({len(seeds)} seed lines)")
    print(f"full matcher built in {built_full:.1f} s; stored-index matcher for all lines in {built_stored:.2f} s")
    print("decisions of the full matcher: " + ", ".join(f"{rule} {n}" for rule, n in rules.most_common()))
    print(f"differing decisions: {len(differing)}")
    for line, expected, got in differing[:10]:
        print(f"  {line!r}: full {decision(expected)} / stored {decision(got)}")


if __name__ == "__main__":
    main()
