"""The import pipeline: text -> parsed letter -> a decision for every line -> one transaction.

The admin and the `import_letter` command both call `build_report` then `commit_report`; neither does any
parsing or matching of its own. Nothing here knows about requests.
"""

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from letters.counts import organizations_of, refresh_counts
from letters.models import Demand, Letter, LetterSlug, Signature
from letters.parsing import ParsedLetter, ParsedSignatory, parse_letter
from organizations.authority import unique_slugs
from organizations.match_index import build_matcher, reindex_organizations
from organizations.matching import Match, Matcher, Rule, normalize, split_acronym
from organizations.models import Alias, DistinctPair, Organization

# Decisions that link a line to an organization that already exists.
LINKING_RULES = {Rule.EXACT, Rule.ALIAS, Rule.NORMALIZED, Rule.ACRONYM, Rule.FUZZY}
RULE_STRENGTH = {Rule.EXACT: 5, Rule.ALIAS: 4, Rule.NORMALIZED: 3, Rule.ACRONYM: 2, Rule.FUZZY: 1}


class ImportConflict(Exception):
    """The text cannot be saved as it is: the message says why."""


@dataclass
class NameDecision:
    """What the archive decided for one printed name (a signatory, an addressee or a demand target)."""

    listed_as: str
    match: Match
    duplicate_of: int | None = None  # a signatory printed twice: the position it repeats
    choice: "CuratorChoice | None" = None  # what a curator decided instead, in the review screen

    @property
    def organization_id(self) -> int | None:
        if self.choice is not None:
            return self.choice.organization_id if self.choice.action == CuratorChoice.LINK else None
        return self.match.organization_id if self.match.rule in LINKING_RULES else None

    @property
    def kept(self) -> bool:
        if self.choice is not None:
            return self.choice.action != CuratorChoice.DROP
        return self.duplicate_of is None

    @property
    def needs_review(self) -> bool:
        return self.choice is None and self.match.rule == Rule.AMBIGUOUS

    def as_dict(self) -> dict[str, Any]:
        match = self.match
        linked = self.organization_id is not None
        return {
            "match": match.report_rule,
            "organization": {"id": match.organization_id, "name": match.organization_name} if linked else None,
            "score": None if match.score is None else round(match.score, 1),
            "candidates": [
                {"id": c.organization_id, "name": c.organization_name, "score": round(c.score, 1)}
                for c in match.candidates
            ],
            "reason": match.reason,
        }


@dataclass(frozen=True)
class CuratorChoice:
    """A curator's decision on one line, overriding the matcher's."""

    LINK = "link"
    NEW = "new"
    DROP = "drop"

    action: str
    organization_id: int | None = None
    withheld: bool = False


@dataclass
class ImportReport:
    text: str
    parsed: ParsedLetter
    signatories: list[tuple[ParsedSignatory, NameDecision]]
    addressees: list[NameDecision]
    demand_targets: dict[str, NameDecision]
    warnings: list[str] = field(default_factory=list)
    existing_letter_id: int | None = None

    @property
    def sha256(self) -> str:
        return fingerprint(self.text)

    def as_dict(self) -> dict[str, Any]:
        parsed = self.parsed
        return {
            "letter": {
                "title": parsed.title,
                "date": parsed.date.isoformat() if parsed.date else None,
                "addressees": parsed.addressees,
                "subject": parsed.subject,
                "declared_total": parsed.declared_total,
                "undisclosed": parsed.undisclosed,
                "kind": parsed.kind,
                "named": len(parsed.signatories),
                "existing_letter_id": self.existing_letter_id,
            },
            "addressees": [{"listed_as": d.listed_as, **d.as_dict()} for d in self.addressees],
            "signatories": [
                {
                    "position": signatory.position,
                    "listed_as": signatory.listed_as,
                    "member_of": signatory.member_of,
                    "line": signatory.line,
                    "kind": signatory.kind_hint,
                    "duplicate_of": decision.duplicate_of,
                    **decision.as_dict(),
                }
                for signatory, decision in self.signatories
            ],
            "demands": [{"position": d.position, "target": d.target, "text": d.text} for d in parsed.demands],
            "candidate_demands": parsed.candidate_demands,
            "list_lines": dataclasses.asdict(parsed.list_lines),
            "warnings": parsed.warnings + self.warnings,
        }


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


