"""Reading a webinar date from what users type: "8 April", "April 8th", « le 1er avril », 2020-04-08.

The series ran in spring 2020, so a day and month without a year mean 2020.
"""

from __future__ import annotations

import datetime
import re

from citybot.kb.normalize import fold

DEFAULT_YEAR = 2020

_MONTHS = {
    "january": 1,
    "jan": 1,
    "janvier": 1,
    "janv": 1,
    "february": 2,
    "feb": 2,
    "fevrier": 2,
    "fev": 2,
    "march": 3,
    "mar": 3,
    "mars": 3,
    "april": 4,
    "apr": 4,
    "avril": 4,
    "avr": 4,
    "may": 5,
    "mai": 5,
    "june": 6,
    "jun": 6,
    "juin": 6,
    "july": 7,
    "jul": 7,
    "juillet": 7,
    "juil": 7,
    "august": 8,
    "aug": 8,
    "aout": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "septembre": 9,
    "october": 10,
    "oct": 10,
    "octobre": 10,
    "november": 11,
    "nov": 11,
    "novembre": 11,
    "december": 12,
    "dec": 12,
    "decembre": 12,
}
#: Month names and their short forms, folded: no capitalised month is a city ("On 24 March, …").
MONTH_NAMES = frozenset(_MONTHS)
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er)?"
_YEAR = r"(?:\s+(\d{4}))?"
_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?\b")
_DAY_MONTH = re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}\b{_YEAR}")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}\b{_YEAR}")


_MONTH_ALONE = re.compile(rf"\b{_MONTH}\b")


def month_named(text: str) -> int | None:
    """The month a text names without a day ("the webinar in April", « en mai »), or None."""
    match = _MONTH_ALONE.search(fold(text))
    return _MONTHS.get(match.group(1)) if match else None


def parse_day(text: object) -> datetime.date | None:
    """The first date written in `text`, or None (also for junk and impossible dates)."""
    if not isinstance(text, str) or not text.strip():
        return None
    raw = text.strip()
    folded = fold(raw)  # month names without accents or case: "Août" -> "aout"
    for pattern, order in ((_ISO, "ymd"), (_DAY_MONTH, "dmy"), (_MONTH_DAY, "mdy"), (_NUMERIC, "dmy")):
        match = pattern.search(raw if pattern in (_ISO, _NUMERIC) else folded)
        if match:
            found = _build(match.groups(), order)
            if found:
                return found
    return None


def _build(groups: tuple[str | None, ...], order: str) -> datetime.date | None:
    """The date of a match's groups read in `order` ("dmy"...); None for impossible dates."""
    parts = dict(zip(order, groups, strict=False))
    month_text = parts["m"] or ""
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
    year = int(parts.get("y") or DEFAULT_YEAR)
    if month is None:
        return None
    try:
        return datetime.date(year, month, int(parts["d"] or ""))
    except ValueError:
        return None


#: What may follow a day's number without making it a count ("the 23 th", « le 1 er »).
_DAY_ENDINGS = frozenset({"st", "nd", "rd", "th", "er"})


def counts_something(value: str, text: str) -> bool:
    """Whether `value`, a number alone the model took for a date, counts something in `text`
    ("elle devait durer 45 minutes", "250 people"): a number followed by a word that is no month
    nor a day's ending is a count or a length, not a day of the series."""
    if not value.strip().isdigit():
        return False
    after = re.search(rf"\b{re.escape(value.strip())}\s+([^\W\d_]+)", fold(text))
    return after is not None and after.group(1) not in _MONTHS and after.group(1) not in _DAY_ENDINGS


def as_said(value: str, text: str) -> str | None:
    """What the message says of a date the model found that is not a day: a year alone is the
    month before it too ("the webinar on recovery in May 2020": the model took "2020", the
    message says "may 2020"), and no date at all when it is the series' own year with no month
    ("the 2020 webinars" are all of them); `value` otherwise ("the 45th", "2019")."""
    year = value.strip()
    if not re.fullmatch(r"\d{4}", year):
        return value
    month = re.search(rf"\b{_MONTH}\s+(?:of\s+|de\s+)?{year}\b", fold(text))
    if month is not None:
        return f"{month.group(1)} {year}"
    return None if int(year) == DEFAULT_YEAR else value
