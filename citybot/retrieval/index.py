"""`FactIndex`: the facts of one knowledge base, ranked by how well they match a question.

BM25 (the `bm25s` library) over the stemmed words of each fact in both languages (`analysis`),
inside a scope (a city, a topic, a webinar, a speaker...). Rare words weigh most, which is what a
question about one thing needs: "laptops" picks the fact about lending devices among a city's
school measures. BM25 rather than TF-IDF cosine: a fact's score is the sum of what each question
word adds, so one rare word found only among a fact's topic synonyms ("borders") is not drowned
by a common word found in another fact's text ("closed"), and a long list of synonyms does not
dilute a fact's own words. A fact's own words count fully; the words around it (its topics'
synonyms, a speaker's role) count `CONTEXT_WEIGHT`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import bm25s
import numpy as np
from numpy.typing import NDArray

from citybot.kb.knowledge_base import KnowledgeBase
from citybot.kb.normalize import fold
from citybot.language.words import ENGLISH_WORDS, FRENCH_WORDS
from citybot.retrieval.analysis import related_terms, stems, terms, words
from citybot.retrieval.documents import Document, Fact, FactKind, documents

#: How much the words around a fact (topics' synonyms, roles) count against its own words.
CONTEXT_WEIGHT = 0.6
#: How much a word related to a question's word (knowledge/related_words.yml: "loaned" for
#: "lent") counts against the question's word itself: less, since "related" is not "the same".
RELATED_WEIGHT = 0.7
#: The lowest score a fact needs to count as matching a question at all (BM25 units: one
#: uncommon word shared scores about 2-4).
MIN_SCORE = 1.0
#: A matching fact also scores at least this share of the best fact's score: the question's
#: main words must be in it, not one minor word shared by chance.
RELATIVE_SCORE = 0.5


@dataclass(frozen=True)
class Hit:
    """A fact and how well it matches the query (comparable within one query; higher is better)."""

    fact: Fact
    score: float


class FactIndex:
    """Every retrievable fact of a knowledge base, ready to be ranked against a question."""

    def __init__(self, kb: KnowledgeBase) -> None:
        docs = list(documents(kb))
        self._facts = [doc.fact for doc in docs]
        # Names of cities, people and organisations select the scope, never a fact; everyday
        # words that are also names ("Lima", "Turin" are not; "Cork" is rare) stay meaningful.
        # Of organisations, only one-word names ("UIL", "AIMF", "HCR"): the words of the longer
        # ones ("World Health Organization", "UN Refugee Agency") mean something elsewhere.
        one_word_organisations = [name for name in kb.organisation_names() if len(fold(name).split()) == 1]
        self._names = frozenset(
            word
            for name in [*kb.city_names(), *kb.person_names(), *one_word_organisations]
            for word in fold(name).split()
            if word not in ENGLISH_WORDS and word not in FRENCH_WORDS
        )
        self._text = _bm25([terms(doc.text, self._names) for doc in docs])
        self._context = _bm25([terms(doc.context, self._names) for doc in docs])
        self._related = related_terms(kb.related_words)
        self._topic_terms = frozenset(
            term
            for topic in kb.topics.values()
            for name in (topic.label.en, topic.label.fr, *topic.synonyms.all())
            for term in terms(name)
        )

    def facts(
        self,
        *,
        kinds: Collection[FactKind] | None = None,
        city: str | None = None,
        organisation: str | None = None,
        webinar: str | None = None,
        speaker: str | None = None,
        topic: str | None = None,
    ) -> list[Fact]:
        """The facts in that scope (every filter given must hold), in knowledge-base order."""
        return [self._facts[i] for i in self._scope(kinds, city, organisation, webinar, speaker, topic)]

    def rank(
        self,
        query: str,
        *,
        kinds: Collection[FactKind] | None = None,
        city: str | None = None,
        organisation: str | None = None,
        webinar: str | None = None,
        speaker: str | None = None,
        topic: str | None = None,
    ) -> list[Hit]:
        """The facts in that scope sharing meaning-bearing words with `query`, best first
        (knowledge-base order between equals); facts sharing none are left out."""
        scope = self._scope(kinds, city, organisation, webinar, speaker, topic)
        if not scope:
            return []
        scores = self._scores(query)
        hits = [Hit(self._facts[i], float(scores[i])) for i in scope if scores[i] > 0]
        return sorted(hits, key=lambda hit: -hit.score)

    def matching(
        self,
        query: str,
        *,
        kinds: Collection[FactKind] | None = None,
        city: str | None = None,
        organisation: str | None = None,
        webinar: str | None = None,
        speaker: str | None = None,
        topic: str | None = None,
    ) -> list[Hit]:
        """The facts that match `query`: ranked hits scoring at least `MIN_SCORE` and
        `RELATIVE_SCORE` of the best one. What reverse lists filter by."""
        hits = self.rank(
            query,
            kinds=kinds,
            city=city,
            organisation=organisation,
            webinar=webinar,
            speaker=speaker,
            topic=topic,
        )
        if not hits:
            return []
        floor = max(MIN_SCORE, RELATIVE_SCORE * hits[0].score)
        return [hit for hit in hits if hit.score >= floor]

    def asks_something_specific(self, query: str) -> bool:
        """Whether `query` has meaning-bearing words besides names, question words and words
        that only name a topic: "what did Osan do about masks?" names a topic, "did Osan hand out
        masks to pupils?" asks about one thing."""
        return bool(set(terms(query, self._names)) - self._topic_terms)

    def _scores(self, query: str) -> NDArray[np.float64]:
        asked = list(dict.fromkeys(terms(query, self._names)))  # a word said twice is asked once
        if not asked:
            return np.zeros(len(self._facts))
        scores = self._term_scores(asked)
        for word in dict.fromkeys(words(query, self._names)):
            scores = scores + RELATED_WEIGHT * self._related_scores(word, asked)
        return scores

    def _term_scores(self, query_terms: list[str]) -> NDArray[np.float64]:
        scores: NDArray[np.float64] = self._text.get_scores(
            query_terms
        ) + CONTEXT_WEIGHT * self._context.get_scores(query_terms)
        return scores

    def _related_scores(self, word: str, asked: list[str]) -> NDArray[np.float64]:
        """Per fact, the best score of one word or phrase related to `word` that the question
        does not already use: "flights" finds "air links" once, however many synonyms it has."""
        entries = {entry: None for stem in stems(word) for entry in self._related.get(stem, ())}
        best = np.zeros(len(self._facts))
        for entry in entries:
            if not set(entry) <= set(asked):
                best = np.maximum(best, self._term_scores(list(entry)))
        return best

    def _scope(
        self,
        kinds: Collection[FactKind] | None,
        city: str | None,
        organisation: str | None,
        webinar: str | None,
        speaker: str | None,
        topic: str | None,
    ) -> list[int]:
        wanted = {"city": city, "organisation": organisation, "webinar": webinar, "speaker": speaker}
        return [
            i
            for i, fact in enumerate(self._facts)
            if (kinds is None or fact.kind in kinds)
            and all(value is None or getattr(fact, key) == value for key, value in wanted.items())
            and (topic is None or topic in fact.topics)
        ]


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    """A BM25 index of these documents' terms (an empty document gets a placeholder term, which
    bm25s requires and no query produces)."""
    index = bm25s.BM25()
    index.index([doc or [""] for doc in corpus], show_progress=False)
    return index


__all__ = ["Document", "FactIndex", "Hit"]
