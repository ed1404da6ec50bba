"""Reading what the tracker holds: the reply language, this message's entities, the slots.

Values reaching the action server come from users and channels, so every reader here
tolerates junk (missing keys, numbers where text is expected) and returns plain `str`s.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from citybot.language import LANGUAGE_SLOT, normalise_code
from citybot.language.decision import choose_language
from citybot.language.hint import channel_hint

#: Longest entity text kept: unknown names are repeated to the user ("no information about X").
MAX_ENTITY_CHARS = 60


def reply_language(tracker: Tracker) -> str:
    """The conversation's language ("en"/"fr"): the `language` slot, else a fresh decision.

    The Rasa server's language policy sets the slot before each answer; when that did not happen
    (slot missing or junk), decide from this message's guess and the channel's hint so the reply
    still comes in the user's language.
    """
    code = normalise_code(tracker.get_slot(LANGUAGE_SLOT))
    if code:
        return code
    message = tracker.latest_message or {}
    return choose_language(None, message.get("language_guess"), channel_hint(message))


def message_text(tracker: Tracker) -> str:
    """The latest user message's text ("" for payloads without text or junk)."""
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def entity_texts(tracker: Tracker, entity: str) -> list[str]:
    """What this message says for `entity`: each value (maybe synonym-mapped) and its surface text.

    Both are kept because a synonym may have mapped the words to an id while the raw words
    are what the knowledge base's fuzzy matching and "I don't know X" replies need.
    """
    text = message_text(tracker)
    found: list[str] = []
    for item in (tracker.latest_message or {}).get("entities") or []:
        if not isinstance(item, dict) or item.get("entity") != entity:
            continue
        for candidate in (item.get("value"), _surface(text, item)):
            candidate = _as_text(candidate)[:MAX_ENTITY_CHARS]
            if candidate and candidate not in found:
                found.append(candidate)
    return found


def joined_entity_text(tracker: Tracker, entity: str) -> list[str]:
    """The words from the first to the last `entity` of this message, when there are several
    adjacent ones ("school" + "supplies" -> "school supplies"); else an empty list."""
    text = message_text(tracker)
    spans = sorted(
        (item["start"], item["end"])
        for item in (tracker.latest_message or {}).get("entities") or []
        if isinstance(item, dict)
        and item.get("entity") == entity
        and isinstance(item.get("start"), int)
        and isinstance(item.get("end"), int)
        and 0 <= item["start"] < item["end"] <= len(text)
    )
    if len(spans) < 2:
        return []
    if any(text[end:start].strip() for (_, end), (start, _) in zip(spans, spans[1:], strict=False)):
        return []  # not adjacent: separate topics
    return [text[spans[0][0] : spans[-1][1]][:MAX_ENTITY_CHARS]]


def slot_text(tracker: Tracker, name: str) -> str | None:
    """A slot's value as non-empty text, or None."""
    return _as_text(tracker.get_slot(name)) or None


def _surface(text: str, entity: dict) -> str | None:
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return text[start:end]
    return None


def _as_text(value: Any) -> str:
    """Text values stripped; numbers turned into text; anything else ignored."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""
