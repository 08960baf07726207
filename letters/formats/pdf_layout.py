"""A PDF's text layer in reading order: columns one after another, one entry a line, pages apart.

pdfminer.six finds the characters and groups them into line pieces with their boxes; the reading order is
decided here from the boxes alone, so it does not depend on the order the producing program wrote the text in:

1. Pieces of one printed row are joined where pdfminer split them inside a column (a list marker set apart
   from its text, a justified line's wide spaces): they stay apart only across a gap of most of a line height
   before text that starts at an edge other rows start at too (a column's left edge).
2. Pieces that overlap vertically form a strip. Strips repeated near the same height on most pages (running
   headers, footers, page numbers) are dropped.
3. Consecutive strips form a band while no piece of one runs across the left edge where a piece of the other
   starts: a three-column list is one band, and a paragraph running across its column edges ends it. A row
   that a stray piece broke out of the columns around it is read with them; a band is cut again where a line
   or a heading stands apart from the columns above it (a gap wider than those inside the columns, or a line
   under the first column after the others have ended). Consecutive one-column bands are one flow of text.
4. A band's columns are read one after another, rows top to bottom in each; a band whose rows each have one
   cell in every column, of unequal widths, is a table and is read row by row, cells tab-separated.
5. Rows are joined into one line where the layout shows a wrap: a numbered item's continuation under its own
   text; an entry of a list whose entries are set apart by space; a paragraph whose every row but the last is
   full (the next row's first word would not have fit); in a tight list, a full row followed by one that
   cannot start an entry (lowercase, "(", a bare number). A gap of half a line or more is a blank line.

Runs as `python -m letters.formats.pdf_layout PAGES SECONDS BYTES` in the child process that
`letters.formats.pdf` starts: PDF bytes on standard input, text on standard output, a one-line refusal on
standard error with exit status 3.
"""

from __future__ import annotations

import bisect
import io
import re
import resource
import statistics
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTAnno, LTChar, LTContainer, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from letters.formats.limits import MAX_PDF_PAGES, MB
from letters.formats.pdf import REFUSED
from letters.parsing import MAX_INPUT_CHARS, LetterInputError

# Fewer letters than this a page, on average, is a scan (a page number or a stamp is not a text layer).
MIN_LETTERS_PER_PAGE = 20
# A line piece ends where characters are further apart than this many character widths: narrower than the
# 1 em a column gap usually is, wider than a justified line's word spaces.
CHAR_MARGIN = 1.0
# A column starts at a left edge the text of at least this many rows of the page starts at.
MIN_ALIGNED_ROWS = 5
# In a list whose entries are set apart by space, an entry wraps over at most this many rows (a long name in
# a narrow column, or a person's name, title and affiliation).
MAX_ENTRY_ROWS = 6
MARKER = re.compile(r"(?:\(?\d{1,4}[.)]|\(?[a-zA-Z][.)]|[•●▪◦‣∙·*–-])\s+")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Fonts draw "fi", "fl"... as one glyph; the text says the letters.
LIGATURES = str.maketrans({chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)})
MARKER_ONLY = re.compile(r"\(?\d{1,4}[.)]|\(?[a-zA-Z][.)]|[•●▪◦‣∙·*–-]")
DIGITS = re.compile(r"\d+")


@dataclass
class Piece:
    """A run of text on one baseline, as pdfminer groups characters, with its box (y grows upwards)."""

    x0: float
    x1: float
    bottom: float
    top: float
    text: str
    text_x0: float  # where the text starts after a list marker ("12. "), else x0
    first_word: float  # width of the first word

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass
class Row:
    pieces: list[Piece]

    @property
    def x0(self) -> float:
        return self.pieces[0].x0

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def top(self) -> float:
        return max(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return min(p.bottom for p in self.pieces)

    @property
    def height(self) -> float:
        return max(p.height for p in self.pieces)

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)


@dataclass
class Band:
    """Strips read together: one column, or several read one after another."""

    strips: list[list[Piece]] = field(default_factory=list)
    flow: bool = False  # one column of text, read top to bottom whatever the left edges its lines start at

    @property
    def pieces(self) -> list[Piece]:
        return [piece for strip in self.strips for piece in strip]

    @property
    def top(self) -> float:
        return max(p.top for p in self.strips[0])

    @property
    def bottom(self) -> float:
        return min(p.bottom for p in self.strips[-1])


