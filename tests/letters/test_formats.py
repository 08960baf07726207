"""The files curators receive: text, PDF, HTML, saved web pages and Word documents read as the parser reads a
paste; every other file refused with one line naming the problem and the accepted types."""

import io
import zipfile
import zlib

import pytest

from letters.formats import pdf as pdf_module
from letters.formats import read_document
from letters.formats.limits import MAX_UPLOAD_BYTES
from letters.parsing import LetterInputError, parse_letter
from tests.letters.documents import (
    FORMATS_DIR,
    docx,
    letter_docx,
    letter_names,
    letter_text,
    mht,
    paragraph,
    run,
)

ACCEPTED = "Accepted: plain text (.txt, .md), PDF with a text layer, HTML or a saved web page (.html, .htm, .mht)"


def fixture(name: str) -> bytes:
    return (FORMATS_DIR / name).read_bytes()


def refusal(filename: str, raw: bytes) -> str:
    with pytest.raises(LetterInputError) as refused:
        read_document(filename, raw)
    message = str(refused.value)
    assert "\n" not in message
    assert ACCEPTED in message
    return message


# --------------------------------------------------------------------------------------------------------------
# One letter, every format
# --------------------------------------------------------------------------------------------------------------

LETTER_FILES = {
    "letter.txt": lambda: fixture("letter.txt"),
    "letter.html": lambda: fixture("letter.html"),
    "letter.pdf": lambda: fixture("letter.pdf"),  # printed from letter.html by chromium (make_pdfs.sh)
    "letter.docx": letter_docx,
    "letter.mht": lambda: mht(fixture("letter.html")),
}


@pytest.mark.parametrize("filename", LETTER_FILES)
def test_the_same_letter_in_every_format_gives_the_same_signatories(filename):
    text = read_document(filename, LETTER_FILES[filename]())

    parsed = parse_letter(text)
    assert [s.listed_as for s in parsed.signatories] == letter_names()
    assert parsed.title == "Open Letter on the Salween Dams"
    assert [d.text for d in parsed.demands] == [d.text for d in parse_letter(letter_text()).demands]


def test_the_letter_has_fifty_signatories_with_names_long_enough_to_wrap_in_three_columns():
    names = letter_names()

    assert len(names) == 50
    assert "Coalition of Environmental Lawyers for the Protection of Rivers and Wetlands" in names


def test_a_pdf_reads_as_the_html_page_it_was_printed_from():
    from_pdf = read_document("letter.pdf", fixture("letter.pdf"))
    from_html = read_document("letter.html", fixture("letter.html"))

    # The page break between the first and the second page of the list is a blank line; nothing else differs.
    assert [line for line in from_pdf.splitlines() if line] == [line for line in from_html.splitlines() if line]


def test_a_pdf_loses_its_running_header_footer_and_page_numbers():
    text = read_document("letter.pdf", fixture("letter.pdf"))

    assert "file://" not in text
    assert "1/2" not in text
    assert "2/2" not in text
    assert text.startswith("Open Letter on the Salween Dams\n")


# --------------------------------------------------------------------------------------------------------------
# PDF: columns
# --------------------------------------------------------------------------------------------------------------


