"""Authority control on the database side: create records with stable slugs (the matcher's names: match_index)."""

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Q
from django.utils.text import slugify

from organizations.models import Organization

SLUG_MAX_LENGTH = 80


def base_slug(name: str) -> str:
    """A readable slug: ASCII where the name is Latin script, the name's own letters otherwise.

    Django's unicode slugify drops the combining vowel signs of Burmese, which leaves unreadable
    fragments, so for other scripts we keep letters, marks and digits and turn the rest into hyphens.
    """
    ascii_slug = slugify(name)
    if len(ascii_slug) >= 3:
        return ascii_slug[:SLUG_MAX_LENGTH].strip("-")
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else "-" for ch in unicodedata.normalize("NFC", name))
    unicode_slug = re.sub(r"-{2,}", "-", kept.lower()).strip("-")
    return unicode_slug[:SLUG_MAX_LENGTH].strip("-") or "organization"


def unique_slugs(names: Iterable[str], model=Organization) -> list[str]:
    """One unused slug per name (suffixes -2, -3... on collisions), with one query for all of them."""
    bases = [base_slug(name) for name in names]
    # Exact and prefix lookups, which the slug's indexes serve (its `_like` pattern index on PostgreSQL), rather
    # than one regular expression over every slug: with 200,000 organizations that scanned the table, 4 s of a
    # 280-line import. A prefix also finds unrelated longer slugs; they only make `taken` larger.
    taken: set[str] = set()
    if bases:
        wanted = Q(slug__in=set(bases))
        for base in set(bases):
            wanted |= Q(slug__startswith=f"{base}-")
        taken = set(model.objects.filter(wanted).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, suffix = base, 2
        while slug in taken:
            slug = f"{base[: SLUG_MAX_LENGTH - 1 - len(str(suffix))]}-{suffix}"
            suffix += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs
