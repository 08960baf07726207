"""The files curators receive -> the structured plain text the parser reads from a paste.

`read_document(filename, raw)` is the one entry point, for the admin's upload and `import_letter PATH`. It
tells the type from the file's first bytes (the extension only settles text against HTML) and hands it to
its reader: plain text as it is (`letters.parsing.check_input`), HTML and saved web pages (`html`), Word
(`docx`), PDF (`pdf`, read in a bounded child process). Everything else is refused with one line that says
what the file is and which types are accepted. The limits are in `letters.formats.limits`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePath

from letters.formats.docx import read_docx
from letters.formats.html import read_html, read_mht
from letters.formats.limits import MAX_UPLOAD_BYTES, MB
from letters.formats.pdf import read_pdf
from letters.parsing import LetterInputError, check_input

ACCEPTED_TYPES = (
    "plain text (.txt, .md), PDF with a text layer, HTML or a saved web page (.html, .htm, .mht), Word .docx"
)
# The file picker's `accept` attribute: what the picker offers first (a curator can still choose any file).
ACCEPT = ".txt,.text,.md,.markdown,.pdf,.html,.htm,.xhtml,.mht,.mhtml,.docx"

HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
# What a file is, by its first bytes, when it is not a type the import reads.
UNSUPPORTED_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office 97-2003 file (.doc, .xls, .ppt): save it as .docx or PDF"),
    (b"{\\rtf", "an RTF document: save it as .docx or PDF"),
    (b"%!PS", "a PostScript file: print it to PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
]
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MIME_HEADERS = (b"from:", b"mime-version:", b"content-type:", b"subject:", b"date:", b"message-id:")

Reader = Callable[[bytes], str]


def read_document(filename: str, raw: bytes) -> str:
    """The letter's text from an uploaded file, or a one-line `LetterInputError` naming the problem and the
    accepted types. Nothing is written anywhere."""
    try:
        if len(raw) > MAX_UPLOAD_BYTES:
            raise LetterInputError(f"File too large: over the limit of {MAX_UPLOAD_BYTES // MB} MB.")
        reader = reader_for(PurePath(filename).suffix.lower(), raw)
        if reader is check_input:
            return check_input(raw)
        return check_input(reader(raw).encode("utf-8"))
    except LetterInputError as error:
        raise LetterInputError(f"{error} Accepted: {ACCEPTED_TYPES}.") from None


def reader_for(extension: str, raw: bytes) -> Reader:
    head = raw[:1024]
    if b"%PDF-" in head:
        return read_pdf
    if extension == ".pdf":
        raise LetterInputError("Not a PDF: the file has no PDF header (%PDF-); it may be damaged or mislabelled.")
    if head.startswith(ZIP_SIGNATURES):
        return zip_reader(extension, raw)
    if extension == ".docx":
        raise LetterInputError("Not a DOCX: a Word .docx file is a ZIP archive and this one is not.")
    for signature, kind in UNSUPPORTED_SIGNATURES:
        if head.startswith(signature):
            raise LetterInputError(f"Unsupported file: {kind}.")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise LetterInputError("Unsupported file: a WebP image.")
    if head[4:8] == b"ftyp":
        raise LetterInputError("Unsupported file: a HEIC image or an MP4 video.")
    if looks_like_mht(head):
        return read_mht
    if extension in HTML_EXTENSIONS or looks_like_html(head):
        return read_html
    return check_input


def zip_reader(extension: str, raw: bytes) -> Reader:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        if extension == ".docx":
            return read_docx  # which says how it is damaged
        raise LetterInputError("Unsupported file: a damaged ZIP archive.") from None
    if "word/document.xml" in names:
        return read_docx
    if any(name.startswith("xl/") for name in names):
        kind = "an Excel workbook (.xlsx)"
    elif any(name.startswith("ppt/") for name in names):
        kind = "a PowerPoint presentation (.pptx)"
    elif "mimetype" in names:
        kind = "an OpenDocument file (.odt, .ods): save it as .docx or PDF"
    else:
        kind = "a ZIP archive: upload the letter itself"
    raise LetterInputError(f"Unsupported file: {kind}.")


def looks_like_mht(head: bytes) -> bool:
    """A web page saved as one file: MIME headers, then a multipart body."""
    lowered = head.lstrip().lower()
    return lowered.startswith(MIME_HEADERS) and b"multipart/related" in lowered


def looks_like_html(head: bytes) -> bool:
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[2:].decode(encoding, errors="ignore").encode("utf-8")
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return True
    return lowered.startswith(b"<") and any(tag in lowered for tag in (b"<html", b"<body", b"<head"))
