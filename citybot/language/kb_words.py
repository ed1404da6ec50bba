"""What language detection takes from the knowledge base: its names, and its words of each language.

Names (cities, people, organisations) are removed before a message's language is judged: they
belong to no language. Per-language words (topic labels and synonyms, country names) are evidence:
"schools" is English, "écoles" French. Both are read once from a loaded `KnowledgeBase`, by the NLU
component when the model loads; the words of names themselves are the knowledge base's own
`name_words`, the one definition the third-language check uses too.
"""

from __future__ import annotations

from citybot.kb import KnowledgeBase
from citybot.kb.normalize import fold
from citybot.language.codes import LANGUAGES
from citybot.language.detect import vocabulary_from_phrases
from citybot.language.names import NameStripper


def known_names(kb: KnowledgeBase) -> list[str]:
    """Every surface name of a city, organisation or person in `kb`, sorted (deterministic)."""
    names = {*kb.city_names(), *kb.organisation_names(), *kb.person_names()}
    return sorted(n for n in names if n.strip())


def name_stripper(kb: KnowledgeBase) -> NameStripper:
    """The `NameStripper` that removes `kb`'s names from messages."""
    return NameStripper.build(known_names(kb))


def language_phrases(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Per-language phrases of `kb` that are ordinary words: topic labels and synonyms, countries."""
    phrases: dict[str, list[str]] = {code: [] for code in LANGUAGES}
    for code in LANGUAGES:
        for topic in kb.topics.values():
            phrases[code] += [topic.label.get(code), *topic.synonyms.get(code)]
        phrases[code] += [country.name.get(code) for country in kb.countries.values()]
    return phrases


def language_vocabulary(kb: KnowledgeBase) -> dict[str, str]:
    """Word -> "en"/"fr" from the KB's per-language phrases, minus the words of names.

    A word such as "Mexico" (in "Mexico City") or "Paulo" must not count for a language.
    """
    vocabulary = vocabulary_from_phrases(language_phrases(kb))
    return {w: c for w, c in vocabulary.items() if fold(w) not in kb.name_words}
