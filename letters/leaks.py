"""Attack the archive's own promise: plant secrets, crawl every public surface, report where a secret shows.

A draft letter (with its own signatory) and a withheld signature on a published letter are planted with
unique marker names, and a published letter whose stated total would count its withheld line (the total is a
number nothing else shows); then a crawler that sees only what an anonymous visitor sees follows every link it
can reach from the public entry points: pages, search results, sitemap, feed, CSV, JSON and the API.
It runs inside a transaction that is always rolled back, so the archive is left as it was.
"""

import contextlib
import datetime
import json
import re
import uuid
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.db import transaction
from django.test import Client

from letters.counts import counts_drift
from letters.models import Letter, Signature
from letters.signatory_list import signatory_list_drift
from organizations.cosigners import cosigners_drift
from organizations.models import Organization

ENTRY_POINTS = ["/", "/letters/", "/organizations/", "/sitemap.xml", "/robots.txt", "/data/", "/api/openapi.json"]
# The API's lists: no page links them (their "next" links lead on from here).
ENTRY_POINTS += ["/api/letters", "/api/organizations", "/api/signatures", "/api/demands"]
# Where a crawler finds addresses: HTML attributes, sitemap <loc>, Atom <link href> and JSON "url"-like values.
LINK_PATTERNS = [
    re.compile(r"""(?:href|src|action)=["']([^"'#]+)"""),
    re.compile(r"<loc>([^<]+)</loc>"),
    re.compile(r""""(?:url|href|next|previous|[a-z_]*_url)"\s*:\s*"([^"]+)\""""),
]
# Filters and sorts combine into endless query strings; a few of each path show what that view can show.
MAX_VARIANTS_PER_PATH = 25
# Downloads can be large: read enough of each to find a marker and its links, not millions of rows.
MAX_BODY_BYTES = 2_000_000


class _Rollback(Exception):
    pass


@dataclass
class Planted:
    secrets: list[str]
    forbidden_urls: list[str]


@dataclass
class LeakReport:
    pages: int = 0
    leaks: list[str] = field(default_factory=list)
    visible: list[str] = field(default_factory=list)  # planted addresses that did not answer 404
    errors: list[str] = field(default_factory=list)  # public addresses that answered 5xx
    # Stored public counts that differ from a recount (letters.counts): a stale `is_public` shows an organization
    # the public must not see, whatever the crawl finds. Stored co-signers too (organizations.cosigners).
    stale: list[str] = field(default_factory=list)


def plant_secrets() -> Planted:
    """A draft letter with a signatory of its own, and a withheld signature on a published letter."""
    marker = uuid.uuid4().hex[:10]
    draft_name = f"Secret Draft Letter {marker}"
    draft_signer = f"Draft Only Collective {marker}"
    withheld_name = f"Withheld Signatory Union {marker}"
    draft = Letter.objects.create(
        title=draft_name,
        slug=f"secret-draft-{marker}",
        date=datetime.date(2023, 1, 1),
        status=Letter.Status.DRAFT,
        body=f"The body of {draft_name}.",
    )
    draft_org = Organization.objects.create(name=draft_signer, slug=f"draft-only-{marker}")
    Signature.objects.create(letter=draft, organization=draft_org, position=1, listed_as=draft_signer)
    withheld_org = Organization.objects.create(name=withheld_name, slug=f"withheld-{marker}")
    host = Letter.objects.published().order_by("-date").first()
    if host is None:
        token = uuid.uuid4().hex[:10]  # not the marker: this letter is public
        host = Letter.objects.create(
            title="A public letter", slug=f"public-{token}", date=datetime.date(2023, 2, 1), status="published"
        )
    last = Signature.objects.filter(letter=host).order_by("-position").values_list("position", flat=True).first() or 0
    Signature.objects.create(
        letter=host, organization=withheld_org, position=last + 1, listed_as=withheld_name, withheld=True
    )
    stated, counted_name, counted_org = plant_withheld_in_a_stated_total(marker)
    return Planted(
        secrets=[marker, draft_name, draft_signer, withheld_name, counted_name, stated],
        forbidden_urls=[
            draft.get_absolute_url(),
            draft_org.get_absolute_url(),
            withheld_org.get_absolute_url(),
            counted_org.get_absolute_url(),
        ],
    )


