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
    """The metadata to store for a message: ``{"language": code}``, or ``{}`` without a usable hint.

    Only the hint is kept. Rasa stores a message's metadata with the turn and sends it to the action
    server at every later turn of the session; the bot reads nothing else from it, so anything
    else a client sent (of any size) would only cost space and time. ``metadata`` from clients may
    be anything (a string, a list, null). ``raw_language``, when given, overrides the ``language``
    found in ``metadata``.
    """
    raw = raw_language
    if raw is None and isinstance(metadata, dict):
        raw = metadata.get(HINT_KEY)
    code = normalise_code(raw)
    return {HINT_KEY: code} if code else {}


def channel_hint(message: Mapping[str, Any]) -> Any:
    """The language the channel reported in the message's metadata, if any (raw: junk possible)."""
    metadata = message.get("metadata") or {}
    return metadata.get(HINT_KEY) if isinstance(metadata, Mapping) else None