# --------------------------------------------------------------------------------------------------------------
# pdfminer's pieces
# --------------------------------------------------------------------------------------------------------------


def piece_of(line: LTTextLineHorizontal) -> Piece | None:
    text = ""
    boxes: list[tuple[int, float, float]] = []  # (end offset in text, x0, x1) of each visible character
    for item in line:
        if isinstance(item, LTChar | LTAnno):
            chunk = CONTROL.sub(" ", item.get_text()).translate(LIGATURES)
            text += chunk
            if isinstance(item, LTChar) and chunk.strip():
                boxes.append((len(text), item.x0, item.x1))
    stripped = text.rstrip()
    if not boxes or not stripped.strip():
        return None
    lead = len(stripped) - len(stripped.lstrip())
    marker = MARKER.match(stripped, lead)
    text_start = marker.end() if marker else lead
    text_x0 = next((x0 for end, x0, _ in boxes if end > text_start), boxes[0][1])
    word_end = len(stripped)
    space = re.search(r"\s", stripped[text_start:])
    if space:
        word_end = text_start + space.start()
    word_x1 = max((x1 for end, _, x1 in boxes if text_start < end <= word_end), default=boxes[-1][2])
    return Piece(
        x0=line.x0,
        x1=line.x1,
        bottom=line.y0,
        top=line.y1,
        text=" ".join(stripped.split()),
        text_x0=text_x0,
        first_word=max(word_x1 - text_x0, 0.0),
    )


def joined(left: Piece, right: Piece, marker: bool) -> Piece:
    return Piece(
        x0=left.x0,
        x1=max(left.x1, right.x1),
        bottom=min(left.bottom, right.bottom),
        top=max(left.top, right.top),
        text=f"{left.text} {right.text}",
        text_x0=right.text_x0 if marker else left.text_x0,
        first_word=right.first_word if marker else left.first_word,
    )


def merge_pieces(pieces: list[Piece]) -> list[Piece]:
    """Pieces of one printed row joined where pdfminer split them inside a column: a list marker set apart
    from its text ("12." in the margin of a column), then a justified line's wide word spaces. Pieces stay
    apart only across a gap of most of a line height before text that starts where other rows start too."""
    starts = sorted(p.text_x0 for p in pieces)

    def aligned(x: float) -> bool:
        return bisect.bisect_right(starts, x + 1.5) - bisect.bisect_left(starts, x - 1.5) >= MIN_ALIGNED_ROWS

    def left_neighbour(pieces: list[Piece], piece: Piece) -> int | None:
        """The piece on the same baseline that ends last before `piece` starts, if any."""
        found = None
        for index, other in enumerate(pieces):
            same_line = abs((other.top + other.bottom) - (piece.top + piece.bottom)) / 2 < 0.3 * piece.height
            if same_line and other.x1 <= piece.x0 + 1 and (found is None or other.x1 > pieces[found].x1):
                found = index
        return found

    kept: list[Piece] = []
    for strip in overlap_rows(pieces):
        marked: list[Piece] = []
        for piece in strip:
            index = left_neighbour(marked, piece)
            last = marked[index] if index is not None else None
            if (
                last is not None
                and MARKER_ONLY.fullmatch(last.text)
                and not MARKER_ONLY.fullmatch(piece.text)
                and piece.x0 - last.x1 < 2 * last.height
            ):
                marked[index] = joined(last, piece, marker=True)
            else:
                marked.append(piece)
        merged: list[Piece] = []
        for piece in marked:
            index = left_neighbour(merged, piece)
            if index is None or (piece.text_x0 - merged[index].x1 >= 0.8 * piece.height and aligned(piece.text_x0)):
                merged.append(piece)
            else:
                merged[index] = joined(merged[index], piece, marker=False)
        kept.extend(merged)
    return kept


def pieces_of(container: LTContainer) -> list[Piece]:
    found = []
    for item in container:
        if isinstance(item, LTTextLineHorizontal):
            piece = piece_of(item)
            if piece is not None:
                found.append(piece)
        elif isinstance(item, LTContainer):
            found.extend(pieces_of(item))
    return found


