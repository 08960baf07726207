"""Merge duplicate organization records into one survivor, losing nothing.

One function, `merge_organizations`, called by the admin action (and by anything else that merges): one
transaction, bulk updates only (a handful of queries whatever the number of signatures). Everything that
pointed at a duplicate points at the survivor afterwards:

- signatures (a letter signed by both keeps one signature, the earlier position, and the other printed
  name in its note and as an alias; coalition members listed under the dropped line move to the kept one),
- addressee links and demand targets,
- aliases (exact repeats dropped), plus the duplicate's own name and acronym as aliases ("merge"),
- member organizations (`parent`), records merged into a duplicate before (chains collapse), old slugs,
- "not the same" decisions.

The duplicate itself stays, with `merged_into` set: its public address answers 301 to the survivor.
`merge_preview` counts what would move, and `letters_signed_by_several` lists the letters whose lines a merge
combines, without writing. A `MergeLog` records who merged what, when; `MergeResult.summary` says it in figures.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from letters.counts import refresh_counts
from letters.models import Demand, Letter, Signature
from organizations.filters import public_organizations
from organizations.match_index import reindex_organizations
from organizations.models import Alias, DistinctPair, MergeLog, Organization, OrganizationSlug

Addressee = Letter.addressees.through


class MergeError(ValueError):
    """The merge cannot be done as asked: the message says why. Nothing was changed."""


@dataclass(frozen=True)
class PrintedLine:
    """One signature line of a letter signed by more than one of the records merged."""

    id: int
    position: int
    listed_as: str
    organization_id: int
    organization_name: str
    withheld: bool
    note: str


@dataclass
class SharedLetter:
    """A letter signed by more than one of the records merged: a letter has one signature per organization, so its
    lines become one, `kept` (the earliest public line, else the earliest), with the others' printed names in its
    note (`combined_note`). Its named count drops by the public lines combined into it."""

    letter_id: int
    title: str
    status: str
    named: int  # Letter.named_count before the merge
    kept: PrintedLine
    combined: list[PrintedLine]

    @property
    def named_after(self) -> int:
        return self.named - sum(not line.withheld for line in self.combined)

    @property
    def named_change(self) -> str:
        """ "371 → 370 named", or "still 12 named" when only withheld lines were combined."""
        if self.named_after == self.named:
            return f"still {self.named} named"
        return f"{self.named} → {self.named_after} named"

    @property
    def combined_note(self) -> str:
        """The kept line's note after the merge: its own, then where and how each combined line was printed."""
        parts = [self.kept.note] if self.kept.note else []
        for line in self.combined:
            if line.withheld and not self.kept.withheld:
                # A withheld spelling must not reach a note a public line carries: it stays an alias only.
                parts.append(f"Also printed at position {line.position} (a withheld line).")
            else:
                parts.append(f"Also printed at position {line.position} as “{line.listed_as}”.")
            if line.note:
                parts.append(line.note)
        return " ".join(parts)[:500]


@dataclass
class MergeResult:
    log: MergeLog
    survivor: Organization
    merged: list[Organization]
    counts: dict[str, int] = field(default_factory=dict)
    shared_letters: list[SharedLetter] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """What the merge did, in the figures a curator checks: every signature it moved, and every printed line it
        combined with another of the same letter (which changes that letter's named count)."""
        n = self.counts
        said = [f"{n['signatures']} signature{plural(n['signatures'])} moved"]
        if self.shared_letters:
            letters = "; ".join(f"“{letter.title}” {letter.named_change}" for letter in self.shared_letters)
            said.append(
                f"{n['signatures_combined']} printed line{plural(n['signatures_combined'])} combined with another line "
                f"of the same letter, the other printed name kept in its note, on {len(self.shared_letters)} "
                f"letter{plural(len(self.shared_letters))} ({letters})"
            )
        said.append(
            f"{n['addressee_links']} addressee link{plural(n['addressee_links'])} moved"
            + (f", {n['addressee_links_combined']} combined" if n["addressee_links_combined"] else "")
        )
        said.append(f"{n['demand_targets']} demand target{plural(n['demand_targets'])} moved")
        said.append(
            f"{n['aliases']} alias{plural(n['aliases'], 'es')} moved and {n['aliases_created']} added"
            + (f", {n['aliases_combined']} already known" if n["aliases_combined"] else "")
        )
        for key, noun in (("member_organizations", "member organization"), ("merged_records", "earlier merged record")):
            if n[key]:
                said.append(f"{n[key]} {noun}{plural(n[key])} moved")
        records = len(self.merged)
        return (
            f"Merged {records} record{plural(records)} into “{self.survivor.name}” (merge log #{self.log.pk}): "
            + "; ".join(said)
            + "."
        )