def plant_withheld_in_a_stated_total(marker: str) -> tuple[str, str, Organization]:
    """A published letter of one public and one withheld line that states as its total those two lines and its
    undisclosed signatories: beside the public counts, its stated total (or the difference, or a note on it) would
    tell that a line is withheld (letters.totals). The stated total is a number no other page shows: a surface that
    shows it leaks. Returns it, the withheld line's name, and that line's organization."""
    token = uuid.uuid4().hex[:10]  # not the marker: this letter's public text may show it
    undisclosed = 100_000 + uuid.uuid4().int % 800_000
    letter = Letter.objects.create(
        title="A letter with a withheld line",
        slug=f"stated-total-{token}",
        date=datetime.date(2023, 3, 1),
        status=Letter.Status.PUBLISHED,
        declared_signatory_count=undisclosed + 2,
        undisclosed_signatory_count=undisclosed,
        totals_note=f"One line is withheld {marker}.",
    )
    public_org = Organization.objects.create(name=f"Counted Signatory {token}", slug=f"counted-{token}")
    withheld_name = f"Withheld Counted Member {marker}"
    withheld_org = Organization.objects.create(name=withheld_name, slug=f"withheld-counted-{marker}")
    Signature.objects.create(letter=letter, organization=public_org, position=1, listed_as=public_org.name)
    Signature.objects.create(
        letter=letter, organization=withheld_org, position=2, listed_as=withheld_name, withheld=True
    )
    return str(undisclosed + 2), withheld_name, withheld_org


def crawl(client: Client, planted: Planted, *, max_pages: int = 5000) -> LeakReport:
    report = LeakReport()
    # Search for each part of a secret on its own: a page may echo the words searched for, never the rest.
    marker = planted.secrets[0]
    words = [marker] + [secret.replace(marker, "").strip() for secret in planted.secrets[1:]]
    searches = [f"{path}?q={word}" for word in words for path in ("/letters/", "/organizations/", "/api/letters")]
    queue = deque(ENTRY_POINTS + searches)
    seen = set(queue)
    variants: dict[str, int] = {}
    while queue and report.pages < max_pages:
        url = queue.popleft()
        response = client.get(url)
        report.pages += 1
        if response.status_code >= 500:
            report.errors.append(f"{url} answered {response.status_code}")
        body = _read(response)
        echoed = " ".join(value for _, value in parse_qsl(urlsplit(url).query))
        for secret in planted.secrets:
            if secret in body and secret not in echoed:
                report.leaks.append(f"{url} shows '{secret}'")
        if response.status_code in (301, 302, 307, 308):
            found = [response["Location"]]
        else:
            found = [match for pattern in LINK_PATTERNS for match in pattern.findall(body)]
        for link in found:
            target = _same_site_path(url, unescape(link))
            if not target or target in seen:
                continue
            path = urlsplit(target).path
            variants[path] = variants.get(path, 0) + 1
            if variants[path] <= MAX_VARIANTS_PER_PATH:
                seen.add(target)
                queue.append(target)
    for url in planted.forbidden_urls:
        status = client.get(url).status_code
        if status != 404:
            report.visible.append(f"{url} answered {status}, not 404")
    return report


def _read(response) -> str:
    if response.streaming:
        chunks, size = [], 0
        for chunk in response.streaming_content:
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                break
        raw = b"".join(chunks)
    else:
        raw = response.content[:MAX_BODY_BYTES]
    text = raw.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        # JSON escapes non-ASCII; decode it so markers and URLs read as they do on a page.
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _same_site_path(base: str, link: str) -> str | None:
    """The path and query of a link on this site; None for other hosts, the admin, and non-HTTP schemes."""
    absolute = urljoin("http://testserver" + base, link.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname not in ("testserver", "localhost", "127.0.0.1"):
        return None
    if parts.path.startswith(("/admin", "/static/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check_leaks(*, max_pages: int = 5000) -> LeakReport:
    """Plant, crawl as an anonymous visitor, and roll everything back whatever happens."""
    result = LeakReport()
    try:
        with transaction.atomic():
            stale = counts_drift() + cosigners_drift() + signatory_list_drift()
            planted = plant_secrets()
            result = crawl(Client(), planted, max_pages=max_pages)
            result.stale = stale
            raise _Rollback
    except _Rollback:
        pass
    return result