# --------------------------------------------------------------------------------------------------------------
# Strips, running headers and footers
# --------------------------------------------------------------------------------------------------------------


def overlap_rows(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped by vertical overlap (a third of the smaller height at least), top to bottom."""
    groups: list[list[Piece]] = []
    bottom = 0.0
    lowest = 0.0
    for piece in sorted(pieces, key=lambda p: -p.top):
        if groups:
            shared = piece.top - max(bottom, piece.bottom)
            if shared > 0.33 * min(piece.height, lowest):
                groups[-1].append(piece)
                bottom = min(bottom, piece.bottom)
                lowest = min(lowest, piece.height)
                continue
        groups.append([piece])
        bottom, lowest = piece.bottom, piece.height
    for group in groups:
        group.sort(key=lambda p: p.x0)
    return groups


def strip_key(strip: list[Piece]) -> tuple[int, str]:
    middle = (max(p.top for p in strip) + min(p.bottom for p in strip)) / 2
    return round(middle / 3), DIGITS.sub("#", " ".join(p.text for p in strip))


def drop_running_lines(pages: list[list[list[Piece]]]) -> list[list[list[Piece]]]:
    """Pages' strips without those repeated near the same height on most pages: headers, footers, page numbers."""
    if len(pages) < 2:
        return pages
    seen: Counter[tuple[int, str]] = Counter()
    for strips in pages:
        edges = strips[:3] + strips[-3:]
        seen.update({strip_key(strip) for strip in edges})
    needed = max(2, (len(pages) + 1) // 2)
    running = {key for key, count in seen.items() if count >= needed}
    kept = []
    for strips in pages:
        edges = {id(s) for s in strips[:3] + strips[-3:]}
        kept.append([s for s in strips if id(s) not in edges or strip_key(s) not in running])
    return kept


# --------------------------------------------------------------------------------------------------------------
# Bands and columns
# --------------------------------------------------------------------------------------------------------------


def crosses(piece: Piece, x: float) -> bool:
    """Whether `piece` runs across the left edge `x` where another piece's text starts."""
    slack = 0.2 * piece.height
    return piece.text_x0 < x - slack and piece.x1 > x + slack


def compatible(band: Band, strip: list[Piece]) -> bool:
    pieces = band.pieces
    return not any(crosses(a, b.text_x0) or crosses(b, a.text_x0) for a in pieces for b in strip)


def column_starts(band: Band) -> list[float]:
    """The left edges the band's columns start at. Pieces starting where more pieces of the band run across
    (words a wide justified space pushed right) belong to the column on their left."""
    pieces = band.pieces
    apart = 0.5 * statistics.median(p.height for p in pieces)
    clusters: list[list[float]] = []
    for x in sorted(p.text_x0 for p in pieces):
        if clusters and x - clusters[-1][-1] <= apart:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    starts = [cluster[0] for cluster in clusters if sum(crosses(piece, cluster[0]) for piece in pieces) < len(cluster)]
    return starts or [clusters[0][0]]


def columns_of(band: Band) -> list[list[Piece]]:
    """The band's pieces by column, left to right: each column starts where its pieces' text starts."""
    pieces = band.pieces
    starts = column_starts(band)
    columns: list[list[Piece]] = [[] for _ in starts]
    for piece in pieces:
        index = max(i for i, start in enumerate(starts) if start <= piece.text_x0 + 0.5 * piece.height or i == 0)
        columns[index].append(piece)
    return [column for column in columns if column]


def cut_at_wide_gaps(band: Band) -> list[Band]:
    """A multi-column band cut before a strip that starts a new part of the page: where a gap across all its
    columns is clearly wider than the gaps inside them (most of their row gaps, and every gap beside which
    another column has text), or where every other column has ended and the strip stands apart from its
    own column's rows (a line after the columns, under the first one)."""
    columns = columns_of(band)
    if len(columns) < 2 or len(band.strips) < 2:
        return [band]
    pieces = band.pieces
    column_of = {id(piece): number for number, column in enumerate(columns) for piece in column}
    inside: list[float] = []
    beside_text: list[float] = []
    usual_in: list[float] = []
    for column in columns:
        rows = [Row(r) for r in overlap_rows(column)]
        gaps = []
        for above, below in zip(rows, rows[1:], strict=False):
            gap = above.bottom - below.top
            gaps.append(gap)
            middle = (above.bottom + below.top) / 2
            if any(p.bottom < middle < p.top for p in pieces):
                beside_text.append(gap)
        inside.extend(gaps)
        usual_in.append(statistics.median(gaps) if gaps else 0.0)
    height = statistics.median(p.height for p in pieces)
    usual = max(sorted(inside)[int(0.9 * (len(inside) - 1))] if inside else 0.0, max(beside_text, default=0.0))
    threshold = max(1.5 * usual, 0.6 * height)
    ends = [min(p.bottom for p in column) for column in columns]
    parts = [Band([band.strips[0]])]
    for above, below in zip(band.strips, band.strips[1:], strict=False):
        gap = min(p.bottom for p in above) - max(p.top for p in below)
        own = {column_of[id(p)] for p in below}
        top = max(p.top for p in below)
        after_all = len(own) == 1 and all(end >= top for number, end in enumerate(ends) if number not in own)
        if after_all:
            (number,) = own
            previous = [p for p in parts[-1].pieces if column_of[id(p)] == number]
            apart = bool(previous) and min(p.bottom for p in previous) - top > max(1.5 * usual_in[number], 0.3 * height)
        else:
            apart = False
        if gap > threshold or apart:
            parts.append(Band())
        parts[-1].strips.append(below)
    return parts if len(parts) == 1 else [piece for part in parts for piece in cut_at_wide_gaps(part)]


def same_columns(above: Band, below: Band) -> bool:
    first, second = column_starts(above), column_starts(below)
    slack = 0.5 * statistics.median(p.height for p in above.pieces)
    return (
        len(first) > 1
        and len(first) == len(second)
        and all(abs(a - b) <= slack for a, b in zip(first, second, strict=False))
    )


def absorb_strays(bands: list[Band]) -> list[Band]:
    """A band of a row or two, close between two bands with the same columns, is a row a stray piece broke away
    (a word a justified line pushed past a column's edge): it is read with the columns around it."""
    kept: list[Band] = []
    index = 0
    while index < len(bands):
        band = bands[index]
        after = bands[index + 1] if index + 1 < len(bands) else None
        if kept and after is not None and len(band.strips) <= 2 and same_columns(kept[-1], after):
            height = statistics.median(p.height for p in band.pieces)
            if kept[-1].bottom - band.top <= 0.8 * height and band.bottom - after.top <= 0.8 * height:
                kept[-1].strips.extend(band.strips + after.strips)
                index += 2
                continue
        kept.append(band)
        index += 1
    return kept


def bands_of(strips: list[list[Piece]]) -> list[Band]:
    bands: list[Band] = []
    for strip in strips:
        if bands and compatible(bands[-1], strip):
            bands[-1].strips.append(strip)
        else:
            bands.append(Band([strip]))
    cut = [part for band in absorb_strays(bands) for part in cut_at_wide_gaps(band)]
    # Consecutive one-column bands are one flow of text (an indented first line starts a band of its own).
    merged: list[Band] = []
    for band in cut:
        band.flow = len(columns_of(band)) == 1
        if band.flow and merged and merged[-1].flow:
            merged[-1].strips.extend(band.strips)
        else:
            merged.append(band)
    return merged


# --------------------------------------------------------------------------------------------------------------
# Rows to lines
# --------------------------------------------------------------------------------------------------------------


def starts_entry(row: Row) -> bool:
    return bool(MARKER.match(row.text))


def full(above: Row, below: Row, limit: float) -> bool:
    """Whether `above` is full: the first word of `below` would not have fit after it before `limit`.

    `limit` is measured from the widest line, and a word's spacing is guessed: half a line height of slack."""
    space = 0.25 * above.height
    return above.x1 + space + below.pieces[0].first_word > limit - 0.5 * above.height


def continues(entry: Row, above: Row, below: Row, limit: float, prose: bool) -> bool:
    """Whether `below` carries on the line that `entry` started and `above` ends."""
    if starts_entry(below):
        return False
    text_x0 = entry.pieces[0].text_x0
    if starts_entry(entry) and abs(below.x0 - text_x0) < 0.5 * entry.height and below.x0 > entry.x0:
        return True  # a numbered item wrapped under its own text
    if prose:
        return True
    # In a tight list a full line may still end its entry; only a line that cannot start one carries it on.
    cannot_start = below.text[:1].islower() or below.text[:1] in "(&/" or below.text.strip(").,;").isdigit()
    return cannot_start and full(above, below, limit)


def blocks_of(rows: list[Row]) -> list[list[Row]]:
    """Rows split where the gap between them is wider than half a line: paragraphs, or entries set apart."""
    blocks: list[list[Row]] = []
    for row in rows:
        if blocks and blocks[-1][-1].bottom - row.top <= 0.5 * row.height:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return blocks


def block_lines(block: list[Row], limit: float, entries: bool) -> list[str]:
    """The block's rows as lines: an entry set apart is one line; a paragraph is one line when every row but
    its last is full; otherwise rows are joined only where `continues` sees a wrap."""
    if entries and len(block) <= MAX_ENTRY_ROWS:
        prose = True
    else:
        prose = len(block) > 1 and all(full(a, b, limit) for a, b in zip(block, block[1:], strict=False))
    lines = [block[0].text]
    entry = block[0]
    for above, below in zip(block, block[1:], strict=False):
        if continues(entry, above, below, limit, prose):
            # A word hyphenated at the end of a row goes on without a space (its hyphen kept: "Sub-Saharan").
            hyphenated = lines[-1].endswith("-") and lines[-1][-2:-1].isalpha() and below.text[:1].islower()
            lines[-1] += ("" if hyphenated else " ") + below.text
        else:
            lines.append(below.text)
            entry = below
    return lines


@dataclass
class Column:
    blocks: list[list[Row]]
    limit: float  # the right edge lines wrap at
    entries: bool = False  # a list whose entries are set apart by space: a block of a few rows is one entry


def layout_columns(band: Band, text_right: float) -> list[Column]:
    if band.flow:
        rows = [Row(r) for r in overlap_rows(band.pieces)]
        return [Column(blocks_of(rows), text_right)]
    columns = columns_of(band)
    starts = [min(p.text_x0 for p in column) for column in columns]
    # A column is as wide as its widest line, and at least as wide as the distance to the next column less
    # a gap of about a line height (1 em): short names do not make every line look full.
    height = statistics.median(p.height for p in band.pieces)
    pitch = statistics.median(b - a for a, b in zip(starts, starts[1:], strict=False))
    widest = max(max(p.x1 for p in column) - start for column, start in zip(columns, starts, strict=True))
    slot = max(widest, pitch - height)
    blocks = [blocks_of([Row(r) for r in overlap_rows(column)]) for column in columns]
    # Entries set apart by space: most blocks of the band are a few rows (a wrapped name), not a tight list.
    sizes = [len(block) for column in blocks for block in column]
    entries = len(sizes) >= 2 * len(columns) and sum(size <= MAX_ENTRY_ROWS for size in sizes) >= 0.6 * len(sizes)
    return [Column(column, start + slot, entries) for column, start in zip(blocks, starts, strict=True)]


def table_rows(band: Band) -> list[str] | None:
    """The band read as a table, a row a line with its cells tab-separated, when it is one: nearly every strip
    has one cell in each column, and the columns differ in width as a table's do (name and country), where the
    columns of a flowing list are as wide as one another."""
    if band.flow:
        return None
    columns = columns_of(band)
    if len(band.strips) < 3:
        return None
    column_of = {id(piece): number for number, column in enumerate(columns) for piece in column}
    complete = sum(
        len(strip) == len(columns) and len({column_of[id(p)] for p in strip}) == len(columns) for strip in band.strips
    )
    widths = [max(p.x1 for p in column) - min(p.text_x0 for p in column) for column in columns]
    if complete < 0.8 * len(band.strips) or min(widths) > 0.5 * max(widths):
        return None
    return ["\t".join(piece.text for piece in sorted(strip, key=lambda p: p.x0)) for strip in band.strips]


def page_text(bands: list[Band], text_right: float) -> list[str]:
    lines: list[str] = []
    previous: Band | None = None
    for band in bands:
        if previous is not None:
            gap = previous.bottom - band.top
            if gap > 0.5 * statistics.median(p.height for p in band.pieces):
                lines.append("")
        rows = table_rows(band)
        if rows is not None:
            lines.extend(rows)
            previous = band
            continue
        columns = layout_columns(band, text_right)
        spaced = any(len(column.blocks) > 1 for column in columns)
        for number, column in enumerate(columns):
            if number and spaced:
                lines.append("")
            for index, block in enumerate(column.blocks):
                if index:
                    lines.append("")
                lines.extend(block_lines(block, column.limit, column.entries))
        previous = band
    return lines


# --------------------------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------------------------


def open_document(raw: bytes) -> PDFDocument:
    try:
        return PDFDocument(PDFParser(io.BytesIO(raw)), password="")
    except PDFPasswordIncorrect:
        raise LetterInputError("Encrypted PDF: it needs a password to open; save an unprotected copy.") from None
    except PDFEncryptionError as error:
        raise LetterInputError(f"Encrypted PDF: its encryption cannot be read ({error}).") from None


def page_pieces(raw: bytes, max_pages: int) -> list[list[Piece]]:
    document = open_document(raw)
    count = resolve1(resolve1(document.catalog.get("Pages")) or {}).get("Count")
    if isinstance(count, int) and count > max_pages:
        raise LetterInputError(f"PDF too long: {count:,} pages, over the limit of {max_pages:,}.")
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams(char_margin=CHAR_MARGIN, boxes_flow=None, all_texts=True))
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    for number, page in enumerate(PDFPage.create_pages(document), start=1):
        if number > max_pages:
            raise LetterInputError(f"PDF too long: over the limit of {max_pages:,} pages.")
        interpreter.process_page(page)
        pages.append(merge_pieces(pieces_of(device.get_result())))
    return pages


def pdf_text(raw: bytes, max_pages: int = MAX_PDF_PAGES) -> str:
    pages = page_pieces(raw, max_pages)
    letters = sum(ch.isalpha() for page in pages for piece in page for ch in piece.text)
    if letters < MIN_LETTERS_PER_PAGE * max(len(pages), 1):
        counted = f"{len(pages)} page{'s' if len(pages) != 1 else ''}, {letters} letters of text"
        raise LetterInputError(f"No text layer: a scanned PDF needs OCR first ({counted}).")
    strips = drop_running_lines([overlap_rows(page) for page in pages])
    flows = [bands_of(page) if page else [] for page in strips]
    one_column = [p.x1 for page in flows for band in page if band.flow for p in band.pieces]
    text_right = max(one_column, default=0.0)
    out: list[str] = []
    size = 0
    for page in flows:
        lines = page_text(page, text_right)
        size += sum(len(line) + 1 for line in lines)
        if size > MAX_INPUT_CHARS:
            raise LetterInputError(f"PDF text too long: over the limit of {MAX_INPUT_CHARS:,} characters.")
        if out and lines:
            out.append("")  # a page break (form feed) is a blank line
        out.extend(lines)
    return "\n".join(out) + "\n"


def main() -> None:
    """The child process: `pdf_layout PAGES SECONDS BYTES`, the limits it holds itself to before it reads
    anything. Exit 0 with the text on standard output, or 3 with a one-line refusal on standard error."""
    max_pages, seconds, memory = (int(value) for value in sys.argv[1:4])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    try:
        text = pdf_text(sys.stdin.buffer.read(), max_pages)
    except LetterInputError as error:
        refuse(str(error))
    except MemoryError:
        refuse(f"PDF too large to read: it needs more than {memory // MB:,} MB of memory.")
    except RecursionError:
        refuse("Corrupt PDF: its objects nest without end.")
    except Exception as error:  # pdfminer raises many kinds on a damaged file, its own and Python's
        refuse(f"Corrupt PDF: it cannot be read ({type(error).__name__}: {error}).")
    sys.stdout.buffer.write(text.encode("utf-8"))


def refuse(message: str) -> None:
    sys.stderr.write(" ".join(message.split())[:300] + "\n")
    sys.exit(REFUSED)


if __name__ == "__main__":
    main()
