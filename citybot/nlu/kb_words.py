"""The words of the knowledge base that language detection needs, read once from a loaded KB.

Names (cities, people, organisations) are removed before judging a message's language: they belong
to no language. Per-language words (topic labels and synonyms, country names) are evidence: "schools"
is English, "écoles" French. Kept apart from the detector so that `citybot.language` stays free of
knowledge-base and Rasa imports.
"""

from __future__ import annotations

from collections.abc import Iterable

from citybot.kb import KnowledgeBase
from citybot.language import vocabulary_from_phrases


def known_names(kb: KnowledgeBase) -> list[str]:
    """Every surface name of a city, organisation or person in `kb`, sorted (deterministic)."""
    names = {*kb.city_names(), *kb.organisation_names(), *kb.person_names()}
    return sorted(n for n in names if n.strip())


def language_phrases(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Per-language phrases of `kb` that are ordinary words: topic labels and synonyms, countries."""
    phrases: dict[str, list[str]] = {"en": [], "fr": []}
    for topic in kb.topics.values():
        phrases["en"] += [topic.label.en, *topic.synonyms.en]
        phrases["fr"] += [topic.label.fr, *topic.synonyms.fr]
    for country in kb.countries.values():
        phrases["en"].append(country.name.en)
        phrases["fr"].append(country.name.fr)
    return phrases


def language_vocabulary(kb: KnowledgeBase, names: Iterable[str] = ()) -> dict[str, str]:
    """Word -> "en"/"fr" from the KB's per-language phrases, minus the words of names.

    A word such as "Mexico" (in "Mexico City") or "Paulo" must not count for a language.
    """
    vocabulary = vocabulary_from_phrases(language_phrases(kb))
    name_words = {w.lower() for n in names for w in n.replace("-", " ").split()}
    return {w: c for w, c in vocabulary.items() if w not in name_words}
