"""Files for the import's format tests, built here or read from tests/letters/data/formats/.

data/formats/ holds one letter as text (letter.txt) and as the HTML page it was published as (letter.html);
make_pdfs.sh prints that page to PDF with Debian's chromium and protects copies with qpdf. The Word version
is built below from the text, with zipfile, the way Word stores numbered paragraphs.
"""

import io
import re
import zipfile
from email.message import EmailMessage
from pathlib import Path
from xml.sax.saxutils import escape

FORMATS_DIR = Path(__file__).resolve().parent / "data" / "formats"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/styles.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="numbering.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"/>
<Relationship Id="rId2" Target="styles.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>
</Relationships>"""
# Two list definitions: 0 is "1." numbering with "a)" below it, 1 is bullets. Lists 1 and 2 share definition 0;
# list 2 restarts at 1 (startOverride), as Word writes a list the curator restarted.
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/>
 <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="0"/>
 <w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
</w:numbering>"""
# "ListNumber" numbers its paragraphs through list 1, as Word's built-in "List Number" style does.
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/>
 <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>"""


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(text: str = "", *, num: int | None = None, level: int = 0, style: str | None = None) -> str:
    properties = ""
    if style:
        properties += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        properties += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'
    return f"<w:p><w:pPr>{properties}</w:pPr>{run(text) if text else ''}</w:p>"


def docx(body: str, *, numbering: str | None = NUMBERING, styles: str | None = STYLES) -> bytes:
    """A Word document whose body is `body` (WordprocessingML paragraphs and tables)."""
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
    document += body + "<w:sectPr/></w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        archive.writestr("word/document.xml", document)
        if numbering is not None:
            archive.writestr("word/numbering.xml", numbering)
        if styles is not None:
            archive.writestr("word/styles.xml", styles)
    return buffer.getvalue()


def letter_text() -> str:
    return (FORMATS_DIR / "letter.txt").read_text(encoding="utf-8")


def letter_names() -> list[str]:
    """The signatories as letter.txt numbers them after "Signed by:"."""
    listed = letter_text().split("Signed by:\n", 1)[1]
    return re.findall(r"^\d+\. (.+)$", listed, flags=re.M)


def letter_docx() -> bytes:
    """letter.txt as a Word document: numbered demands (list 1), numbered signatories (list 2, restarted)."""
    title, date, to, *paragraphs, demands, signatories = letter_text().strip().split("\n\n")
    lead, *demand_items = demands.split("\n")
    signed, *names = signatories.split("\n")
    body = paragraph(title, style="Heading1") + paragraph(date) + paragraph(to)
    body += "".join(paragraph(text) for text in paragraphs)
    body += paragraph(lead) + "".join(paragraph(re.sub(r"^\d+\. ", "", d), num=1) for d in demand_items)
    body += paragraph(signed) + "".join(paragraph(re.sub(r"^\d+\. ", "", n), num=2) for n in names)
    return docx(body)


def mht(html: bytes) -> bytes:
    """A page saved as one file by a browser ("Save as MHTML"): the HTML as a quoted-printable part."""
    message = EmailMessage()
    message["From"] = "<Saved by Blink>"
    message["Subject"] = "Open Letter"
    message.set_content(html.decode("utf-8"), subtype="html", cte="quoted-printable")
    message.make_related()
    return message.as_bytes()
