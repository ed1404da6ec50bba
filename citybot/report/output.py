"""The report as text for the terminal and as CSV for a spreadsheet.

Both show the same groups with the same columns, so a number seen on screen is found in the
spreadsheet. The CSV is written UTF-8 with a byte-order mark: without it, Excel reads the
accents of "Saint-Étienne" or « écoles » as mojibake; LibreOffice ignores the mark.

Whatever users typed goes through `citybot.report.cells` on its way out: `cell` for the
terminal, `spreadsheet_cell` for every text cell of the CSV (no column can forget it: `csv_rows`
applies it to all of them). Text cells are also quoted, so that a spreadsheet that splits on
";" (French Excel) cannot start a new cell, and so a new formula, in the middle of one.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from citybot.report.cells import cell, spreadsheet_cell
from citybot.report.grouping import Group

CSV_COLUMNS = (
    "reason",
    "reason_label",
    "asked",
    "count",
    "conversations",
    "languages",
    "en",
    "fr",
    "first_seen",
    "last_seen",
    "guessed_intents",
    "examples",
)
EXAMPLE_SEPARATOR = " | "
#: The headline names the store (its URL, password hidden): longer than a question, still one line.
TITLE_CHARS = 400


def languages_text(languages: Counter[str]) -> str:
    """ "en 2, fr 1": languages by frequency."""
    return ", ".join(
        f"{cell(code)} {count}" for code, count in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def intents_text(intents: Counter[str]) -> str:
    return ", ".join(f"{cell(name)} {count}" for name, count in intents.most_common())


def examples_text(group: Group, examples: int) -> list[str]:
    """The group's example questions as shown: cleaned, cut, each once."""
    return list(dict.fromkeys(cell(example) for example in group.examples(examples)))


def _day(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def write_text(groups: Sequence[Group], out: TextIO, title: str, examples: int = 3) -> None:
    """Headline, then each reason with its groups, most asked first."""
    total = sum(g.count for g in groups)
    print(
        f"{cell(title, TITLE_CHARS)}: {total} unanswered question{'s' if total != 1 else ''} "
        f"in {len(groups)} group{'s' if len(groups) != 1 else ''}",
        file=out,
    )
    current: str | None = None
    for group in groups:
        if group.reason.key != current:
            current = group.reason.key
            count = sum(g.count for g in groups if g.reason.key == current)
            print(f"\n{group.reason.label} [{current}] ({count})", file=out)
        _write_group(group, out, examples)


def _write_group(group: Group, out: TextIO, examples: int) -> None:
    span = _day(group.first_seen)
    if _day(group.last_seen) != span:
        span += f" .. {_day(group.last_seen)}"
    subject = cell(group.subject)
    print(
        f"  {subject}  x{group.count}  ({languages_text(group.languages)}; "
        f"{group.conversations} conversation{'s' if group.conversations != 1 else ''}; "
        f"{span} UTC)",
        file=out,
    )
    if group.reason.key in ("low_confidence", "not_understood") and group.guessed_intents:
        print(f"    understood as: {intents_text(group.guessed_intents)}", file=out)
    for example in examples_text(group, examples):
        if example != subject:
            print(f'    "{example}"', file=out)


def csv_rows(groups: Sequence[Group], examples: int = 3) -> list[dict[str, Any]]:
    """One row per group, keyed by CSV_COLUMNS; every text cell is a `spreadsheet_cell`."""
    return [
        {
            column: spreadsheet_cell(value) if isinstance(value, str) else value
            for column, value in row.items()
        }
        for row in _raw_rows(groups, examples)
    ]


def _raw_rows(groups: Sequence[Group], examples: int) -> list[dict[str, Any]]:
    return [
        {
            "reason": g.reason.key,
            "reason_label": g.reason.label,
            "asked": cell(g.subject),
            "count": g.count,
            "conversations": g.conversations,
            "languages": languages_text(g.languages),
            "en": g.languages.get("en", 0),
            "fr": g.languages.get("fr", 0),
            "first_seen": _day(g.first_seen),
            "last_seen": _day(g.last_seen),
            "guessed_intents": intents_text(g.guessed_intents),
            "examples": EXAMPLE_SEPARATOR.join(examples_text(g, examples)),
        }
        for g in groups
    ]


def write_csv(groups: Sequence[Group], path: Path, examples: int = 3) -> None:
    """The groups as a spreadsheet-ready CSV file (see the module docstring on the encoding)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, quoting=csv.QUOTE_NONNUMERIC)
        writer.writeheader()
        writer.writerows(csv_rows(groups, examples))
