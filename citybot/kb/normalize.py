"""Text folding shared by every name index.

Users type "evry courcouronnes", "ÉVRY-Courcouronnes" or "Chefchaouen's": all of these must
land on the same key, so every surface name and every query goes through `fold` before a
lookup. Keeping the rule in one place guarantees that the index and the query agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_POSSESSIVE = re.compile(r"['’]s\b")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_'’‘`´.,;:!?()\[\]\"«»/]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TITLES = frozenset({"mr", "mrs", "ms", "mme", "mlle", "m", "dr", "prof", "monsieur", "madame"})


def strip_accents(text: str) -> str:
    """Return `text` without diacritics ("Évry" -> "Evry"), keeping case and punctuation.

    Used to derive the accent-free spellings that people type on keyboards without accents.
    Only non-ASCII characters are looked at (a combining mark never is ASCII): the fact index
    folds every fact's text, and a loop over every character made most of its build time.
    """
    return _NON_ASCII.sub(_unless_combining, unicodedata.normalize("NFKD", text))


def _unless_combining(match: re.Match[str]) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Fold a name or a query to its lookup key (cached: the fact index folds the same words of
    thousands of facts over and over while it is built).

    Case, accents, hyphens, apostrophes, underscores and punctuation are not meaningful when a
    person types a city or topic name, so they are removed or turned into single spaces:
    "Évry-Courcouronnes" -> "evry courcouronnes", "l'AIMF" -> "l aimf", and the English
    possessive goes: "Chefchaouen's" -> "chefchaouen".
    """
    folded = _POSSESSIVE.sub("", strip_accents(text).casefold())
    folded = folded.replace("œ", "oe").replace("æ", "ae")
    return _SEPARATORS.sub(" ", folded).strip()


def singular(folded: str) -> str:
    """A crude singular of each word of a folded text ("ecoles" -> "ecole", "repas" stays).

    Good enough to make "school"/"schools" and "école"/"écoles" meet in the topic index;
    words of three letters or fewer are left alone so "bus" or "gas" keep their final s.
    """
    words = []
    for word in folded.split():
        if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us", "is", "as")):
            word = word[:-1]
        words.append(word)
    return " ".join(words)


def without_titles(folded: str) -> str:
    """Drop courtesy titles from a folded person name ("mme valero" -> "valero")."""
    return " ".join(w for w in folded.split() if w not in _TITLES)
