"""PDF -> the letter's text, read from its text layer in a child process held to the limits.

pdfminer.six inflates every stream it reads with no bound of its own and can recurse deeply on a crafted file,
so the reading (`letters.formats.pdf_layout`) runs in a separate Python process that caps its own memory and
CPU time before it reads a byte, and is killed when it runs past `MAX_PDF_SECONDS`. Whatever the file does,
the web worker or command that asked only waits, at most that long, for text or a one-line refusal.
"""

import subprocess
import sys
from pathlib import Path

from letters.formats.limits import MAX_PDF_MEMORY_BYTES, MAX_PDF_PAGES, MAX_PDF_SECONDS
from letters.parsing import LetterInputError

PROJECT_DIR = Path(__file__).resolve().parents[2]
REFUSED = 3  # the child's exit status for a refusal, whose one-line message ends its standard error


def read_pdf(raw: bytes) -> str:
    # A complete PDF ends with %%EOF (readers allow some bytes after it); a download cut short does not.
    if b"%%EOF" not in raw[-4096:]:
        raise LetterInputError("Truncated PDF: the file stops before its end (no %%EOF marker); download it again.")
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "letters.formats.pdf_layout",
                str(MAX_PDF_PAGES),
                str(MAX_PDF_SECONDS),
                str(MAX_PDF_MEMORY_BYTES),
            ],
            input=raw,
            capture_output=True,
            timeout=MAX_PDF_SECONDS,
            cwd=PROJECT_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LetterInputError(f"PDF too slow to read: still unread after {MAX_PDF_SECONDS} seconds.") from None
    if done.returncode == 0:
        return done.stdout.decode("utf-8")
    said = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
    if done.returncode == REFUSED and said:
        raise LetterInputError(said[-1])
    if done.returncode < 0:  # killed by a signal: the CPU limit, or memory the kernel would not give
        raise LetterInputError("PDF too costly to read: it exceeded the time or memory limit.")
    # Anything else is a crash of the reader: its last line says why (the traceback stays in the child).
    reason = said[-1] if said else f"exit status {done.returncode}"
    raise LetterInputError(f"Corrupt PDF: it cannot be read ({reason[:200]}).")
