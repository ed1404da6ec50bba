"""Turning validated YAML data into the immutable records of `citybot.kb.model`.

Only called once every file has passed validation, so the functions trust field types and
only supply defaults for optional fields.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from citybot.kb.model import (
    City,
    Country,
    Link,
    Measure,
    Names,
    Organisation,
    OrganisationFact,
    Person,
    Remark,
    Series,
    Source,
    Summary,
    Text,
    Topic,
    Webinar,
)


def text(value: Mapping[str, str]) -> Text:
    """A `Text` from `{en: ..., fr: ...}`, stripped of the spaces YAML block scalars leave."""
    return Text(en=value["en"].strip(), fr=value["fr"].strip())


def optional_text(value: Mapping[str, str] | None) -> Text | None:
    """`text` for an optional field: the schema lets staff leave it out."""
    return None if value is None else text(value)


def countries(data: Mapping[str, Any]) -> list[Country]:
    return [
        Country(
            id=c["id"],
            name=text(c["name"]),
            aliases=_names(c.get("aliases")),
            adjectives=_names(c.get("adjectives")),
        )
        for c in data["countries"]
    ]


def _names(value: Mapping[str, Any] | None) -> Names:
    """Per-language word lists (`synonyms`, `aliases`, `adjectives`); missing ones are empty."""
    value = value or {}
    return Names(en=tuple(value.get("en") or ()), fr=tuple(value.get("fr") or ()))


def related_words(data: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The groups of words that say the same thing, each as written (knowledge/related_words.yml)."""
    return [tuple(" ".join(word.split()) for word in group) for group in data["related_words"]]


def topics(data: Mapping[str, Any]) -> list[Topic]:
    result = []
    for entry in data["topics"]:
        result.append(
            Topic(
                id=entry["id"],
                label=text(entry["label"]),
                synonyms=_names(entry.get("synonyms")),
            )
        )
    return result


def person(data: Mapping[str, Any], city: str | None = None, organisation: str | None = None) -> Person:
    return Person(
        id=data["id"],
        name=data["name"].strip(),
        title=optional_text(data.get("title")),
        role=optional_text(data.get("role")),
        city=city,
        organisation=organisation,
    )


