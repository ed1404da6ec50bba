"""JSON Schemas of the knowledge files, one per kind of file.

The schemas check the *shape* of each file (fields, types, allowed values, id spelling). Things
that need the whole knowledge base (does this topic id exist? is this id unique?) are checked
afterwards in `citybot.kb.checks`. Subschemas carry an `x-kind` tag so that `describe_error`
can turn jsonschema's generic messages into sentences staff understand.
"""

from __future__ import annotations

from typing import Any

import jsonschema

ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

_ID = {"x-kind": "id", "type": "string", "pattern": ID_PATTERN}
_DATE = {"x-kind": "date", "type": "string", "format": "date"}
_STRING = {"x-kind": "string", "type": "string"}
_TEXT = {"$ref": "#/definitions/text"}
_IDS = {"x-kind": "list", "type": "array", "items": _ID}
_STRINGS = {"x-kind": "list", "type": "array", "items": _STRING}
#: the sources (ids of knowledge/sources/<id>.yml) a fact comes from: required on every fact
#: words per language: {en: [...], fr: [...]} (a topic's synonyms, a country's aliases)
_WORDS = {
    "x-kind": "synonyms",
    "type": "object",
    "properties": {"en": _STRINGS, "fr": _STRINGS},
    "additionalProperties": False,
}
_SOURCES = {"x-kind": "sources", "type": "array", "items": _ID, "minItems": 1}

_DEFINITIONS: dict[str, Any] = {
    "text": {
        "x-kind": "text",
        "type": "object",
        "required": ["en", "fr"],
        "properties": {
            "en": {"x-kind": "string", "type": ["string", "null"]},
            "fr": {"x-kind": "string", "type": ["string", "null"]},
        },
        "additionalProperties": False,
    },
    "person": {
        "x-kind": "person",
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": _ID, "name": _STRING, "title": _TEXT, "role": _TEXT},
        "additionalProperties": False,
    },
}

_MEASURE = {
    "x-kind": "measure",
    "type": "object",
    "required": ["id", "topics", "text", "sources"],
    "properties": {
        "id": _ID,
        "topics": {**_IDS, "minItems": 1},
        "text": _TEXT,
        "reported_by": _ID,
        "webinar": _ID,
        "part": {"x-kind": "choice", "enum": ["presentation", "debate"]},
        "sources": _SOURCES,
    },
    "additionalProperties": False,
}

# A fact has its own `text` and `sources`, or `see`: the id of the record that states it (a remark,
# a series, a series link, or a webinar for its published summary), whose text and sources it
# takes, so that each fact is written once. `checks` requires exactly one of `text` and `see`.
_FACT = {
    "x-kind": "fact",
    "type": "object",
    "required": ["id", "aspect"],
    "if": {"required": ["text"]},
    "then": {"x-kind": "fact", "required": ["sources"]},
    "properties": {
        "id": _ID,
        "text": _TEXT,
        "see": _ID,
        "reported_by": _ID,
        "webinar": _ID,
        # only the aspects an answer shows (actions/organisation.py ASPECTS): a fact nobody can
        # see is a trap for staff, so `description` is the organisation's own field instead
        "aspect": {
            "x-kind": "choice",
            "enum": ["aims", "leadership", "covid_response", "publications", "themes"],
        },
        "sources": _SOURCES,
    },
    "additionalProperties": False,
}

_REMARK = {
    "x-kind": "remark",
    "type": "object",
    "required": ["id", "part", "text", "sources"],
    "properties": {
        "id": _ID,
        "speaker": _ID,
        "text": _TEXT,
        "part": {"x-kind": "choice", "enum": ["opening", "closing", "debate"]},
        "sources": _SOURCES,
    },
    "additionalProperties": False,
}

_LINK = {
    "x-kind": "link",
    "type": "object",
    "required": ["url", "label"],
    "properties": {
        "id": _ID,
        "url": {"x-kind": "url", "type": "string", "pattern": r"^https?://\S+$"},
        "label": _TEXT,
    },
    "additionalProperties": False,
}


