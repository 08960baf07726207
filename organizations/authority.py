"""Authority control on the database side: create records with stable slugs (the matcher's names: match_index)."""

import re
import unicodedata
from collections.abc import Iterable

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
    taken = (
        set(
            model.objects.filter(
                slug__regex=r"^(" + "|".join(re.escape(b) for b in set(bases)) + r")(-[0-9]+)?$"
            ).values_list("slug", flat=True)
        )
        if bases
        else set()
    )
    slugs = []
    for base in bases:
        slug, suffix = base, 2
        while slug in taken:
            slug = f"{base[: SLUG_MAX_LENGTH - 1 - len(str(suffix))]}-{suffix}"
            suffix += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs
