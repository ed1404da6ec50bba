"""Which names of the knowledge base go into the generated NLU data, in a stable order.

Lookup tables and synonyms take every surface name (with the accent-free, hyphen-free and
lower-case variants the KB derives). Training examples take fewer: one spelling per case-insensitive
form, grouped per city and per topic and walked round-robin (`pick`), so that a capped number of
examples still shows every city and every topic.
"""

from __future__ import annotations

from collections.abc import Iterable

from citybot.kb import KnowledgeBase

ENTITIES = ("city", "topic", "organisation")


def surface_names(kb: KnowledgeBase, entity: str) -> dict[str, str]:
    """Every surface name of `entity` ("city", "topic", "organisation") -> KB id."""
    if entity == "city":
        return kb.city_names()
    if entity == "topic":
        return kb.topic_names()
    if entity == "organisation":
        return kb.organisation_names()
    raise ValueError(f"unknown entity {entity!r} (expected one of {', '.join(ENTITIES)})")


def _distinct(names: Iterable[str]) -> list[str]:
    """`names` without repeats that differ only in case, first spelling kept."""
    seen: set[str] = set()
    kept = []
    for name in names:
        key = name.casefold()
        if name.strip() and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


NameGroups = list[list[tuple[str, str]]]
"""Names grouped by KB id (one group per city or topic), groups sorted by id."""


def pick(groups: NameGroups, k: int) -> tuple[str, str]:
    """The k-th name of a round-robin walk: each group in turn, the next name of that group each time.

    A walk of len(groups) steps shows every city (topic) once; longer walks go through their
    other spellings and synonyms.
    """
    group = groups[k % len(groups)]
    return group[(k // len(groups)) % len(group)]


def city_example_names(kb: KnowledgeBase) -> NameGroups:
    """(name, city id) for examples, per city: official name first, then variants and aliases."""
    by_city: dict[str, list[str]] = {}
    for name, city_id in kb.city_names().items():  # official name first, then derived spellings
        by_city.setdefault(city_id, []).append(name)
    return [[(name, city_id) for name in _distinct(by_city[city_id])] for city_id in sorted(by_city)]


def topic_example_names(kb: KnowledgeBase, lang: str) -> NameGroups:
    """(label or synonym in `lang`, topic id) for examples, per topic: label first."""
    groups = []
    for topic_id in sorted(kb.topics):
        topic = kb.topics[topic_id]
        names = _distinct([topic.label.get(lang), *topic.synonyms.get(lang)])
        if names:
            groups.append([(name, topic_id) for name in names])
    return groups


def organisation_example_names(kb: KnowledgeBase, lang: str) -> NameGroups:
    """(name, organisation id) for examples, per organisation: acronym, name in `lang`, then the others.

    Full names of either language are kept for both ("what is the Association internationale des
    maires francophones?" is asked in English too), with the KB's accent-free variants last.
    """
    other = "fr" if lang == "en" else "en"
    variants: dict[str, list[str]] = {}
    for name, org_id in kb.organisation_names().items():
        variants.setdefault(org_id, []).append(name)
    groups = []
    for org_id in sorted(kb.organisations):
        organisation = kb.organisations[org_id]
        names = _distinct(
            [
                organisation.acronym or "",
                organisation.name.get(lang) or "",
                organisation.name.get(other) or "",
                *organisation.aliases,
                *variants.get(org_id, []),
            ]
        )
        if names:
            groups.append([(name, org_id) for name in names])
    return groups


def person_example_names(kb: KnowledgeBase) -> NameGroups:
    """(name, person id) for examples, per person: full name first, then last name and variants."""
    by_person: dict[str, list[str]] = {}
    for name, person_id in kb.person_names().items():
        by_person.setdefault(person_id, []).append(name)
    return [
        [(name, person_id) for name in _distinct(by_person[person_id])] for person_id in sorted(by_person)
    ]


def synonym_groups(kb: KnowledgeBase) -> tuple[dict[str, list[str]], list[str]]:
    """KB id -> surface names that must map to it, and the names dropped as ambiguous.

    Rasa's synonym table is shared by all entities and case-insensitive, so a name claimed by two
    ids (or by two kinds of thing) cannot be a synonym; such names are left out and reported.
    """
    owners: dict[str, set[str]] = {}
    spelling: dict[str, str] = {}
    for entity in ENTITIES:
        for name, target in surface_names(kb, entity).items():
            key = name.casefold()
            owners.setdefault(key, set()).add(target)
            spelling.setdefault(key, name)
    groups: dict[str, list[str]] = {}
    ambiguous = []
    for key in sorted(owners):
        targets = owners[key]
        if len(targets) > 1:
            ambiguous.append(spelling[key])
        else:
            target = next(iter(targets))
            if key != target.casefold():
                groups.setdefault(target, []).append(spelling[key])
    return {t: sorted(names) for t, names in sorted(groups.items())}, ambiguous
