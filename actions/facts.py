"""Picking facts out of the knowledge base and turning them into response values.

Answers must say where a fact comes from: who reported it and at which webinar. These helpers
gather the facts, their reporters and dates, in the conversation's language, so that the
actions only choose which domain response to fill.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from actions.wording import bullets, day, describe_person, join_words, person_label
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Measure, Organisation, OrganisationFact, Topic, Webinar


def main_webinar(kb: KnowledgeBase) -> Webinar:
    """The webinar the source summarises in detail (the one with a published summary)."""
    summarised = [w for w in kb.webinars.values() if w.summary is not None]
    return (summarised or list(kb.webinars.values()))[-1]


def webinar_days(kb: KnowledgeBase, webinar_ids: Iterable[str | None], lang: str) -> str:
    """ "23 April 2020" for the webinars the facts come from (the main webinar when unknown)."""
    days = []
    for webinar_id in webinar_ids:
        webinar = kb.webinars.get(webinar_id) if webinar_id else None
        webinar = webinar or main_webinar(kb)
        if webinar.date not in days:
            days.append(webinar.date)
    return join_words([day(d, lang) for d in sorted(days)], lang)


def reporters(kb: KnowledgeBase, person_ids: Iterable[str | None], lang: str) -> str:
    """ "Ms Danielle Valéro (First Deputy Mayor of Évry)" for the people who reported the facts."""
    labels: list[str] = []
    for person_id in person_ids:
        label = person_label(kb, person_id, lang)
        if label and label not in labels:
            labels.append(label)
    return join_words(labels, lang)


def fact_lines(items: Sequence[Measure | OrganisationFact], lang: str) -> str:
    """The facts' texts in `lang`, one bullet each."""
    return bullets(item.text.get(lang) for item in items)


def topic_label(topic: Topic, lang: str) -> str:
    return topic.label.get(lang)


def city_topics(kb: KnowledgeBase, city: City) -> list[Topic]:
    """The topics a city's measures cover, in the order of the topics file."""
    covered = {topic for measure in city.measures for topic in measure.topics}
    return [topic for topic in kb.topics.values() if topic.id in covered]


def country_name(kb: KnowledgeBase, city: City, lang: str) -> str:
    country = kb.countries.get(city.country)
    return country.name.get(lang) if country else city.country


def city_label(kb: KnowledgeBase, city: City, lang: str) -> str:
    """ "Évry-Courcouronnes (France)"."""
    return f"{city.name} ({country_name(kb, city, lang)})"


def is_series_only(city: City) -> bool:
    """A city the source only lists among the series' presenters (no measures, no speaker)."""
    return not city.measures and city.representative is None


def presenters(kb: KnowledgeBase, webinar: Webinar, lang: str) -> str:
    """Who presented at a webinar: cities (with countries), organisations, other experts."""
    names = [city_label(kb, kb.cities[c], lang) for c in webinar.presenting_cities if c in kb.cities]
    names += [
        kb.organisations[o].short_name(lang)
        for o in webinar.presenting_organisations
        if o in kb.organisations
    ]
    names += [other.get(lang) for other in webinar.other_presenters]
    return join_words(names, lang)


def organisation_label(organisation: Organisation, lang: str) -> str:
    """ "the AIMF (International Association of French-speaking Mayors)"-style name, without article."""
    full = organisation.name.get(lang)
    return f"{full} ({organisation.acronym})" if organisation.acronym else full


def speaker_label(kb: KnowledgeBase, person_id: str | None, lang: str) -> str:
    """A speaker's title and name, with their organisation's acronym: "Ms Marie Macauley (UIL)"."""
    if not person_id or person_id not in kb.people:
        return ""
    person = kb.person(person_id)
    organisation = kb.organisations.get(person.organisation) if person.organisation else None
    name = describe_person(person, lang, with_role=False)
    return f"{name} ({organisation.short_name(lang)})" if organisation else name
