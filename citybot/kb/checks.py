"""Checks that need more than one file: references between ids, empty texts, file names.

They run only on files whose shape is valid (see `citybot.kb.schema`), so they can rely on the
fields having the right types.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from citybot.kb.errors import Issue
from citybot.kb.model import LANGUAGE_NAMES, LANGUAGES
from citybot.kb.normalize import fold
from citybot.kb.registry import Registry, items
from citybot.kb.yaml_file import PathKey, YamlFile
from citybot.language.words import ENGLISH_WORDS, FRENCH_WORDS, SHARED_WORDS

#: Everyday words of either language: a name that is one of them ("WHO") would turn every
#: "who ...?" into a question about that organisation, since names are matched without case.
EVERYDAY_WORDS = ENGLISH_WORDS | FRENCH_WORDS | SHARED_WORDS


def check_file(
    kind: str,
    source: YamlFile,
    file_path: Path,
    registry: Registry,
    webinar_cities: dict[str, set[str]],
    webinar_series: dict[str, str] | None = None,
) -> list[Issue]:
    """Every cross-file problem of one shape-valid file.

    `webinar_cities` maps each webinar id to the ids of the cities it lists as presenting,
    `webinar_series` each webinar id to its series id.
    """
    issues = list(_empty_texts(source, source.data, ()))
    issues += _file_name(kind, source, file_path)
    ref = _References(source, registry, issues, webinar_series or {})
    _check_sources(source.data, ref, ())
    checker = _CHECKERS.get(kind)
    if checker is not None:
        checker(source.data, ref, webinar_cities)
    return issues


def _check_sources(value: Any, ref: _References, path: PathKey) -> None:
    """Every `sources` list, wherever a fact carries one, names registered sources."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_sources(item, ref, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                ref.check_all("source", item, path + (key,))
            else:
                _check_sources(item, ref, path + (key,))


class _References:
    """Reports ids that point at nothing, with the list of ids that do exist."""

    def __init__(
        self, source: YamlFile, registry: Registry, issues: list[Issue], series_of_webinar: dict[str, str]
    ):
        self.source, self.registry, self.issues = source, registry, issues
        self.series_of_webinar = series_of_webinar

    def check(self, kind: str, value: str | None, path: PathKey) -> None:
        if value is None or self.registry.has(kind, value):
            return
        self.issues.append(self.source.issue(path, self.registry.unknown_message(kind, value)))

    def check_all(self, kind: str, values: list[str] | None, path: PathKey) -> None:
        for index, value in enumerate(values or ()):
            self.check(kind, value, path + (index,))


def _check_city(data: dict[str, Any], ref: _References, webinar_cities: dict[str, set[str]]) -> None:
    ref.check("country", data["country"], ("country",))
    _check_everyday_words(ref, data, ("aliases",))
    for index, measure in items(data, "measures"):
        path = ("measures", index)
        ref.check_all("topic", measure["topics"], path + ("topics",))
        ref.check("person", measure.get("reported_by"), path + ("reported_by",))
        _check_webinar_link(ref, measure.get("webinar"), path, data["id"], webinar_cities)


def _check_organisation(data: dict[str, Any], ref: _References, webinar_cities: dict[str, set[str]]) -> None:
    _check_everyday_words(ref, data, ("acronym", "aliases"))
    for index, fact in items(data, "facts"):
        path = ("facts", index)
        ref.check_all("topic", fact.get("topics"), path + ("topics",))
        ref.check("person", fact.get("reported_by"), path + ("reported_by",))
        ref.check("webinar", fact.get("webinar"), path + ("webinar",))
        _check_see(ref, fact, path)


