"""The language the user asked for, which holds against messages that only look like the other one.

"Réponds en français" then "Osan masks": a city name and one English noun is how people type a
keyword search in any language, and the detector rightly reads it as English. Answering it in
English would undo what the user asked. So an explicit request holds until the user asks for the
other language or writes a clear sentence in it (`decision.is_clear_sentence`).

The held state is read back from the conversation's history, newest first, so the Rasa server's
policy (Rasa `Event` objects) and the action server (event dicts) derive the same answer from the
same events and a restarted server loses nothing. Rasa loads only the current conversation session,
though, so the request may be in an earlier one: when `actions.session` starts a new session after
`MAX_SESSION_TURNS` messages it carries the hold in force in the `HELD_SLOT` slot, and a setting of
that slot counts as the request it stands for (the same rule then ends it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from citybot.language.codes import LANGUAGE_SLOT, normalise_code
from citybot.language.decision import requested_language
from citybot.language.detect import coerce_guess

#: The slot carrying a hold into a new conversation session, whose history starts after the
#: request: `actions.session.session_events` sets it (and Rasa's own session start, after
#: `session_expiration_time`, copies it with the other slots' settings, in their order).
HELD_SLOT = "language_held"

#: One step of the history the hold is read from: a value the `language` slot was set to, the
#: parse data of a user message, or a value `HELD_SLOT` was set to.
Step = tuple[Literal["slot", "message", "held"], Any]


def held_language(history: Iterable[Step]) -> str | None:
    """The language of the last explicit request while it holds, else None.

    `history` runs newest first. The request holds while every later setting of the `language`
    slot kept its language: a clear sentence in the other language moves the slot away, and that
    ends the hold (a later request starts a new one). A hold carried into the session (`HELD_SLOT`)
    stands for the request made before it.
    """
    kept: set[str | None] = set()
    for kind, value in history:
        if kind == "slot":
            kept.add(normalise_code(value))
            continue
        asked = normalise_code(value) if kind == "held" else _asked_in(value)
        if asked:
            return asked if kept <= {asked} else None
    return None


def _asked_in(message: Any) -> str | None:
    """The language a user message's parse data asks for, if it is parse data at all."""
    return asked_language(message) if isinstance(message, Mapping) else None


def asked_language(message: Mapping[str, Any]) -> str | None:
    """The language a message explicitly asks for: the page's switch or « en français svp »."""
    requested = requested_language(message)
    if requested:
        return requested
    guess = coerce_guess(message.get("language_guess"))
    return guess.code if guess and guess.explicit else None


def history_from_dicts(events: Iterable[Any]) -> Iterator[Step]:
    """The hold's history from serialised events (the action server's `tracker.events`), oldest
    first in, newest first out."""
    for event in reversed(list(events)):
        if not isinstance(event, Mapping):
            continue
        if event.get("event") == "slot" and event.get("name") == LANGUAGE_SLOT:
            yield "slot", event.get("value")
        elif event.get("event") == "slot" and event.get("name") == HELD_SLOT:
            yield "held", event.get("value")
        elif event.get("event") == "user":
            yield "message", event.get("parse_data")
