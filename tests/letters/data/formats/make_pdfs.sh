#!/bin/sh
# Makes the PDF fixtures of tests/letters/test_formats.py from the HTML beside them, as a curator would get them:
# printed by Debian's chromium (with its default header and footer: date, title, address, page numbers), and
# protected with qpdf (Debian's qpdf package). Run from this directory; commit what it writes.
set -eu
print() { chromium --headless --no-sandbox --disable-gpu "$@" 2>/dev/null; }

print --print-to-pdf=letter.pdf letter.html
print --print-to-pdf=columns.pdf columns.html
# A scan has no text at all: no header or footer either.
python3 -c '
import base64, struct, zlib
width, height = 200, 120
rows = b"".join(b"\x00" + bytes(255 - (x // 8 % 2) * 90 for x in range(width)) for _ in range(height))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
image = base64.b64encode(png).decode()
open("scan.html", "w").write(f"<!DOCTYPE html><html><body><img src=\"data:image/png;base64,{image}\" width=600></body></html>\n")
'
print --no-pdf-header-footer --print-to-pdf=scan.pdf scan.html
rm scan.html
# Opening needs a password (the user password "reader"), and a copy with only an owner password (restrictions
# on printing and copying, opened by anyone: it is read).
qpdf --encrypt reader owner 256 -- letter.pdf letter-password.pdf
qpdf --encrypt "" owner 256 --print=none --extract=n -- letter.pdf letter-owner-password.pdf
