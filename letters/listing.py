"""What the public lists (home, /letters/, /organizations/, an organization's page) share: links to the same list
with some parameters changed, pagination links, which filters narrow a list, and the stored totals."""

import datetime
import re
from collections.abc import Callable
from urllib.parse import quote, urlencode

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from letters.models import PublicTotals


def query_links(query: QueryDict) -> Callable[..., str]:
    """A function giving what `{% querystring %}` gives for `query` with some parameters set (or removed: None).

    The browse page's facets have ~50 links; the tag deep-copies the QueryDict for each (2.5 ms a page).
    """
    current = dict(query.lists())

    def link(**changes) -> str:
        params = dict(current)
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = [str(value)]
        return "?" + urlencode([(key, value) for key, values in params.items() for value in values])

    return link


# What reverse() leaves unquoted in a path (django.urls.resolvers).
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"
PLAIN_SLUG = re.compile(r"[-\w]*", re.ASCII).fullmatch


def slug_urls(view_name: str) -> Callable[[str], str]:
    """A function giving, for a slug, what `reverse(view_name, kwargs={"slug": slug})` gives, from one reverse().

    For lists of many organizations (a 600-line signatory list, 60 rows of /organizations/): a reverse() a row
    cost ~40 µs each, 2.4 ms of a 60-row page. The slug is quoted as reverse() quotes it.
    """
    prefix, suffix = reverse(view_name, kwargs={"slug": "slug"}).rsplit("slug", 1)
    return lambda slug: f"{prefix}{_quoted(slug)}{suffix}"


def letter_urls() -> Callable[[datetime.date, str], str]:
    """A function giving, for a letter's date and slug, what `letter.get_absolute_url()` gives, from one reverse().

    For lists of letters (20-25 rows a page, every row of a download): a reverse() a row cost ~15 µs each.
    """
    prefix, suffix = reverse(
        "letters:detail", kwargs={"year": 1111, "month": "22", "day": "33", "slug": "slug"}
    ).rsplit("1111/22/33/slug", 1)
    return lambda day, slug: f"{prefix}{day.year}/{day.month:02d}/{day.day:02d}/{_quoted(slug)}{suffix}"


def _quoted(slug: str) -> str:
    """The slug as reverse() puts it in a path. Most are ASCII letters, digits and hyphens, which quote() leaves as
    they are: those skip it (1 µs a line)."""
    return slug if PLAIN_SLUG(slug) else quote(slug, safe=URL_SAFE)


# A filtered list without a stored count is counted this far, then says "More than ..." and offers this many.
COUNT_CAP = 1000


def count_phrases(found: int, capped_at: int | None, noun: str, nouns: str) -> tuple[str, str]:
    """A list's heading ("1,234 letters", or "More than 1,000 letters" where its count stopped at a cap) and what its
    download links give."""
    if capped_at is not None:
        return f"More than {capped_at:,} {nouns}", f"every {noun} that matches"
    counted = f"{found:,} {noun if found == 1 else nouns}"
    return counted, f"these {counted}"


def capped_page(paginator: Paginator, number, cap: int) -> tuple[Page, bool]:
    """`paginator.get_page(number)` for a filtered list counted no further than `cap` + 1 matches, and whether it
    found more than `cap`: then its first `cap` are the pages offered, and the page says "More than ...".

    One query reads the ids of the list's first `cap` + 1 rows in its order, which is its count; a second reads the
    page's rows by id, under the list's own filters again (a letter unpublished in between is not shown). A search
    for a common word ("myanmar": 17,663 of 20,000 letters) counted every match before: 39 ms of PostgreSQL a page,
    now 2 ms; a rare one costs what it did (a bitmap scan, then a sort of its matches). The download links give
    every match.
    """
    ids = list(paginator.object_list.values_list("pk", flat=True)[: cap + 1])
    more = len(ids) > cap
    ids = ids[:cap]
    paginator.count = len(ids)
    page = paginator.get_page(number)
    wanted = ids[page.start_index() - 1 : page.end_index()] if ids else []
    rows = {row.pk: row for row in paginator.object_list.filter(pk__in=wanted)} if wanted else {}
    page.object_list = [rows[pk] for pk in wanted if pk in rows]
    return page, more


def page_links(request, page, param: str = "page"):
    """Give a Paginator page its previous and next URLs, keeping every other query parameter."""
    link = query_links(request.GET)
    page.previous_url = link(**{param: page.previous_page_number()}) if page.has_previous() else ""
    page.next_url = link(**{param: page.next_page_number()}) if page.has_next() else ""
    return page


def filters_used(filterset) -> set[str]:
    """The names of the filters that narrow the list (sorting does not)."""
    if not filterset.is_valid():
        return {"invalid"}
    return {name for name, value in filterset.form.cleaned_data.items() if value and name != "sort"}


def stored_totals() -> PublicTotals:
    """The figures letters.counts keeps; an empty archive has no row yet."""
    return PublicTotals.objects.filter(pk=1).first() or PublicTotals()
