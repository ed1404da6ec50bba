"""The question templates of bot/nlu_templates.yml, read and checked before any example is built.

A typo in a placeholder ("{cty}") or an intent name would otherwise produce training examples
that silently teach the model nonsense; so the file is validated and every problem is reported.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from citybot.language import LANGUAGES
from citybot.paths import NLU_TEMPLATES

DEFAULT_TEMPLATES = NLU_TEMPLATES
PLACEHOLDERS = ("city", "topic", "organisation", "person")
# Placeholders filled with plain text: the domain has no such entity (people are found by name in the text).
UNANNOTATED = ("person",)
# The intents the generator may feed (docs/architecture.md, "Intent names").
INTENTS = (
    "ask_city_topic",
    "ask_city_overview",
    "ask_city_country",
    "ask_city_status",
    "ask_city_representative",
    "ask_city_webinar",
    "ask_cities_by_topic",
    "inform",
    "ask_organisation",
    "ask_organisation_leader",
    "ask_organisation_covid",
    "ask_organisation_themes",
    "ask_person",
    "ask_said",
)


class TemplateError(ValueError):
    """The templates file is missing or malformed; the message lists every problem."""


@dataclass(frozen=True)
class Templates:
    """Templates per intent and language, and how many examples to build per intent and language."""

    by_intent: dict[str, dict[str, tuple[str, ...]]]
    max_examples_per_intent: int
    lowercase_every: int
    source: str
    # A smaller cap for some intents (`max_examples_for:` in the file), e.g. those with few names.
    max_examples_for: dict[str, int] = field(default_factory=dict)
    # Greetings and thanks per language that start every `opener_every`-th example (issue 16).
    openers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    opener_every: int = 0

    def cap(self, intent: str) -> int:
        """How many examples to build for `intent` per language."""
        return self.max_examples_for.get(intent, self.max_examples_per_intent)


def placeholders(template: str) -> set[str]:
    """Names used between braces in `template` ("{city} and {topic}" -> {"city", "topic"})."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def load_templates(path: str | Path = DEFAULT_TEMPLATES) -> Templates:
    """Read and validate the templates file; raises TemplateError naming the file and each problem."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"{path}: templates file not found") from None
    except yaml.YAMLError as error:
        raise TemplateError(f"{path}: not valid YAML: {error}") from None
    problems = _problems(data)
    if problems:
        raise TemplateError("\n".join(f"{path}: {p}" for p in problems))
    by_intent = {
        intent: {lang: tuple(data["intents"][intent][lang]) for lang in LANGUAGES}
        for intent in sorted(data["intents"])
    }
    return Templates(
        by_intent,
        data.get("max_examples_per_intent", 60),
        data.get("lowercase_every", 0),
        str(path),
        dict(data.get("max_examples_for") or {}),
        {lang: tuple((data.get("openers") or {}).get(lang) or ()) for lang in LANGUAGES},
        data.get("opener_every", 0),
    )


def _problems(data: Any) -> list[str]:
    if not isinstance(data, dict) or not isinstance(data.get("intents"), dict):
        return ["expected a mapping with an `intents:` mapping"]
    problems = []
    for key in ("max_examples_per_intent", "lowercase_every", "opener_every"):
        value = data.get(key, 1)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{key}: expected a whole number >= 0, got {value!r}")
    caps = data.get("max_examples_for") or {}
    if not isinstance(caps, dict):
        problems.append(f"max_examples_for: expected a mapping intent -> whole number, got {caps!r}")
        caps = {}
    for intent, value in caps.items():
        if intent not in data["intents"]:
            problems.append(f"max_examples_for.{intent}: no templates for this intent")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"max_examples_for.{intent}: expected a whole number >= 0, got {value!r}")
    problems += _opener_problems(data.get("openers"), data.get("opener_every", 0))
    for intent, languages in data["intents"].items():
        if intent not in INTENTS:
            problems.append(f"intents.{intent}: not an intent the generator feeds ({', '.join(INTENTS)})")
            continue
        if not isinstance(languages, dict) or set(languages) != set(LANGUAGES):
            problems.append(f"intents.{intent}: expected exactly the languages en and fr")
            continue
        for lang, templates in languages.items():
            problems += _template_problems(f"intents.{intent}.{lang}", templates)
    return problems


def _opener_problems(openers: Any, every: Any) -> list[str]:
    """`openers:` must give both languages some plain text when `opener_every` uses them."""
    if not every and openers is None:
        return []
    if not isinstance(openers, dict) or set(openers) != set(LANGUAGES):
        return ["openers: expected exactly the languages en and fr, each a list of greetings or thanks"]
    problems = []
    for lang, texts in openers.items():
        if not isinstance(texts, list) or not texts:
            problems.append(f"openers.{lang}: expected a non-empty list of texts")
            continue
        for i, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip() or re.search(r"[\[\]{}]", text):
                problems.append(f"openers.{lang}[{i}]: expected a plain text without brackets or braces")
    return problems


def _template_problems(where: str, templates: Any) -> list[str]:
    if not isinstance(templates, list) or not templates:
        return [f"{where}: expected a non-empty list of templates"]
    problems = []
    for i, template in enumerate(templates):
        if not isinstance(template, str) or not template.strip():
            problems.append(f"{where}[{i}]: expected a non-empty text")
            continue
        try:
            names = placeholders(template)
        except ValueError as error:
            problems.append(f"{where}[{i}]: {error} in {template!r}")
            continue
        unknown = names - set(PLACEHOLDERS)
        if unknown:
            problems.append(
                f"{where}[{i}]: unknown placeholder(s) {sorted(unknown)} in {template!r}"
                f" (use {{city}}, {{topic}}, {{organisation}} or {{person}})"
            )
        elif not names:
            problems.append(
                f"{where}[{i}]: no {{city}} or {{topic}} (or {{organisation}}, {{person}}) in {template!r}"
            )
        if re.search(r"[\[\]]", template):
            problems.append(f"{where}[{i}]: brackets would clash with Rasa's entity markup in {template!r}")
    return problems
