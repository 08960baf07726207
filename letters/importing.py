"""The import pipeline: text -> parsed letter -> a decision for every line -> one transaction.

The admin and the `import_letter` command both call `build_report` then `commit_report`; neither does any
parsing or matching of its own. Nothing here knows about requests.
"""

import bisect
import dataclasses
import datetime
import difflib
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from letters.counts import counted_once, organizations_of, refresh_counts
from letters.models import Demand, Letter, LetterSlug, Signature
from letters.parsing import ParsedDemand, ParsedLetter, ParsedSignatory, parse_letter
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
    # A re-import: the letter's signature this line is (`pair_with_letter`). Its organization stays, unless the
    # curator chooses another: a link a curator made on the letter is not undone by the matcher.
    signature: Signature | None = None

    @property
    def organization_id(self) -> int | None:
        if self.choice is not None and self.choice.action != CuratorChoice.KEEP:
            return self.choice.organization_id if self.choice.action == CuratorChoice.LINK else None
        if self.signature is not None:
            return self.signature.organization_id
        return self.match.organization_id if self.match.rule in LINKING_RULES else None

    @property
    def kept(self) -> bool:
        if self.choice is not None:
            return self.choice.action != CuratorChoice.DROP
        return self.duplicate_of is None

    @property
    def needs_review(self) -> bool:
        undecided = self.choice is None or self.choice.action == CuratorChoice.KEEP
        return undecided and self.signature is None and self.match.rule == Rule.AMBIGUOUS

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
    KEEP = "keep"  # the matcher's decision stands; the choice only withholds the line

    action: str
    organization_id: int | None = None
    withheld: bool = False


@dataclass
class Heading:
    """A section heading of the signatory list ("Individuals", "Brazil"): a label, never a signatory."""

    line: int
    text: str
    match: Match  # what the matcher makes of the text: a heading it knows as an organization may be a name


@dataclass
class ImportReport:
    text: str
    parsed: ParsedLetter
    signatories: list[tuple[ParsedSignatory, NameDecision]]
    addressees: list[NameDecision]
    demand_targets: dict[str, NameDecision]
    warnings: list[str] = field(default_factory=list)
    existing_letter_id: int | None = None
    headings: list[Heading] = field(default_factory=list)

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
    return report_for(parsed, text, printed_headings(parsed, text), matcher)


def report_for(
    parsed: ParsedLetter, text: str, headings: list[tuple[int, str]], matcher: Matcher | None = None
) -> ImportReport:
    """Decide every name of a parsed letter against the archive: the parser's, or the one a curator edited in the
    review screen (`headings`: the list's section headings, (line, text)). Reads the database, writes nothing."""
    targets = {d.target for d in parsed.demands if d.target}
    heading_texts = [text for _, text in headings]
    # The matcher reads from the stored index only what these lines can meet (organizations.match_index).
    matcher = matcher or build_matcher(
        [s.listed_as for s in parsed.signatories] + parsed.addressees + list(targets) + heading_texts
    )
    report = ImportReport(
        text=text,
        parsed=parsed,
        signatories=[(s, NameDecision(s.listed_as, matcher.match(s.listed_as))) for s in parsed.signatories],
        addressees=[NameDecision(name, matcher.match(name)) for name in parsed.addressees],
        demand_targets={t: NameDecision(t, matcher.match(t)) for t in targets},
        headings=[Heading(line, heading, matcher.match(heading)) for line, heading in headings],
    )
    report.existing_letter_id = Letter.objects.filter(source_sha256=report.sha256).values_list("id", flat=True).first()
    _drop_repeated_lines(report)
    _settle_shared_organizations(report)
    _drop_distinct_candidates(report)
    return report


def printed_headings(parsed: ParsedLetter, text: str) -> list[tuple[int, str]]:
    """The list's section headings, each with the line it is printed on: the last line before its first signatory
    that reads as the heading (with or without a colon), or that signatory's line when none does."""
    lines = [" ".join(line.split()).rstrip(":").strip().casefold() for line in text.split("\n")]
    headings: list[tuple[int, str]] = []
    seen: set[str] = set()
    for signatory in parsed.signatories:
        if not signatory.section or signatory.section in seen:
            continue
        seen.add(signatory.section)
        wanted = signatory.section.rstrip(":").strip().casefold()
        found = next((k + 1 for k in range(signatory.line - 2, -1, -1) if lines[k] == wanted), signatory.line)
        headings.append((found, signatory.section))
    return headings


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


