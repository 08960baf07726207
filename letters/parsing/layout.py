"""Text laid out in columns, put back in reading order.

A PDF's text layer extracted with its layout (`pdftotext -layout`, or pasted from a PDF viewer) prints a list set
in two, three or four columns as lines that each hold one entry of every column: "Access Now      Internet
Australia". Read line by line, unrelated names sit side by side and a wrapped name is split by its neighbours.
This stage finds such regions (runs of short lines whose pieces start at the same few positions), cuts every line
at those positions and gives each column's lines in turn, top to bottom, left to right, a blank line between
columns. A column of bare numbers is joined to the names beside it ("1    34 Cross" is entry 1, "34 Cross").

Every stage after this one reads the rearranged text; `origin` maps each of its lines back to the line of the
text as given, so line numbers in the report are the curator's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from letters.parsing.lines import SALUTATION, is_category_heading

# Pieces of a line: text runs separated by three spaces or more (one or two spaces stay inside a name).
PIECE = re.compile(r"\S+(?: {1,2}\S+)*")
# A piece longer than this is prose or a wide line, not a cell of a column.
MAX_CELL_CHARS = 70
# Column starts found in fewer lines than this are a stray alignment, not a column.
MIN_COLUMN_LINES = 2
MIN_COLUMN_SHARE = 0.2
# A region needs this many lines of two pieces or more.
MIN_COLUMNAR_LINES = 3
# How far (characters) a piece may start from its column's start: extraction shifts text a little.
ALIGN = 2
# A name that fills its column pushes the next column's text right: a cut may move this far past the start.
PUSHED = 12
NUMBER_CELL = re.compile(r"^\d{1,4}[.)]?$")
# A column is a column of numbers when nearly all its cells are.
NUMERIC_SHARE = 0.8
NUMBERED = re.compile(r"\d{1,4}[.)]?\s+\S")


@dataclass
class ReadingOrder:
    text: str
    origin: list[int]  # 0-based line index in the given text, for each line of `text`

    def line(self, number: int) -> int:
        """The given text's 1-based line number for a 1-based line number of the rearranged text."""
        if 1 <= number <= len(self.origin):
            return self.origin[number - 1] + 1
        return number


def pieces(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in PIECE.finditer(line)]


def fits_a_column(line: str) -> bool:
    if "\t" in line or line.lstrip().startswith("|"):
        return False  # a table's cells are marked already
    return all(len(text) <= MAX_CELL_CHARS for _, text in pieces(line.replace("\f", "")))


def column_starts(rows: list[str]) -> list[int]:
    """Positions where pieces start in enough of the rows that have two pieces or more."""
    columnar = [pieces(row) for row in rows if len(pieces(row)) >= 2]
    starts = sorted({start for row in columnar for start, _ in row})
    support: list[tuple[int, int]] = []  # (cluster start, lines)
    cluster: list[int] = []

    def close() -> None:
        if cluster:
            lines = sum(1 for row in columnar if any(cluster[0] - ALIGN <= s <= cluster[-1] + ALIGN for s, _ in row))
            support.append((cluster[0], lines))

    for start in starts:
        if cluster and start - cluster[-1] > ALIGN:
            close()
            cluster = []
        cluster.append(start)
    close()
    needed = max(MIN_COLUMN_LINES, MIN_COLUMN_SHARE * len(columnar))
    found = [start for start, lines in support if lines >= needed]
    # The first column starts where the leftmost line does, even where no row beside it has two pieces.
    first = min((row_pieces[0][0] for row in rows if (row_pieces := pieces(row))), default=0)
    return sorted({first, *found}) if found else []


def cut(line: str, starts: list[int]) -> list[str]:
    """The line's cell in each column: cut where a piece starts at (or was pushed a little past) a column start."""
    cuts = [0]
    for start in starts[1:]:
        best = None
        for position in range(max(cuts[-1] + 1, start - ALIGN), min(len(line), start + PUSHED)):
            if line[position] != " " and line[position - 1] == " ":
                best = position
                break
        if best is None or best > start + ALIGN or not line[best].isdigit():
            # A long name in the column before pulls the next entry's number left of where it belongs.
            for position in range(min(len(line) - 1, start - ALIGN - 1), max(cuts[-1], start - PUSHED), -1):
                if line[position].isdigit() and line[position - 1] == " " and NUMBERED.match(line, position):
                    best = position
                    break
        if best is None:
            best = min(start, len(line))
            if 0 < best < len(line) and line[best] != " " and line[best - 1] != " ":
                # The text before runs on through this column's start (a heading, a long name): it stays whole in
                # its column, up to the end of its piece.
                piece_end = line.find("   ", best)
                best = len(line) if piece_end < 0 else piece_end
        cuts.append(best)
    cuts.append(len(line))
    return [" ".join(line[a:b].split()) for a, b in zip(cuts, cuts[1:], strict=False)]


