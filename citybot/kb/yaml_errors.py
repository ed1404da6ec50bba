"""YAML syntax errors in plain words: which line, what is wrong, what to type instead.

PyYAML says "mapping values are not allowed in this context"; staff need "this text contains
': ', put it in quotes". The parser's message and position are read together with the line
itself to recognise the usual mistakes: a tab, an unquoted colon, bad indentation, an unclosed
quote or bracket. Anything else keeps the parser's words, with the line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):(\s|$)")


@dataclass(frozen=True)
class Explanation:
    """Where to look (1-based line) and what to do there."""

    line: int | None
    message: str


def explain(error: yaml.MarkedYAMLError, text: str) -> Explanation:
    """The plain-words explanation of `error`, raised while parsing `text`."""
    lines = text.splitlines()
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return Explanation(None, f"YAML syntax error: {error.problem or error.context or 'invalid YAML'}")
    tab_line = _first_tab_indent(lines, mark.line)
    if tab_line is not None:
        return Explanation(
            tab_line + 1,
            f"YAML syntax error: line {tab_line + 1} is indented with a tab; YAML indents with "
            "spaces only: replace the tab with spaces",
        )
    problem, context = error.problem or "", error.context or ""
    start = error.context_mark
    if "quoted scalar" in context and start is not None:
        quote = _char_at(lines, start.line, start.column) or '"'
        return Explanation(
            start.line + 1,
            f"YAML syntax error: the text in quotes that starts on line {start.line + 1} "
            f"(column {start.column + 1}) is never closed: add the closing {quote} at its end",
        )
    if "flow sequence" in context or "flow mapping" in context:
        bracket, closing = ("[", "]") if "sequence" in context else ("{", "}")
        where = start.line + 1 if start is not None else mark.line + 1
        return Explanation(
            where,
            f"YAML syntax error: the {bracket} opened on line {where} is not closed: add {closing} "
            f"where it ends, and separate its items with commas (error found at line {mark.line + 1}, "
            f"column {mark.column + 1})",
        )
    current = lines[mark.line] if mark.line < len(lines) else ""
    if "mapping values are not allowed" in problem:
        key = _KEY.match(current)
        if key and mark.column > key.end(2):
            return Explanation(
                mark.line + 1,
                f"YAML syntax error: on line {mark.line + 1} the text after "
                f"'{key.group(2).strip()}:' contains ': '; put the whole text in double quotes: "
                f'{key.group(2).strip()}: "..."',
            )
        return _indentation(mark.line)
    if _after_closing_quote(current, mark.column):
        return Explanation(
            mark.line + 1,
            f"YAML syntax error: on line {mark.line + 1} a text in quotes ends before the end of "
            f"the line (column {mark.column + 1}): a quote inside it? Write '' for a ' inside "
            "'...', or put the text in double quotes instead",
        )
    if "expected" in problem and ("block" in context or "<block end>" in problem):
        return _indentation(mark.line)
    position = f"line {mark.line + 1}, column {mark.column + 1}"
    return Explanation(mark.line + 1, f"YAML syntax error: {problem or context} ({position})")


def _indentation(line_index: int) -> Explanation:
    return Explanation(
        line_index + 1,
        f"YAML syntax error: line {line_index + 1} is not indented like the lines around it; "
        "fields of the same group start in the same column (and a text that goes on over "
        "several lines must be in quotes)",
    )


def _first_tab_indent(lines: list[str], last: int) -> int | None:
    """Index of the first line up to `last` (0-based) whose indentation holds a tab."""
    for index, line in enumerate(lines[: last + 1]):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return index
    return None


def _char_at(lines: list[str], line: int, column: int) -> str | None:
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return None


def _after_closing_quote(line: str, column: int) -> bool:
    """Whether the parser stopped just after a quoted text ended ('It's' -> stops after 'It')."""
    before = line[:column].rstrip()
    return bool(before) and before[-1] in "'\"" and before.count(before[-1]) >= 2
