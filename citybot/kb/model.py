"""The knowledge base's data model: immutable records built once from the YAML files.

Records are frozen so that the action server can share one loaded knowledge base between
concurrent requests without any risk of one request changing what another reads.
References between records are kept as ids (a measure names its reporter's person id) so the
records stay simple values; `KnowledgeBase` resolves ids.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

#: The languages of every text, as codes: the one definition in the code base (`citybot.language`
#: re-exports it). Defined here, on the ground floor, because the data model itself is bilingual.
LANGUAGES = ("en", "fr")
#: Each language's name, for messages to staff ("the French text is missing").
LANGUAGE_NAMES = {"en": "English", "fr": "French"}


@dataclass(frozen=True)
class Text:
    """The same text in English and French."""

    en: str
    fr: str

    def get(self, lang: str | None) -> str:
        """The text in `lang`; English for anything that is not French ("fr", "fr-CA")."""
        return self.fr if (lang or "").lower().startswith("fr") else self.en


@dataclass(frozen=True)
class Names:
    """Per-language lists of words (topic synonyms)."""

    en: tuple[str, ...] = ()
    fr: tuple[str, ...] = ()

    def get(self, lang: str | None) -> tuple[str, ...]:
        """The words of `lang` (English unless French is asked for)."""
        return self.fr if (lang or "").lower().startswith("fr") else self.en

    def all(self) -> tuple[str, ...]:
        """English words then French words."""
        return self.en + self.fr


@dataclass(frozen=True)
class Country:
    id: str
    name: Text
    #: other names people use ("Korea", « Corée du Sud »), said anywhere
    aliases: Names = field(default_factory=Names)
    #: adjectives of nationality ("Polish", « polonaise »), beside a word for a town
    adjectives: Names = field(default_factory=Names)


@dataclass(frozen=True)
class Topic:
    id: str
    label: Text
    synonyms: Names = field(default_factory=Names)


@dataclass(frozen=True)
class Person:
    """Someone who spoke or is named in the sources; belongs to a city or an organisation."""

    id: str
    name: str
    title: Text | None = None
    role: Text | None = None
    city: str | None = None
    organisation: str | None = None

    @property
    def last_name(self) -> str:
        return self.name.split()[-1]

    def display_name(self, lang: str | None = "en") -> str:
        """ "Mr Pierre Baillet" / "M. Pierre Baillet": the title, when known, then the name."""
        return f"{self.title.get(lang)} {self.name}" if self.title else self.name


@dataclass(frozen=True)
class Measure:
    """One thing a city did (or said in the debate), as reported in a webinar."""

    id: str
    city: str
    topics: tuple[str, ...]
    text: Text
    reported_by: str | None = None
    webinar: str | None = None
    part: str = "presentation"
    #: ids of the sources (`knowledge/sources/<id>.yml`) that state this fact, at least one
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class City:
    id: str
    name: str
    country: str
    aliases: tuple[str, ...] = ()
    #: the name French writes differently ("Pékin" for Beijing): French replies use it
    french_name: str | None = None
    network_status: str | None = None
    #: everyone who represented the city (presented or spoke for it), in the order of the file
    representatives: tuple[Person, ...] = ()
    context: Text | None = None
    measures: tuple[Measure, ...] = ()
    #: the sources of the city's own facts (status, representatives, context)
    sources: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name users may type for the city: official, French, aliases."""
        return (self.name, *([self.french_name] if self.french_name else []), *self.aliases)

    def label(self, lang: str) -> str:
        """The city's name as a reader of `lang` writes it."""
        return self.french_name if lang == "fr" and self.french_name else self.name


@dataclass(frozen=True)
class OrganisationFact:
    id: str
    organisation: str
    aspect: str
    text: Text
    reported_by: str | None = None
    webinar: str | None = None
    #: ids of the sources (`knowledge/sources/<id>.yml`) that state this fact, at least one
    sources: tuple[str, ...] = ()
    #: the record that states this fact when it is written elsewhere (a remark, a series, a series
    #: link, a webinar's summary): the loader copies its text, speaker, webinar and sources here,
    #: so answers read every fact the same way while the YAML holds it once
    see: str | None = None


@dataclass(frozen=True)
class Organisation:
    id: str
    name: Text
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    description: Text | None = None
    people: tuple[Person, ...] = ()
    facts: tuple[OrganisationFact, ...] = ()
    #: the sources of the organisation's description and people
    sources: tuple[str, ...] = ()

    def short_name(self, lang: str | None = "en") -> str:
        """The acronym when there is one (people say "AIMF"), else the full name."""
        return self.acronym or self.name.get(lang)


@dataclass(frozen=True)
class Remark:
    """Something said at a webinar outside the city presentations (opening, closing, debate)."""

    id: str
    part: str
    text: Text
    speaker: str | None = None
    #: ids of the sources (`knowledge/sources/<id>.yml`) that state this fact, at least one
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """The published summary a webinar is known from."""

    published: datetime.date
    publisher: str
    title: Text | None = None
    #: ids of the sources (`knowledge/sources/<id>.yml`) that state this fact, at least one
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Webinar:
    id: str
    date: datetime.date
    title: Text
    series: str | None = None
    theme: Text | None = None
    host: str | None = None
    language: Text | None = None
    audience: Text | None = None
    moderator: str | None = None
    attendance: Text | None = None
    presenting_cities: tuple[str, ...] = ()
    presenting_organisations: tuple[str, ...] = ()
    other_presenters: tuple[Text, ...] = ()
    remarks: tuple[Remark, ...] = ()
    summary: Summary | None = None
    #: the sources of the webinar's own facts (title, date, theme, who presented...)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    url: str
    label: Text
    id: str | None = None


@dataclass(frozen=True)
class Series:
    id: str
    title: Text
    organiser: str | None = None
    description: Text | None = None
    links: tuple[Link, ...] = ()
    #: the webinar "the webinar" means in questions without a date: named in the series file,
    #: so that adding a webinar never silently changes what the bot talks about
    featured_webinar: str | None = None
    #: the sources of the series' own facts (description, links)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A published page facts come from (`knowledge/sources/<id>.yml`).

    Facts name sources by id; answers cite them ("UIL, 12 May 2020") and give the address on
    request. `official` says whether the publisher is an official body (UIL/UNESCO, a city
    government, a UN agency): other publishers are used only where no official page states a fact.
    """

    id: str
    url: str
    title: str  # as printed, in the page's language
    publisher: str  # an organisation id of the knowledge base where it is one (uil), else a name
    published: datetime.date | None  # None for a page that prints no date (never guessed)
    language: str  # "en" or "fr"
    official: bool


@dataclass(frozen=True)
class CityMatch:
    """The city a user's words designate, how sure we are (0-100) and whether it was exact."""

    city: City
    score: float
    exact: bool
