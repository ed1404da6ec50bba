"""Name indexes: from what a user typed to the id of a city, topic, person or organisation.

Every key is folded (see `citybot.kb.normalize`) so case, accents and hyphens never matter.
When nothing matches exactly, a bounded number of typing mistakes is tolerated, depending on
the length of the name: short names must match exactly, because one letter away from "Lima"
or "Cork" lie ordinary words ("lime", "work") that must not be taken for cities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rapidfuzz import process
from rapidfuzz.distance import OSA

from citybot.kb.normalize import fold, singular


@dataclass(frozen=True)
class NameHit:
    """The id a query designates, a 0-100 confidence and whether the name matched exactly."""

    target: str
    score: float
    exact: bool


def allowed_typos(key: str) -> int:
    """How many edits (insertions, deletions, substitutions, swaps) a name of this length tolerates."""
    letters = len(key.replace(" ", ""))
    if letters < 6:
        return 0
    return 1 if letters < 9 else 2


class NameIndex:
    """Folded names -> ids, with optional plural tolerance and typo tolerance."""

    def __init__(self, plural_tolerant: bool = False):
        self._plural_tolerant = plural_tolerant
        self._keys: dict[str, str] = {}

    def add(self, name: str, target: str) -> None:
        """Index `name` for `target`; the first target given a name keeps it."""
        for key in self._variants(fold(name)):
            if key:
                self._keys.setdefault(key, target)

    def exact(self, query: str) -> str | None:
        """The id whose name is `query` once folded (and singularised if plural tolerant)."""
        for key in self._variants(fold(query)):
            if key in self._keys:
                return self._keys[key]
        return None

    def lookup(self, query: str) -> NameHit | None:
        """Exact match first, then the single closest name within its typo allowance."""
        target = self.exact(query)
        if target is not None:
            return NameHit(target, 100.0, True)
        return self._fuzzy(fold(query))

    def scan(self, text: str, max_words: int = 5) -> list[tuple[int, str]]:
        """Ids of names appearing word-for-word inside `text`, as (word position, id).

        Longer names win over the shorter names they contain ("school supplies" over "school").
        """
        return [(start, target) for start, _, target in self.spans(text, max_words)]

    def spans(self, text: str, max_words: int = 5) -> list[tuple[int, str, str]]:
        """`scan`'s names with the words that said them (folded): (word position, words, id)."""
        words = fold(text).split()
        found: list[tuple[int, str, str]] = []
        taken: set[int] = set()
        for size in range(min(max_words, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                span = set(range(start, start + size))
                if span & taken:
                    continue
                said = " ".join(words[start : start + size])
                target = self.exact(said)
                if target is not None:
                    found.append((start, said, target))
                    taken |= span
        return sorted(found)

    def scan_near(
        self, text: str, words_not_names: frozenset[str], max_words: int = 5
    ) -> list[tuple[int, str]]:
        """Names appearing inside `text` with a few typos, as (word position, id).

        The fallback for a sentence in which no name appears word for word: "What did Marseile
        do?" holds the misspelt name as one of its word n-grams, which the model may not have
        marked as an entity. Each n-gram gets the typo allowance of `lookup` (none for short
        names), and the typos must fall in words that are not everyday words (`words_not_names`,
        singular or plural): "the cities" is not "Tri-Cities", "des maires" is not "Des Moines",
        "change" is not "Changde". Exact names are `scan`'s business.
        """
        words = fold(text).split()
        found: list[tuple[int, str]] = []
        taken: set[int] = set()
        for size in range(min(max_words, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                span = set(range(start, start + size))
                gram = words[start : start + size]
                if span & taken:
                    continue
                hit = self._fuzzy(" ".join(gram), partial(_typos_outside, gram, everyday=words_not_names))
                if hit is not None:
                    found.append((start, hit.target))
                    taken |= span
        return sorted(found)

    def _variants(self, key: str) -> list[str]:
        if not self._plural_tolerant:
            return [key]
        single = singular(key)
        return [key] if single == key else [key, single]

    def _fuzzy(self, key: str, fits: Callable[[str], bool] = lambda _: True) -> NameHit | None:
        if len(key) < 4:
            return None
        candidates = process.extract(key, list(self._keys), scorer=OSA.distance, score_cutoff=2, limit=None)
        best: dict[str, float] = {}
        for name, edits, _ in candidates:
            distance = 1 if _letters_swapped(key, name) else edits
            if distance == 0 or distance > allowed_typos(name) or not fits(name):
                continue
            score = 100.0 * (1 - distance / max(len(name), len(key)))
            target = self._keys[name]
            best[target] = max(best.get(target, 0.0), score)
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None  # two different things are equally close: do not guess
        return NameHit(ranked[0][0], round(ranked[0][1], 1), False)


def _letters_swapped(typed: str, name: str) -> bool:
    """Whether `typed` is `name` with two letters swapped across the one between them ("Gdinya"
    for Gdynia): one slip, where the edit distance counts two. Only for names a slip may be
    forgiven in (`allowed_typos`), from the second letter on, and not further apart ("molten"
    is no Melton)."""
    differ = [i for i, (a, b) in enumerate(zip(typed, name, strict=False)) if a != b]
    return (
        len(typed) == len(name)
        and allowed_typos(name) > 0
        and len(differ) == 2
        and differ[0] > 0
        and differ[1] - differ[0] == 2
        and (typed[differ[0]], typed[differ[1]]) == (name[differ[1]], name[differ[0]])
    )


def _typos_outside(typed: list[str], name: str, everyday: frozenset[str]) -> bool:
    """Whether the words of `typed` that are everyday words are, word for word, those of `name`."""
    name_words = name.split()
    if len(name_words) != len(typed):
        return False
    return all(
        word == written or (word not in everyday and singular(word) not in everyday)
        for word, written in zip(typed, name_words, strict=True)
    )
