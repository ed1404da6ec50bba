"""Fact retrieval: which facts of the knowledge base answer a question, best first.

Questions are about one thing ("were flights stopped in Chefchaouen?") while the knowledge base
groups facts by city and topic, so answering by bucket says a whole topic when one fact was asked
for. `FactIndex` ranks the facts inside what the dialogue resolved (a city, a topic, a webinar, a
speaker) by the words they share with the question, in either language. Built once per loaded
knowledge base (`KnowledgeBase.fact_index`); Rasa-free, so the action server imports it.
"""

from citybot.retrieval.documents import Fact, FactKind
from citybot.retrieval.index import ANY_SPEAKER, NO_TOPIC, FactIndex, Hit, Scope

__all__ = ["ANY_SPEAKER", "NO_TOPIC", "Fact", "FactIndex", "FactKind", "Hit", "Scope"]