def printed_key(name: str) -> tuple[str, str]:
    """Names that are the same print of one name: equal normalized text, a trailing acronym in any form."""
    base, acronym = split_acronym(name)
    return normalize(base), (acronym or "").casefold()


def _drop_repeated_lines(report: ImportReport) -> None:
    """A name printed twice on one list is one signatory: later repeats are dropped."""
    first_at: dict[tuple[str, str], ParsedSignatory] = {}
    for signatory, decision in report.signatories:
        key = printed_key(signatory.listed_as)
        if key in first_at:
            # letters.review_checks tells the curator, with the line.
            decision.duplicate_of = first_at[key].position
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
    diff: "LetterDiff | None" = None  # a re-import: what changed on the letter's list


@dataclass
class LetterDiff:
    """A corrected text against the letter already in the archive: what its signatory list gains and loses."""

    letter: Letter
    added: list[ParsedSignatory] = field(default_factory=list)
    removed: list[Signature] = field(default_factory=list)  # not printed on the new text
    renamed: list[tuple[Signature, ParsedSignatory]] = field(default_factory=list)  # printed name changed
    moved: list[tuple[Signature, ParsedSignatory]] = field(default_factory=list)  # order changed, not just shifted
    kept: int = 0  # lines printed on both

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.removed) + len(self.renamed) + len(self.moved)


# A corrected spelling is still the same line: names this alike (difflib's ratio of their normalized forms) pair up.
SAME_LINE_SIMILARITY = 0.85
# Beyond this many comparisons the rest of two lists are too unlike to pair by spelling (a different list).
MAX_SPELLING_COMPARISONS = 20_000


def pair_with_letter(report: ImportReport, letter: Letter) -> LetterDiff:
    """Pair each kept line of the report with the letter's signature it corrects, and say what changes.

    A line is the signature printed with the same name (up to spacing, case, accents and the acronym's form), else
    the one of the organization it is linked to, else the one spelled most alike. A paired line keeps the
    signature's organization, withheld flag, note and retraction (`NameDecision.signature`).
    """
    signatures = list(Signature.objects.filter(letter=letter).select_related("organization").order_by("position"))
    kept = [(s, d) for s, d in report.signatories if d.kept]
    for _, decision in report.signatories:
        decision.signature = None
    unpaired = {sig.pk: sig for sig in signatures}

    def pair(decision: NameDecision, signature: Signature) -> None:
        decision.signature = signature
        del unpaired[signature.pk]

    by_key: dict[tuple[str, str], list[Signature]] = {}
    for sig in signatures:
        by_key.setdefault(printed_key(sig.listed_as), []).append(sig)
    for signatory, decision in kept:
        same = [sig for sig in by_key.get(printed_key(signatory.listed_as), []) if sig.pk in unpaired]
        if same:
            pair(decision, same[0])
    by_organization = {sig.organization_id: sig for sig in signatures}
    for _, decision in kept:
        sig = by_organization.get(decision.organization_id)
        if decision.signature is None and sig is not None and sig.pk in unpaired:
            pair(decision, sig)
    rest = [d for _, d in kept if d.signature is None]
    if rest and len(rest) * len(unpaired) <= MAX_SPELLING_COMPARISONS:
        scored = []
        for k, decision in enumerate(rest):
            for sig in unpaired.values():
                matcher = difflib.SequenceMatcher(None, normalize(decision.listed_as), normalize(sig.listed_as))
                if matcher.real_quick_ratio() >= SAME_LINE_SIMILARITY and matcher.ratio() >= SAME_LINE_SIMILARITY:
                    scored.append((-matcher.ratio(), k, sig.position, sig))
        for _, k, _, sig in sorted(scored, key=lambda item: item[:3]):
            if rest[k].signature is None and sig.pk in unpaired:
                pair(rest[k], sig)

    diff = LetterDiff(letter=letter, removed=list(unpaired.values()))
    paired = [(s, d.signature) for s, d in kept if d.signature is not None]
    in_order = _longest_rising({k: sig.position for k, (_, sig) in enumerate(paired)})
    for k, (signatory, sig) in enumerate(paired):
        if sig.listed_as != signatory.listed_as[:500]:
            diff.renamed.append((sig, signatory))
        if k not in in_order:
            diff.moved.append((sig, signatory))
    diff.added = [s for s, d in kept if d.signature is None]
    diff.kept = len(paired)
    return diff