def _sources(data: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(data.get("sources") or ())


def city(data: Mapping[str, Any]) -> City:
    return City(
        id=data["id"],
        name=data["name"].strip(),
        country=data["country"],
        aliases=tuple(a.strip() for a in data.get("aliases") or ()),
        french_name=data["french_name"].strip() if data.get("french_name") else None,
        network_status=data.get("network_status"),
        representatives=tuple(person(p, city=data["id"]) for p in data.get("representatives") or ()),
        context=optional_text(data.get("context")),
        measures=tuple(_measure(m, data["id"]) for m in data.get("measures") or ()),
        sources=_sources(data),
    )


def _measure(data: Mapping[str, Any], city_id: str) -> Measure:
    return Measure(
        id=data["id"],
        city=city_id,
        topics=tuple(data["topics"]),
        text=text(data["text"]),
        reported_by=data.get("reported_by"),
        webinar=data.get("webinar"),
        part=data.get("part", "presentation"),
        sources=_sources(data),
    )


def organisation(data: Mapping[str, Any]) -> Organisation:
    org_id = data["id"]
    return Organisation(
        id=org_id,
        name=text(data["name"]),
        acronym=data.get("acronym"),
        aliases=tuple(data.get("aliases") or ()),
        description=optional_text(data.get("description")),
        people=tuple(person(p, organisation=org_id) for p in data.get("people") or ()),
        facts=tuple(_fact(f, org_id) for f in data.get("facts") or ()),
        sources=_sources(data),
    )


def _fact(data: Mapping[str, Any], org_id: str) -> OrganisationFact:
    return OrganisationFact(
        id=data["id"],
        organisation=org_id,
        aspect=data["aspect"],
        # A fact with `see` gets its text and sources in `resolve_see`, once every record is built.
        text=text(data["text"]) if "text" in data else Text("", ""),
        reported_by=data.get("reported_by"),
        webinar=data.get("webinar"),
        sources=_sources(data),
        see=data.get("see"),
    )


def webinar(data: Mapping[str, Any]) -> Webinar:
    return Webinar(
        id=data["id"],
        date=datetime.date.fromisoformat(data["date"]),
        title=text(data["title"]),
        series=data.get("series"),
        theme=optional_text(data.get("theme")),
        host=data.get("host"),
        language=optional_text(data.get("language")),
        audience=optional_text(data.get("audience")),
        moderator=data.get("moderator"),
        attendance=optional_text(data.get("attendance")),
        presenting_cities=tuple(data.get("presenting_cities") or ()),
        presenting_organisations=tuple(data.get("presenting_organisations") or ()),
        other_presenters=tuple(text(t) for t in data.get("other_presenters") or ()),
        remarks=tuple(
            Remark(
                id=r["id"],
                part=r["part"],
                text=text(r["text"]),
                speaker=r.get("speaker"),
                sources=_sources(r),
            )
            for r in data.get("remarks") or ()
        ),
        summary=_summary(data.get("summary")),
        sources=_sources(data),
    )


def _summary(data: Mapping[str, Any] | None) -> Summary | None:
    if not data:
        return None
    return Summary(
        published=datetime.date.fromisoformat(data["published"]),
        publisher=data["publisher"],
        title=optional_text(data.get("title")),
        sources=_sources(data),
    )


def series(data: Mapping[str, Any]) -> Series:
    return Series(
        id=data["id"],
        title=text(data["title"]),
        organiser=data.get("organiser"),
        description=optional_text(data.get("description")),
        links=tuple(
            Link(url=link["url"], label=text(link["label"]), id=link.get("id"))
            for link in data.get("links") or ()
        ),
        featured_webinar=data.get("featured_webinar"),
        sources=_sources(data),
    )


def source(data: Mapping[str, Any]) -> Source:
    return Source(
        id=data["id"],
        url=data["url"].strip(),
        title=data["title"].strip(),
        publisher=data["publisher"].strip(),
        published=datetime.date.fromisoformat(data["published"]) if data.get("published") else None,
        language=data["language"],
        official=data["official"] == "yes",  # the loader keeps yes/no as text
    )


#: What a `see` id stands for: the text, speaker, webinar and sources of the record it names.
_Stated = tuple[Text, str | None, str | None, tuple[str, ...]]


def resolve_see(
    organisations: Sequence[Organisation], webinars: Sequence[Webinar], all_series: Sequence[Series]
) -> list[Organisation]:
    """The organisations with each `see` fact filled in from the record it names (validated to
    exist): a remark gives its text, speaker, webinar and sources; a series its description; a
    series link its label and address; a webinar its published summary's title."""
    stated: dict[str, _Stated] = {}
    for record in webinars:
        if record.summary and record.summary.title:
            stated[record.id] = (record.summary.title, None, record.id, record.summary.sources)
    for series_record in all_series:
        for link in series_record.links:
            if link.id:
                label = link.label
                link_text = Text(f"{label.en} — {link.url}", f"{label.fr} — {link.url}")
                stated[link.id] = (link_text, None, None, series_record.sources)
        if series_record.description:
            stated[series_record.id] = (series_record.description, None, None, series_record.sources)
    for record in webinars:
        for remark in record.remarks:
            stated[remark.id] = (remark.text, remark.speaker, record.id, remark.sources)
    return [
        dataclasses.replace(org, facts=tuple(_resolved(fact, stated) for fact in org.facts))
        for org in organisations
    ]


def _resolved(fact: OrganisationFact, stated: dict[str, _Stated]) -> OrganisationFact:
    if fact.see not in stated:
        return fact
    text_, speaker, webinar_id, sources = stated[fact.see]
    return dataclasses.replace(fact, text=text_, reported_by=speaker, webinar=webinar_id, sources=sources)


BUILDERS: dict[str, Any] = {
    "city": city,
    "organisation": organisation,
    "webinar": webinar,
    "series": series,
    "source": source,
}
