"""The facts that answer the question, not the whole topic (issue 16).

People ask about one thing ("were flights stopped in Chefchaouen?"), and a city's whole topic or
overview buries it. When the question says more than a city and a topic
(`FactIndex.asks_something_specific`), the answers rank the facts in scope by what the question
says (`FactIndex.matching`, citybot/retrieval/) and say the best ones first: a city's measures
(actions/city.py; the rest of the topic one "more" away, actions/more.py) or the cities whose
measures match (actions/topics.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from actions.facts import official_first
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Measure, Topic

#: Most facts said first: the best one and the next ones that match as well (1-3).
MAX_BEST = 3


@dataclass(frozen=True)
class Picked:
    """The measures that answer a question about one city, and the rest of their topic."""

    best: tuple[Measure, ...]
    topic: Topic | None
    rest: tuple[Measure, ...]


def asks_something_specific(kb: KnowledgeBase, text: str) -> bool:
    """Whether `text` asks more than a city and a topic ("did Osan hand out masks to pupils?")."""
    return bool(text) and kb.fact_index.asks_something_specific(text)


def matching_measures(
    kb: KnowledgeBase, text: str, *, city: str | None = None, topic: str | None = None
) -> list[Measure]:
    """The measures in that scope that match `text` (`FactIndex.matching`), best first; none
    when no measure in scope shares any word of what the question asks beyond names and topics.

    Words that name a topic are in every fact of that topic (in its text or its topics'
    synonyms), so on their own they would make the whole topic "match" a question whose other
    words the knowledge base does not know ("which cities sold masks to tourists?"): such a
    question is answered as its topic is, not as if the facts said what it asks.
    """
    index = kb.fact_index
    specific = " ".join(word for word in text.split() if index.asks_something_specific(word))
    if not specific or not index.rank(specific, kinds={"measure"}, city=city, topic=topic):
        return []
    hits = index.matching(text, kinds={"measure"}, city=city, topic=topic)
    return [hit.fact.record for hit in hits if isinstance(hit.fact.record, Measure)]


def pick_measures(kb: KnowledgeBase, text: str, city: City, topic: Topic | None) -> Picked | None:
    """The city's measures that answer `text`, within `topic` first, then among all its measures;
    None when none matches. The rest is the other measures of the topic asked about when the best
    are on it, else of the best measure's first topic, official pages' first, as the topic's
    answer orders them."""
    best: list[Measure] = []
    for scope in [topic.id, None] if topic is not None else [None]:
        best = matching_measures(kb, text, city=city.id, topic=scope)[:MAX_BEST]
        if best:
            break
    if not best:
        return None
    rest_topic = topic if topic is not None and topic.id in best[0].topics else _first_topic(kb, best[0])
    rest: list[Measure] = []
    if rest_topic is not None:
        shown = {m.id for m in best}
        measures = official_first(kb, kb.measures_for(city.id, rest_topic.id))
        rest = [m for m in measures if m.id not in shown]
    return Picked(tuple(best), rest_topic, tuple(rest))


def _first_topic(kb: KnowledgeBase, measure: Measure) -> Topic | None:
    return next((kb.topics[t] for t in measure.topics if t in kb.topics), None)