def _longest_rising(values: dict[int, int]) -> set[int]:
    """The keys of a longest run of `values` (in key order) that rises: the lines that kept their order when others
    were added or removed. The others moved."""
    keys = sorted(values)
    tails: list[int] = []  # tails[n]: index in `keys` of the smallest last value of a rising run of length n + 1
    previous: list[int | None] = [None] * len(keys)
    for i, key in enumerate(keys):
        n = bisect.bisect_left([values[keys[t]] for t in tails], values[key])
        previous[i] = tails[n - 1] if n else None
        if n == len(tails):
            tails.append(i)
        else:
            tails[n] = i
    rising: set[int] = set()
    i = tails[-1] if tails else None
    while i is not None:
        rising.add(keys[i])
        i = previous[i]
    return rising


def letter_digest(letter_id: int) -> str:
    """What a re-import's review was made against: a digest of the letter's lines and of its last save."""
    rows = Signature.objects.filter(letter_id=letter_id).order_by("pk")
    lines = rows.values_list(
        "pk", "position", "listed_as", "organization_id", "member_of_id", "section", "note", "withheld", "retracted_on"
    )
    saved = Letter.objects.filter(pk=letter_id).values_list("updated_at", flat=True).first()
    return fingerprint(f"{saved}\n" + "\n".join(map(repr, lines)))


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
        _check_letter_fields(report, status)
        clash = Letter.objects.filter(title=parsed.title, date=parsed.date).first()
        if clash:
            raise ImportConflict(
                f"Another text of '{parsed.title}' ({parsed.date or 'undated'}) is already in the archive "
                f"(letter id {clash.pk}): import it into that letter to correct it, rather than as a second copy."
            )
        if slug and (Letter.objects.filter(slug=slug).exists() or LetterSlug.objects.filter(slug=slug).exists()):
            raise ImportConflict(f"The address slug '{slug}' is already used by another letter: choose another.")

        letter = Letter(slug=slug or unique_slugs([parsed.title], model=Letter)[0])
        _set_letter_fields(letter, report, status=status, source_url=source_url)
        letter.save()
        result = _write_lines(letter, report, [], [], decided_by=decided_by)
        # The signatures went in with bulk_create, which sends no signal.
        refresh_counts([letter.pk], organizations_of([letter.pk]))
        return result


def update_letter(
    report: ImportReport,
    letter_id: int,
    *,
    status: str,
    slug: str | None = None,
    source_url: str = "",
    retract_removed: bool = False,
    reviewed_digest: str | None = None,
    decided_by=None,
) -> ImportResult:
    """Import a corrected text into a letter already in the archive, in one transaction.

    Lines printed on both keep their signature, with every curator decision on it (organization, withheld, note,
    retraction) and its history; lines the new text adds are created; lines it no longer prints are deleted (their
    history keeps them), unless the curator asks, for a published letter, to keep them as retractions. A line
    already retracted is never deleted. `reviewed_digest` (`letter_digest`) refuses a letter changed since review.
    """
    with transaction.atomic(), counted_once():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None:
            raise ImportConflict(f"Letter {letter_id} is not in the archive (deleted?): choose the letter again.")
        if reviewed_digest is not None and reviewed_digest != letter_digest(letter_id):
            raise ImportConflict(
                f"Letter {letter_id} '{letter.title}' changed since you reviewed it: look at the differences again."
            )
        if letter.source_sha256 == report.sha256:
            return ImportResult(letter=letter, created=False)
        _check_letter_fields(report, status)
        parsed = report.parsed
        clash = Letter.objects.filter(title=parsed.title, date=parsed.date).exclude(pk=letter.pk).first()
        if clash:
            raise ImportConflict(
                f"Letter {clash.pk} already has the title '{parsed.title}' and date {parsed.date or 'undated'}: "
                "change the title or date, or import into that letter."
            )
        if slug and slug != letter.slug:
            if (
                Letter.objects.filter(slug=slug).exists()
                or LetterSlug.objects.filter(slug=slug).exclude(letter=letter).exists()
            ):
                raise ImportConflict(f"The address slug '{slug}' is already used by another letter: choose another.")
            letter.slug = slug
        before = organizations_of([letter.pk])
        was_published = letter.status == Letter.Status.PUBLISHED
        _set_letter_fields(letter, report, status=status, source_url=source_url or letter.source_url)
        letter.save()

        diff = pair_with_letter(report, letter)
        removed = diff.removed
        retracted = [sig for sig in removed if sig.retracted_on is not None]
        if retract_removed and was_published:
            retracted = removed
        deleted = [sig for sig in removed if sig not in retracted]
        result = _write_lines(
            letter, report, retracted, deleted, decided_by=decided_by, demands=list(letter.demands.order_by("pk"))
        )
        result.created, result.diff = False, diff
        refresh_counts([letter.pk], before | organizations_of([letter.pk]))
        return result


