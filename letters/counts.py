"""The public counts, stored and kept fresh on write, so that no page or list counts signatures per request.

`Letter.named_count` and `withheld_count` (from which the generated column `signatory_total` follows), and
`Organization.letters_signed`, `letters_addressed`, `demand_count` and `is_public`; and `Letter.signatures_revision`,
a new value of an archive-wide counter at each recount, which tells an organization's stored co-signers that a letter
they were counted from changed, and a letter page that its stored signatory list is out of date
(`store_unless_locked` is how pages store them). `refresh_counts()` recomputes them for the rows a write touched
with set-based UPDATEs: a fixed number of queries whatever the number of rows. Single-row writes (the admin, a
shell) reach it through the signals at the bottom; writers that bypass signals (`bulk_create`,
`queryset.update()`, COPY: the import, a merge, `generate_archive`, a restore) call it themselves. `counts_drift()` recounts everything and
lists what differs; `check_leaks` runs it, since a stale `is_public` would show an organization the public must not
see.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from letters.models import Demand, Letter, PublicTotals, Signature
from organizations.models import Alias, Organization

Addressee = Letter.addressees.through


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) of `queryset` (already filtered on OuterRef), 0 when it has no row."""
    # COUNT as a plain function, not an aggregate: no GROUP BY, so the subquery is one row even when nothing matches.
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def letter_counts() -> dict:
    return {
        "named_count": _count(Signature.objects.filter(letter=OuterRef("pk"), withheld=False)),
        "withheld_count": _count(Signature.objects.filter(letter=OuterRef("pk"), withheld=True)),
    }