def build_report(text: str, matcher: Matcher | None = None) -> ImportReport:
    """Parse the text and decide every name against the archive. Reads the database, writes nothing."""
    parsed = parse_letter(text)
    targets = {d.target for d in parsed.demands if d.target}
    # The matcher reads from the stored index only what these lines can meet (organizations.match_index).
    matcher = matcher or build_matcher([s.listed_as for s in parsed.signatories] + parsed.addressees + list(targets))
    report = ImportReport(
        text=text,
        parsed=parsed,
        signatories=[(s, NameDecision(s.listed_as, matcher.match(s.listed_as))) for s in parsed.signatories],
        addressees=[NameDecision(name, matcher.match(name)) for name in parsed.addressees],
        demand_targets={t: NameDecision(t, matcher.match(t)) for t in targets},
    )
    report.existing_letter_id = Letter.objects.filter(source_sha256=report.sha256).values_list("id", flat=True).first()
    _drop_repeated_lines(report)
    _settle_shared_organizations(report)
    _drop_distinct_candidates(report)
    return report


def _drop_distinct_candidates(report: ImportReport) -> None:
    """A curator said "not the same" for a pair: a line linked to one of them never offers the other as a candidate."""
    decisions = [d for _, d in report.signatories] + report.addressees + list(report.demand_targets.values())
    linked = [d for d in decisions if d.match.candidates and d.organization_id is not None]
    if not linked:
        return
    ids = {d.organization_id for d in linked}
    distinct: set[tuple[int, int]] = set()
    for a, b in DistinctPair.objects.filter(Q(organization_a_id__in=ids) | Q(organization_b_id__in=ids)).values_list(
        "organization_a_id", "organization_b_id"
    ):
        distinct |= {(a, b), (b, a)}
    for decision in linked:
        decision.match.candidates = [
            c for c in decision.match.candidates if (decision.organization_id, c.organization_id) not in distinct
        ]


def _printed_key(name: str) -> tuple[str, str]:
    """Names that are the same print of one name: equal normalized text, a trailing acronym in any form."""
    base, acronym = split_acronym(name)
    return normalize(base), (acronym or "").casefold()


def _drop_repeated_lines(report: ImportReport) -> None:
    """A name printed twice on one list is one signatory: later repeats are dropped with a warning."""
    first_at: dict[tuple[str, str], ParsedSignatory] = {}
    for signatory, decision in report.signatories:
        key = _printed_key(signatory.listed_as)
        if key in first_at:
            decision.duplicate_of = first_at[key].position
            report.warnings.append(
                f"Line {signatory.line}: '{signatory.listed_as}' repeats position {decision.duplicate_of}; kept once."
            )
        else:
            first_at[key] = signatory


def _settle_shared_organizations(report: ImportReport) -> None:
    """Two different lines of one list are two signatories: they cannot both be one organization.

    The strongest match keeps the organization and the weaker line is left ambiguous, for a curator to decide.
    """
    by_organization: dict[int, list[tuple[ParsedSignatory, NameDecision]]] = {}
    for signatory, decision in report.signatories:
        if decision.organization_id is not None and decision.duplicate_of is None:
            by_organization.setdefault(decision.organization_id, []).append((signatory, decision))
    for lines in by_organization.values():
        lines.sort(key=lambda line: (-RULE_STRENGTH[line[1].match.rule], -(line[1].match.score or 0), line[0].position))
        keeper, keeper_decision = lines[0]
        for signatory, decision in lines[1:]:
            decision.match = Match(
                rule=Rule.AMBIGUOUS,
                organization_id=None,
                organization_name=None,
                score=decision.match.score,
                candidates=decision.match.candidates or [],
                reason=(
                    f"{decision.match.reason} But position {keeper.position} ('{keeper.listed_as}') already "
                    f"is {keeper_decision.match.organization_name} on this letter."
                ),
            )
            report.warnings.append(
                f"Line {signatory.line}: '{signatory.listed_as}' and position {keeper.position} matched the same "
                "organization; left for review."
            )


def apply_choices(report: ImportReport, choices: dict[int, CuratorChoice]) -> None:
    """Record a curator's decisions, keyed by signatory position, on the report before it is committed."""
    for signatory, decision in report.signatories:
        if signatory.position in choices:
            decision.choice = choices[signatory.position]


