"""What one user message decides before it is answered: the conversation's language, and notices.

Plain Python on the parse data Rasa stores with each message (`tracker.latest_message`), so that
the Rasa server's policy (`citybot.policies.language`) and the action server (`actions/`) apply
the same rules without either importing the other. The order of the rules is in `message_language`;
docs/architecture.md ("One turn") tells the whole turn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from citybot.kb.normalize import fold
from citybot.language.codes import DEFAULT_LANGUAGE, LANGUAGES, normalise_code
from citybot.language.detect import MAX_CHARS, coerce_guess
from citybot.language.hint import channel_hint
from citybot.language.ngrams import most_likely_language
from citybot.language.words import ENGLISH_WORDS, FRENCH_WORDS, SHARED_WORDS

SWITCH_INTENT = "switch_language"
#: The notices, in the order they are said, as domain responses.
SHORTENED = "utter_message_shortened"
OTHER_LANGUAGE = "utter_languages_supported"

# A clear message in the other language switches the conversation at or above this confidence
# (calibrated with scripts/evaluate_language.py, see docs/benchmarks.md).
SWITCH_CONFIDENCE = 0.75
#: Below this many words (names of the knowledge base left out) langdetect is too unreliable.
MIN_WORDS = 4
#: How sure langdetect must be that the message is in a third language.
MIN_PROBABILITY = 0.95
#: A message with at least this share of English/French words is English or French, whatever
#: langdetect says: alone it takes e.g. "How did Chefchaouen handle exams?" for Afrikaans.
MAX_KNOWN_SHARE = 0.4
#: While an explicit request holds (`citybot.language.hold`), a message in the other language
#: switches only when it is a clear sentence: at least this many words besides the knowledge
#: base's names, and a guess at least this sure (measured with scripts/evaluate_language.py,
#: docs/benchmarks.md "Issue 16: language hold"). "Osan masks" (one word) stays in the held language.
HOLD_MIN_WORDS = 3
HOLD_SWITCH_CONFIDENCE = 0.9
#: English and French words, folded: never a name, always evidence against a third language.
_KNOWN_WORDS = frozenset(fold(w) for w in ENGLISH_WORDS | FRENCH_WORDS | SHARED_WORDS)
#: A run of letters: apostrophes and hyphens split words here, as langdetect would.
_LETTERS = re.compile(r"[^\W\d_]+")


def message_language(
    current: Any,
    message: Mapping[str, Any],
    names: frozenset[str] = frozenset(),
    third_language: bool | None = None,
    held: str | None = None,
) -> str:
    """The conversation's language ("en"/"fr") once `message` (parse data) is received.

    An explicit request wins; a message clearly in a third language keeps the conversation's
    language; a language the user asked for (`held`, see `citybot.language.hold`) stays unless
    the message is a clear sentence in the other one; otherwise `choose_language` weighs the
    conversation's language, the channel's hint and the NLU's guess. `names`: the knowledge
    base's `name_words`. `third_language`: `is_third_language` of the message's text, when
    already known.
    """
    requested = requested_language(message)
    if requested:
        return requested
    code = normalise_code(current) or normalise_code(held)
    if third_language is None:
        third_language = is_third_language(message.get("text"), names)
    if code and third_language:
        # The French/English guess of a German message means nothing: keep the language.
        return code
    guess = message.get("language_guess")
    held = normalise_code(held)
    parsed = coerce_guess(guess)
    explicit = parsed is not None and parsed.explicit
    if held and held == code and not explicit and not is_clear_sentence(message.get("text"), parsed, names):
        return held
    return choose_language(code, guess, channel_hint(message))


def is_clear_sentence(text: Any, guess: Any, names: frozenset[str] = frozenset()) -> bool:
    """Whether a message is clearly written in the language its `guess` names: enough words
    besides the knowledge base's `names`, and a confident guess. What ends a held language."""
    parsed = coerce_guess(guess)
    if not parsed or not parsed.code or parsed.confidence < HOLD_SWITCH_CONFIDENCE:
        return False
    return len(language_words(text, names)) >= HOLD_MIN_WORDS


def choose_language(current: Any, guess: Any, hint: Any = None, threshold: float = SWITCH_CONFIDENCE) -> str:
    """The language to answer in after a message whose `LanguageGuess` (or its dict) is `guess`.

    An explicit request wins. Otherwise the conversation keeps its language (`current`, or the
    channel's `hint` such as "fr-FR" when nothing was said yet) unless the message is clearly
    (confidence >= `threshold`) in the other one. With neither, the guess decides, then English.
    Junk values (None, "", 42, "de") are treated as absent.
    """
    parsed = coerce_guess(guess)
    if parsed and parsed.explicit and parsed.code:
        return parsed.code
    base = normalise_code(current) or normalise_code(hint)
    if parsed and parsed.code and parsed.confidence >= threshold:
        return parsed.code
    if base:
        return base
    if parsed and parsed.code:
        return parsed.code
    return DEFAULT_LANGUAGE


def notices(
    message: Mapping[str, Any], names: frozenset[str] = frozenset(), third_language: bool | None = None
) -> list[str]:
    """The responses to say before answering `message` (none for ordinary messages).

    The message was shortened (`truncated`, set by the `MessageLimit` NLU component), or it is
    clearly in a language other than English and French (and not an explicit switch request).
    """
    due = []
    if message.get("truncated") is True:
        due.append(SHORTENED)
    guess = message.get("language_guess")
    explicit = isinstance(guess, Mapping) and guess.get("explicit") is True
    if third_language is None:
        third_language = is_third_language(message.get("text"), names)
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
    entities = message.get("entities")
    for entity in entities if isinstance(entities, list) else []:
        if isinstance(entity, Mapping) and entity.get("entity") == "language":
            code = normalise_code(entity.get("value"))
            if code:
                return code
    return None


def is_third_language(text: Any, names: frozenset[str] = frozenset()) -> bool:
    """Whether `text` is clearly written in a language other than English and French.

    `names`: the knowledge base's `name_words`, left out of the judgement (except words English
    or French also use, such as the "de" of "Rio de Janeiro").
    """
    words = language_words(text, names)
    if len(words) < MIN_WORDS:
        return False
    if sum(fold(w) in _KNOWN_WORDS for w in words) >= MAX_KNOWN_SHARE * len(words):
        return False
    best = most_likely_language(" ".join(words))
    return best is not None and best[0] not in LANGUAGES and best[1] >= MIN_PROBABILITY


def language_words(text: Any, names: frozenset[str] = frozenset()) -> list[str]:
    """The words of `text` that can tell its language: its names (`names`, folded) left out,
    except words English or French also use (the "de" of "Rio de Janeiro")."""
    if not isinstance(text, str):
        return []
    return [w for w in _LETTERS.findall(text[:MAX_CHARS]) if _is_language_word(fold(w), names)]


def _is_language_word(folded: str, names: frozenset[str]) -> bool:
    return folded not in names or folded in _KNOWN_WORDS
