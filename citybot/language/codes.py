"""The two languages, the slot that holds the conversation's, and the one rule for reading a code.

Language codes reach the bot from many hands: the `language` slot, NLU guesses, entities of the
page's FR/EN switch, channel metadata (Telegram sends IETF tags such as "pt-br"). All of them go
through `normalise_code`, so every part of the bot accepts and refuses the same values.
"""

from __future__ import annotations

from typing import Any

from citybot.kb.model import LANGUAGES
from citybot.kb.normalize import fold

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LANGUAGE_SLOT", "normalise_code"]

#: The slot holding the conversation's language (bot/domain.yml); read by the policy, the actions, the report.
LANGUAGE_SLOT = "language"
#: The language of a conversation that gave no sign of its own.
DEFAULT_LANGUAGE = "en"

#: The first subtag of a language tag, or a language's name in English or French -> its code.
_CODES = {"en": "en", "english": "en", "anglais": "en", "fr": "fr", "french": "fr", "francais": "fr"}


def normalise_code(value: Any) -> str | None:
    """ "fr", "FR", "fr-FR", "fr_CA", " en ", "French", "français" -> the code; anything else -> None.

    A tag counts by its first subtag ("fr-CA" is French, "pt-br" is no language of ours); the
    names of the two languages count too, as users and clients write them. Non-strings are None.
    """
    if not isinstance(value, str):
        return None
    key = fold(value).replace(" ", "-")
    key = key.split("-")[0] if key else key
    return _CODES.get(key)
