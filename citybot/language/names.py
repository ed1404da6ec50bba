"""A message's words, and the same words without the names the knowledge base knows.

Names belong to no language: left in, "Chefchaouen" looks Portuguese to langdetect and "Valéro"
looks French. `NameStripper` holds the known names (cities, people, organisations) as folded word
sequences and removes them from a message before its language is judged, misspelt ones included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from citybot.kb.normalize import fold, strip_accents
from citybot.language.words import ENGLISH_WORDS, FRENCH_WORDS

_MAX_WORD = 40  # longer "words" are noise (keyboard mashing, base64), not language
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
#: A word: letters, with inner apostrophes ("aujourd'hui", "didn't").
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_FRENCH_ELISION = re.compile(r"^(?:l|d|j|qu|c|n|s|m|t|jusqu|lorsqu|puisqu)'(?=[^\W\d_])")
#: Accent-free words of either language: never taken for a misspelt name.
_COMMON_WORDS = frozenset(strip_accents(w) for w in ENGLISH_WORDS | FRENCH_WORDS)
#: A token this long or longer that nearly matches a name is taken for that name, misspelt.
_FUZZY_MIN_LENGTH = 5


def tokens(text: str) -> list[str]:
    """Lowercased words, with French elisions ("l'", "qu'") and English "'s" split off as tokens.

    Splitting them lets "l'AIMF" and "Chefchaouen's" lose their name while the apostrophe
    part still counts as French or English evidence.
    """
    found: list[str] = []
    for word in WORD.findall(_URL.sub(" ", text)):
        if len(word) > _MAX_WORD:
            continue
        word = word.lower().replace("’", "'")
        elision = _FRENCH_ELISION.match(word)
        if elision:
            found.append(elision.group(0))
            word = word[elision.end() :]
        if word.endswith("'s") and len(word) > 2:
            found.extend([word[:-2], "'s"])
        else:
            found.append(word)
    return found


@dataclass(frozen=True)
class NameStripper:
    """Known names as folded token sequences, built once, removed from messages on demand."""

    sequences: frozenset[tuple[str, ...]]
    longest: int
    fuzzy_tokens: tuple[str, ...]

    @classmethod
    def build(cls, names: Iterable[str]) -> NameStripper:
        """Index `names`; single long tokens are also kept for typo-tolerant removal ("chefchauen")."""
        sequences = {tuple(fold(n).split()) for n in names if n and isinstance(n, str)}
        sequences.discard(())
        fuzzy = sorted(
            {t for seq in sequences for t in seq if len(t) >= _FUZZY_MIN_LENGTH and t not in _COMMON_WORDS}
        )
        return cls(frozenset(sequences), max((len(s) for s in sequences), default=0), tuple(fuzzy))

    def words_without_names(self, text: str) -> list[str]:
        """The message's tokens minus the known names (exact, or misspelt when long enough)."""
        words = tokens(text)
        folded = [strip_accents(w).replace("'", "") for w in words]
        kept: list[str] = []
        i = 0
        while i < len(words):
            size = self._longest_name_at(folded, i)
            if size:
                i += size
            elif len(folded[i]) >= _FUZZY_MIN_LENGTH and self._is_misspelt_name(folded[i]):
                i += 1
            else:
                kept.append(words[i])
                i += 1
        return kept

    def _longest_name_at(self, folded: list[str], start: int) -> int:
        """Number of tokens of the longest known name starting at `start` (0 when none)."""
        for size in range(min(self.longest, len(folded) - start), 0, -1):
            if tuple(folded[start : start + size]) in self.sequences:
                return size
        return 0

    def _is_misspelt_name(self, token: str) -> bool:
        """A misspelt known name ("chefchauen", "courcouronne") that is not a word of either language."""
        if token in _COMMON_WORDS:
            return False
        return any(
            fuzz.ratio(token, name) >= 85 for name in self.fuzzy_tokens if abs(len(name) - len(token)) <= 2
        )


#: No names to remove: detection on the message's words alone.
NO_NAMES = NameStripper(frozenset(), 0, ())
