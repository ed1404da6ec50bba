"""Cities named by their country: « au Maroc », "the Polish city", « la capitale chinoise ».

People who do not remember a city's name describe it by its country. A country's name or alias
anywhere in a message names its cities; an adjective of nationality does only beside a word for a
town ("the Polish city", « la ville portuaire grecque »): on its own the same word names a
language or a people (« le webinaire en français », "the French presenters").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from citybot.kb.model import Country
from citybot.kb.normalize import fold

#: Folded words for a town, in English and French, that an adjective of nationality may stand
#: beside to describe a city.
TOWN_WORDS = (
    "city",
    "town",
    "capital",
    "municipality",
    "metropolis",
    "port",
    "ville",
    "capitale",
    "commune",
    "municipalite",
    "metropole",
    "cite",
)


_TOWN = re.compile(rf"\b(?:{'|'.join(TOWN_WORDS)})s?\b")


def says_a_town(folded: str) -> bool:
    """Whether a folded message speaks of a town ("the Polish city", « la capitale de l'Uruguay »),
    not only of a country ("how many people died in France?")."""
    return bool(_TOWN.search(folded))


def country_words(country: Country) -> list[str]:
    """Every folded way `country` is said: names, aliases and adjectives, in both languages."""
    said = [country.name.en, country.name.fr, *country.aliases.all(), *country.adjectives.all()]
    return list(dict.fromkeys(fold(word) for word in said if fold(word)))


def country_pattern(country: Country) -> re.Pattern[str]:
    """What, in a folded message, says `country`: its name or alias, or an adjective of it beside
    a town word, with at most one word between ("port city", « ville portuaire »). Plurals too."""
    names = _either(fold(name) for name in (country.name.en, country.name.fr, *country.aliases.all()))
    described = _described(country)
    return re.compile(rf"\b{names}\b|{described}" if described else rf"\b{names}\b")


def town_pattern(country: Country) -> re.Pattern[str] | None:
    """What, in a folded message, describes a town of `country` by the country's adjective ("the
    Cameroonian learning city", « la commune camerounaise »): a town the message speaks of, where
    "the capital of Cameroon" may only ask about the country. None when it has no adjective."""
    described = _described(country)
    return re.compile(described) if described else None


def _described(country: Country) -> str:
    """The pattern of an adjective of `country` beside a town word; "" when it has no adjective."""
    if not country.adjectives.all():
        return ""
    adjectives = _either(fold(word) for word in country.adjectives.all())
    towns = _either(TOWN_WORDS)
    plural = rf"\b{adjectives} (?:cities|municipalities)\b"  # "the Korean cities"
    # two countries' towns: "the Polish and Irish cities", « les villes polonaise et irlandaise »
    paired = (
        rf"\b{adjectives}s? (?:and|or) (?:an? |the )?(?!which\b|what\b|other\b|all\b|some\b)\w+"
        rf" (?:{towns}s?|cities|municipalities)\b"
        rf"|\b{towns}s? \w+s? (?:et|ou) {adjectives}s?\b"
    )
    # not "French-speaking towns": a language is spoken in more than one country
    return (
        rf"\b{towns}s?(?: \w+)? {adjectives}s?\b|\b{adjectives}s? (?:(?!speaking\b)\w+ )?{towns}s?\b"
        rf"|{plural}|{paired}"
    )


def _either(words: Iterable[str]) -> str:
    """One regular-expression group for any of `words`, longest first."""
    alternatives = sorted({w for w in words if w}, key=len, reverse=True)
    return f"(?:{'|'.join(map(re.escape, alternatives))})"