def _check_everyday_words(ref: _References, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    """A short name users would type as an ordinary word is refused, with what to do instead."""
    for field in fields:
        value = data.get(field)
        names = (
            [(value, (field,))]
            if isinstance(value, str)
            else [(n, (field, i)) for i, n in enumerate(value or ())]
        )
        for name, path in names:
            if isinstance(name, str) and fold(name) in EVERYDAY_WORDS:
                ref.issues.append(
                    ref.source.issue(
                        path,
                        f"'{name}' is an everyday word ('{fold(name)}'): names are matched without case, "
                        "so every question using that word would be taken to name this record; "
                        "leave it out and keep the full name",
                    )
                )


#: The kinds of record an organisation fact may refer to with `see`, in the order they are tried.
SEE_KINDS = ("remark", "series", "link", "summary")


def _check_see(ref: _References, fact: dict[str, Any], path: PathKey) -> None:
    """A fact has its own `text` or refers to the record that states it (`see`), never both:
    a fact written in two places drifts apart (the audit found a pair that already had)."""
    see = fact.get("see")
    if see is None:
        if fact.get("text") is None:
            ref.issues.append(
                ref.source.issue(
                    path, "a fact needs a text (en and fr) or see: the id of the record that states it"
                )
            )
        return
    if fact.get("text") is not None:
        ref.issues.append(
            ref.source.issue(
                path + ("see",),
                "a fact has a text or see, not both: remove the text, it is written in the record seen",
            )
        )
    for field in ("reported_by", "webinar", "sources"):
        if fact.get(field) is not None:
            ref.issues.append(
                ref.source.issue(
                    path + (field,), f"{field} comes from the record named by see: remove it here"
                )
            )
    if not any(ref.registry.has(kind, see) for kind in SEE_KINDS):
        ref.issues.append(
            ref.source.issue(
                path + ("see",),
                f"see: '{see}' is not the id of a remark, a series, a series link or a webinar with a summary title",
            )
        )


def _check_webinar_link(
    ref: _References, webinar: str | None, path: PathKey, city: str, webinar_cities: dict[str, set[str]]
) -> None:
    """A city's measure reported at a webinar must come from a city that webinar lists.

    (Organisations are exempt: the host and the network speak at webinars without presenting.)
    """
    ref.check("webinar", webinar, path + ("webinar",))
    if webinar in webinar_cities and city not in webinar_cities[webinar]:
        ref.issues.append(
            ref.source.issue(
                path + ("webinar",),
                f"webinar '{webinar}' does not list '{city}' among its "
                "presenting_cities; add it there or fix the webinar id",
            )
        )


def _check_webinar(data: dict[str, Any], ref: _References, webinar_cities: dict[str, set[str]]) -> None:
    ref.check("series", data.get("series"), ("series",))
    ref.check("organisation", data.get("host"), ("host",))
    ref.check("person", data.get("moderator"), ("moderator",))
    for index, city in enumerate(data.get("presenting_cities") or ()):
        if not ref.registry.has("city", city):
            ref.issues.append(
                ref.source.issue(
                    ("presenting_cities", index),
                    f"webinar names city '{city}' which has no file in knowledge/cities/ "
                    f"(expected knowledge/cities/{city}.yml)",
                )
            )
    ref.check_all("organisation", data.get("presenting_organisations"), ("presenting_organisations",))
    for index, remark in items(data, "remarks"):
        ref.check("person", remark.get("speaker"), ("remarks", index, "speaker"))
    summary = data.get("summary") or {}
    ref.check("organisation", summary.get("publisher"), ("summary", "publisher"))


def _check_series(data: dict[str, Any], ref: _References, webinar_cities: dict[str, set[str]]) -> None:
    ref.check("organisation", data.get("organiser"), ("organiser",))
    featured = data["featured_webinar"]
    ref.check("webinar", featured, ("featured_webinar",))
    other = ref.series_of_webinar.get(featured, data["id"])
    if other != data["id"] and ref.registry.has("series", other):  # (an unknown one is reported there)
        ref.issues.append(
            ref.source.issue(
                ("featured_webinar",),
                f"webinar '{featured}' is not part of this series (its file says "
                f"series: {other}); name one of this series' webinars",
            )
        )


def _check_source(data: dict[str, Any], ref: _References, webinar_cities: dict[str, set[str]]) -> None:
    """A source published by an organisation of the knowledge base names it by id."""
    publisher = data["publisher"]
    if (
        not ref.registry.has("organisation", publisher)
        and publisher == publisher.lower()
        and " " not in publisher
    ):
        ref.check("organisation", publisher, ("publisher",))


_CHECKERS = {
    "city": _check_city,
    "organisation": _check_organisation,
    "webinar": _check_webinar,
    "series": _check_series,
    "source": _check_source,
}


def _file_name(kind: str, source: YamlFile, file_path: Path) -> list[Issue]:
    """One file per city/organisation/webinar/series, named after its id, so staff find it."""
    if kind not in ("city", "organisation", "webinar", "series", "source"):
        return []
    expected = source.data["id"]
    if file_path.stem == expected:
        return []
    return [
        source.issue(
            ("id",),
            f"the id '{expected}' does not match the file name "
            f"'{file_path.name}': rename the file to {expected}.yml "
            "or fix the id",
        )
    ]


def _empty_texts(source: YamlFile, value: Any, path: PathKey) -> Iterator[Issue]:
    """Bilingual texts whose English or French side is empty or only spaces."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _empty_texts(source, item, path + (index,))
        return
    if not isinstance(value, dict):
        return
    if _is_text(value):
        yield from _empty_text(source, value, path)
        return
    for key, item in value.items():
        yield from _empty_texts(source, item, path + (key,))


def _is_text(value: dict[str, Any]) -> bool:
    return set(value) == set(LANGUAGES) and all(v is None or isinstance(v, str) for v in value.values())


def _empty_text(source: YamlFile, text: dict[str, Any], path: PathKey) -> Iterator[Issue]:
    empty = [lang for lang in LANGUAGES if not (text[lang] or "").strip()]
    if not empty:
        return
    in_measure = len(path) >= 3 and path[-3] == "measures" and path[-1] == "text"
    if in_measure and len(empty) == 2:
        yield source.issue(path, "measure has empty text (write it in English and French)")
        return
    if len(empty) == 2:
        yield source.issue(path, "the English and French texts are both empty")
        return
    yield source.issue(path + (empty[0],), f"the {LANGUAGE_NAMES[empty[0]]} text is empty")


def check_city_names(city_sources: list[YamlFile]) -> list[Issue]:
    """Two cities must never share a name or alias, or "which city?" has no answer."""
    owners: dict[str, tuple[str, str]] = {}
    issues = []
    for source in city_sources:
        data = source.data
        names: list[tuple[PathKey, Any]] = [(("name",), data["name"])]
        names += [(("french_name",), data["french_name"])] if data.get("french_name") else []
        names += [(("aliases", i), alias) for i, alias in enumerate(data.get("aliases") or ())]
        for path, name in names:
            key = fold(name)
            if not key:
                issues.append(source.issue(path, "the name is empty"))
                continue
            owner = owners.setdefault(key, (data["id"], source.display))
            if owner[0] != data["id"]:
                issues.append(
                    source.issue(path, f"the name '{name}' already designates city '{owner[0]}' ({owner[1]})")
                )
    return issues
