"""Turn the raw text of one letter into a structured report.

A letter arrives pasted from a web page, converted from a PDF, a saved web page or a Word file (`letters.formats`), or
OCR'd. The parser reads it line by line and finds its parts, one module a stage:

- `input`: the bytes decoded into text, or refused with one line that says why;
- `header` and `dates`: title, date line, To / Cc / Re lines, address block;
- `addressees`: the bodies the letter is addressed to;
- `signatories`: where the list is, its lines and sections, broken names, coalitions;
- `counts`: the totals the letter states, declared and undisclosed;
- `demands`: numbered or bulleted demands after a lead-in, and calls in prose as candidates;
- `kind`: open letter, joint statement, press release, statement;
- `letter`: every stage in order (`parse_letter`).

It is plain Python (standard library only, no Django) so it can be tested alone. It never rewrites history: every
`listed_as` is the name as printed (whitespace runs collapsed). A name printed on one line is found again in the
source text as it is; a name wrapped over several lines (or over rows of a column) is joined, and a warning gives the
lines it was joined from. When a rule is unsure, it says so in `warnings` with the line number, for a curator to
check.
"""

from letters.parsing.input import MAX_INPUT_CHARS, LetterInputError, check_input
from letters.parsing.letter import parse_letter
from letters.parsing.report import ParsedDemand, ParsedLetter, ParsedSignatory

__all__ = [
    "MAX_INPUT_CHARS",
    "LetterInputError",
    "ParsedDemand",
    "ParsedLetter",
    "ParsedSignatory",
    "check_input",
    "parse_letter",
]
