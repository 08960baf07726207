"""An organization's "Signs most often with": counted over its latest letters, stored with the letters it was counted
over, and checked against a recount (check_leaks).

Bounded: counted over its latest COSIGNER_LETTERS letters, so an organization that signed 3,000 letters costs the
same as one that signed 100: an aggregate over at most ~600 x COSIGNER_LETTERS signatures, by id (joining each
signature to its organization before grouping cost 200 ms for the busiest organization). Ties beyond the first
COSIGNER_CANDIDATES go by id, not by name.

Even bounded, that aggregate was the largest cost of the organization page (5 ms of 18 for the busiest
organization), so the result is stored on the organization (`Organization.cosigners`) with its window: the letters
it was counted over and their `signatures_revision`s. letters.counts gives a letter a revision never used before at
each recount: a signature added, withheld, moved or deleted, the letter saved, any recount of everything. The stored
counts are used only while that window is still the one the page reads: a letter published, withdrawn, redated or
re-signed changes it. The window is read before the counts, so a write committed in between leaves stored counts
under a window that no longer matches: counted again next time. A write that bypasses letters.counts (SQL,
queryset.update() in a shell) needs `manage.py refresh_derived`, as the stored counts do.
"""

from django.db.models import Count, F, QuerySet

from letters.counts import store_unless_locked
from letters.models import Letter, Signature
from organizations.models import Organization

# "Signs most often with" looks at the organization's latest letters only.
COSIGNER_LETTERS = 50
COSIGNER_CANDIDATES = 60


def letters_signed_by(organization: Organization) -> QuerySet:
    """The published letters the organization signed where the public sees its name, newest first, each with
    `listed_as`, the name as the letter prints it.

    One join on its signature (one a letter at most: signature_unique_per_letter), so PostgreSQL picks the side by
    the organization's number of signatures: for one with 7,759 letters it walks letter_status_date_id_idx newest
    first, probing its signature on each (a few dozen index entries, where sorting its signatures by their letters'
    dates read all 7,759: 30 ms); for one with a few, it reads their signatures first. The page's query took 2.8 ms
    as an IN (...) with a subquery for `listed_as`, 1.8 ms so.
    """
    return (
        Letter.objects.published()
        .filter(signatures__organization_id=organization.pk, signatures__withheld=False)
        .annotate(listed_as=F("signatures__listed_as"))
        .order_by("-date", "-id")
    )


def window_of(letters) -> list[list[int]]:
    """[letter id, signatures_revision] of each of `letters` (its latest, newest first), as stored."""
    return [[letter.pk, letter.signatures_revision] for letter in letters]


def cosigner_counts(organization: Organization, window: list[list[int]]) -> list[list[int]]:
    """[organization id, letters together] for its COSIGNER_CANDIDATES most frequent co-signers, most first, over
    `window` (window_of its latest COSIGNER_LETTERS letters): the stored counts while that window is the stored one,
    else counted and stored."""
    stored = organization.cosigners
    if stored is not None and stored["window"] == window:
        return stored["counts"]
    counts = count_cosigners(organization, [pk for pk, _ in window])
    store_unless_locked(Organization.objects.filter(pk=organization.pk), cosigners={"window": window, "counts": counts})
    return counts


def count_cosigners(organization: Organization, letter_ids: list[int]) -> list[list[int]]:
    return [
        list(row)
        for row in Signature.objects.filter(letter__in=letter_ids, withheld=False)
        .exclude(organization_id=organization.pk)
        .values("organization")
        .annotate(together=Count("*"))
        .order_by("-together", "organization")
        .values_list("organization", "together")[:COSIGNER_CANDIDATES]
    ]


def cosigners_drift(sample: int = 200) -> list[str]:
    """Stored co-signers that a recount over the same, still current, window contradicts, described.

    A stored list is used only while its window is current, so one that differs from a recount under a current
    window is the failure that matters: a co-signer withheld since, still counted. Checks a random sample of the
    organizations that have one (a query or two each; this is a check, not a page), as check_leaks runs it.
    """
    found = []
    for organization in Organization.objects.filter(cosigners__isnull=False).order_by("?")[:sample]:
        window = window_of(letters_signed_by(organization).only("signatures_revision")[:COSIGNER_LETTERS])
        if organization.cosigners["window"] != window:
            continue  # the page counts again before it shows them
        if organization.cosigners["counts"] != count_cosigners(organization, [pk for pk, _ in window]):
            found.append(f"organization {organization.pk}: stored co-signers differ from a recount over their letters")
    return found
