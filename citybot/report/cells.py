"""One cell of the report: what users typed, made safe to print in a terminal and to open in a
spreadsheet.

Why: the report shows staff the questions users typed, and users can type anything. Printed
raw, an escape sequence (`ESC ] 0 ; title BEL`, `ESC [ 2 J`) retitles or clears the staff
member's terminal, or hides lines; in the CSV, a cell starting with `=`, `+`, `-` or `@` is a
formula to Excel and LibreOffice (`=HYPERLINK(...)` sends the row to a stranger's server); a
lone surrogate cannot be encoded at all and stopped the whole report; one 1 MB message made a
1 MB line. Both outputs therefore write every value that comes from a conversation through
`cell` (text) or `spreadsheet_cell` (CSV), and nowhere else decides what is safe.
"""

from __future__ import annotations

import re

from citybot.text import clean_text

#: Longest text of one value (a question, a name) in either output, "…" included.
CELL_CHARS = 200
#: Longest CSV cell: a few values joined (the examples column), still far under Excel's 32,767.
SPREADSHEET_CELL_CHARS = 1_000
ELLIPSIS = "…"

#: First characters that make a spreadsheet read a cell as a formula: OWASP's "CSV Injection"
#: list. Tab and CR cannot start a cell once whitespace is collapsed, but stay listed so that the
#: rule reads as OWASP writes it.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Only this many characters per cell limit are read: enough for the escape sequences and spaces
#: that cleaning removes, while a 1 MB message costs what a short one does.
_READ_FACTOR = 20

#: Unicode bidirectional controls: they reorder what a terminal or a spreadsheet shows
#: ("Trojan Source"), so a cell could display other text than it holds.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def cell(value: str, limit: int = CELL_CHARS) -> str:
    """`value` as one line of plain printable text of at most `limit` characters.

    Escape sequences and control characters (C0 and C1: `clean_text`) and bidirectional controls
    are removed,
    lone surrogates become "?", every run of whitespace (newlines included) becomes one space,
    and a longer text is cut with "…". Applying it twice changes nothing more.
    """
    head = value[: limit * _READ_FACTOR]
    text = " ".join(_BIDI_CONTROLS.sub("", clean_text(head)).split())
    if len(text) > limit or len(head) < len(value):
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return text


def spreadsheet_cell(value: str, limit: int = SPREADSHEET_CELL_CHARS) -> str:
    """`cell(value)` that no spreadsheet takes for a formula: OWASP's rule, a leading `'`
    when it would start with one of FORMULA_TRIGGERS (leading spaces are already gone, so
    " =1+1" is caught too): the cell is then text, shown with its quote or without it."""
    text = cell(value, limit)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