def test_a_three_column_pdf_list_comes_out_column_by_column_one_entry_a_line():
    # columns.html sets 40 organisations apart by space, long names wrapping over up to five rows, then a
    # heading, a note and 36 people in a tight list, each in three columns; columns-expected.txt lists them
    # in the page's source order.
    text = read_document("columns.pdf", fixture("columns.pdf"))

    lines = [line for line in text.splitlines() if line.strip()]
    expected = (FORMATS_DIR / "columns-expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines[lines.index("Organisations") :] == expected


def test_a_numbered_list_in_three_columns_keeps_its_numbers_in_order():
    text = read_document("letter.pdf", fixture("letter.pdf"))

    listed = text.split("Signed by:", 1)[1]
    numbers = [int(line.split(".", 1)[0]) for line in listed.splitlines() if line.strip()]
    assert numbers == list(range(1, 51))


def test_a_pdf_with_only_an_owner_password_is_read():
    # Restrictions on printing and copying need no password to open the file, and the text is the letter's.
    text = read_document("letter.pdf", fixture("letter-owner-password.pdf"))

    assert [s.listed_as for s in parse_letter(text).signatories] == letter_names()


# --------------------------------------------------------------------------------------------------------------
# Refused, with one line
# --------------------------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
# Word 97-2003: an OLE2 compound file, whatever its name says.
LEGACY_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A .docx whose document.xml inflates 10 MB of nothing from about 10 kB."""
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    return zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": body + b" " * 10_000_000})


def truncated_pdf() -> bytes:
    raw = fixture("letter.pdf")
    return raw[: len(raw) // 2]


BAD_FILES = {
    "scanned PDF": ("scan.pdf", lambda: fixture("scan.pdf"), "No text layer: a scanned PDF needs OCR first"),
    "encrypted PDF": ("letter.pdf", lambda: fixture("letter-password.pdf"), "Encrypted PDF: it needs a password"),
    "truncated PDF": ("letter.pdf", truncated_pdf, "Truncated PDF: the file stops before its end"),
    "corrupt PDF": ("letter.pdf", lambda: b"%PDF-1.7\nnot a PDF at all\n%%EOF\n", "Corrupt PDF: it cannot be read"),
    "zip bomb": ("letter.docx", zip_bomb, "ZIP bomb refused: word/document.xml is compressed"),
    "image": ("letter.png", lambda: PNG, "Unsupported file: a PNG image."),
    "image named as text": ("letter.txt", lambda: PNG, "Unsupported file: a PNG image."),
    "legacy .doc": ("letter.doc", lambda: LEGACY_DOC, "Unsupported file: a legacy Office 97-2003 file"),
    ".zip": ("letters.zip", lambda: zip_of({"letter.txt": b"Open letter"}), "Unsupported file: a ZIP archive"),
    ".xlsx": ("list.xlsx", lambda: zip_of({"xl/workbook.xml": b"<workbook/>"}), "an Excel workbook (.xlsx)"),
    "oversized": ("letter.txt", lambda: b"a" * (MAX_UPLOAD_BYTES + 1), "File too large: over the limit of 20 MB."),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_with_one_line_naming_the_problem_and_the_accepted_types(case):
    filename, make, problem = BAD_FILES[case]

    message = refusal(filename, make())

    assert message.startswith(problem) or problem in message


def test_a_file_named_pdf_that_is_not_one_is_refused():
    message = refusal("letter.pdf", b"<html><body>Page not found</body></html>")

    assert message.startswith("Not a PDF:")


def test_a_damaged_docx_is_refused():
    raw = letter_docx()

    message = refusal("letter.docx", raw[: len(raw) // 2])

    assert message.startswith("Corrupt DOCX:")


def test_a_docx_with_a_dtd_is_refused_before_any_entity_is_expanded():
    laughs = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><d>&b;</d>'

    message = refusal("letter.docx", zip_of({"word/document.xml": laughs}))

    assert message.startswith("Corrupt DOCX: word/document.xml declares a DTD")


def test_a_pdf_that_reads_too_long_is_stopped_at_the_time_limit(monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PDF_SECONDS", 0.01)

    message = refusal("letter.pdf", fixture("letter.pdf"))

    assert message.startswith("PDF too slow to read: still unread after 0.01 seconds.")


def test_a_pdf_over_the_page_limit_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PDF_PAGES", 1)

    message = refusal("letter.pdf", fixture("letter.pdf"))

    assert message.startswith("PDF too long: 2 pages, over the limit of 1.")


def pdf_bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates `inflated` bytes of spaces from a few hundred kB."""
    deflate = zlib.compressobj(9)
    stream = b"".join(deflate.compress(b" " * 1_000_000) for _ in range(inflated // 1_000_000)) + deflate.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_a_pdf_that_inflates_past_the_memory_limit_is_refused(monkeypatch):
    # pdfminer inflates a content stream whole; the reader's own limit stops it, not the machine's memory.
    monkeypatch.setattr(pdf_module, "MAX_PDF_MEMORY_BYTES", 120 * 1024 * 1024)

    message = refusal("bomb.pdf", pdf_bomb(200_000_000))

    assert message.startswith(("PDF too large to read: it needs more than 120 MB", "PDF too costly to read"))


# --------------------------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------------------------


def test_plain_text_is_read_as_a_paste():
    assert read_document("letter.md", b"Title\r\n\r\n1. One\r\n") == "Title\n\n1. One\n"


def test_text_that_is_not_utf8_is_refused_with_its_line():
    message = refusal("letter.txt", "Title\nCaf\xe9\n".encode("latin-1"))

    assert message.startswith("Not UTF-8 text: undecodable byte 0xe9 at line 2.")


# --------------------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Page title</title>
<style>p { color: red }</style><script>document.write("<p>script</p>")</script></head>
<body><header><nav><a href="/">Home</a></nav>Site banner</header>
<article><header><h1>Open Letter &amp; Appeal</h1></header>
<p>To: the Minister<br>Copy: Parliament
<p>We call on the Minister to:
<ol start="3"><li>Halt the dams<li value="7">Publish <b>the</b> report<li>Consult&nbsp;the villages</ol>
<ul><li>Coalition of the River<ul><li>Member one<li>Member two</ul><li>Other group</ul>
<table><tr><th>Name<th>Country<tr><td>Fishers Union<td>Myanmar<tr><td>Green <i>Net</i><td>Thailand</table>
<p hidden>hidden text</p><div style="display: none">invisible</div>
<form><label>Sign <input name="x"></label><button>Send</button></form>
<aside>Related posts</aside></article>
<footer>Copyright</footer></body></html>"""


def html_text(page: str, filename: str = "page.html") -> str:
    return read_document(filename, page.encode("utf-8"))


def test_html_lists_tables_and_line_breaks_are_read_from_the_markup():
    assert html_text(PAGE) == (
        "Open Letter & Appeal\n"
        "\n"
        "To: the Minister\n"
        "Copy: Parliament\n"
        "\n"
        "We call on the Minister to:\n"
        "\n"
        "3. Halt the dams\n"
        "7. Publish the report\n"
        "8. Consult the villages\n"
        "\n"
        "• Coalition of the River\n"
        "  • Member one\n"
        "  • Member two\n"
        "• Other group\n"
        "\n"
        "Name\tCountry\n"
        "Fishers Union\tMyanmar\n"
        "Green Net\tThailand\n"
    )


def test_html_drops_scripts_styles_navigation_forms_asides_and_the_page_header_and_footer():
    text = html_text(PAGE)

    for dropped in ["Page title", "script", "color", "Home", "Site banner", "hidden text", "invisible", "Sign"]:
        assert dropped not in text
    assert "Related posts" not in text
    assert "Copyright" not in text


def test_html_reversed_and_lettered_lists_count_as_the_browser_shows_them():
    text = html_text('<ol reversed><li>c<li>b<li>a</ol><ol type="a"><li>x<li>y</ol><ol type="I" start="4"><li>z</ol>')

    assert text == "3. c\n2. b\n1. a\n\na. x\nb. y\n\nIV. z\n"


def test_html_is_recognised_by_its_content_whatever_its_name():
    assert html_text("<!doctype html><p>One</p><p>Two</p>", filename="letter") == "One\n\nTwo\n"


def test_html_charset_comes_from_its_meta_tag():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>'
    raw = (page + "<body><p>Café “quoted”</p></body></html>").encode("cp1252")  # é is 0xe9, “ is 0x93

    assert b"\x93" in raw

    assert read_document("page.htm", raw) == "Café “quoted”\n"


def test_html_with_a_utf16_byte_order_mark_is_decoded():
    raw = "\ufeff<html><body><p>Mon – Burmese: မြန်မာ</p></body></html>".encode("utf-16-le")

    assert read_document("page.html", raw) == "Mon – Burmese: မြန်မာ\n"


def test_html_nested_thousands_deep_is_read_without_running_out_of_stack():
    text = html_text("<div>" * 20_000 + "Deep name" + "</div>" * 20_000)

    assert text == "Deep name\n"


def test_a_saved_web_page_reads_its_html_part():
    text = read_document("letter.mht", mht(b"<html><body><h1>Title</h1><ol><li>Fishers Union</ol></body></html>"))

    assert text == "Title\n\n1. Fishers Union\n"


# --------------------------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------------------------


def test_docx_numbered_paragraphs_count_with_word_s_lists():
    body = paragraph("Demands:") + paragraph("Halt", num=1) + paragraph("Detail", num=1, level=1)
    body += paragraph("Second detail", num=1, level=1) + paragraph("Publish", num=1)
    body += paragraph("Signed:") + paragraph("First", num=2) + paragraph("Second", num=2)
    body += paragraph("Bullet", num=3) + paragraph("Seventh", num=4)

    assert read_document("letter.docx", docx(body)) == (
        "Demands:\n\n1. Halt\n  a) Detail\n  b) Second detail\n2. Publish\n\n"
        "Signed:\n\n1. First\n2. Second\n• Bullet\n7. Seventh\n"
    )


def test_docx_numbering_from_a_paragraph_style_is_read():
    body = paragraph("One", style="ListNumber") + paragraph("Two", style="ListNumber")

    assert read_document("letter.docx", docx(body)) == "1. One\n2. Two\n"


def test_docx_without_numbering_part_keeps_its_paragraphs():
    body = paragraph("Title") + paragraph("Halt", num=1)

    assert read_document("letter.docx", docx(body, numbering=None, styles=None)) == "Title\n\nHalt\n"


def test_docx_tables_are_tab_separated_rows():
    def cell(*texts: str) -> str:
        return "<w:tc>" + "".join(paragraph(text) for text in texts) + "</w:tc>"

    table = "<w:tbl>" + "<w:tr>" + cell("Name") + cell("Country") + "</w:tr>"
    table += "<w:tr>" + cell("Fishers", "Union") + cell("Myanmar") + "</w:tr></w:tbl>"

    assert read_document("letter.docx", docx(paragraph("Signed:") + table)) == (
        "Signed:\n\nName\tCountry\nFishers Union\tMyanmar\n"
    )


def test_docx_line_breaks_and_tabs_are_kept_and_deleted_text_is_not():
    body = (
        "<w:p>" + run("Fishers Union") + "<w:r><w:br/></w:r>" + run("Green") + "<w:r><w:tab/></w:r>" + run("Net")
        + '<w:del w:id="1"><w:r><w:delText>Removed</w:delText></w:r></w:del>'
        + '<w:ins w:id="2">' + run(" Added") + "</w:ins></w:p>"
    )  # fmt: skip

    assert read_document("letter.docx", docx(body)) == "Fishers Union\nGreen\tNet Added\n"
