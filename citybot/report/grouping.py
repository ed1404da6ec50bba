"""Group the unanswered questions by reason and thing asked, with the counts staff act on.

One line per (reason, thing asked) tells staff what to add first: "Unknown city: Lagos, 3
times, in English and French, between 2 and 5 November". Spellings of the same thing
("Lagos", "lagos") fall in one group, shown under its most frequent spelling.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from citybot.report.reasons import REASON_ORDER, Reason, Unanswered

UNKNOWN_LANGUAGE = "?"


@dataclass
class Group:
    """Every time one thing was asked and not answered for one reason."""

    reason: Reason
    items: list[Unanswered] = field(default_factory=list)

    @property
    def subject(self) -> str:
        """The most frequent spelling (the first seen on a tie)."""
        return Counter(item.subject for item in self.items).most_common(1)[0][0]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def languages(self) -> Counter[str]:
        return Counter(item.turn.language or UNKNOWN_LANGUAGE for item in self.items)

    @property
    def conversations(self) -> int:
        return len({item.turn.sender_id for item in self.items})

    @property
    def first_seen(self) -> dt.datetime:
        return min(item.turn.when for item in self.items)

    @property
    def last_seen(self) -> dt.datetime:
        return max(item.turn.when for item in self.items)

    @property
    def guessed_intents(self) -> Counter[str]:
        """What the model thought was asked: helps to tell which intent needs examples."""
        return Counter(item.turn.guessed_intent for item in self.items if item.turn.guessed_intent)

    def examples(self, limit: int = 3) -> list[str]:
        """Up to `limit` different questions, oldest first."""
        seen: dict[str, None] = {}
        for item in sorted(self.items, key=lambda i: i.turn.timestamp):
            seen.setdefault(" ".join(item.turn.text.split()), None)
        return list(seen)[:limit]


def group(items: Iterable[Unanswered]) -> list[Group]:
    """Groups in report order: by reason, then most asked first, then alphabetically."""
    groups: dict[tuple[str, str], Group] = {}
    for item in items:
        groups.setdefault(item.group_key, Group(item.reason)).items.append(item)
    return sorted(groups.values(), key=lambda g: (REASON_ORDER[g.reason.key], -g.count, g.subject.casefold()))
