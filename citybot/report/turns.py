"""Turn the stored events into turns: one user message and what the bot did about it.

A turn is what the report judges: the message (with the intent, confidence and entities the
NLU gave it), the conversation's `language` slot when the bot answered, and the responses the
bot sent. Rasa stores the response name of every bot message in its metadata
(`utter_action`, set by `ActionBotResponse` and by `RemoteAction` for responses a custom
action asked for), together with the values the action filled in; the report classifies by
that name, not by the wording, which staff may change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from citybot.language import LANGUAGE_SLOT
from citybot.report.store import StoredEvent

FALLBACK_INTENT = "nlu_fallback"


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
                value = entity.get("value")
                return str(value) if value is not None else None
        return None


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
            language = stored.event.get("value") or language
            if turn is not None and not turn.replies:  # the language the bot answered in
                turn.language = language
        elif kind == "bot" and turn is not None:
            turn.replies.append(_bot_reply(stored.event))
    if turn is not None:
        yield turn


def _user_turn(stored: StoredEvent, language: str | None) -> Turn:
    event = stored.event
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    metadata = event.get("metadata") or {}
    return Turn(
        sender_id=stored.sender_id,
        timestamp=float(event.get("timestamp") or stored.timestamp),
        text=event.get("text") or "",
        intent=intent.get("name"),
        confidence=_number(intent.get("confidence")),
        guessed_intent=_best_real_intent(parse),
        entities=[e for e in parse.get("entities") or [] if isinstance(e, dict)],
        # Until the slot is set for this turn: last turn's language, else the channel's hint.
        language=language or metadata.get("language") or _guess(parse),
    )


def _best_real_intent(parse: dict[str, Any]) -> str | None:
    """The intent the model leaned to; for `nlu_fallback`, the runner-up in the ranking."""
    for ranked in parse.get("intent_ranking") or [parse.get("intent") or {}]:
        name = ranked.get("name") if isinstance(ranked, dict) else None
        if isinstance(name, str) and name and name != FALLBACK_INTENT:
            return name
    return None


def _guess(parse: dict[str, Any]) -> str | None:
    guess = parse.get("language_guess")
    return guess.get("code") if isinstance(guess, dict) else None


def _bot_reply(event: dict[str, Any]) -> BotReply:
    metadata = dict(event.get("metadata") or {})
    response = metadata.pop("utter_action", None)
    return BotReply(response=response, values=metadata, text=event.get("text") or "")


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