@dataclass
class ImportResult:
    letter: Letter
    created: bool
    organizations_created: int = 0
    aliases_created: int = 0


def commit_report(
    report: ImportReport,
    *,
    status: str = Letter.Status.DRAFT,
    slug: str | None = None,
    source_url: str = "",
    decided_by=None,
) -> ImportResult:
    """Save the letter, its organizations, signatures and demands in one transaction.

    The same text imported again changes nothing and returns the letter already saved. A line the curator made a
    new organization although the matcher pointed at existing ones records "not the same" for each of them
    (`decided_by`, the curator), so the next import and the duplicate finder remember it.
    """
    parsed = report.parsed
    with transaction.atomic():
        existing = Letter.objects.filter(source_sha256=report.sha256).first()
        if existing:
            return ImportResult(letter=existing, created=False)
        if not parsed.title:
            raise ImportConflict("The letter has no title: add one at the top of the text.")
        if status == Letter.Status.PUBLISHED and parsed.date is None:
            raise ImportConflict("The letter has no date: a published letter needs the date printed on it.")
        clash = Letter.objects.filter(title=parsed.title, date=parsed.date).first()
        if clash:
            raise ImportConflict(
                f"Another text of '{parsed.title}' ({parsed.date or 'undated'}) is already in the archive "
                f"(letter id {clash.pk}): edit that letter instead of importing a second copy."
            )
        if slug and (Letter.objects.filter(slug=slug).exists() or LetterSlug.objects.filter(slug=slug).exists()):
            raise ImportConflict(f"The address slug '{slug}' is already used by another letter: choose another.")

        letter = Letter.objects.create(
            title=parsed.title[:500],
            slug=slug or unique_slugs([parsed.title], model=Letter)[0],
            date=parsed.date,
            kind=parsed.kind if parsed.kind in Letter.Kind.values else Letter.Kind.OPEN_LETTER,
            status=status,
            subject=parsed.subject[:1000],
            body=parsed.body,
            source_url=source_url,
            source_text=report.text,
            source_sha256=report.sha256,
            declared_signatory_count=parsed.declared_total,
            undisclosed_signatory_count=parsed.undisclosed,
        )
        kept = [(s, d) for s, d in report.signatories if d.kept]
        _check_chosen_organizations_exist([d for _, d in kept])
        kinds = {d.listed_as: s.kind_hint for s, d in kept}
        organizations = _resolve_organizations(
            [d for _, d in kept] + report.addressees + list(report.demand_targets.values()), kinds
        )
        result = ImportResult(letter=letter, created=True, organizations_created=organizations.created)

        # A line dropped as a repeat leaves a gap: positions stay those of the printed list.
        repeats: dict[int, list[str]] = {}
        for signatory, decision in report.signatories:
            if decision.duplicate_of is not None and not decision.kept:
                repeats.setdefault(decision.duplicate_of, []).append(
                    f"Printed again at position {signatory.position} as “{signatory.listed_as}”."
                )
        # With history: every signature an import saves has its first version (who: the curator in the admin).
        signatures = bulk_create_with_history(
            [
                Signature(
                    letter=letter,
                    organization_id=organizations.ids[decision.listed_as],
                    position=signatory.position,
                    listed_as=signatory.listed_as[:500],
                    section=signatory.section[:300],
                    note=" ".join([signatory.note, *repeats.get(signatory.position, [])]).strip()[:500],
                    withheld=decision.choice is not None and decision.choice.withheld,
                )
                for signatory, decision in kept
            ],
            Signature,
        )
        signature_at = {signatory.position: sig for (signatory, _), sig in zip(kept, signatures, strict=True)}
        members = []
        for signatory, _ in kept:
            if signatory.member_of is not None and signatory.member_of in signature_at:
                signature = signature_at[signatory.position]
                signature.member_of = signature_at[signatory.member_of]
                members.append(signature)
        bulk_update_with_history(members, Signature, ["member_of"])

        letter.addressees.set({organizations.ids[d.listed_as] for d in report.addressees})
        bulk_create_with_history(
            [
                Demand(
                    letter=letter,
                    position=demand.position,
                    text=demand.text,
                    target_id=organizations.ids[demand.target] if demand.target else None,
                )
                for demand in parsed.demands
            ],
            Demand,
        )
        result.aliases_created = _remember_spellings(
            (organizations.ids[d.listed_as], d.listed_as) for d in report.addressees + [d for _, d in kept]
        )
        # Bulk inserts send no signals: the next import's matcher must know these names and spellings.
        reindex_organizations(organizations.ids.values())
        DistinctPair.record(_curator_distinct_pairs([d for _, d in kept], organizations.ids), user=decided_by)
        # The signatures went in with bulk_create, which sends no signal.
        refresh_counts([letter.pk], organizations_of([letter.pk]))
        return result


