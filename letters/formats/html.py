"""HTML and saved web pages (.html, .htm, .mht) -> the letter's text as a reader sees it.

The rendering is the one the corpus of real letters was made with (and the parser is scored on): block
elements on their own lines with a blank line between blocks, `<br>` kept as a line break, `<ol>` items as
"N. " (respecting `start`, `reversed`, `type` and `value`), `<ul>` items as "• ", nested lists indented two
spaces a level, table rows as tab-separated cells, headings on their own line. Scripts, styles, forms,
navigation, asides, hidden elements and the page's own header and footer are dropped.

The standard library's `html.parser` tokenizes; `TreeBuilder` closes the elements HTML lets authors leave
open (`<li>`, `<p>`, `<td>`, `<tr>`...), which is all a text rendering needs from a full HTML5 parser.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from letters.formats.limits import MAX_HTML_DEPTH
from letters.formats.markers import alphabetic, roman
from letters.parsing import LetterInputError

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
DROPPED = {
    "script", "style", "noscript", "template", "head", "title", "nav", "form", "aside", "iframe", "svg", "math",
    "button", "select", "textarea", "object", "canvas", "dialog",
}  # fmt: skip
# `<header>` and `<footer>` are the page's banner and footer only outside these; inside an article they hold
# its title and byline, which are the letter's.
SECTIONING = {"article", "main", "section", "aside", "nav"}
DROPPED_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog"}
# Blocks get a blank line before and after, as paragraphs do on the page.
BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "address", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "figure", "figcaption", "center", "dl", "dt", "dd", "hr", "body", "html", "header", "footer", "details",
    "summary", "caption", "fieldset", "legend",
}  # fmt: skip
# A start tag of one of these closes an open <p>, as in HTML.
CLOSES_P = BLOCKS | {"ul", "ol", "menu", "table", "li"}
DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
SPACES = re.compile(r"[ \t\n\r\f\xa0]+")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)


class TreeBuilder(HTMLParser):
    """A tree of elements from HTML as found on the web: unclosed items and cells closed where HTML closes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID and len(self.stack) < MAX_HTML_DEPTH:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def _close_implied(self, tag: str) -> None:
        if tag == "li":
            self._close_within("li", scope={"ul", "ol", "menu"})
        elif tag in ("dt", "dd"):
            self._close_within("dt", "dd", scope={"dl"})
        elif tag in ("td", "th"):
            self._close_within("td", "th", scope={"tr", "table"})
        elif tag == "tr":
            self._close_within("tr", scope={"table", "thead", "tbody", "tfoot"})
        elif tag in ("thead", "tbody", "tfoot"):
            self._close_within("thead", "tbody", "tfoot", scope={"table"})
        if tag in CLOSES_P:
            self._close_within("p", scope={"div", "li", "td", "th", "blockquote", "section", "article", "button"})

    def _close_within(self, *tags: str, scope: set[str]) -> None:
        """Close the innermost open element named one of `tags`, unless a `scope` element is open inside it."""
        for depth in range(len(self.stack) - 1, 0, -1):
            name = self.stack[depth].tag
            if name in tags:
                del self.stack[depth:]
                return
            if name in scope:
                return


class Text:
    """Lines of text being written: inline text joins the current line; blocks are set apart by a blank line."""

    def __init__(self) -> None:
        self.lines: list[str | None] = []  # None marks a blank line between blocks
        self.line = ""
        # A list item's marker waits for the item's text, even when that text is inside a block (`<li><p>`).
        self.marker_only = False

    def start_item(self, marker: str) -> None:
        self.end_line()
        self.line = marker
        self.marker_only = True

    def write(self, text: str) -> None:
        if not self.line.strip() or self.line.endswith((" ", "\t")):
            text = text.lstrip(" ")
        self.line += text
        self.marker_only = self.marker_only and not text.strip()

    def end_line(self) -> None:
        if self.marker_only:
            return
        if self.line.strip():
            self.lines.append(self.line.rstrip())
        self.line = ""

    def end_item(self) -> None:
        if self.marker_only:  # an empty item: its number is used, nothing is printed
            self.marker_only = False
            self.line = ""
        self.end_line()

    def break_line(self) -> None:
        """`<br>`: the line ends even when it is empty."""
        self.lines.append(self.line.rstrip())
        self.line = ""
        self.marker_only = False

    def end_block(self) -> None:
        self.end_line()
        if not self.marker_only and self.lines and self.lines[-1] is not None:
            self.lines.append(None)

    def result(self) -> str:
        self.end_line()
        out: list[str] = []
        for line in self.lines:
            if line is None or not line.strip():
                if out and out[-1]:
                    out.append("")
            else:
                out.append(line)
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + "\n"


def is_dropped(element: Element, inside_section: bool) -> bool:
    if element.tag in DROPPED or "hidden" in element.attrs:
        return True
    if element.attrs.get("role", "").strip().lower() in DROPPED_ROLES:
        return True
    if element.attrs.get("aria-hidden", "").strip().lower() == "true":
        return True
    if DISPLAY_NONE.search(element.attrs.get("style", "")):
        return True
    return element.tag in ("header", "footer") and not inside_section


def list_marker(number: int, kind: str) -> str:
    """The marker `<ol type=...>` shows for `number`: 1, a, A, i or I."""
    if kind in ("a", "A"):
        return alphabetic(number).upper() if kind == "A" else alphabetic(number)
    if kind in ("i", "I"):
        return roman(number).upper() if kind == "I" else roman(number)
    return str(number)


