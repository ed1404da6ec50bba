"""Turn the stored events into turns: one user message and what the bot did about it.

A turn is what the report judges: the message (with the intent, confidence and entities the
NLU gave it), the conversation's `language` slot when the bot answered, and the responses the
bot sent. Rasa stores the response name of every bot message in its metadata
(`utter_action`, set by `ActionBotResponse` and by `RemoteAction` for responses a custom
action asked for), together with the values the action filled in; the report classifies by
that name, not by the wording, which staff may change.

The text of a turn is the one the NLU parsed (`parse_data["text"]`: cleaned and cut by
`citybot.nlu.message_limit.MessageLimit`), because the entity offsets point into it; the raw
text the channel stored is the fallback. Every field is read defensively: the store holds what
clients sent (any JSON in metadata, any text), and one odd event must not stop the report.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from citybot.language import LANGUAGE_SLOT, normalise_code
from citybot.report.store import StoredEvent

FALLBACK_INTENT = "nlu_fallback"
#: Longest text kept per turn: far more than the report shows (`citybot.report.cells`), so the
#: grouping still tells questions apart, while a store of 1 MB messages does not fill memory.
TEXT_CHARS = 2_000
#: The range of timestamps a `datetime` can show (years 1970..9999).
_LAST_SECOND = dt.datetime(9999, 12, 31, tzinfo=dt.timezone.utc).timestamp()


@dataclass(frozen=True)
class BotReply:
    """One bot message: the domain response it came from (None for plain text) and the
    values the action filled it with."""

    response: str | None
    values: dict[str, Any]
    text: str


@dataclass
class Turn:
    """A user message and the bot's replies to it."""

    sender_id: str
    timestamp: float
    text: str
    intent: str | None
    confidence: float | None
    guessed_intent: str | None
    entities: list[dict[str, Any]]
    language: str | None
    replies: list[BotReply] = field(default_factory=list)

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.timestamp, tz=dt.timezone.utc)

    def entity(self, name: str) -> str | None:
        """What the user wrote for the first `name` entity (their spelling, not the synonym)."""
        for entity in self.entities:
            if entity.get("entity") == name:
                start, end = entity.get("start"), entity.get("end")
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(self.text):
                    return self.text[start:end]
                return scalar_text(entity.get("value")) or None
        return None


def scalar_text(value: Any) -> str:
    """A stored value as text: strings as they are, numbers written out, anything else "" (a
    client's list or object is not something a user asked about)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def conversation_turns(events: Iterable[StoredEvent]) -> Iterator[Turn]:
    """The turns of every conversation, in order. `events` come conversation by conversation
    (as `read_events` gives them); the language slot is followed within each conversation."""
    turn: Turn | None = None
    sender: str | None = None
    language: str | None = None
    for stored in events:
        if stored.sender_id != sender:
            if turn is not None:
                yield turn
            turn, sender, language = None, stored.sender_id, None
        kind = stored.event.get("event")
        if kind == "user":
            if turn is not None:
                yield turn
            turn = _user_turn(stored, language)
        elif kind == "slot" and stored.event.get("name") == LANGUAGE_SLOT:
            language = _language(stored.event.get("value")) or language
            if turn is not None and not turn.replies:  # the language the bot answered in
                turn.language = language
        elif kind == "bot" and turn is not None:
            turn.replies.append(_bot_reply(stored.event))
    if turn is not None:
        yield turn


def _user_turn(stored: StoredEvent, language: str | None) -> Turn:
    event = stored.event
    parse = _mapping(event.get("parse_data"))
    intent = _mapping(parse.get("intent"))
    entities = parse.get("entities")
    return Turn(
        sender_id=stored.sender_id,
        timestamp=_moment(event.get("timestamp"), stored.timestamp),
        text=(_text(parse.get("text")) or _text(event.get("text")))[:TEXT_CHARS],
        intent=_text(intent.get("name")) or None,
        confidence=_number(intent.get("confidence")),
        guessed_intent=_best_real_intent(parse),
        entities=[e for e in entities if isinstance(e, dict)] if isinstance(entities, list) else [],
        # Until the slot is set for this turn: last turn's language, else the channel's hint.
        language=language or _language(_mapping(event.get("metadata")).get("language")) or _guess(parse),
    )


def _best_real_intent(parse: dict[str, Any]) -> str | None:
    """The intent the model leaned to; for `nlu_fallback`, the runner-up in the ranking."""
    ranking = parse.get("intent_ranking")
    for ranked in ranking if isinstance(ranking, list) and ranking else [parse.get("intent")]:
        name = ranked.get("name") if isinstance(ranked, dict) else None
        if isinstance(name, str) and name and name != FALLBACK_INTENT:
            return name
    return None


def _guess(parse: dict[str, Any]) -> str | None:
    return _language(_mapping(parse.get("language_guess")).get("code"))


def _bot_reply(event: dict[str, Any]) -> BotReply:
    metadata = dict(_mapping(event.get("metadata")))
    response = _text(metadata.pop("utter_action", None)) or None
    return BotReply(response=response, values=metadata, text=_text(event.get("text")))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _language(value: Any) -> str | None:
    """ "en" or "fr" for anything that names one (`normalise_code`), else None: the report
    counts the bot's two languages and "?", whatever a client put in its metadata."""
    return normalise_code(value) if isinstance(value, str) and len(value) <= 35 else None


def _number(value: Any) -> float | None:
    """A finite number, else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _moment(value: Any, fallback: float) -> float:
    """`value` when it is a time a `datetime` can show, else `fallback` (the row's), else 0."""
    for candidate in (_number(value), _number(fallback)):
        if candidate is not None and 0 <= candidate <= _LAST_SECOND:
            return candidate
    return 0.0
