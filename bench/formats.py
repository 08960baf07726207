"""Print what reading an uploaded letter costs: a 600-entry list in three columns, as PDF, HTML and DOCX.

    .venv/bin/python bench/formats.py [--entries 600] [--runs 3]

The letter is built here (names "Org N ..." of varied length, some long enough to wrap in a column), printed to
PDF by Debian's chromium as a curator's PDF would be (`--print-to-pdf`, default header and footer), and read by
`letters.formats.read_document` like an upload. For each format: the median wall time and CPU time of the
runs (the machine is shared: wall time includes waiting for a core), the peak resident memory of the process
that read it (the PDF reader's own child process for PDF; the measuring process for the others, whose starting
size is printed apart), and whether the parser then finds every entry in order. The measuring runs in a
process of its own, so chromium's memory is not counted as the reader's.
"""

from __future__ import annotations

import argparse
import html
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from letters.formats import read_document  # noqa: E402
from letters.parsing import parse_letter  # noqa: E402
from tests.letters.documents import docx, paragraph  # noqa: E402

WORDS = ["Coastal", "Delta", "Youth", "Women's", "Farmers'", "Human Rights", "Digital", "Indigenous", "River"]
KINDS = ["Network", "Union", "Association", "Alliance", "Foundation", "Forum", "Initiative", "Coalition"]
TAILS = ["", "", "", "for Democracy", "of the Northern Hill States", "for Information Technology and Civic Rights"]


def names(count: int) -> list[str]:
    chooser = random.Random(600)
    return [
        f"{chooser.choice(WORDS)} {chooser.choice(KINDS)} {n} {chooser.choice(TAILS)}".strip()
        for n in range(1, count + 1)
    ]


def letter_html(entries: list[str]) -> str:
    items = "".join(f"<li>{html.escape(name)}</li>\n" for name in entries)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Open letter</title>
<style>body {{ font-family: serif; margin: 2cm }} .list {{ columns: 3; column-gap: 2em }}
.list li {{ break-inside: avoid }}</style></head><body>
<h1>Open Letter on the River Dams</h1><p>3 March 2023</p><p>To: Ministry of Energy</p>
<p>We, the undersigned {len(entries)} organizations, call on the Ministry to halt the dams.</p>
<p>Signed by:</p><ol class="list">{items}</ol></body></html>"""


def letter_docx(entries: list[str]) -> bytes:
    body = paragraph("Open Letter on the River Dams") + paragraph("3 March 2023") + paragraph("To: Ministry of Energy")
    body += paragraph(f"We, the undersigned {len(entries)} organizations, call on the Ministry to halt the dams.")
    body += paragraph("Signed by:") + "".join(paragraph(name, num=2) for name in entries)
    return docx(body)


def cpu_seconds() -> float:
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def measure(filename: str, raw: bytes, runs: int, expected: list[str]) -> None:
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), cpu_seconds()
        text = read_document(filename, raw)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    found = [s.listed_as for s in parse_letter(text).signatories]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak = f"reader {child:.0f} MB" if filename.endswith(".pdf") else f"measurer {own:.0f} MB"
    print(
        f"{filename:12} {len(raw) / 1024:6.0f} kB  wall {statistics.median(walls):5.2f} s  "
        f"CPU {statistics.median(cpus):5.2f} s  peak RSS {peak:13}  "
        f"entries {len(found)}/{len(expected)} {'in order' if found == expected else 'DIFFERENT'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the folder with letter.pdf: measure it here
    options = parser.parse_args()
    entries = names(options.entries)
    page = letter_html(entries)
    if options.measure:
        print(f"measurer's starting size: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        measure("letter.pdf", (Path(options.measure) / "letter.pdf").read_bytes(), options.runs, entries)
        measure("letter.html", page.encode("utf-8"), options.runs, entries)
        measure("letter.docx", letter_docx(entries), options.runs, entries)
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "letter.html"
        source.write_text(page, encoding="utf-8")
        pdf = Path(folder) / "letter.pdf"
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", str(source)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        again = ["--entries", str(options.entries), "--runs", str(options.runs), "--measure", folder]
        subprocess.run([sys.executable, __file__, *again], check=True)


if __name__ == "__main__":
    main()
