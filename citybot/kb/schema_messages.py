"""Turning jsonschema errors into sentences for the people who edit the YAML.

"'fr' is a required property" means nothing to a communication officer; "the French text is
missing" does. Each error is translated using the `x-kind` tag of the subschema it failed.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema

from citybot.kb.model import LANGUAGE_NAMES
from citybot.kb.schema import DATE_PATTERN
from citybot.kb.yaml_file import PathKey

_EXPECTED = {
    "text": "a text in both languages, written {en: ..., fr: ...}",
    "list": "a list, written [first, second] or one '- item' per line",
    "id": "an id (lowercase letters, digits, hyphens)",
    "date": "a date written YYYY-MM-DD",
    "string": "a text",
    "url": "a web address",
    "document": "fields written 'name: value', one per line",
    "word group": "a group of words written [first, second, ...]",
    "synonyms": "words in each language, written {en: [first, second], fr: [premier, second]}",
}


def describe_error(error: jsonschema.ValidationError) -> tuple[PathKey, str]:
    """The field path and plain-words message for one schema error."""
    path: PathKey = tuple(error.absolute_path)
    kind = error.schema.get("x-kind", "") if isinstance(error.schema, dict) else ""
    handler = _HANDLERS.get(error.validator)
    if handler is None:
        return path, error.message
    return handler(error, path, kind)


def _required(error: jsonschema.ValidationError, path: PathKey, kind: str) -> tuple[PathKey, str]:
    missing = [name for name in error.validator_value if name not in error.instance][0]
    if kind == "text":
        return path + (missing,), f"the {LANGUAGE_NAMES[missing]} text is missing"
    if kind == "measure" and missing == "text":
        return path, "measure has no text"
    if missing == "sources" and kind == "sourced":
        facts = [name for name in error.schema["x-facts"] if name in error.instance]
        return path + (facts[0],), (
            f"the file states facts ({', '.join(facts)}) but names no source: add 'sources: [id]' at "
            "the top of the file with the id of the page that states them (a file in knowledge/sources/)"
        )
    if missing == "sources":
        return path, f"{_FACT_NAMES.get(kind, 'the file')} {_NO_SOURCE}"
    return path + (missing,), f"the required field '{missing}' is missing"


_FACT_NAMES = {
    "measure": "the measure",
    "fact": "the organisation fact",
    "remark": "the remark",
    "summary": "the summary",
    "document": "the file",
}
_NO_SOURCE = (
    "names no source: add 'sources: [id]' with the id of the page that states it "
    "(a file in knowledge/sources/)"
)


def _additional(error: jsonschema.ValidationError, path: PathKey, kind: str) -> tuple[PathKey, str]:
    allowed = list(error.schema.get("properties", {}))
    extra = [key for key in error.instance if key not in allowed][0]
    if kind == "text":
        return path + (extra,), (f"unknown language '{extra}': a text has exactly two languages, en and fr")
    hint = _REMOVED_FIELDS.get((kind, extra))
    if hint:
        return path + (extra,), f"unknown field '{extra}': {hint}"
    return path + (extra,), f"unknown field '{extra}' (allowed here: {', '.join(allowed)})"


#: Fields the bot once accepted without ever using them, or renamed: what to do instead.
_REMOVED_FIELDS = {
    ("fact", "topics"): "no answer reads the topics of an organisation fact; remove the line",
    ("summary", "photo_credit"): "the bot never shows photo credits; remove the line",
    ("document", "representative"): (
        "write 'representatives:' with one '- id: ...' block per person (a city may have several)"
    ),
}


def _type(error: jsonschema.ValidationError, path: PathKey, kind: str) -> tuple[PathKey, str]:
    if error.instance is None:
        if kind == "text":
            return path, "is empty: write the English and the French text, {en: ..., fr: ...}"
        return path, "is empty"
    expected = _EXPECTED.get(kind, f"a {kind or 'value'}")
    return path, f"expected {expected}, found {_describe_value(error.instance)}"


def _pattern(error: jsonschema.ValidationError, path: PathKey, kind: str) -> tuple[PathKey, str]:
    value = error.instance
    if kind == "id":
        return path, (
            f"'{value}' is not a valid id: use lowercase ASCII letters and digits, "
            "joined by single hyphens or underscores (e.g. mayo-baleo, 2020-04-23)"
        )
    if kind == "url":
        return path, f"'{value}' is not a web address starting with http:// or https://"
    return path, error.message


def _format(error: jsonschema.ValidationError, path: PathKey, kind: str) -> tuple[PathKey, str]:
    value = error.instance
    if kind == "date" and re.fullmatch(DATE_PATTERN, value):
        return path, f"'{value}' is not a real date"
    if kind == "date":
        return path, f"'{value}' is not a date written YYYY-MM-DD (e.g. 2020-04-23)"
    return path, error.message


def _enum(error: jsonschema.ValidationError, path: PathKey, kind: str) -> tuple[PathKey, str]:
    choices = ", ".join(str(choice) for choice in error.validator_value)
    message = f"'{error.instance}' is not allowed here (choose one of: {choices})"
    if path[-1:] == ("aspect",) and error.instance == "description":
        message += "; no answer shows such a fact: write it in the organisation's own 'description'"
    return path, message


def _min_items(error: jsonschema.ValidationError, path: PathKey, kind: str) -> tuple[PathKey, str]:
    if kind == "sources":
        return path, "the list is empty: give the id of at least one source (a file in knowledge/sources/)"
    if kind == "word group":
        return path, "a group of related words needs at least two words: the word and what it relates to"
    return path, "the list is empty: give at least one value"


def _min_length(error: jsonschema.ValidationError, path: PathKey, kind: str) -> tuple[PathKey, str]:
    return path, "is empty: write a word, or remove the item"


_HANDLERS = {
    "required": _required,
    "additionalProperties": _additional,
    "type": _type,
    "pattern": _pattern,
    "format": _format,
    "enum": _enum,
    "minItems": _min_items,
    "minLength": _min_length,
}


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"the value {value}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) < 40 else f"the text '{value[:37]}...'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return type(value).__name__
