"""Checks that catch the parser's mistakes, shown at the top of the import review, each with the line it is about.

One plain function, `review_checks`, over an import report (the parser's, or the one a curator edited): the
figures against each other and against the list, the lines the parser skipped, headings that read like names,
names printed twice. It reads nothing from the database: the report already holds what the matcher decided.
"""

import re
from dataclasses import dataclass

from letters.importing import LINKING_RULES, ImportReport, printed_key

# The parser's own word for a line it did not take as a signatory: "Line 12: ... skipped."
SKIPPED = re.compile(r"^Line (?P<line>\d+): (?P<what>.*\bskipped\b.*)$")
YEAR = re.compile(r"(?<![\d.,/-])(?:1[89]|20)\d\d(?![\d])")
# Fewer named lines than this share of those the letter says it names looks like a list the parser cut short.
SHORT_LIST_SHARE = 0.5
# Words near a printed count of signatories: the line a total was read from says one of these.
COUNT_WORDS = re.compile(r"signator|organi[sz]|undersigned|endorse|names|groups|individuals|members", re.I)


@dataclass(frozen=True, order=True)
class ReviewWarning:
    line: int  # the line of the text it is about; 0 for the letter as a whole
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


def review_checks(report: ImportReport) -> list[ReviewWarning]:
    """What a curator should look at before saving, in the order of the text."""
    parsed = report.parsed
    lines = report.text.split("\n")
    kept = [(s, d) for s, d in report.signatories if d.kept]
    named = len(kept)
    declared, undisclosed = parsed.declared_total, parsed.undisclosed
    warnings: list[ReviewWarning] = []
    total_line = _line_printing(lines, declared)

    if declared is not None:
        stated = named + (undisclosed or 0)
        if stated != declared:
            more_or_fewer = "more" if stated > declared else "fewer"
            warnings.append(
                ReviewWarning(
                    total_line,
                    f"the letter states {declared} signatories, but {named} named + {undisclosed or 0} undisclosed "
                    f"= {stated} ({abs(stated - declared)} {more_or_fewer}).",
                )
            )
        if named < SHORT_LIST_SHARE * (declared - (undisclosed or 0)):
            warnings.append(
                ReviewWarning(
                    total_line,
                    f"only {named} named lines for a stated total of {declared}"
                    f"{f' ({undisclosed} undisclosed)' if undisclosed else ''}: was the list cut short, or the "
                    "total misread?",
                )
            )
    years = {int(year) for year in YEAR.findall(report.text)} | ({parsed.date.year} if parsed.date else set())
    for label, figure in (("declared total", declared), ("undisclosed count", undisclosed)):
        if figure is not None and figure in years:
            warnings.append(
                ReviewWarning(
                    _line_printing(lines, figure),
                    f"the {label} {figure} is also a year of the letter: check it is not a date read as a count.",
                )
            )
    if declared is not None and undisclosed is not None and undisclosed > declared:
        warnings.append(
            ReviewWarning(
                _line_printing(lines, undisclosed),
                f"{undisclosed} undisclosed is more than the stated total of {declared}.",
            )
        )
    for warning in parsed.warnings:
        if skipped := SKIPPED.match(warning):
            warnings.append(ReviewWarning(int(skipped["line"]), skipped["what"]))
    for heading in report.headings:
        if heading.match.rule in LINKING_RULES:
            warnings.append(
                ReviewWarning(
                    heading.line,
                    f"the heading '{heading.text}' is the name of {heading.match.organization_name}: is it a "
                    "signatory rather than a heading?",
                )
            )
    warnings += _duplicates(report)
    return sorted(set(warnings))


def parser_notes(report: ImportReport) -> list[str]:
    """The parser's and matcher's other remarks on the text (names joined across lines, counts read from a line,
    lines left for review), which `review_checks` does not already tell."""
    return [w for w in report.parsed.warnings if not SKIPPED.match(w)] + report.warnings


def _duplicates(report: ImportReport) -> list[ReviewWarning]:
    """Kept lines printed alike or linked to one organization, and repeats the import drops on its own."""
    warnings = []
    first_by_print: dict[tuple[str, str], int] = {}
    first_by_organization: dict[int, tuple[int, str]] = {}
    for signatory, decision in report.signatories:
        if decision.duplicate_of is not None and not decision.kept:
            warnings.append(
                ReviewWarning(
                    signatory.line,
                    f"'{signatory.listed_as}' repeats #{decision.duplicate_of}: dropped, unless you keep it.",
                )
            )
            continue
        if not decision.kept:
            continue
        key = printed_key(signatory.listed_as)
        if key in first_by_print:
            warnings.append(
                ReviewWarning(
                    signatory.line, f"'{signatory.listed_as}' is printed twice (also #{first_by_print[key]})."
                )
            )
        else:
            first_by_print[key] = signatory.position
        org_id = decision.organization_id
        if org_id is not None and org_id in first_by_organization:
            position, name = first_by_organization[org_id]
            warnings.append(
                ReviewWarning(
                    signatory.line,
                    f"'{signatory.listed_as}' and #{position} '{name}' are linked to one organization: "
                    "a letter has one signature per organization.",
                )
            )
        elif org_id is not None:
            first_by_organization[org_id] = (signatory.position, signatory.listed_as)
    return warnings


def _line_printing(lines: list[str], figure: int | None) -> int:
    """The line a figure was most likely read from: the first that prints it beside a word about signatories, else
    the first that prints it at all; 0 when none does (a curator typed it)."""
    if figure is None:
        return 0
    printed = re.compile(rf"(?<![\d.,]){figure:,}(?![\d])|(?<![\d.,]){figure}(?![\d])")
    found = [k + 1 for k, line in enumerate(lines) if printed.search(line)]
    beside_words = [k for k in found if COUNT_WORDS.search(lines[k - 1])]
    return (beside_words or found or [0])[0]