def plural(n: int, suffix: str = "s") -> str:
    return "" if n == 1 else suffix


@dataclass
class DuplicatePreview:
    """What a merge would move from one duplicate to the survivor."""

    organization: Organization
    signatures: int
    letters_signed_by_both: int
    addressee_links: int
    letters_addressed_to_both: int
    demand_targets: int
    aliases: int
    member_organizations: int
    merged_records: int

    @property
    def total(self) -> int:
        return self.signatures + self.addressee_links + self.demand_targets + self.aliases + self.member_organizations


def _count(queryset, field_name: str = "organization") -> Subquery:
    """A correlated COUNT(*) subquery on `queryset` for the outer organization, 0 when there is none."""
    counted = (
        queryset.filter(**{field_name: OuterRef("pk")})
        .order_by()
        .values(field_name)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def merge_preview(survivor: Organization, duplicates: Iterable[Organization]) -> list[DuplicatePreview]:
    """Per duplicate, the counts a merge into `survivor` would move. One query, whatever the number of duplicates."""
    ids = [org.pk for org in duplicates]
    survivor_letters = Signature.objects.filter(organization=survivor).values("letter")
    survivor_addressed = Addressee.objects.filter(organization=survivor).values("letter")
    rows = (
        Organization.objects.filter(pk__in=ids)
        .annotate(
            n_signatures=_count(Signature.objects.all()),
            n_both=_count(Signature.objects.filter(letter__in=survivor_letters)),
            n_addressed=_count(Addressee.objects.all()),
            n_addressed_both=_count(Addressee.objects.filter(letter__in=survivor_addressed)),
            n_demands=_count(Demand.objects.all(), "target"),
            n_aliases=_count(Alias.objects.all()),
            n_members=_count(Organization.objects.all(), "parent"),
            n_merged=_count(Organization.objects.all(), "merged_into"),
        )
        .order_by("name", "pk")
    )
    return [
        DuplicatePreview(
            organization=org,
            signatures=org.n_signatures,
            letters_signed_by_both=org.n_both,
            addressee_links=org.n_addressed,
            letters_addressed_to_both=org.n_addressed_both,
            demand_targets=org.n_demands,
            aliases=org.n_aliases,
            member_organizations=org.n_members,
            merged_records=org.n_merged,
        )
        for org in rows
    ]


def letters_signed_by_several(organization_ids: Sequence[int]) -> list[SharedLetter]:
    """The letters more than one of these organizations signed, oldest first, each with the line a merge keeps and
    the lines it combines into it. One query, whatever the number of organizations or letters."""
    shared = (
        Signature.objects.filter(organization_id__in=organization_ids)
        .values("letter_id")
        .annotate(lines=Count("pk"))
        .filter(lines__gt=1)
        .values("letter_id")
    )
    rows = (
        Signature.objects.filter(organization_id__in=organization_ids, letter_id__in=shared)
        # A public line is kept before a withheld one, so the letter still shows it; then the earlier position.
        .order_by("letter__date", "letter_id", "withheld", "position")
        .values_list(
            "letter_id",
            "letter__title",
            "letter__status",
            "letter__named_count",
            "id",
            "position",
            "listed_as",
            "organization_id",
            "organization__name",
            "withheld",
            "note",
        )
    )
    letters: dict[int, SharedLetter] = {}
    for letter_id, title, status, named, *line in rows:
        printed = PrintedLine(*line)
        if letter_id in letters:
            letters[letter_id].combined.append(printed)
        else:
            letters[letter_id] = SharedLetter(letter_id, title, status, named, kept=printed, combined=[])
    return list(letters.values())


def signatures_moving(
    survivor: Organization, previews: Iterable[DuplicatePreview], shared: Iterable[SharedLetter]
) -> int:
    """How many signatures a merge points at the survivor: the duplicates' lines but those combined into another."""
    combined = sum(line.organization_id != survivor.pk for letter in shared for line in letter.combined)
    return sum(preview.signatures for preview in previews) - combined


def check_merge(survivor: Organization, duplicates: Sequence[Organization]) -> None:
    """Raise MergeError when the merge makes no sense, from the records as loaded."""
    ids = [org.pk for org in duplicates]
    if not ids:
        raise MergeError("Choose at least one organization to merge into the survivor.")
    if survivor.pk in ids:
        raise MergeError(f"“{survivor.name}” cannot be merged into itself: leave it out of the duplicates.")
    if len(set(ids)) != len(ids):
        raise MergeError("An organization is listed twice among the duplicates.")
    if survivor.merged_into_id is not None:
        raise MergeError(
            f"“{survivor.name}” was already merged into organization {survivor.merged_into_id}: "
            "merge into that one instead."
        )
    already = [org for org in duplicates if org.merged_into_id is not None]
    if already:
        names = ", ".join(f"“{org.name}” (into {org.merged_into_id})" for org in already)
        raise MergeError(f"Already merged, nothing to do: {names}.")


def merge_organizations(survivor: Organization, duplicates: Iterable[Organization], *, user=None) -> MergeResult:
    """Merge `duplicates` into `survivor` in one transaction. Raises MergeError (and changes nothing) when refused."""
    duplicate_ids = [org.pk for org in duplicates]
    with transaction.atomic():
        # Re-read (and on PostgreSQL lock) every record inside the transaction: the check is against what is
        # in the database now, not what a form showed a minute ago.
        locked = {
            org.pk: org for org in Organization.objects.select_for_update().filter(pk__in=[survivor.pk, *duplicate_ids])
        }
        missing = {survivor.pk, *duplicate_ids} - locked.keys()
        if missing:
            raise MergeError(f"No organization with id {', '.join(map(str, sorted(missing)))}.")
        survivor = locked[survivor.pk]
        merged = [locked[pk] for pk in duplicate_ids]
        check_merge(survivor, merged)
        counts: dict[str, int] = {}
        # Which duplicates a public page shows: only their names may become public aliases of the survivor.
        public_ids = set(public_organizations().filter(pk__in=duplicate_ids).values_list("pk", flat=True))
        # Letters a duplicate signed: where the survivor signed too, one signature goes, and their counts change.
        letters_touched = set(
            Signature.objects.filter(organization_id__in=duplicate_ids).values_list("letter_id", flat=True)
        )
        # Letters addressed to a duplicate: their rows name the survivor instead (Letter.addressee_names).
        letters_addressed = set(
            Addressee.objects.filter(organization_id__in=duplicate_ids).values_list("letter_id", flat=True)
        )
        shared_letters = letters_signed_by_several([survivor.pk, *duplicate_ids])
        signature_counts, dropped_spellings = _move_signatures(survivor, duplicate_ids, shared_letters)
        counts.update(signature_counts)
        counts.update(_move_addressees(survivor, duplicate_ids))
        counts["demand_targets"] = Demand.objects.filter(target_id__in=duplicate_ids).update(target=survivor)
        counts.update(_move_aliases(survivor, merged, public_ids, dropped_spellings))
        now = timezone.now()
        counts["member_organizations"] = (
            Organization.objects.filter(parent_id__in=duplicate_ids)
            .exclude(pk=survivor.pk)
            .update(parent=survivor, updated_at=now)
        )
        if survivor.parent_id in duplicate_ids:
            survivor.parent = None  # it was a member of its own duplicate
        counts["merged_records"] = Organization.objects.filter(merged_into_id__in=duplicate_ids).update(
            merged_into=survivor, updated_at=now
        )
        # A record no public page showed must keep no address that confirms its name exists: its old slugs go,
        # and below it gets an opaque slug, so its address still answers 404 rather than 301.
        private_ids = set(duplicate_ids) - public_ids
        OrganizationSlug.objects.filter(organization_id__in=private_ids).delete()
        counts["old_slugs"] = OrganizationSlug.objects.filter(organization_id__in=duplicate_ids).update(
            organization=survivor
        )
        counts["distinct_pairs"] = _move_distinct_pairs(survivor, duplicate_ids)
        Organization.objects.filter(pk__in=duplicate_ids).update(merged_into=survivor, parent=None, updated_at=now)
        Organization.objects.filter(pk__in=private_ids).update(
            slug=Concat(Value("merged-"), Cast("pk", output_field=CharField()))
        )
        # Facts the survivor lacks are kept from the duplicates (the first that has one).
        for record in merged:
            for name in ("country", "website"):
                if not getattr(survivor, name) and getattr(record, name):
                    setattr(survivor, name, getattr(record, name))
            if survivor.parent_id is None and record.parent_id not in (None, survivor.pk, *duplicate_ids):
                survivor.parent_id = record.parent_id
        survivor.save()
        for record in merged:
            record.merged_into = survivor
        # The moves above are queryset updates, which send no signal: the public counts are recounted, and the
        # matcher's index forgets the duplicates and learns their names.
        refresh_counts(letters_touched, [survivor.pk, *duplicate_ids], addressed=letters_addressed)
        reindex_organizations([survivor.pk, *duplicate_ids])
        log = MergeLog.objects.create(
            user=user if user is not None and user.is_authenticated else None,
            survivor=survivor,
            survivor_name=survivor.name,
            merged=[{"id": o.pk, "name": o.name, "slug": o.slug, "acronym": o.acronym} for o in merged],
            counts=counts,
        )
    return MergeResult(log=log, survivor=survivor, merged=merged, counts=counts, shared_letters=shared_letters)


def _move_signatures(
    survivor: Organization, duplicate_ids: list[int], shared: list[SharedLetter]
) -> tuple[dict[str, int], set[str]]:
    """Point every signature at the survivor; on a letter signed by several of the records (`shared`), keep one.

    Returns the counts and the printed names of the lines combined (they become aliases of the survivor)."""
    kept_for = {line.id: letter.kept.id for letter in shared for line in letter.combined}  # combined -> kept
    if kept_for:
        # Members listed under a combined line now sit under the kept one (before the delete, which cascades).
        Signature.objects.filter(member_of_id__in=kept_for).update(
            member_of_id=_case("member_of_id", kept_for),
        )
        # A kept line listed under the line it absorbs would now be its own member: it is no one's member.
        Signature.objects.filter(pk__in=set(kept_for.values()), member_of_id=F("pk")).update(member_of=None)
        Signature.objects.filter(pk__in=kept_for).delete()
        notes = {letter.kept.id: letter.combined_note for letter in shared}
        Signature.objects.filter(pk__in=notes).update(note=_case("id", notes))
    moved = Signature.objects.filter(organization_id__in=duplicate_ids).update(organization=survivor)
    spellings = {line.listed_as for letter in shared for line in letter.combined}
    return {
        "signatures": moved,
        "signatures_combined": len(kept_for),
        "letters_with_lines_combined": len(shared),
    }, spellings


def _move_addressees(survivor: Organization, duplicate_ids: list[int]) -> dict[str, int]:
    links = list(
        Addressee.objects.filter(organization_id__in=[survivor.pk, *duplicate_ids])
        .order_by("letter_id", "id")
        .values_list("id", "letter_id", "organization_id")
    )
    addressed = {letter_id for _, letter_id, org_id in links if org_id == survivor.pk}
    move, drop = [], []
    for link_id, letter_id, org_id in links:
        if org_id == survivor.pk:
            continue
        if letter_id in addressed:
            drop.append(link_id)
        else:
            addressed.add(letter_id)
            move.append(link_id)
    if drop:
        Addressee.objects.filter(pk__in=drop).delete()
    if move:
        Addressee.objects.filter(pk__in=move).update(organization=survivor)
    return {"addressee_links": len(move), "addressee_links_combined": len(drop)}


def _move_aliases(
    survivor: Organization, merged: list[Organization], public_ids: set[int], dropped_spellings: set[str]
) -> dict[str, int]:
    """Move the duplicates' aliases (exact repeats dropped); their own names and acronyms become aliases too.

    A duplicate no public page shows (known only from withheld lines or drafts) must not become public through the
    survivor: its names are kept as "printed on a letter" aliases, which public pages show only where a public
    signature prints them. So are the printed names of signature lines the merge combined.
    """
    duplicate_ids = [org.pk for org in merged]
    survivor_names = set(Alias.objects.filter(organization=survivor).values_list("name", flat=True))
    survivor_names.add(survivor.name)
    move, drop, from_private = [], [], []
    for alias_id, name, owner_id in (
        Alias.objects.filter(organization_id__in=duplicate_ids)
        .order_by("id")
        .values_list("id", "name", "organization_id")
    ):
        if name in survivor_names:
            drop.append(alias_id)
        else:
            survivor_names.add(name)
            move.append(alias_id)
            if owner_id not in public_ids:
                from_private.append(alias_id)
    if drop:
        Alias.objects.filter(pk__in=drop).delete()
    if move:
        Alias.objects.filter(pk__in=move).update(organization=survivor)
    # A private record's curator names and acronyms would be shown and searched on the survivor's public page:
    # they are kept as letter spellings instead, public only where a public line prints them.
    if from_private:
        Alias.objects.filter(pk__in=from_private).update(source=Alias.Source.LETTER)
    public_names = {name for org in merged if org.pk in public_ids for name in (org.name, org.acronym) if name}
    private_names = {name for org in merged if org.pk not in public_ids for name in (org.name, org.acronym) if name}
    created = _add_aliases(survivor.pk, public_names - survivor_names, Alias.Source.MERGE)
    created += _add_aliases(
        survivor.pk, (private_names | dropped_spellings) - survivor_names - public_names, Alias.Source.LETTER
    )
    return {"aliases": len(move), "aliases_combined": len(drop), "aliases_created": created}


def _add_aliases(organization_id: int, names: set[str], source: str) -> int:
    names = {name[:500] for name in names}
    if not names:
        return 0
    known = set(
        Alias.objects.filter(organization_id=organization_id, name__in=names).values_list("name", flat=True)
    ) | set(Organization.objects.filter(pk=organization_id, name__in=names).values_list("name", flat=True))
    new = [Alias(organization_id=organization_id, name=name, source=source) for name in sorted(names - known)]
    Alias.objects.bulk_create(new)
    return len(new)


def _move_distinct_pairs(survivor: Organization, duplicate_ids: list[int]) -> int:
    """A duplicate's "not the same as X" now holds for the survivor; a pair within the merge is overruled by it."""
    involved = Q(organization_a_id__in=duplicate_ids) | Q(organization_b_id__in=duplicate_ids)
    pairs = list(
        DistinctPair.objects.filter(involved).values_list("organization_a_id", "organization_b_id", "decided_by")
    )
    if not pairs:
        return 0
    merging = {survivor.pk, *duplicate_ids}
    moved = {}
    for a, b, decided_by in pairs:
        a, b = (survivor.pk if a in merging else a), (survivor.pk if b in merging else b)
        if a != b:
            moved.setdefault(DistinctPair.ordered(a, b), decided_by)
    DistinctPair.objects.filter(involved).delete()
    # A pair of the survivor with a record being merged into it is overruled by the merge.
    DistinctPair.objects.filter(
        Q(organization_a_id=survivor.pk, organization_b_id__in=merging)
        | Q(organization_b_id=survivor.pk, organization_a_id__in=merging)
    ).delete()
    DistinctPair.objects.bulk_create(
        [DistinctPair(organization_a_id=a, organization_b_id=b, decided_by_id=user) for (a, b), user in moved.items()],
        ignore_conflicts=True,
    )
    return len(moved)


def _case(field_name: str, mapping: dict[int, object]) -> Case:
    return Case(*(When(**{field_name: key}, then=Value(value)) for key, value in mapping.items()))
