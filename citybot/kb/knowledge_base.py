"""`KnowledgeBase`: the loaded facts plus the indexes the bot answers from.

Built once at start-up (by `citybot.kb.loader.load_knowledge_base`) and read-only afterwards,
so the action server can share it between requests.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol, TypeGuard, TypeVar

from citybot.kb.checks import EVERYDAY_WORDS
from citybot.kb.countries import country_pattern, country_words, town_pattern
from citybot.kb.index import NameIndex
from citybot.kb.model import (
    City,
    CityMatch,
    Country,
    Measure,
    Organisation,
    Person,
    Series,
    Source,
    Topic,
    Webinar,
)
from citybot.kb.normalize import fold, singular, strip_accents, without_titles

if TYPE_CHECKING:
    from citybot.retrieval import FactIndex

DateLike = datetime.date | str


class KnowledgeBase:
    """Every city, topic, person, organisation, webinar and series, with lookups by name."""

    def __init__(
        self,
        *,
        countries: Iterable[Country],
        topics: Iterable[Topic],
        cities: Iterable[City],
        organisations: Iterable[Organisation],
        webinars: Iterable[Webinar],
        series: Iterable[Series],
        sources: Iterable[Source] = (),
        related_words: Iterable[tuple[str, ...]] = (),
    ):
        self.countries: Mapping[str, Country] = _by_id(countries)
        self.topics: Mapping[str, Topic] = _by_id(topics)
        self.cities: Mapping[str, City] = _by_id(sorted(cities, key=lambda c: fold(c.name)))
        self.organisations: Mapping[str, Organisation] = _by_id(organisations)
        self.webinars: Mapping[str, Webinar] = _by_id(sorted(webinars, key=lambda w: w.date))
        self.series: Mapping[str, Series] = _by_id(series)
        #: every registered source by id; facts name theirs in their `sources` field
        self.sources: Mapping[str, Source] = _by_id(sorted(sources, key=_source_order))
        #: groups of words a question may use for one another (knowledge/related_words.yml): what
        #: fact retrieval also searches for a question's word ("flights": "air links")
        self.related_words: tuple[tuple[str, ...], ...] = tuple(tuple(group) for group in related_words)
        self.people: Mapping[str, Person] = _by_id(
            [p for c in self.cities.values() for p in c.representatives]
            + [p for o in self.organisations.values() for p in o.people]
        )
        self._build_indexes()

    # ----- building -------------------------------------------------------------------------

    def _build_indexes(self) -> None:
        self._city_index = NameIndex()
        for city in self.cities.values():
            for name in city.names:
                self._city_index.add(name, city.id)
        self._topic_index = NameIndex(plural_tolerant=True)
        for topic in self.topics.values():
            for name in self._topic_surfaces(topic):
                self._topic_index.add(name, topic.id)
        self._org_index = NameIndex()
        for org in self.organisations.values():
            for name in self._organisation_surfaces(org):
                self._org_index.add(name, org.id)
        self._person_index = NameIndex()
        for person in self.people.values():
            self._person_index.add(person.name, person.id)
        for person in self.people.values():  # last names second: full names take precedence
            self._person_index.add(person.last_name, person.id)
        self._country_patterns = {c.id: country_pattern(c) for c in self.countries.values()}
        self._country_words = {c.id: country_words(c) for c in self.countries.values()}
        self._town_patterns = {c.id: town_pattern(c) for c in self.countries.values()}
        self._measures_by_topic: dict[str, list[Measure]] = {}
        for city in self.cities.values():
            for measure in city.measures:
                for topic_id in measure.topics:
                    self._measures_by_topic.setdefault(topic_id, []).append(measure)
        # a date may hold two webinars (10 June 2020: the series' own and a regional one); the one
        # whose id is the bare date comes first, as "the webinar of 10 June"
        self._webinars_by_date: dict[datetime.date, list[Webinar]] = {}
        for webinar in sorted(self.webinars.values(), key=lambda w: (w.id != w.date.isoformat(), w.id)):
            self._webinars_by_date.setdefault(webinar.date, []).append(webinar)
        self._webinars_by_city: dict[str, list[Webinar]] = {}
        for webinar in self.webinars.values():
            for city_id in webinar.presenting_cities:
                self._webinars_by_city.setdefault(city_id, []).append(webinar)
        self._name_words = frozenset(
            word
            for names in (self.city_names(), self.organisation_names(), self.person_names())
            for name in names
            for word in fold(name).split()
        )
        self._topic_words = tuple(
            (frozenset(singular(fold(name)).split()), topic_id)
            for name, topic_id in self.topic_names().items()
        )

    @staticmethod
    def _topic_surfaces(topic: Topic) -> list[str]:
        return [topic.id.replace("_", " "), topic.label.en, topic.label.fr, *topic.synonyms.all()]

    @staticmethod
    def _organisation_surfaces(org: Organisation) -> list[str]:
        names = [org.id, org.name.en, org.name.fr, *org.aliases]
        return [org.acronym, *names] if org.acronym else names

    # ----- records by id (KeyError with a clear message for unknown ids) ------------------

    def city(self, city_id: str) -> City:
        return _get(self.cities, city_id, "city")

    def topic(self, topic_id: str) -> Topic:
        return _get(self.topics, topic_id, "topic")

    def person(self, person_id: str) -> Person:
        return _get(self.people, person_id, "person")

    def organisation(self, organisation_id: str) -> Organisation:
        return _get(self.organisations, organisation_id, "organisation")

    def country(self, country_id: str) -> Country:
        return _get(self.countries, country_id, "country")

    def source(self, source_id: str) -> Source:
        return _get(self.sources, source_id, "source")

    def featured_webinar(self) -> Webinar | None:
        """The webinar "the webinar" means: the one the series file names as featured.

        Explicit so that adding a webinar file never silently changes the bot's answers.
        """
        for series in self.series.values():
            if series.featured_webinar is not None and series.featured_webinar in self.webinars:
                return self.webinars[series.featured_webinar]
        return None

    def sourced_records(self) -> list[tuple[str, tuple[str, ...]]]:
        """(kind of fact, its source ids) for every record that states facts, in file order.

        The kinds: measure, organisation fact, remark, city, organisation, webinar, summary,
        series. A city, organisation, webinar or series counts once for its own fields.
        """
        records: list[tuple[str, tuple[str, ...]]] = []
        for city in self.cities.values():
            if city.sources:
                records.append(("city", city.sources))
            records += [("measure", m.sources) for m in city.measures]
        for org in self.organisations.values():
            if org.sources:
                records.append(("organisation", org.sources))
            records += [("organisation fact", f.sources) for f in org.facts]
        for webinar in self.webinars.values():
            records.append(("webinar", webinar.sources))
            if webinar.summary is not None:
                records.append(("summary", webinar.summary.sources))
            records += [("remark", r.sources) for r in webinar.remarks]
        records += [("series", series.sources) for series in self.series.values()]
        return records

    def facts_per_source(self) -> dict[str, int]:
        """Source id -> how many records cite it (0 for a registered source nobody cites)."""
        counts = dict.fromkeys(self.sources, 0)
        for _, sources in self.sourced_records():
            for source_id in sources:
                counts[source_id] = counts.get(source_id, 0) + 1
        return counts

    # ----- finding things from what users typed ----------------------------------------------

    def find_city(self, text: str | None) -> CityMatch | None:
        """The city `text` names (any spelling, accents optional, small typos), or None."""
        if not _usable(text):
            return None
        hit = self._city_index.lookup(text)
        if hit is None:
            return None
        return CityMatch(self.cities[hit.target], hit.score, hit.exact)

    def find_cities_in(self, text: str | None) -> list[City]:
        """Cities named anywhere in a sentence, in order of appearance.

        Word-for-word names first; only when there is none, names with a few typos, so a
        misspelt city the model did not mark ("What did Marseile do?") is still found, while
        everyday words stay words.
        """
        if not _usable(text):
            return []
        found = self._city_index.scan(text) or self._city_index.scan_near(text, EVERYDAY_WORDS)
        return _unique(self.cities[target] for _, target in found)

    def cities_described_in(self, text: str | None) -> list[City]:
        """The cities of every country `text` names or describes a city of ("in Morocco", "the
        Polish city": citybot.kb.countries), in knowledge-base order; for a message naming no city."""
        if not _usable(text):
            return []
        named = set(self.countries_described_in(text))
        return [city for city in self.cities.values() if city.country in named]

    def countries_described_in(self, text: str | None) -> list[str]:
        """The ids of the countries `text` names or describes a city of, in knowledge-base order:
        "the Polish and Irish cities" asks about two countries' cities together, not about all
        of them (`cities_described_in`)."""
        if not _usable(text):
            return []
        folded = fold(text)
        return [country for country, pattern in self._country_patterns.items() if pattern.search(folded)]

    def towns_described_in(self, text: str | None) -> list[City]:
        """The cities of every country whose adjective `text` says beside a word for a town
        ("the Cameroonian city", « la commune camerounaise »): described as towns, not only as
        being in a country (`cities_described_in`)."""
        if not _usable(text):
            return []
        folded = fold(text)
        named = {
            country for country, pattern in self._town_patterns.items() if pattern and pattern.search(folded)
        }
        return [city for city in self.cities.values() if city.country in named]

    def country_said(self, country_id: str | None) -> re.Pattern[str] | None:
        """What says a country in a folded text (citybot.kb.countries); None for an unknown one."""
        return self._country_patterns.get(country_id or "")

    def is_country(self, text: str | None) -> bool:
        """Whether `text` is a country's name, alias or adjective ("Morocco", « polonaise »)."""
        folded = fold(text or "")
        return any(folded in said for said in self._country_words.values())

    def find_topic(self, text: str | None) -> Topic | None:
        """The topic `text` designates (label or synonym, either language), or None.

        Falls back to the longest topic word inside `text`, so "free school supplies" finds
        school_supplies and "les écoles ferment" finds schooling.
        """
        if not _usable(text):
            return None
        hit = self._topic_index.lookup(text)
        if hit is not None:
            return self.topics[hit.target]
        found = self.find_topics_in(text)
        return found[0] if found else None

    def find_topics_in(self, text: str | None) -> list[Topic]:
        """Topics named word-for-word in a sentence, in order of appearance."""
        return _unique(topic for topic, _ in self.find_topic_names_in(text))

    def find_topic_names_in(self, text: str | None) -> list[tuple[Topic, str]]:
        """`find_topics_in`'s topics with the words (folded) that named each, every time named."""
        if not _usable(text):
            return []
        return [(self.topics[target], said) for _, said, target in self._topic_index.spans(text)]

    def find_organisation(self, text: str | None) -> Organisation | None:
        """The organisation named by acronym, name (either language) or alias, or None."""
        if not _usable(text):
            return None
        hit = self._org_index.lookup(text)
        return self.organisations[hit.target] if hit else None

    def find_person(self, text: str | None) -> Person | None:
        """The person named by full name or last name ("Valéro", "Mme Valero"), or None."""
        if not _usable(text):
            return None
        hit = self._person_index.lookup(without_titles(fold(text)))
        return self.people[hit.target] if hit else None

    # ----- facts ---------------------------------------------------------------------------------

    def measures_for(self, city_id: str, topic: str | None = None) -> list[Measure]:
        """A city's measures, all or only those on topic id `topic`, in the order of the file."""
        measures = self.city(city_id).measures
        if topic is None:
            return list(measures)
        self.topic(topic)
        return [m for m in measures if topic in m.topics]

    def measures_on_topic(self, topic: str) -> list[Measure]:
        """Every city's measures on topic id `topic`, cities in alphabetical order."""
        self.topic(topic)
        return list(self._measures_by_topic.get(topic, ()))

    def cities_for_topic(self, topic: str) -> list[City]:
        """Cities with at least one measure on topic id `topic`, in alphabetical order."""
        return _unique(self.cities[m.city] for m in self.measures_on_topic(topic))

    def webinar_on(self, day: DateLike) -> Webinar | None:
        """The webinar held on `day` (a date or a YYYY-MM-DD text), or None; the first of several."""
        webinars = self.webinars_on(day)
        return webinars[0] if webinars else None

    def webinars_on(self, day: DateLike) -> list[Webinar]:
        """Every webinar held on `day`, the one whose id is the bare date first."""
        if isinstance(day, datetime.datetime):
            day = day.date()
        if isinstance(day, str):
            try:
                day = datetime.date.fromisoformat(day.strip())
            except ValueError:
                return []
        if not isinstance(day, datetime.date):
            return []
        return list(self._webinars_by_date.get(day, ()))

    def webinars_for_city(self, city_id: str) -> list[Webinar]:
        """Webinars where the city presented, oldest first."""
        self.city(city_id)
        return list(self._webinars_by_city.get(city_id, ()))

    # ----- words of names (derived once, here, so that they live and go with this instance) -----

    @property
    def name_words(self) -> frozenset[str]:
        """Every folded word of a city, organisation or person name ("evry", "aimf", "valero").

        Names belong to no language: language detection leaves these words out of its judgement.
        """
        return self._name_words

    @property
    def topic_words(self) -> tuple[tuple[frozenset[str], str], ...]:
        """(folded singular words of one topic name, topic id), for each label and synonym."""
        return self._topic_words

    @cached_property
    def fact_index(self) -> FactIndex:
        """The facts ranked by how well they match a question (citybot.retrieval), built on first
        use and kept with this knowledge base, so a reloaded one gets its own."""
        from citybot.retrieval import FactIndex  # scikit-learn: only the processes that rank pay for it

        return FactIndex(self)

    # ----- surface names for the NLU generator ---------------------------------------------

    def city_names(self) -> dict[str, str]:
        """Every way of writing each city (official, aliases, accent/hyphen/case variants) -> id."""
        return _surface_names((name, c.id) for c in self.cities.values() for name in c.names)

    def topic_names(self) -> dict[str, str]:
        """Every label and synonym (both languages, with accent-free variants) -> topic id."""
        return _surface_names((name, t.id) for t in self.topics.values() for name in self._topic_surfaces(t))

    def organisation_names(self) -> dict[str, str]:
        """Acronyms, names and aliases (with accent-free variants) -> organisation id."""
        return _surface_names(
            (name, o.id)
            for o in self.organisations.values()
            for name in (o.acronym, o.name.en, o.name.fr, *o.aliases)
            if name
        )

    def person_names(self) -> dict[str, str]:
        """Full names and last names (with accent-free variants) -> person id."""
        pairs = [(p.name, p.id) for p in self.people.values()]
        pairs += [(p.last_name, p.id) for p in self.people.values()]
        return _surface_names(pairs)

    def __repr__(self) -> str:
        return (
            f"<KnowledgeBase: {len(self.cities)} cities, {len(self.topics)} topics, "
            f"{len(self.organisations)} organisations, {len(self.webinars)} webinars>"
        )


class _Record(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Record)


def _by_id(records: Iterable[R]) -> Mapping[str, R]:
    return MappingProxyType({record.id: record for record in records})


def _get(records: Mapping[str, R], record_id: str, kind: str) -> R:
    try:
        return records[record_id]
    except (KeyError, TypeError):
        known = ", ".join(sorted(records)) or "none"
        raise KeyError(f"unknown {kind} id {record_id!r} (known: {known})") from None


def _usable(text: str | None) -> TypeGuard[str]:
    return isinstance(text, str) and bool(fold(text))


def _unique(records: Iterable[R]) -> list[R]:
    seen: dict[str, R] = {}
    for record in records:
        seen.setdefault(record.id, record)
    return list(seen.values())


def _surface_names(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each name with its derived spellings: no accents, spaces for hyphens, both, lowercase."""
    names: dict[str, str] = {}
    for name, target in pairs:
        name = " ".join(name.split())
        spaced = name.replace("-", " ")
        for variant in (name, strip_accents(name), spaced, strip_accents(spaced), fold(name)):
            if variant:
                names.setdefault(variant, target)
    return names


def _source_order(source: Source) -> tuple[datetime.date, str]:
    """Sources by date, undated pages last, then by id: a stable order for lists and answers."""
    return (source.published or datetime.date.max, source.id)
