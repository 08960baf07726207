"""Print the gzip weight of the largest seed letter's page and of the site's CSS (budget: 40 KB together).

Run: .venv/bin/python bench/page_weight.py
Loads the seed letters into a throwaway in-memory SQLite database, so it needs nothing set up.
"""

import gzip
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402

from letters.models import Letter  # noqa: E402

BUDGET = 40 * 1024


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_seed_letters", verbosity=0, stdout=io.StringIO())
    letter = (
        Letter.objects.published()
        .annotate(named=Count("signatures", filter=Q(signatures__withheld=False)))
        .order_by("-named")
        .first()
    )
    html = Client().get(letter.get_absolute_url()).content
    css = (ROOT / "static" / "css" / "site.css").read_bytes()
    total = gzipped(html) + gzipped(css)
    print(f"letter: {letter.get_absolute_url()} ({letter.named} named signatories)")
    print(f"html:  {len(html):>7,} bytes, {gzipped(html):>6,} gzip")
    print(f"css:   {len(css):>7,} bytes, {gzipped(css):>6,} gzip")
    print(f"total: {total:>22,} gzip of {BUDGET:,} budget ({'ok' if total <= BUDGET else 'OVER'})")


if __name__ == "__main__":
    main()
