"""Notices added before the answer: the message was shortened, or it is in another language.

`MessageLimit` (first NLU component) flags messages it cut (`truncated`); users should know
their message was not read to the end. A message clearly in a third language (German,
Spanish...) gets the conversation's language as always, plus a word saying which languages the
bot understands, instead of a confusing answer to a misunderstood question.
"""

from __future__ import annotations

import re
import threading
from typing import Optional

from langdetect import DetectorFactory, LangDetectException, detect_langs
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from citybot.kb import KnowledgeBase
from citybot.kb.normalize import fold
from citybot.language import _ENGLISH_WORDS, _FRENCH_WORDS  # TODO(D): expose these publicly

#: Below this many words (names of the knowledge base left out) langdetect is too unreliable.
MIN_WORDS = 4
#: How sure langdetect must be that the message is in a third language.
MIN_PROBABILITY = 0.95
SUPPORTED = ("en", "fr")
#: A message with at least this share of English/French words is English or French, whatever
#: langdetect says: alone it takes e.g. "How did Chefchaouen handle exams?" for Afrikaans.
MAX_KNOWN_SHARE = 0.4
#: English and French words (folded), plus short words the two languages share.
_KNOWN_WORDS = frozenset(fold(w) for w in _ENGLISH_WORDS | _FRENCH_WORDS | {"en", "a", "on", "me", "ok", "covid"})

_WORD = re.compile(r"[^\W\d_]+")
_lock = threading.Lock()
_name_words: dict[int, frozenset] = {}


def add_notices(dispatcher: CollectingDispatcher, tracker: Tracker, kb: Optional[KnowledgeBase]) -> None:
    """Utter the notices this message calls for (none for ordinary messages)."""
    message = tracker.latest_message or {}
    if message.get("truncated") is True:
        dispatcher.utter_message(response="utter_message_shortened")
    guess = message.get("language_guess")
    explicit = isinstance(guess, dict) and guess.get("explicit") is True
    text = message.get("text")
    if not explicit and isinstance(text, str) and is_third_language(text, kb):
        dispatcher.utter_message(response="utter_languages_supported")


def is_third_language(text: str, kb: Optional[KnowledgeBase] = None) -> bool:
    """Whether `text` is clearly written in a language other than English and French."""
    known = _kb_name_words(kb) if kb is not None else frozenset()
    words = [w for w in _WORD.findall(text[:1000]) if fold(w) not in known]
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


def _kb_name_words(kb: KnowledgeBase) -> frozenset:
    """Folded words of every city, person and organisation name (they are in no language)."""
    if id(kb) not in _name_words:
        names = list(kb.city_names()) + list(kb.organisation_names())
        names += [p.name for p in kb.people.values()]
        words = frozenset(w for name in names for w in fold(name).split())
        _name_words[id(kb)] = words - _KNOWN_WORDS  # "de" of "Rio de Janeiro" stays French
    return _name_words[id(kb)]