def _check_letter_fields(report: ImportReport, status: str) -> None:
    if not report.parsed.title.strip():
        raise ImportConflict("The letter has no title: add one at the top of the text.")
    if status == Letter.Status.PUBLISHED and report.parsed.date is None:
        raise ImportConflict("The letter has no date: a published letter needs the date printed on it.")
    _check_chosen_organizations_exist([d for _, d in report.signatories if d.kept], report.addressees)


def _set_letter_fields(letter: Letter, report: ImportReport, *, status: str, source_url: str) -> None:
    parsed = report.parsed
    letter.title = parsed.title[:500]
    letter.date = parsed.date
    letter.kind = parsed.kind if parsed.kind in Letter.Kind.values else Letter.Kind.OPEN_LETTER
    letter.status = status
    letter.subject = parsed.subject[:1000]
    letter.body = parsed.body
    letter.source_url = source_url
    letter.source_text = report.text
    letter.source_sha256 = report.sha256
    letter.declared_signatory_count = parsed.declared_total
    letter.undisclosed_signatory_count = parsed.undisclosed


# Positions are unique per letter: lines that move are first parked this far out, then written where they go.
PARKED = 1_000_000


def _write_lines(
    letter: Letter,
    report: ImportReport,
    retracted: list[Signature],
    deleted: list[Signature],
    *,
    decided_by=None,
    demands: list[Demand] | None = None,
) -> ImportResult:
    """Write a letter's organizations, signatures, addressees and demands from the report. The report's lines that
    carry a `signature` (a re-import) update it; the others are created. `retracted`: signatures no longer printed
    that stay on the letter, after its printed lines; `deleted`: those that go; `demands`: the letter's current ones.
    """
    kept = [(s, d) for s, d in report.signatories if d.kept]
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
    if deleted:
        # A coalition's members are not deleted with it (member_of cascades): they lose the link first.
        Signature.objects.filter(member_of__in=deleted).update(member_of=None)
        Signature.objects.filter(pk__in=[sig.pk for sig in deleted]).delete()
    fresh: list[Signature] = []
    changed: dict[int, Signature] = {}
    moving: list[int] = []
    at_position: dict[int, Signature] = {}
    for signatory, decision in kept:
        note = " ".join([signatory.note, *repeats.get(signatory.position, [])]).strip()[:500]
        values = {
            "organization_id": organizations.ids[decision.listed_as],
            "position": signatory.position,
            "listed_as": signatory.listed_as[:500],
            "section": signatory.section[:300],
            "withheld": decision.choice is not None and decision.choice.withheld,
        }
        signature = decision.signature
        if signature is None:
            signature = Signature(letter=letter, note=note, **values)
            fresh.append(signature)
        else:
            # The curator's decisions on the letter stay: its note, and a line withheld stays withheld.
            values |= {"note": signature.note or note, "withheld": signature.withheld or values["withheld"]}
            _update(signature, values, changed, moving)
        at_position[signatory.position] = signature
    last = max(at_position, default=0)
    today = datetime.date.today()
    for sig in sorted(retracted, key=lambda sig: sig.position):
        last += 1
        values = {"position": last, "retracted_on": sig.retracted_on or today}
        if sig.retracted_on is None:
            values["retraction_reason"] = f"Not printed on the corrected text of the letter imported on {today}."
        _update(sig, values, changed, moving)
        at_position[last] = sig
    # Positions are unique on the letter: the lines that move are parked out of the way first.
    Signature.objects.filter(pk__in=moving).update(position=F("position") + PARKED)
    bulk_create_with_history(fresh, Signature)
    for signatory, _ in kept:
        signature = at_position[signatory.position]
        coalition = at_position.get(signatory.member_of) if signatory.member_of is not None else None
        member_of = coalition.pk if coalition is not None else None
        if signature.member_of_id != member_of:
            signature.member_of_id = member_of
            changed.setdefault(signature.pk, signature)
    # With history: every signature an import saves or changes gets a version (who: the curator in the admin).
    fields = ["organization", "position", "listed_as", "section", "note", "withheld", "member_of", "retracted_on"]
    bulk_update_with_history(list(changed.values()), Signature, [*fields, "retraction_reason"])

    letter.addressees.set({organizations.ids[d.listed_as] for d in report.addressees})
    _write_demands(letter, report.parsed.demands, demands or [], organizations.ids)
    result.aliases_created = _remember_spellings(
        (organizations.ids[d.listed_as], d.listed_as) for d in report.addressees + [d for _, d in kept]
    )
    # Bulk inserts send no signals: the next import's matcher must know these names and spellings.
    reindex_organizations(organizations.ids.values())
    DistinctPair.record(_curator_distinct_pairs([d for _, d in kept], organizations.ids), user=decided_by)
    return result


def _update(row: models.Model, values: dict[str, Any], changed: dict[int, models.Model], moving: list[int]) -> None:
    """Set `values` on a saved row, noting it as changed (and as moving, when its position changes)."""
    if "position" in values and values["position"] != row.position:
        moving.append(row.pk)
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed[row.pk] = row


def _write_demands(letter: Letter, parsed: list[ParsedDemand], current: list[Demand], ids: dict[str, int]) -> None:
    """The letter's demands become `parsed`. A demand with the same text (else at the same place) is kept and
    changed, so its themes stay; the others are created or deleted."""
    unpaired = {demand.pk: demand for demand in current}
    paired: dict[int, Demand] = {}
    by_text = {demand.text: demand for demand in reversed(current)}
    for k, demand in enumerate(parsed):
        same = by_text.get(demand.text)
        if same is not None and same.pk in unpaired:
            paired[k] = unpaired.pop(same.pk)
    rest = iter(sorted(unpaired.values(), key=lambda demand: demand.position))
    for k in range(len(parsed)):
        if k not in paired:
            paired[k] = next(rest, None)
    Demand.objects.filter(pk__in=[d.pk for d in unpaired.values() if d not in paired.values()]).delete()
    changed: dict[int, Demand] = {}
    moving: list[int] = []
    fresh = []
    for k, demand in enumerate(parsed):
        values = {
            "position": demand.position,
            "text": demand.text,
            "target_id": ids[demand.target] if demand.target else None,
        }
        if paired[k] is None:
            fresh.append(Demand(letter=letter, **values))
        else:
            _update(paired[k], values, changed, moving)
    Demand.objects.filter(pk__in=moving).update(position=F("position") + PARKED)
    bulk_update_with_history(list(changed.values()), Demand, ["position", "text", "target"])
    bulk_create_with_history(fresh, Demand)


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


def _check_chosen_organizations_exist(signatories: list[NameDecision], addressees: list[NameDecision]) -> None:
    seen: dict[int, str] = {}
    for decision in signatories:
        org_id = decision.organization_id
        if org_id is not None and org_id in seen:
            raise ImportConflict(
                f"'{decision.listed_as}' and '{seen[org_id]}' are both linked to organization {org_id}: "
                "one letter has one signature per organization."
            )
        if org_id is not None:
            seen[org_id] = decision.listed_as
    decisions = signatories + addressees
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