def _document(
    required: list[str], properties: dict[str, Any], sourced: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A file's schema; each field in `sourced` is a fact that requires the file's `sources`."""
    schema = {
        "x-kind": "document",
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
        "definitions": _DEFINITIONS,
    }
    if sourced:
        schema["if"] = {"anyOf": [{"required": [name]} for name in sourced]}
        schema["then"] = {"x-kind": "sourced", "x-facts": list(sourced), "required": ["sources"]}
    return schema


SCHEMAS: dict[str, dict[str, Any]] = {
    # groups of words and phrases, either language, that a question may use for one another
    "related_words": _document(
        ["related_words"],
        {
            "related_words": {
                "x-kind": "list",
                "type": "array",
                "items": {
                    "x-kind": "word group",
                    "type": "array",
                    "items": {"x-kind": "string", "type": "string", "minLength": 1},
                    "minItems": 2,
                },
            }
        },
    ),
    "countries": _document(
        ["countries"],
        {
            "countries": {
                "x-kind": "list",
                "type": "array",
                "items": {
                    "x-kind": "country",
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {"id": _ID, "name": _TEXT, "aliases": _WORDS, "adjectives": _WORDS},
                    "additionalProperties": False,
                },
            }
        },
    ),
    "topics": _document(
        ["topics"],
        {
            "topics": {
                "x-kind": "list",
                "type": "array",
                "items": {
                    "x-kind": "topic",
                    "type": "object",
                    "required": ["id", "label"],
                    "properties": {
                        "id": _ID,
                        "label": _TEXT,
                        "synonyms": _WORDS,
                    },
                    "additionalProperties": False,
                },
            }
        },
    ),
    "city": _document(
        ["id", "name", "country"],
        {
            "id": _ID,
            "name": _STRING,
            "aliases": _STRINGS,
            "french_name": _STRING,
            "country": _ID,
            "network_status": {"x-kind": "choice", "enum": ["member", "prospective"]},
            "representatives": {"x-kind": "list", "type": "array", "items": {"$ref": "#/definitions/person"}},
            "context": _TEXT,
            "measures": {"x-kind": "list", "type": "array", "items": _MEASURE},
            "sources": _SOURCES,
        },
        sourced=("network_status", "representatives", "context"),
    ),
    "organisation": _document(
        ["id", "name"],
        {
            "id": _ID,
            "acronym": _STRING,
            "name": _TEXT,
            "aliases": _STRINGS,
            "description": _TEXT,
            "people": {"x-kind": "list", "type": "array", "items": {"$ref": "#/definitions/person"}},
            "facts": {"x-kind": "list", "type": "array", "items": _FACT},
            "sources": _SOURCES,
        },
        sourced=("description", "people"),
    ),
    "webinar": _document(
        ["id", "date", "title", "sources"],
        {
            "id": _ID,
            "date": _DATE,
            "series": _ID,
            "title": _TEXT,
            "theme": _TEXT,
            "host": _ID,
            "language": _TEXT,
            "audience": _TEXT,
            "moderator": _ID,
            "attendance": _TEXT,
            "presenting_cities": _IDS,
            "presenting_organisations": _IDS,
            "other_presenters": {"x-kind": "list", "type": "array", "items": _TEXT},
            "remarks": {"x-kind": "list", "type": "array", "items": _REMARK},
            "summary": {
                "x-kind": "summary",
                "type": "object",
                "required": ["published", "publisher", "sources"],
                "properties": {"published": _DATE, "publisher": _ID, "title": _TEXT, "sources": _SOURCES},
                "additionalProperties": False,
            },
            "sources": _SOURCES,
        },
    ),
    "series": _document(
        ["id", "title", "featured_webinar", "sources"],
        {
            "id": _ID,
            "title": _TEXT,
            "organiser": _ID,
            "description": _TEXT,
            "links": {"x-kind": "list", "type": "array", "items": _LINK},
            # the webinar "the webinar" means when a question gives no date
            "featured_webinar": _ID,
            "sources": _SOURCES,
        },
    ),
    "source": _document(
        # `published` is left out for a page that prints no date: a date is never guessed
        ["id", "url", "title", "publisher", "language", "official"],
        {
            "id": _ID,
            "url": {"x-kind": "url", "type": "string", "pattern": r"^https?://\S+$"},
            "title": _STRING,
            "publisher": _STRING,
            "published": _DATE,
            "language": {"x-kind": "choice", "enum": ["en", "fr"]},
            "official": {"x-kind": "choice", "enum": ["yes", "no"]},
        },
    ),
}

_VALIDATORS = {
    kind: jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for kind, schema in SCHEMAS.items()
}


def schema_errors(kind: str, data: Any) -> list[jsonschema.ValidationError]:
    """Every shape error of `data` for a file of `kind` (the caller orders them by line)."""
    return list(_VALIDATORS[kind].iter_errors(data))