def organization_counts() -> dict:
    published = Letter.objects.published()
    signed = Signature.objects.filter(organization=OuterRef("pk"), withheld=False, letter__in=published)
    shown = (
        Exists(signed)
        | Exists(Addressee.objects.filter(organization=OuterRef("pk"), letter__in=published))
        | Exists(Demand.objects.filter(target=OuterRef("pk"), letter__in=published))
    )
    return {
        "letters_signed": _count(signed),
        "letters_addressed": _count(Addressee.objects.filter(organization=OuterRef("pk"), letter__in=published)),
        "demand_count": _count(Demand.objects.filter(target=OuterRef("pk"), letter__in=published)),
        "is_public": Case(
            When(Q(merged_into__isnull=True) & shown, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    }


def organizations_of(letter_ids: Iterable[int]) -> set[int]:
    """Every organization a letter shows or hides: signers (withheld too), addressees, demand targets."""
    letter_ids = list(letter_ids)
    if not letter_ids:
        return set()
    return (
        set(Signature.objects.filter(letter_id__in=letter_ids).values_list("organization_id", flat=True))
        | set(Addressee.objects.filter(letter_id__in=letter_ids).values_list("organization_id", flat=True))
        | set(Demand.objects.filter(letter_id__in=letter_ids, target__isnull=False).values_list("target_id", flat=True))
    )


def signed_by_year(organization_ids: Iterable[int] | None = None) -> dict[int, list[dict]]:
    """The published letters each organization signed publicly, by year, oldest first (all, or these ids)."""
    rows = Signature.objects.filter(withheld=False, letter__status=Letter.Status.PUBLISHED)
    if organization_ids is not None:
        rows = rows.filter(organization_id__in=organization_ids)
    grouped = (
        rows.annotate(year=ExtractYear("letter__date"))
        .order_by("organization_id", "year")
        .values("organization_id", "year")
        .annotate(count=Count("pk"))
        .values_list("organization_id", "year", "count")
    )
    years: dict[int, list[dict]] = {}
    for organization_id, year, count in grouped.iterator(chunk_size=5000):
        years.setdefault(organization_id, []).append({"year": year, "count": count})
    return years


def stale_rows(model, fields: tuple[str, ...], fresh: dict[int, tuple], missing: tuple, ids=None) -> list:
    """The rows of `model` (those of `ids`; None: every one) whose stored `fields` differ from `fresh` (pk -> their
    values in the order of `fields`; `missing` for a pk it leaves out), each holding its fresh values: what a refresh
    stores, and what counts_drift reports."""
    rows = model.objects.all() if ids is None else model.objects.filter(pk__in=ids)
    stale = []
    for pk, *stored in rows.values_list("pk", *fields).iterator(chunk_size=5000):
        values = fresh.get(pk, missing)
        if tuple(stored) != values:
            stale.append(model(pk=pk, **dict(zip(fields, values, strict=True))))
    return stale


def store_fresh(model, fields: tuple[str, ...], fresh: dict[int, tuple], missing: tuple, ids=None) -> None:
    """Write the stale_rows() of `model`: only the rows whose values changed."""
    model.objects.bulk_update(stale_rows(model, fields, fresh, missing, ids), fields, batch_size=2000)


def refresh_signed_by_year(organization_ids: set[int] | None = None) -> None:
    """Store `signed_by_year` for these organizations (None: every one)."""
    fresh = {pk: (years,) for pk, years in signed_by_year(organization_ids).items()}
    store_fresh(Organization, ("signed_by_year",), fresh, ([],), organization_ids)


def addressee_names(letter_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
    """Letter.addressee_names for these letters (None: every one), for those with any."""
    links = Addressee.objects.all() if letter_ids is None else Addressee.objects.filter(letter_id__in=letter_ids)
    names: dict[int, list[str]] = {}
    rows = links.order_by("letter_id", "organization__name").values_list("letter_id", "organization__name")
    for letter_id, name in rows.iterator(chunk_size=5000):
        names.setdefault(letter_id, []).append(name)
    return names


def refresh_addressee_names(letter_ids: set[int] | None = None) -> None:
    fresh = {pk: (names,) for pk, names in addressee_names(letter_ids).items()}
    store_fresh(Letter, ("addressee_names",), fresh, ([],), letter_ids)


def organization_names(organization_ids: Iterable[int] | None = None) -> dict[int, tuple[str, list[str]]]:
    """Organization.search_names and other_names for these organizations (None: every one)."""
    organizations = Organization.objects.all()
    aliases = Alias.objects.all()
    printed = Signature.objects.filter(withheld=False, letter__status=Letter.Status.PUBLISHED)
    if organization_ids is not None:
        organizations = organizations.filter(pk__in=organization_ids)
        aliases = aliases.filter(organization_id__in=organization_ids)
        printed = printed.filter(organization_id__in=organization_ids)
    names: dict[int, dict[str, None]] = {}  # insertion-ordered sets
    others: dict[int, set[str]] = {}
    own: dict[int, str] = {}
    for pk, name, acronym in organizations.values_list("pk", "name", "acronym").iterator(chunk_size=5000):
        names[pk], others[pk], own[pk] = dict.fromkeys(n for n in (name, acronym) if n), set(), name
    # Curators' aliases always; spellings from letters only as a public signature prints them (an alias saved from
    # a withheld signature or a draft is left out, and a line a curator retyped is in).
    curated = aliases.exclude(source=Alias.Source.LETTER).order_by("pk").values_list("organization_id", "name")
    spellings = printed.order_by("organization_id", "listed_as").values_list("organization_id", "listed_as").distinct()
    for pk, spelling in [*curated.iterator(chunk_size=5000), *spellings.iterator(chunk_size=5000)]:
        names[pk][spelling] = None
        if spelling != own[pk]:
            others[pk].add(spelling)
    return {pk: ("\n".join(spellings), sorted(others[pk], key=_name_order)) for pk, spellings in names.items()}


def _name_order(name: str) -> tuple[str, str]:
    return name.casefold(), name


# What organization_names() gives for each organization, in its order, and what a row without any names holds.
NAME_FIELDS, NO_NAMES = ("search_names", "other_names"), ("", [])


def refresh_names(organization_ids: set[int] | None = None) -> None:
    """Store `search_names` and `other_names` for these organizations (None: every one)."""
    store_fresh(Organization, NAME_FIELDS, organization_names(organization_ids), NO_NAMES, organization_ids)


# How many addressees the browse page's "To:" facet offers.
TOP_ADDRESSEES = 12


def public_totals() -> dict:
    """The figures PublicTotals stores, counted now."""
    timeline = (
        Letter.objects.published()
        .annotate(year=ExtractYear("date"))
        .order_by("year")
        .values("year")
        .annotate(count=Count("pk"), signatures=Coalesce(Sum("named_count"), 0))
    )
    addressees = (
        Organization.objects.filter(is_public=True, letters_addressed__gt=0)
        .order_by("-letters_addressed", "name", "pk")
        .values("name", "slug")[:TOP_ADDRESSEES]
    )
    return {
        "organizations": Organization.objects.filter(is_public=True).count(),
        "timeline": list(timeline),
        "addressees": list(addressees),
    }


def _lock_totals() -> None:
    """Lock the totals row before anything is counted (PostgreSQL; SQLite writes one at a time anyway): a second
    writer waits here until the first commits, then counts what it committed, so neither overwrites the other's
    figures with older ones. Taken first, before any organization row, so two writers lock in the same order."""
    PublicTotals.objects.get_or_create(pk=1)
    list(PublicTotals.objects.select_for_update().filter(pk=1).values_list("pk"))


def _next_revision() -> Subquery:
    """Advance PublicTotals.revision (its row locked by _lock_totals) and give its new value, for an UPDATE."""
    PublicTotals.objects.filter(pk=1).update(revision=F("revision") + 1)
    return Subquery(PublicTotals.objects.filter(pk=1).values("revision"))


def refresh_totals() -> None:
    PublicTotals.objects.filter(pk=1).update(**public_totals())


# The rows touched inside a `counted_once()` block, recounted at its end; None outside one.
_touched: ContextVar[tuple[set[int], set[int], set[int]] | None] = ContextVar("touched_by_writes", default=None)


@contextmanager
def counted_once():
    """Run a block of single-row writes in one transaction and recount what they touched once, at its end.

    Each signal-driven recount also recounts the public totals (about 50 ms at 20,000 letters): an admin save of a
    letter with 300 changed signature lines, or the delete of a letter and its signatures, would pay that per row.
    The recount still runs inside the block's transaction, so nothing is committed with stale counts. Nested blocks
    recount at the outermost one's end.
    """
    if _touched.get() is not None:
        with transaction.atomic():
            yield
        return
    touched: tuple[set[int], set[int], set[int]] = (set(), set(), set())
    token = _touched.set(touched)
    try:
        with transaction.atomic():
            yield
            _touched.reset(token)
            token = None
            refresh_counts(*touched)
    finally:
        if token is not None:
            _touched.reset(token)


def refresh_counts(
    letters: Iterable[int] = (), organizations: Iterable[int] = (), addressed: Iterable[int] = ()
) -> None:
    """Recount exactly these rows, then the totals (inside a `counted_once()` block: at its end). A letter
    published, withdrawn or deleted changes its organizations too: pass `organizations_of()` it. `addressed`: letters
    whose addressees changed, not their signatures: their addressee names only, under the same revision (their stored
    signatory lists and the co-signers counted over them stay current)."""
    letter_ids = set(letters) - {None}
    organization_ids = set(organizations) - {None}
    addressed_ids = set(addressed) - {None}
    if not (letter_ids or organization_ids or addressed_ids):
        return
    touched = _touched.get()
    if touched is not None:
        touched[0].update(letter_ids)
        touched[1].update(organization_ids)
        touched[2].update(addressed_ids)
        return
    with transaction.atomic():
        _lock_totals()
        if letter_ids:
            Letter.objects.filter(pk__in=letter_ids).update(**letter_counts(), signatures_revision=_next_revision())
        if letter_ids or addressed_ids:
            refresh_addressee_names(letter_ids | addressed_ids)
        if organization_ids:
            Organization.objects.filter(pk__in=organization_ids).update(**organization_counts())
            refresh_signed_by_year(organization_ids)
            refresh_names(organization_ids)
        refresh_totals()


def store_unless_locked(rows: QuerySet, **values) -> None:
    """UPDATE `rows` with `values` (derived data a page stores for the next view), skipping any row another
    transaction holds: a page does not wait for a write in progress (an import recounting the row, a merge); the
    next view stores it. queryset.update(): no signal, no history, no page-cache version change.

    NO KEY: a transaction that inserted a row referring to this one (its foreign key checked) holds only a key-share
    lock on it, which this update does not conflict with.
    """
    with transaction.atomic():
        unlocked = rows.select_for_update(skip_locked=True, no_key=True)
        rows.model.objects.filter(pk__in=unlocked.values("pk")).update(**values)


def refresh_all_counts() -> None:
    """After a bulk load or a restore: every letter and organization."""
    with transaction.atomic():
        _lock_totals()
        # A new revision for every letter, as well as clearing the stored co-signers and signatory lists: a page
        # that computed them before this transaction and stores them after it stores them under revisions that no
        # longer match.
        Letter.objects.update(**letter_counts(), signatures_revision=_next_revision(), signatory_list=None)
        Organization.objects.update(**organization_counts(), cosigners=None)
        refresh_addressee_names()
        refresh_signed_by_year()
        refresh_names()
        refresh_totals()


def counts_drift(limit: int = 20) -> list[str]:
    """Rows whose stored counts differ from a recount, described; empty when all agree."""
    found = []
    letters = Letter.objects.annotate(**{f"fresh_{k}": v for k, v in letter_counts().items()})
    for field in ("named_count", "withheld_count"):
        for pk, stored, fresh in letters.exclude(**{field: F(f"fresh_{field}")}).values_list(
            "pk", field, f"fresh_{field}"
        )[:limit]:
            found.append(f"letter {pk}: {field} is {stored}, a recount gives {fresh}")
    organizations = Organization.objects.annotate(**{f"fresh_{k}": v for k, v in organization_counts().items()})
    for field in ("letters_signed", "letters_addressed", "demand_count", "is_public"):
        for pk, stored, fresh in organizations.exclude(**{field: F(f"fresh_{field}")}).values_list(
            "pk", field, f"fresh_{field}"
        )[:limit]:
            found.append(f"organization {pk}: {field} is {stored}, a recount gives {fresh}")
    fresh_names = organization_names()
    stored_lists = [
        ("letter", Letter, "addressee_names", {pk: (names,) for pk, names in addressee_names().items()}, ([],)),
        ("organization", Organization, "signed_by_year", {pk: (rows,) for pk, rows in signed_by_year().items()}, ([],)),
        *(
            (
                "organization",
                Organization,
                field,
                {pk: (names[i],) for pk, names in fresh_names.items()},
                (NO_NAMES[i],),
            )
            for i, field in enumerate(NAME_FIELDS)
        ),
    ]
    for noun, model, field, fresh, missing in stored_lists:
        for row in stale_rows(model, (field,), fresh, missing)[:limit]:
            found.append(f"{noun} {row.pk}: {field} differs from a recount")
    stored = PublicTotals.objects.filter(pk=1).values("organizations", "timeline", "addressees").first()
    fresh = public_totals()
    if stored != fresh:
        found.append(f"public totals are {stored}, a recount gives {fresh}")
    return found


# --- Single-row writes -------------------------------------------------------------------------------------------
# What a row was before a save: a signature or demand moved to another organization or letter changes both.


def _previous(model, instance, *fields: str) -> tuple:
    if instance.pk is None:
        return ()
    return model.objects.filter(pk=instance.pk).values_list(*fields).first() or ()


@receiver(pre_save, sender=Signature)
def _signature_before(sender, instance, raw=False, **kwargs):
    instance._counted_before = () if raw else _previous(Signature, instance, "letter_id", "organization_id")


@receiver(post_save, sender=Signature)
@receiver(post_delete, sender=Signature)
def _signature_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loaddata: restore_archive recounts everything once
    letter_id, organization_id = getattr(instance, "_counted_before", None) or (None, None)
    refresh_counts({instance.letter_id, letter_id}, {instance.organization_id, organization_id})


@receiver(pre_save, sender=Demand)
def _demand_before(sender, instance, raw=False, **kwargs):
    instance._counted_before = () if raw else _previous(Demand, instance, "target_id")


@receiver(post_save, sender=Demand)
@receiver(post_delete, sender=Demand)
def _demand_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_counts((), {instance.target_id, *(getattr(instance, "_counted_before", None) or ())})


@receiver(pre_save, sender=Letter)
def _letter_before(sender, instance, raw=False, **kwargs):
    instance._counted_before = () if raw else _previous(Letter, instance, "status", "date")


@receiver(post_save, sender=Letter)
def _letter_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_counted_before", None) or (None, None)
    # Published or withdrawn, every organization it shows appears or disappears with it; redated, their letters
    # by year change.
    changed = before != (instance.status, instance.date)
    organizations = organizations_of([instance.pk]) if changed else ()
    refresh_counts([instance.pk], organizations)


@receiver(pre_delete, sender=Letter)
def _letter_deleting(sender, instance, **kwargs):
    instance._counted_organizations = organizations_of([instance.pk])


@receiver(post_delete, sender=Letter)
def _letter_deleted(sender, instance, **kwargs):
    refresh_counts((), getattr(instance, "_counted_organizations", ()))


@receiver(m2m_changed, sender=Addressee)
def _addressees_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # `instance` is the letter, or with `reverse` the organization (organization.letters_received.add(letter)).
    if action == "pre_clear":
        if reverse:
            instance._counted_letters = set(instance.letters_received.values_list("pk", flat=True))
            instance._counted_organizations = {instance.pk}
        else:
            instance._counted_letters = {instance.pk}
            instance._counted_organizations = set(instance.addressees.values_list("pk", flat=True))
    elif action == "post_clear":
        refresh_counts(
            (), getattr(instance, "_counted_organizations", ()), addressed=getattr(instance, "_counted_letters", ())
        )
    elif action in ("post_add", "post_remove"):
        refresh_counts((), {instance.pk} if reverse else pk_set, addressed=pk_set if reverse else {instance.pk})


@receiver(pre_save, sender=Alias)
def _alias_before(sender, instance, raw=False, **kwargs):
    instance._counted_before = () if raw else _previous(Alias, instance, "organization_id")


@receiver(post_save, sender=Alias)
@receiver(post_delete, sender=Alias)
def _alias_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # a spelling found by the name search, or no longer
        refresh_counts((), {instance.organization_id, *(getattr(instance, "_counted_before", None) or ())})


@receiver(pre_save, sender=Organization)
def _organization_before(sender, instance, raw=False, **kwargs):
    instance._counted_before = () if raw else _previous(Organization, instance, "slug", "name")


@receiver(post_save, sender=Organization)
def _organization_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_counted_before", None) or (instance.slug, instance.name)
    # Its address, on the signatory list of every letter it signed (letters.signatory_list): their lists are renewed.
    moved = Signature.objects.filter(organization=instance).values_list("letter", flat=True)
    # Its name, on the list rows of every letter addressed to it (Letter.addressee_names).
    renamed = Addressee.objects.filter(organization=instance).values_list("letter", flat=True)
    refresh_counts(
        moved if before[0] != instance.slug else (),
        [instance.pk],  # merged_into may have changed
        addressed=renamed if before[1] != instance.name else (),
    )


@receiver(pre_delete, sender=Organization)
def _organization_deleting(sender, instance, **kwargs):
    # Its addressee links go with it, and no m2m signal says so.
    instance._counted_letters = set(Addressee.objects.filter(organization=instance).values_list("letter", flat=True))


@receiver(post_delete, sender=Organization)
def _organization_deleted(sender, instance, **kwargs):
    refresh_counts(addressed=getattr(instance, "_counted_letters", ()))
