"""Word documents (.docx) -> the letter's text, read with the standard library (zipfile and ElementTree).

Paragraphs in order with a blank line between them, as the HTML rendering sets blocks apart; numbered and
bulleted paragraphs as list items on consecutive lines ("N. " with the counters and formats of
numbering.xml, "• " for bullets, two spaces of indent a level); tables as tab-separated rows; line breaks
and tabs kept. Deleted tracked changes, field codes and drawings are left out.

A .docx is a ZIP archive: before any part is unpacked, the archive's directory is checked against the limits
in `letters.formats.limits`, so a ZIP bomb is refused without inflating it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from letters.formats.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_DOCX_PART_BYTES,
    MAX_DOCX_PARTS,
    MAX_DOCX_TOTAL_BYTES,
    MB,
)
from letters.formats.markers import alphabetic, roman
from letters.parsing import LetterInputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = "word/document.xml"
NUMBERING = "word/numbering.xml"
STYLES = "word/styles.xml"

# Elements whose content is the paragraph's text in order; anything else (deleted text, field codes,
# drawings, comments' anchors, properties) is skipped.
TRANSPARENT = {f"{W}{name}" for name in ("r", "hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple")}
TRANSPARENT |= {f"{W}{name}" for name in ("sdt", "sdtContent", "dir", "bdo")}


def open_archive(raw: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError):
        raise LetterInputError("Corrupt DOCX: not a readable ZIP archive (truncated or damaged).") from None
    members = archive.infolist()
    if len(members) > MAX_DOCX_PARTS:
        raise LetterInputError(f"ZIP bomb refused: {len(members):,} parts, over the limit of {MAX_DOCX_PARTS:,}.")
    total = sum(member.file_size for member in members)
    if total > MAX_DOCX_TOTAL_BYTES:
        raise LetterInputError(
            f"ZIP bomb refused: its parts would unpack to {total / MB:,.0f} MB, "
            f"over the limit of {MAX_DOCX_TOTAL_BYTES // MB} MB."
        )
    return archive


def read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """One XML part, unpacked only once its declared size and compression ratio are within the limits."""
    try:
        member = archive.getinfo(name)
    except KeyError:
        return None
    if member.file_size > MAX_DOCX_PART_BYTES:
        raise LetterInputError(
            f"ZIP bomb refused: {name} would unpack to {member.file_size / MB:,.0f} MB, "
            f"over the limit of {MAX_DOCX_PART_BYTES // MB} MB."
        )
    ratio = member.file_size / max(member.compress_size, 1)
    if ratio > MAX_COMPRESSION_RATIO:
        raise LetterInputError(
            f"ZIP bomb refused: {name} is compressed {ratio:,.0f} to 1, over the limit of {MAX_COMPRESSION_RATIO}."
        )
    try:
        with archive.open(member) as part:
            data = part.read(MAX_DOCX_PART_BYTES + 1)  # the declared size bounds this; so does the cap
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise LetterInputError(f"Corrupt DOCX: {name} cannot be unpacked ({error}).") from None
    if len(data) > MAX_DOCX_PART_BYTES:
        raise LetterInputError(f"ZIP bomb refused: {name} unpacks past the limit of {MAX_DOCX_PART_BYTES // MB} MB.")
    return data


def parse_xml(name: str, data: bytes) -> ElementTree.Element:
    # A document type declaration has no place in Office XML; refusing it rules out entity expansion bombs.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise LetterInputError(f"Corrupt DOCX: {name} declares a DTD, which Word never writes.")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise LetterInputError(f"Corrupt DOCX: {name} is not well-formed XML ({error}).") from None


# --------------------------------------------------------------------------------------------------------------
# Numbering: numbering.xml's lists, and the styles that carry a list (Word's "List Number" and friends)
# --------------------------------------------------------------------------------------------------------------


@dataclass
class Level:
    start: int = 1
    format: str = "decimal"  # numFmt: decimal, bullet, lowerLetter, upperRoman, none...
    text: str = "%1."  # lvlText: "%1." "%1)" "(%1)" "%1.%2."


@dataclass
class Numbering:
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId -> ilvl -> Level
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> startOverride
    style_numbering: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> (numId, ilvl)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractNumId -> ilvl -> current number
    started: set[str] = field(default_factory=set)  # numIds met so far (their overrides are applied once)

    def marker(self, num_id: str, ilvl: int) -> str | None:
        """The next marker of list `num_id` at level `ilvl` ("3. ", "• "), counting as Word does."""
        abstract = self.abstract_of.get(num_id)
        if abstract is None:
            return None
        levels = self.levels.get(abstract, {})
        level = levels.get(ilvl, Level())
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:  # a list instance with its own start numbers restarts there
            self.started.add(num_id)
            for override_level, start in self.overrides.get(num_id, {}).items():
                counters[override_level] = start - 1
                for deeper in [k for k in counters if k > override_level]:
                    del counters[deeper]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.format == "bullet":
            return "• "
        if level.format == "none":
            return None
        text = level.text
        for k in range(8, -1, -1):
            if f"%{k + 1}" in text:
                outer = levels.get(k, Level())
                text = text.replace(f"%{k + 1}", format_number(counters.get(k, outer.start), outer.format))
        return text.strip() + " " if text.strip() else None


def format_number(number: int, kind: str) -> str:
    if kind in ("lowerLetter", "upperLetter"):
        return alphabetic(number).upper() if kind == "upperLetter" else alphabetic(number)
    if kind in ("lowerRoman", "upperRoman"):
        return roman(number).upper() if kind == "upperRoman" else roman(number)
    if kind == "decimalZero":
        return f"{number:02d}"
    return str(number)


def attr(element: ElementTree.Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{W}{name}")


def number_properties(properties: ElementTree.Element | None) -> tuple[str, int] | None:
    num_pr = None if properties is None else properties.find(f"{W}numPr")
    if num_pr is None:
        return None
    num_id = attr(num_pr.find(f"{W}numId"))
    level = attr(num_pr.find(f"{W}ilvl"))
    if num_id is None:
        return None
    return num_id, int(level) if level and level.isdigit() else 0


def read_numbering(numbering: ElementTree.Element | None, styles: ElementTree.Element | None) -> Numbering:
    result = Numbering()
    if numbering is not None:
        for abstract in numbering.iter(f"{W}abstractNum"):
            levels = result.levels.setdefault(attr(abstract, "abstractNumId") or "", {})
            for lvl in abstract.iter(f"{W}lvl"):
                start = attr(lvl.find(f"{W}start"))
                levels[int(attr(lvl, "ilvl") or 0)] = Level(
                    start=int(start) if start and start.lstrip("-").isdigit() else 1,
                    format=attr(lvl.find(f"{W}numFmt")) or "decimal",
                    text=attr(lvl.find(f"{W}lvlText")) or "",
                )
        for num in numbering.iter(f"{W}num"):
            num_id = attr(num, "numId") or ""
            result.abstract_of[num_id] = attr(num.find(f"{W}abstractNumId")) or ""
            for override in num.iter(f"{W}lvlOverride"):
                start = attr(override.find(f"{W}startOverride"))
                if start and start.lstrip("-").isdigit():
                    result.overrides.setdefault(num_id, {})[int(attr(override, "ilvl") or 0)] = int(start)
    if styles is not None:
        based_on: dict[str, str] = {}
        own: dict[str, tuple[str, int]] = {}
        for style in styles.iter(f"{W}style"):
            style_id = attr(style, "styleId") or ""
            parent = attr(style.find(f"{W}basedOn"))
            if parent:
                based_on[style_id] = parent
            found = number_properties(style.find(f"{W}pPr"))
            if found:
                own[style_id] = found
        for style_id in set(own) | set(based_on):
            current, seen = style_id, 0
            while current not in own and current in based_on and seen < 20:
                current, seen = based_on[current], seen + 1
            if current in own:
                result.style_numbering[style_id] = own[current]
    return result


# --------------------------------------------------------------------------------------------------------------
# The body: paragraphs, list items and tables in order
# --------------------------------------------------------------------------------------------------------------


def run_text(element: ElementTree.Element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag in TRANSPARENT:
            run_text(child, out)


def paragraph_text(paragraph: ElementTree.Element) -> str:
    pieces: list[str] = []
    run_text(paragraph, pieces)
    return "".join(pieces)


class Body:
    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.blocks: list[tuple[str, str]] = []  # (kind, text): kind "paragraph", "item" or "row"

    def read(self, container: ElementTree.Element) -> None:
        for child in container:
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                self.read(child)

    def paragraph(self, paragraph: ElementTree.Element) -> None:
        text = paragraph_text(paragraph).strip(" ")
        properties = paragraph.find(f"{W}pPr")
        found = number_properties(properties)
        if found is None:
            style = attr(None if properties is None else properties.find(f"{W}pStyle"))
            found = self.numbering.style_numbering.get(style or "")
        marker = self.numbering.marker(*found) if found and found[0] != "0" else None
        if marker is not None and text.strip():
            self.blocks.append(("item", "  " * found[1] + marker + text))
        else:
            self.blocks.append(("paragraph", text))

    def table(self, table: ElementTree.Element) -> None:
        for row in table.findall(f"{W}tr"):  # the table's own rows; a nested table's are read as cell text
            cells = []
            for cell in row.findall(f"{W}tc"):
                texts = [paragraph_text(p).strip() for p in cell.iter(f"{W}p")]
                cells.append(" ".join(t.replace("\n", " ") for t in texts if t))
            if any(cells):
                self.blocks.append(("row", "\t".join(cells).rstrip()))

    def text(self) -> str:
        lines: list[str] = []
        previous = None
        for kind, text in self.blocks:
            if not text.strip():
                previous = "paragraph"  # an empty paragraph is the blank line it looks like
                continue
            # List items follow each other line by line, and so do table rows; everything else is a block.
            if lines and not (kind == previous and kind in ("item", "row")):
                lines.append("")
            lines.append(text)
            previous = kind
        return "\n".join(lines) + "\n"


def read_docx(raw: bytes) -> str:
    with open_archive(raw) as archive:
        document = read_part(archive, DOCUMENT)
        numbering_xml = read_part(archive, NUMBERING)
        styles_xml = read_part(archive, STYLES)
    if document is None:
        raise LetterInputError("Corrupt DOCX: it has no word/document.xml.")
    root = parse_xml(DOCUMENT, document)
    numbering = read_numbering(
        parse_xml(NUMBERING, numbering_xml) if numbering_xml else None,
        parse_xml(STYLES, styles_xml) if styles_xml else None,
    )
    body = Body(numbering)
    found = root.find(f"{W}body")
    if found is not None:
        body.read(found)
    return body.text()
