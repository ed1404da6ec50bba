"""langdetect (character n-gram profiles), loaded once, seeded, behind one lock.

Two questions are asked of it: how much more French than English a message looks (with a detector
that knows only those two languages, so a French message never "wins" as Catalan), and which of
all its languages a message is most likely in (to notice German or Spanish messages).

langdetect's own `detect_langs` shares a module-level factory that is not thread-safe while it
loads its profiles, and varies between runs unless seeded. So each factory here is built once,
under one lock, and seeded (`seed = 0`): the same message always gets the same answer.
"""

from __future__ import annotations

import threading
from pathlib import Path

import langdetect
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from citybot.kb.model import LANGUAGES

_PROFILES = Path(langdetect.__file__).parent / "profiles"
_LOCK = threading.Lock()


class _Factory:
    """A seeded langdetect factory, loaded on first use: `languages`, or every profile (None)."""

    def __init__(self, languages: tuple[str, ...] | None) -> None:
        self._languages = languages
        self._factory: DetectorFactory | None = None

    def get(self) -> DetectorFactory:
        with _LOCK:
            if self._factory is None:
                factory = DetectorFactory()
                if self._languages is None:
                    factory.load_profile(str(_PROFILES))
                else:
                    factory.load_json_profile(
                        [(_PROFILES / code).read_text(encoding="utf-8") for code in self._languages]
                    )
                factory.seed = 0
                self._factory = factory
            return self._factory


_FRENCH_OR_ENGLISH = _Factory(LANGUAGES)
_EVERY_LANGUAGE = _Factory(None)


def _probabilities(factory: _Factory, text: str) -> list[tuple[str, float]]:
    """(language, probability) pairs, most likely first; empty when langdetect cannot say."""
    try:
        detector = factory.get().create()
        detector.append(text)
        return [(found.lang, found.prob) for found in detector.get_probabilities()]
    except LangDetectException:
        return []


def fr_minus_en(text: str) -> float:
    """langdetect's P(fr) - P(en) for `text`, between -1 and 1; 0 when it cannot say."""
    probs = dict(_probabilities(_FRENCH_OR_ENGLISH, text))
    total = probs.get("fr", 0.0) + probs.get("en", 0.0)
    return (probs.get("fr", 0.0) - probs.get("en", 0.0)) / total if total else 0.0


def most_likely_language(text: str) -> tuple[str, float] | None:
    """The language (any of langdetect's 55) `text` is most likely in, and its probability.

    None when langdetect cannot say (no letters).
    """
    ranked = _probabilities(_EVERY_LANGUAGE, text)
    return ranked[0] if ranked else None
