"""How much of an uploaded file the import reads: every bound on memory and time in one place.

The README's import section states the same figures. The extracted text then meets the parser's own limit,
`letters.parsing.MAX_INPUT_CHARS`, as a paste does.
"""

MB = 1024 * 1024

# Any upload: larger files are refused before they are read. A 600-entry letter printed to PDF is 0.2 MB.
MAX_UPLOAD_BYTES = 20 * MB

# PDF: read by pdfminer.six in a child process held to these limits (pdfminer inflates every stream it
# reads with no bound of its own, so a crafted file could take any memory or time in the web worker).
MAX_PDF_PAGES = 300
MAX_PDF_SECONDS = 60  # wall clock for the whole file; a 600-entry, 8-page letter takes about 1 s
MAX_PDF_MEMORY_BYTES = 768 * MB  # the child's address space (pdfminer with cryptography loaded maps ~50 MB)

# DOCX: the XML parts read (document, numbering, styles) are checked in the ZIP directory before they are
# unpacked; other parts (images) are never unpacked.
MAX_DOCX_PARTS = 2_000  # members of the ZIP archive
MAX_DOCX_PART_BYTES = 16 * MB  # one XML part, uncompressed (a 100-page report's document.xml is ~2 MB)
MAX_DOCX_TOTAL_BYTES = 200 * MB  # all members, uncompressed, as the archive declares them
MAX_COMPRESSION_RATIO = 100  # XML deflates 5-20x; a ZIP bomb's members, 1,000x and more

# HTML: elements nested deeper than this are read as part of their ancestor (no recursion limit to hit).
MAX_HTML_DEPTH = 200