def integer(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


class Renderer:
    def __init__(self) -> None:
        self.out = Text()

    def children(self, element: Element, depth: int, pre: bool, inside_section: bool) -> None:
        for child in element.children:
            if isinstance(child, str):
                self.text(child, pre)
            else:
                self.element(child, depth, pre, inside_section)

    def text(self, text: str, pre: bool) -> None:
        if pre:
            first, *rest = text.split("\n")
            self.out.line += first
            for line in rest:
                self.out.break_line()
                self.out.line += line
        else:
            self.out.write(SPACES.sub(" ", text))

    def element(self, element: Element, depth: int, pre: bool, inside_section: bool) -> None:
        tag = element.tag
        if is_dropped(element, inside_section):
            return
        inside_section = inside_section or tag in SECTIONING
        if tag == "br":
            self.out.break_line()
        elif tag in ("ol", "ul", "menu"):
            self.list(element, depth, pre, inside_section)
        elif tag == "li":  # an item outside any list
            self.item(element, "• ", depth, pre, inside_section)
        elif tag == "table":
            self.table(element, inside_section)
        elif tag in BLOCKS:
            self.out.end_block()
            self.children(element, depth, pre or tag == "pre", inside_section)
            self.out.end_block()
        else:
            self.children(element, depth, pre, inside_section)
            if tag in ("td", "th", "tr"):  # cells met outside a table
                self.out.write(" ")

    def list(self, element: Element, depth: int, pre: bool, inside_section: bool) -> None:
        items = [child for child in element.children if isinstance(child, Element) and child.tag == "li"]
        ordered = element.tag == "ol"
        step = -1 if ordered and "reversed" in element.attrs else 1
        start = integer(element.attrs.get("start"))
        number = start if start is not None else (len(items) if step < 0 else 1)
        kind = element.attrs.get("type", "1")
        # A list nested in an item follows it line by line; a list in the text is a block of its own.
        end = self.out.end_line if depth else self.out.end_block
        end()
        for child in element.children:
            if not (isinstance(child, Element) and child.tag == "li"):
                if isinstance(child, Element):
                    self.element(child, depth, pre, inside_section)
                continue
            if ordered:
                value = integer(child.attrs.get("value"))
                number = value if value is not None else number
                marker = f"{list_marker(number, kind)}. "
                number += step
            else:
                marker = "• "
            self.item(child, marker, depth, pre, inside_section)
        end()

    def item(self, element: Element, marker: str, depth: int, pre: bool, inside_section: bool) -> None:
        self.out.start_item("  " * depth + marker)
        self.children(element, depth + 1, pre, inside_section)
        self.out.end_item()

    def table(self, element: Element, inside_section: bool) -> None:
        self.out.end_block()
        for row in table_rows(element):
            cells = []
            for cell in row.children:
                if isinstance(cell, Element) and cell.tag in ("td", "th") and not is_dropped(cell, inside_section):
                    inner = Renderer()
                    inner.children(cell, 0, False, inside_section)
                    cells.append(" ".join(line for line in inner.out.result().split("\n") if line.strip()))
            if any(cells):
                self.out.end_line()
                self.out.line = "\t".join(cells).rstrip()
                self.out.end_line()
        caption = next((c for c in element.children if isinstance(c, Element) and c.tag == "caption"), None)
        if caption is not None:
            self.element(caption, 0, False, inside_section)
        self.out.end_block()


def table_rows(table: Element) -> list[Element]:
    """The table's own rows, in order, through its row groups (not the rows of tables nested in its cells)."""
    rows = []
    for child in table.children:
        if isinstance(child, Element):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows.extend(c for c in child.children if isinstance(c, Element) and c.tag == "tr")
    return rows


def html_to_text(html: str) -> str:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    renderer = Renderer()
    renderer.children(builder.root, 0, False, False)
    return renderer.out.result()


# --------------------------------------------------------------------------------------------------------------
# Bytes to str: the page's own declaration of its encoding
# --------------------------------------------------------------------------------------------------------------

BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# What browsers decode these labels as (WHATWG Encoding): windows-1252 is a superset of both.
BROWSER_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}


def declared_encoding(raw: bytes, charset: str | None) -> tuple[str | None, bytes]:
    """The encoding the page declares (byte order mark, then the transport's charset, then `<meta>`), if any,
    and its bytes after the byte order mark."""
    for bom, name in BOMS:
        if raw.startswith(bom):
            return name, raw[len(bom) :]
    if not charset:
        found = META_CHARSET.search(raw[:4096])
        charset = found.group(1).decode("ascii") if found else None
    if not charset:
        return None, raw
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return None, raw
    return BROWSER_ALIASES.get(name, name), raw


def decode_html(raw: bytes, charset: str | None = None) -> str:
    name, body = declared_encoding(raw, charset)
    if name:
        return body.decode(name, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        # A page that does not say its encoding and is not UTF-8: what browsers read such pages as.
        return body.decode("cp1252", errors="replace")


def read_html(raw: bytes, charset: str | None = None) -> str:
    return html_to_text(decode_html(raw, charset))


def read_mht(raw: bytes) -> str:
    """A page saved as one file (MHTML, .mht): its first HTML part, decoded as that part declares."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            body = part.get_payload(decode=True) or b""
            return read_html(body, part.get_content_charset())
    raise LetterInputError("A saved web page (MHTML) with no HTML part in it.")
