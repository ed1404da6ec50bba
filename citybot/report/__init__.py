"""The unanswered-questions report: what users asked that the bot could not answer.

    groups = unanswered_groups("sqlite:///var/conversations.db", since=date(2026, 11, 1))
    write_text(groups, sys.stdout, title="...")
    write_csv(groups, Path("unanswered.csv"))

Reads Rasa's SQL tracker store (`store`), rebuilds the turns of each conversation (`turns`),
keeps the ones the bot could not answer (`reasons`) and groups them (`grouping`) for the
text and CSV outputs (`output`). Staff use it through `citybot report unanswered`.
"""

from __future__ import annotations

import datetime as dt

from citybot.report.grouping import Group, group
from citybot.report.output import CSV_COLUMNS, write_csv, write_text
from citybot.report.reasons import DEFAULT_MIN_CONFIDENCE, REASONS, RESPONSE_REASONS, unanswered
from citybot.report.store import STORE_URL_ENV, StoreError, read_events, store_url
from citybot.report.turns import conversation_turns

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_MIN_CONFIDENCE",
    "Group",
    "REASONS",
    "RESPONSE_REASONS",
    "STORE_URL_ENV",
    "StoreError",
    "store_url",
    "unanswered_groups",
    "write_csv",
    "write_text",
]


def unanswered_groups(
    url: str, since: dt.date | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> list[Group]:
    """The grouped unanswered questions of the store at `url`; raises StoreError."""
    turns = conversation_turns(read_events(url, since))
    return group(unanswered(turns, min_confidence))
