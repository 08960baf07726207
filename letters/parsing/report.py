"""The report a parse gives: the letter's parts, its signatory lines and demands, and warnings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class ParsedSignatory:
    position: int
    listed_as: str
    member_of: int | None
    line: int
    kind_hint: str  # "organization" | "coalition" | "individual"
    section: str = ""  # the heading the line is printed under ("Brazil", "Individuals"), never a signatory
    note: str = ""  # what the line prints beside the name (a country or description column)


@dataclass
class ParsedDemand:
    position: int
    target: str | None
    text: str


@dataclass
class ListLines:
    """What became of the signatory list's non-empty lines: each is part of a signatory, a heading, or skipped with a
    warning that gives its number and the reason."""

    read: int = 0
    kept: int = 0  # lines that are a signatory or part of one (a wrapped name, a person's affiliation)
    headings: int = 0
    skipped: int = 0


@dataclass
class ParsedLetter:
    title: str
    date: datetime.date | None
    addressees: list[str]
    subject: str
    body: str
    kind: str  # "open_letter" | "joint_statement" | "press_release" | "statement"
    declared_total: int | None
    undisclosed: int | None
    signatories: list[ParsedSignatory] = field(default_factory=list)
    demands: list[ParsedDemand] = field(default_factory=list)
    candidate_demands: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    list_lines: ListLines = field(default_factory=ListLines)
