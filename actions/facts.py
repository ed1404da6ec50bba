"""From knowledge-base facts to a reply: the reply being composed and the values it is filled with.

The sentences live in `bot/domain.yml`, an English and a French variation each; an answer only
picks a response and passes values (`Reply.say`, the one place that hands text to the
dispatcher). Answers must say where a fact comes from, so the helpers here gather facts with
their reporters and webinar dates, in the conversation's language, and write lists, dates and
people as each language writes them (Babel, which Rasa installs, knows both conventions).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from babel.dates import format_date
from babel.lists import format_list
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Measure, Organisation, OrganisationFact, Person, Source, Topic, Webinar
from citybot.language.typography import french_typography

#: Slot remembering the kind of the last question answered, for follow-ups ("And Chefchaouen?").
LAST_QUESTION_SLOT = "last_question"
#: Slot holding the source ids of the facts of the last answer, for "where does this come from?".
SOURCES_SLOT = "sources"
BULLET = "• "


@dataclass
class Reply:
    """One answer being composed: where to send it, in which language, from which facts."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    kb: KnowledgeBase
    lang: str
    #: The source ids of the facts said so far, in the order first cited (see `cite`).
    cited: list[str] = field(default_factory=list)
    #: The ids of the records cited so far (measures, remarks, webinars, cities...), in the order
    #: said: what the answer is made of, read by the retrieval evaluation and the tests.
    said: list[str] = field(default_factory=list)

    def say(self, response: str, buttons: list[dict[str, str]] | None = None, **values: Any) -> None:
        """Utter domain response `response` filled with `values` (its en/fr variant is picked by Rasa).

        The Rasa server renders the response's text with French spacing (`citybot.nlg`), but adds
        the buttons an action sends after rendering, so their French titles are spaced here.
        """
        if buttons and self.lang == "fr":
            buttons = [{**b, "title": french_typography(b["title"])} for b in buttons]
        self.dispatcher.utter_message(response=response, buttons=buttons or None, **values)

    def cite(self, records: Iterable[Sourced]) -> None:
        """Note where the facts about to be said come from; `finish` names these sources once,
        at the end of the answer, so an action that says facts only has to cite them."""
        for record in records:
            record_id = getattr(record, "id", None)
            if isinstance(record_id, str) and record_id not in self.said:
                self.said.append(record_id)
            for source_id in record.sources:
                if source_id not in self.cited:
                    self.cited.append(source_id)

    def mention(self, record_id: str) -> None:
        """Note that the answer is about a record that states no fact of its own (a person):
        it joins `said`, the ids the answer is made of, without adding a source."""
        if record_id not in self.said:
            self.said.append(record_id)

    def finish(self, events: list[EventType]) -> list[EventType]:
        """Close a fact answer with its source line and remember its sources (slot `sources`).

        An answer without facts clears the slot, so "source?" never names the sources of an
        older answer as if they were this one's; an answer that sets the slot itself (the
        source question) is left alone.
        """
        if any(e.get("event") == "slot" and e.get("name") == SOURCES_SLOT for e in events):
            return []
        if self.cited:
            response, text = source_line(self.kb, self.cited, self.lang)
            self.say(response, sources=text)
        elif not self.tracker.get_slot(SOURCES_SLOT):
            return []  # nothing to remember, nothing to clear
        return [SlotSet(SOURCES_SLOT, list(self.cited) or None)]


class Sourced(Protocol):
    """A fact record that names its sources (measures, remarks, organisation and webinar facts)."""

    @property
    def sources(self) -> tuple[str, ...]: ...


S = TypeVar("S", bound=Sourced)
F = TypeVar("F", Measure, OrganisationFact)


def remember_question(kind: str) -> SlotSet:
    """The event remembering the kind of question just answered, so "And Chefchaouen?" repeats it."""
    return SlotSet(LAST_QUESTION_SLOT, kind)


def button(title: str, intent: str, **entities: str) -> dict[str, str]:
    """A quick reply that asks `intent` about `entities` ("/ask_city_overview{"city":"chefchaouen"}")."""
    payload = f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")
    return {"title": title, "payload": payload}


# --- Values written as each language writes them.


def join_words(items: Iterable[str | None], lang: str) -> str:
    """ "A, B and C" / "A, B et C"; empty items are left out."""
    words = [item for item in items if item]
    return format_list(words, locale=lang) if words else ""


def day(value: datetime.date, lang: str) -> str:
    """ "23 April 2020" / "23 avril 2020" ("1er avril" in French, as French writes it)."""
    text: str = format_date(value, "d MMMM y", locale=lang)
    return "1er" + text[1:] if lang == "fr" and value.day == 1 else text


def month(value: datetime.date, lang: str) -> str:
    """ "April 2020" / "avril 2020"."""
    text: str = format_date(value, "MMMM y", locale=lang)
    return text


def bullets(lines: Iterable[str | None]) -> str:
    """One line per item; single newlines, because chat channels split messages on blank lines."""
    return "\n".join(BULLET + line for line in lines if line)