def merge_number_columns(cells: list[list[str]]) -> list[list[str]]:
    """A column of numbers ("1", "52") is the markers of the names in the column after it. A few other cells in it
    (a country heading above its numbered names) stay lines of their own."""
    columns = len(cells[0]) if cells else 0
    numeric = set()
    for c in range(columns - 1):
        filled = [row[c] for row in cells if row[c]]
        if filled and sum(1 for cell in filled if NUMBER_CELL.match(cell)) >= NUMERIC_SHARE * len(filled):
            numeric.add(c)
    if not numeric:
        return cells
    merged = []
    for row in cells:
        out: list[str] = []
        for c in range(columns):
            if c in numeric:
                continue
            if c - 1 in numeric and NUMBER_CELL.match(row[c - 1]) and row[c]:
                out.append(f"{row[c - 1].rstrip('.)')}. {row[c]}")
            elif c - 1 in numeric:
                out.append(" ".join(cell for cell in (row[c - 1], row[c]) if cell))
            else:
                out.append(row[c])
        merged.append(out)
    return merged


def rearrange(rows: list[str], starts: list[int]) -> list[tuple[str, int]] | None:
    """The region's lines column by column with the row each comes from, or None if its pieces do not line up in
    the columns that start at `starts`."""
    if len(starts) < 2:
        return None
    cells = [cut(row, starts) if row.strip() else [""] * len(starts) for row in rows]
    misaligned = sum(
        1 for row in rows for start, _ in pieces(row) if not any(abs(start - s) <= ALIGN + PUSHED for s in starts)
    )
    if misaligned > 0.1 * sum(len(pieces(row)) for row in rows):
        return None
    cells = merge_number_columns(cells)
    if len(cells[0]) < 2:
        return None  # one column of names with their numbers: a plain numbered list, read as it is
    out: list[tuple[str, int]] = []
    for c in range(len(cells[0])):
        if c:
            out.append(("", len(rows) - 1))
        out.extend((row[c], k) for k, row in enumerate(cells))
    return out


def is_columnar(row: str) -> bool:
    """A row that holds two names side by side (a numbered list's number beside its name is one entry)."""
    return sum(1 for _, text in pieces(row) if not NUMBER_CELL.match(text)) >= 2


def aligned(rows: list[str], starts: list[int]) -> bool:
    """Every piece of the rows starts at one of the column starts."""
    return all(any(abs(start - s) <= ALIGN for s in starts) for row in rows for start, _ in pieces(row))


def starts_a_region(line: str) -> bool:
    """A page break, a salutation, or a heading alone on its line ("Individuals*"): the columns above and below are
    separate."""
    if "\f" in line or SALUTATION.match(line.strip()):
        return True
    found = pieces(line)
    return len(found) == 1 and is_category_heading(found[0][1].strip("*:#-– "))


def reading_order(text: str) -> ReadingOrder:
    lines = text.split("\n")
    out: list[str] = []
    origin: list[int] = []
    page_columns: list[int] = []  # the columns found last, for a region too short to show its own
    i = 0
    while i < len(lines):
        # A region runs over lines that fit a column, up to the next page break.
        j = i
        while j < len(lines) and fits_a_column(lines[j]) and (j == i or not starts_a_region(lines[j])):
            j += 1
        if j == i:
            out.append(lines[i])
            origin.append(i)
            i += 1
            continue
        # A region starts at its first row of two names side by side: the short lines of a letter above its list (a
        # title, a date, "Signed by:") stay as they are.
        while i < j and not is_columnar(lines[i].replace("\f", "")):
            out.append(lines[i])
            origin.append(i)
            i += 1
        if i == j:
            continue
        region = [row.replace("\f", "") for row in lines[i:j]]
        columnar = sum(1 for row in region if is_columnar(row))
        nonblank = sum(1 for row in region if row.strip())
        arranged = None
        if columnar >= MIN_COLUMNAR_LINES and columnar >= 0.25 * nonblank:
            starts = column_starts(region)
            arranged = rearrange(region, starts)
            if arranged is not None:
                page_columns = starts
        elif columnar and page_columns and aligned(region, page_columns):
            # The last row or two of a list set in columns, on a page of their own: too few rows to find the columns,
            # but they line up with those of the pages before.
            arranged = rearrange(region, page_columns)
        if arranged is None:
            out.extend(lines[i:j])
            origin.extend(range(i, j))
        else:
            out.extend(text for text, _ in arranged)
            origin.extend(i + k for _, k in arranged)
        i = j
    return ReadingOrder("\n".join(out), origin)