def _curator_distinct_pairs(decisions: list[NameDecision], ids: dict[str, int]) -> set[tuple[int, int]]:
    """(new organization, organization the matcher proposed) for every line a curator chose to make new."""
    pairs = set()
    for decision in decisions:
        if decision.choice is None or decision.choice.action != CuratorChoice.NEW:
            continue
        proposed = {c.organization_id for c in decision.match.candidates} | {decision.match.organization_id}
        new_id = ids[decision.listed_as]
        pairs |= {(new_id, org_id) for org_id in proposed if org_id is not None and org_id != new_id}
    return pairs


def _check_chosen_organizations_exist(decisions: list[NameDecision]) -> None:
    seen: dict[int, str] = {}
    for decision in decisions:
        org_id = decision.organization_id
        if org_id is not None and org_id in seen:
            raise ImportConflict(
                f"'{decision.listed_as}' and '{seen[org_id]}' are both linked to organization {org_id}: "
                "one letter has one signature per organization."
            )
        if org_id is not None:
            seen[org_id] = decision.listed_as
    chosen = {d.choice.organization_id for d in decisions if d.choice and d.choice.action == CuratorChoice.LINK}
    live = set(Organization.objects.filter(pk__in=chosen, merged_into__isnull=True).values_list("pk", flat=True))
    if missing := chosen - live:
        raise ImportConflict(
            f"Organization id(s) {', '.join(map(str, sorted(missing)))} chosen in the review do not exist "
            "(or were merged away): choose again."
        )


@dataclass
class ResolvedOrganizations:
    ids: dict[str, int]
    created: int


def _resolve_organizations(decisions: list[NameDecision], kinds: dict[str, str]) -> ResolvedOrganizations:
    """Map every printed name to an organization id, creating records for new and ambiguous names."""
    ids: dict[str, int] = {}
    to_create: dict[str, NameDecision] = {}
    for decision in decisions:
        if decision.organization_id is not None:
            ids[decision.listed_as] = decision.organization_id
        elif decision.listed_as not in ids:
            to_create.setdefault(decision.listed_as, decision)
    names = list(to_create)
    slugs = unique_slugs(names)
    valid_kinds = set(Organization.Kind.values)
    created = bulk_create_with_history(
        [
            Organization(
                name=name[:500],
                slug=slug,
                kind=kinds.get(name) if kinds.get(name) in valid_kinds else Organization.Kind.ORGANIZATION,
                needs_review=to_create[name].needs_review,
            )
            for name, slug in zip(names, slugs, strict=True)
        ],
        Organization,
    )
    ids.update({org.name: org.pk for org in created})
    # A name cut to the field's length maps back through its full spelling.
    ids.update({name: org.pk for name, org in zip(names, created, strict=True)})
    return ResolvedOrganizations(ids=ids, created=len(created))


def _remember_spellings(pairs) -> int:
    """Every spelling printed on a letter becomes an alias of its organization, unless it is the name itself."""
    pairs = {(org_id, name[:500]) for org_id, name in pairs}
    names = dict(Organization.objects.filter(pk__in={org_id for org_id, _ in pairs}).values_list("pk", "name"))
    known = set(
        Alias.objects.filter(organization_id__in=names.keys(), name__in={n for _, n in pairs}).values_list(
            "organization_id", "name"
        )
    )
    new = [
        Alias(organization_id=org_id, name=name, source=Alias.Source.LETTER)
        for org_id, name in sorted(pairs)
        if name != names[org_id] and (org_id, name) not in known
    ]
    bulk_create_with_history(new, Alias)
    return len(new)
