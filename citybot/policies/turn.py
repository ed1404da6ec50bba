"""What a user message decides before it is answered: the conversation's language, and notices.

Shared by the dialogue policy that applies it in the Rasa server (`citybot.policies.language`)
and by the action that says the notices (`actions/notices.py`). Plain Python on the parse data
Rasa stores with each message (`tracker.latest_message`): no Rasa import, so the action server
can use it without loading Rasa and TensorFlow.

- Language: an explicit request wins (the NLU's `language_guess` says so, or a `switch_language`
  message names a `language` entity: the web page's FR/EN switch sends
  `/switch_language{"language": "fr"}`, which skips the NLU pipeline); a message clearly in a
  third language keeps the conversation's language; otherwise `choose_language` weighs the
  conversation's language, the channel's hint (message metadata `{"language": "fr"}`) and the
  NLU's guess.
- Notices said before the answer: the message was shortened (`truncated`, set by the
  `MessageLimit` NLU component), or it is clearly in a language other than English and French.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from langdetect import DetectorFactory, LangDetectException, detect_langs

from citybot.kb.normalize import fold
from citybot.language import (
    ENGLISH_WORDS,
    FRENCH_WORDS,
    MAX_CHARS,
    choose_language,
    normalise_code,
)

SWITCH_INTENT = "switch_language"
#: The notices, in the order they are said, as domain responses.
SHORTENED = "utter_message_shortened"
OTHER_LANGUAGE = "utter_languages_supported"

#: Below this many words (names of the knowledge base left out) langdetect is too unreliable.
MIN_WORDS = 4
#: How sure langdetect must be that the message is in a third language.
MIN_PROBABILITY = 0.95
SUPPORTED = ("en", "fr")
#: A message with at least this share of English/French words is English or French, whatever
#: langdetect says: alone it takes e.g. "How did Chefchaouen handle exams?" for Afrikaans.
MAX_KNOWN_SHARE = 0.4
#: English and French words (folded), plus short words the two languages share, and the "t" of
#: French inverted questions (« quel temps fera-t-il ? »: langdetect alone says Catalan).
_KNOWN_WORDS = frozenset(
    fold(w) for w in ENGLISH_WORDS | FRENCH_WORDS | {"en", "a", "on", "me", "ok", "covid", "t"}
)

_WORD = re.compile(r"[^\W\d_]+")
_lock = threading.Lock()


def name_words(names: Iterable[str]) -> frozenset:
    """Folded words of the knowledge base's names (cities, people, organisations): they are in
    no language. Words English or French also use stay out ("de" of "Rio de Janeiro")."""
    return frozenset(w for name in names for w in fold(name).split()) - _KNOWN_WORDS


def message_language(
    current: Any,
    message: Mapping[str, Any],
    names: frozenset = frozenset(),
    third_language: bool | None = None,
) -> str:
    """The conversation's language ("en"/"fr") once `message` (parse data) is received.

    `third_language`: `is_third_language` of the message's text, when already known.
    """
    requested = requested_language(message)
    if requested:
        return requested
    current = normalise_code(current)
    if third_language is None:
        third_language = is_third_language(message_text(message), names)
    if current and third_language:
        # The French/English guess of a German message means nothing: keep the language.
        return current
    return choose_language(current, message.get("language_guess"), channel_hint(message))


def notices(
    message: Mapping[str, Any], names: frozenset = frozenset(), third_language: bool | None = None
) -> list[str]:
    """The responses to say before answering `message` (none for ordinary messages)."""
    due = []
    if message.get("truncated") is True:
        due.append(SHORTENED)
    guess = message.get("language_guess")
    explicit = isinstance(guess, Mapping) and guess.get("explicit") is True
    if third_language is None:
        third_language = is_third_language(message_text(message), names)
    if not explicit and third_language:
        due.append(OTHER_LANGUAGE)
    return due


def requested_language(message: Mapping[str, Any]) -> str | None:
    """The language a `switch_language` message names in its entity.

    The page's FR/EN switch sends `/switch_language{"language": "fr"}`: Rasa hands such payloads
    straight to the dialogue without running the NLU pipeline, so no `language_guess` says the
    request is explicit; the entity is the request.
    """
    intent = message.get("intent")
    if not isinstance(intent, Mapping) or intent.get("name") != SWITCH_INTENT:
        return None
    for entity in message.get("entities") or []:
        if isinstance(entity, Mapping) and entity.get("entity") == "language":
            code = normalise_code(entity.get("value"))
            if code:
                return code
    return None


def channel_hint(message: Mapping[str, Any]) -> Any:
    """The language the channel reported in the message metadata (`{"language": "fr"}`), if any."""
    metadata = message.get("metadata") or {}
    return metadata.get("language") if isinstance(metadata, Mapping) else None


def is_third_language(text: Any, names: frozenset = frozenset()) -> bool:
    """Whether `text` is clearly written in a language other than English and French.

    `names`: `name_words(...)` of the knowledge base, left out of the judgement.
    """
    if not isinstance(text, str):
        return False
    words = [w for w in _WORD.findall(text[:MAX_CHARS]) if fold(w) not in names]
    if len(words) < MIN_WORDS:
        return False
    if sum(fold(w) in _KNOWN_WORDS for w in words) >= MAX_KNOWN_SHARE * len(words):
        return False
    with _lock:  # langdetect's shared factory is not thread-safe while it loads its profiles
        DetectorFactory.seed = 0
        try:
            best = detect_langs(" ".join(words))[0]
        except LangDetectException:
            return False
    return best.lang not in SUPPORTED and best.prob >= MIN_PROBABILITY


def message_text(message: Mapping[str, Any]) -> Any:
    """The message's text (anything: parse data comes from users and channels)."""
    return message.get("text")


def knowledge_base_names(kb: Any) -> frozenset:
    """`name_words` of every city, organisation and person of a `citybot.kb.KnowledgeBase`."""
    names = list(kb.city_names()) + list(kb.organisation_names())
    names += [p.name for p in kb.people.values()]
    return name_words(names)
