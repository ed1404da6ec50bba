"""The retrievable facts of a knowledge base and the text each is found by.

A fact is found by what it says, in English and in French, plus what a question about it may use
instead of its words: the labels and synonyms of a measure's topics, a speaker's role and the part
of the webinar a remark was made in, a webinar's title, theme and summary title. That extra text
is kept apart (`Document.context`) so the index can weigh it below the fact's own words: a
topic's synonyms describe every fact of the topic, not this one.

A city's `context` (what its overview says of its situation: "Osan won the UNESCO Learning City
Award") is a fact too, of kind "city", so that a question about it is not answered by a measure.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from citybot.kb.knowledge_base import KnowledgeBase
from citybot.kb.model import City, Measure, OrganisationFact, Person, Remark, Text, Webinar

FactKind = Literal["measure", "remark", "organisation_fact", "webinar", "city"]

#: How a question may name the part of a webinar a remark was made in.
PART_WORDS = {
    "opening": "opening opened open opens began welcome introduction ouverture ouvert ouvrir accueil introduction",
    "closing": "closing closed close wrap wrapped conclusion concluded clôture clore conclu conclure terminé conclusion",
    "debate": "debate discussion question questions débat discussion",
}


@dataclass(frozen=True)
class Fact:
    """One retrievable fact of the knowledge base, with what it is about (its scope)."""

    id: str
    kind: FactKind
    record: Measure | Remark | OrganisationFact | Webinar | City
    city: str | None = None
    organisation: str | None = None
    webinar: str | None = None
    speaker: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A fact and the texts it is found by: its own words, and the words around it."""

    fact: Fact
    text: str
    context: str


def documents(kb: KnowledgeBase) -> Iterator[Document]:
    """Every measure, city context, remark, organisation fact and webinar, in knowledge-base
    order (a city's context after its measures: between equals, a measure answers)."""
    for city in kb.cities.values():
        for measure in city.measures:
            fact = Fact(
                measure.id,
                "measure",
                measure,
                city.id,
                None,
                measure.webinar,
                measure.reported_by,
                measure.topics,
            )
            yield Document(fact, _both(measure.text), _topic_text(kb, measure.topics))
        if city.context is not None:
            yield Document(Fact(city.id, "city", city, city.id), _both(city.context), "")
    for webinar in kb.webinars.values():
        yield Document(
            Fact(webinar.id, "webinar", webinar, webinar=webinar.id),
            webinar_text(webinar),
            date_words(webinar),
        )
        for remark in webinar.remarks:
            person = kb.people.get(remark.speaker) if remark.speaker else None
            fact = Fact(
                remark.id,
                "remark",
                remark,
                person.city if person else None,
                person.organisation if person else None,
                webinar.id,
                remark.speaker,
            )
            yield Document(
                fact,
                _both(remark.text),
                f"{PART_WORDS.get(remark.part, '')} {_role(person)} {date_words(webinar)}",
            )
    for organisation in kb.organisations.values():
        for item in organisation.facts:
            person = kb.people.get(item.reported_by) if item.reported_by else None
            fact = Fact(
                item.id, "organisation_fact", item, None, organisation.id, item.webinar, item.reported_by
            )
            yield Document(fact, _both(item.text), f"{item.aspect.replace('_', ' ')} {_role(person)}")


def _both(text: Text | None) -> str:
    return f"{text.en}\n{text.fr}" if text else ""


def _topic_text(kb: KnowledgeBase, topic_ids: tuple[str, ...]) -> str:
    topics = [kb.topics[t] for t in topic_ids if t in kb.topics]
    return " ".join(f"{t.label.en} {t.label.fr} {' '.join(t.synonyms.all())}" for t in topics)


def _role(person: Person | None) -> str:
    return _both(person.role) if person and person.role else ""


#: Month names in both languages, for a webinar's date words ("the webinars of June", "en juin").
_MONTHS = (
    ("January", "janvier"),
    ("February", "février"),
    ("March", "mars"),
    ("April", "avril"),
    ("May", "mai"),
    ("June", "juin"),
    ("July", "juillet"),
    ("August", "août"),
    ("September", "septembre"),
    ("October", "octobre"),
    ("November", "novembre"),
    ("December", "décembre"),
)


def date_words(webinar: Webinar) -> str:
    """A webinar's month in both languages and its year: the words of a date that can match (the
    day's number cannot: numbers are no meaning-bearing words, and dates are the actions' job)."""
    english, french = _MONTHS[webinar.date.month - 1]
    return f"{english} {french} {webinar.date.year}"


def webinar_text(webinar: Webinar) -> str:
    """What a webinar is found by: its title, theme, summary title and audience, both languages."""
    summary_title = webinar.summary.title if webinar.summary else None
    return "\n".join(_both(t) for t in (webinar.title, webinar.theme, summary_title, webinar.audience) if t)
