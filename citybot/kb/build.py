"""Turning validated YAML data into the immutable records of `citybot.kb.model`.

Only called once every file has passed validation, so the functions trust field types and
only supply defaults for optional fields.
"""

from __future__ import annotations

import datetime
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
    Summary,
    Text,
    Topic,
    Webinar,
)


def text(value: dict | None) -> Text | None:
    """A `Text` from `{en: ..., fr: ...}`, stripped of the spaces YAML block scalars leave."""
    if value is None:
        return None
    return Text(en=value["en"].strip(), fr=value["fr"].strip())


def countries(data: dict) -> list[Country]:
    return [Country(id=c["id"], name=text(c["name"])) for c in data["countries"]]


def topics(data: dict) -> list[Topic]:
    result = []
    for entry in data["topics"]:
        synonyms = entry.get("synonyms") or {}
        result.append(
            Topic(
                id=entry["id"],
                label=text(entry["label"]),
                synonyms=Names(en=tuple(synonyms.get("en") or ()), fr=tuple(synonyms.get("fr") or ())),
            )
        )
    return result


def person(data: dict, city: str | None = None, organisation: str | None = None) -> Person:
    return Person(
        id=data["id"],
        name=data["name"].strip(),
        title=text(data.get("title")),
        role=text(data.get("role")),
        city=city,
        organisation=organisation,
    )


def city(data: dict) -> City:
    representative = data.get("representative")
    return City(
        id=data["id"],
        name=data["name"].strip(),
        country=data["country"],
        aliases=tuple(a.strip() for a in data.get("aliases") or ()),
        network_status=data.get("network_status"),
        representative=person(representative, city=data["id"]) if representative else None,
        context=text(data.get("context")),
        measures=tuple(_measure(m, data["id"]) for m in data.get("measures") or ()),
    )


def _measure(data: dict, city_id: str) -> Measure:
    return Measure(
        id=data["id"],
        city=city_id,
        topics=tuple(data["topics"]),
        text=text(data["text"]),
        reported_by=data.get("reported_by"),
        webinar=data.get("webinar"),
        part=data.get("part", "presentation"),
    )


def organisation(data: dict) -> Organisation:
    org_id = data["id"]
    return Organisation(
        id=org_id,
        name=text(data["name"]),
        acronym=data.get("acronym"),
        aliases=tuple(data.get("aliases") or ()),
        description=text(data.get("description")),
        people=tuple(person(p, organisation=org_id) for p in data.get("people") or ()),
        facts=tuple(_fact(f, org_id) for f in data.get("facts") or ()),
    )


def _fact(data: dict, org_id: str) -> OrganisationFact:
    return OrganisationFact(
        id=data["id"],
        organisation=org_id,
        aspect=data["aspect"],
        text=text(data["text"]),
        topics=tuple(data.get("topics") or ()),
        reported_by=data.get("reported_by"),
        webinar=data.get("webinar"),
    )


def webinar(data: dict) -> Webinar:
    return Webinar(
        id=data["id"],
        date=datetime.date.fromisoformat(data["date"]),
        title=text(data["title"]),
        series=data.get("series"),
        theme=text(data.get("theme")),
        host=data.get("host"),
        language=text(data.get("language")),
        audience=text(data.get("audience")),
        moderator=data.get("moderator"),
        attendance=text(data.get("attendance")),
        presenting_cities=tuple(data.get("presenting_cities") or ()),
        presenting_organisations=tuple(data.get("presenting_organisations") or ()),
        other_presenters=tuple(text(t) for t in data.get("other_presenters") or ()),
        remarks=tuple(
            Remark(id=r["id"], part=r["part"], text=text(r["text"]), speaker=r.get("speaker"))
            for r in data.get("remarks") or ()
        ),
        summary=_summary(data.get("summary")),
    )


def _summary(data: dict | None) -> Summary | None:
    if not data:
        return None
    return Summary(
        published=datetime.date.fromisoformat(data["published"]),
        publisher=data["publisher"],
        title=text(data.get("title")),
        photo_credit=data.get("photo_credit"),
    )


def series(data: dict) -> Series:
    return Series(
        id=data["id"],
        title=text(data["title"]),
        organiser=data.get("organiser"),
        description=text(data.get("description")),
        links=tuple(Link(url=link["url"], label=text(link["label"])) for link in data.get("links") or ()),
    )


BUILDERS: dict[str, Any] = {
    "city": city,
    "organisation": organisation,
    "webinar": webinar,
    "series": series,
}
