"""The language hint that channels put in message metadata, and reading it back.

Every channel produces the same shape, ``{"language": "fr"}``, with a code `normalise_code`
accepts and nothing else: clients send whatever they like (Telegram sends IETF tags such as
``pt-br``), and a language the bot does not speak is no hint at all. The dialogue reads it
back from the message's parse data with `channel_hint`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from citybot.language.codes import normalise_code

#: The metadata key holding the hint.
HINT_KEY = "language"


def metadata_with_language(metadata: Any, raw_language: Any = None) -> dict[str, Any]:
    """Return a metadata dict whose ``language`` (if any) is a supported code.

    ``metadata`` from clients may be anything (a string, a list, null): it becomes a
    dict so Rasa never fails on it. ``raw_language``, when given, overrides the
    ``language`` found in ``metadata``.
    """
    result: dict[str, Any] = dict(metadata) if isinstance(metadata, dict) else {}
    raw = raw_language if raw_language is not None else result.get(HINT_KEY)
    code = normalise_code(raw)
    if code:
        result[HINT_KEY] = code
    else:
        result.pop(HINT_KEY, None)
    return result


def channel_hint(message: Mapping[str, Any]) -> Any:
    """The language the channel reported in the message's metadata, if any (raw: junk possible)."""
    metadata = message.get("metadata") or {}
    return metadata.get(HINT_KEY) if isinstance(metadata, Mapping) else None