def describe_person(person: Person, lang: str, with_role: bool = True) -> str:
    """A person's title and name, followed by their role when asked and known."""
    name = person.display_name(lang)
    return f"{name} ({person.role.get(lang)})" if with_role and person.role else name


# --- Facts, with where they come from.


def main_webinar(kb: KnowledgeBase) -> Webinar:
    """The webinar "the webinar" means: the series file's `featured_webinar` (validated to exist).

    Named explicitly so that adding a webinar never silently changes the answers; the last
    webinar only for a knowledge base without a series (test fixtures).
    """
    featured = kb.featured_webinar()
    return featured if featured is not None else list(kb.webinars.values())[-1]


def webinar_days(kb: KnowledgeBase, webinar_ids: Iterable[str | None], lang: str) -> str:
    """ "23 April 2020" for the webinars the facts were said at; "" when none was.

    Facts without a webinar (a city snapshot, a city's own page) were said at no webinar, so
    they add no date: falling back to the main webinar would give them a wrong one.
    """
    days: list[datetime.date] = []
    for webinar_id in webinar_ids:
        webinar = kb.webinars.get(webinar_id) if webinar_id else None
        if webinar is not None and webinar.date not in days:
            days.append(webinar.date)
    return join_words([day(d, lang) for d in sorted(days)], lang)


def is_official(kb: KnowledgeBase, record: Sourced) -> bool:
    """Whether an official page (UIL, a city government, the UN) states the fact: a fact only
    non-official pages state comes after the others and is attributed to its publisher."""
    known = [kb.sources[s] for s in record.sources if s in kb.sources]
    return not known or any(source.official for source in known)


def official_first(kb: KnowledgeBase, records: Iterable[S]) -> list[S]:
    """The facts stated by official pages first; the order is kept otherwise (sorted is stable)."""
    return sorted(records, key=lambda record: not is_official(kb, record))


def presented(fact: Measure | OrganisationFact) -> bool:
    """Whether the fact was presented at a webinar by a named person: only then does the answer
    say "Presented by X at the GNLC webinar of D" (a snapshot's fact has neither)."""
    return bool(fact.webinar and fact.reported_by)


def by_webinar(facts: Iterable[F]) -> list[tuple[str | None, list[F]]]:
    """The facts grouped by the webinar they were said at (None: at no webinar), groups in the
    order of their first fact, so that each provenance line names only its own facts' date."""
    groups: dict[str | None, list[F]] = {}
    for fact in facts:
        groups.setdefault(fact.webinar, []).append(fact)
    return list(groups.items())


def webinar_titles(kb: KnowledgeBase, webinars: Iterable[Webinar], lang: str) -> str:
    """ "8 April 2020 (“Title”)", joined: the date and title of each webinar, quoted as each
    language quotes (French spacing inside « » is added at render time)."""
    opening, closing = ("« ", " »") if lang == "fr" else ("“", "”")
    return join_words(
        [f"{day(w.date, lang)} ({opening}{w.title.get(lang)}{closing})" for w in webinars], lang
    )


def reporters(kb: KnowledgeBase, person_ids: Iterable[str | None], lang: str) -> str:
    """ "Ms Danielle Valéro (First Deputy Mayor of Évry)" for the people who reported the facts."""
    labels: list[str] = []
    for person_id in person_ids:
        if not person_id or person_id not in kb.people:
            continue
        label = describe_person(kb.person(person_id), lang)
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
    return f"{city.label(lang)} ({country_name(kb, city, lang)})"


def is_series_only(city: City) -> bool:
    """A city the source only lists among the series' presenters (no measures, no speaker)."""
    return not city.measures and not city.representatives


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


# --- Sources.


def publisher_name(kb: KnowledgeBase, source: Source, lang: str) -> str:
    """The publisher as the reader knows it: the organisation record's own name in `lang` when the
    publisher is one ("UNESCO Institute for Lifelong Learning (UIL)"), else as the registry writes it."""
    organisation = kb.organisations.get(source.publisher)
    return organisation_label(organisation, lang) if organisation else source.publisher


def source_line(kb: KnowledgeBase, source_ids: Sequence[str], lang: str) -> tuple[str, str]:
    """The response and value of an answer's closing line: "UNESCO Institute for Lifelong
    Learning (UIL), 12 May 2020" for one source; several are grouped by publisher, official
    publishers first, their dates joined ("UIL…, 12 May 2020 and 13 May 2020; City of Osan").
    A page that prints no date is named by its publisher alone."""
    dates: dict[str, list[datetime.date]] = {}
    sources = [kb.sources[s] for s in source_ids if s in kb.sources]
    for source in sorted(sources, key=lambda s: not s.official):  # stable: citation order otherwise
        published = dates.setdefault(publisher_name(kb, source, lang), [])
        if source.published and source.published not in published:
            published.append(source.published)
    groups = [
        f"{publisher}, {join_words([day(d, lang) for d in sorted(days)], lang)}" if days else publisher
        for publisher, days in dates.items()
    ]
    response = "utter_source_line" if len(source_ids) == 1 else "utter_sources_line"
    return response, "; ".join(groups)
