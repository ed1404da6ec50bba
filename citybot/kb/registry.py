"""Every id the knowledge base declares, and where: the basis of cross-reference checks.

Ids are gathered from every readable file, even one with shape errors, so that a typo in one
file does not make every other file that mentions its ids look wrong too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from citybot.kb.errors import Issue
from citybot.kb.yaml_file import PathKey, YamlFile

# What each kind of id is called in messages, and where staff should look for it.
KIND_NAMES = {
    "country": "country",
    "topic": "topic",
    "city": "city",
    "person": "person",
    "organisation": "organisation",
    "webinar": "webinar",
    "series": "series",
    "measure": "measure",
    "fact": "organisation fact",
    "remark": "remark",
    "link": "series link",
    "summary": "webinar summary",
    "source": "source",
}


@dataclass
class Declaration:
    """Where an id was declared."""

    source: YamlFile
    path: PathKey

    @property
    def where(self) -> str:
        line = self.source.line(self.path)
        return self.source.display if line is None else f"{self.source.display}:{line}"


@dataclass
class Registry:
    """Declared ids per kind; duplicates are reported as they are declared."""

    ids: dict[str, dict[str, Declaration]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def declare(self, kind: str, source: YamlFile, path: PathKey, value: Any) -> None:
        """Record id `value` of `kind` found at `path`; report it if already taken."""
        if not isinstance(value, str) or not value:
            return
        known = self.ids.setdefault(kind, {})
        if value in known:
            self.issues.append(
                source.issue(path, f"duplicate id '{value}' also defined in {known[value].where}")
            )
            return
        known[value] = Declaration(source, path)

    def assume(self, kind: str, source: YamlFile, value: str) -> None:
        """Treat `value` as declared unless it already is, without reporting anything.

        Used for the file name of a city (etc.) whose id is broken or different, so that files
        mentioning that city are not blamed for a mistake reported elsewhere.
        """
        self.ids.setdefault(kind, {}).setdefault(value, Declaration(source, ()))

    def has(self, kind: str, value: str) -> bool:
        return value in self.ids.get(kind, {})

    def unknown_message(self, kind: str, value: Any) -> str:
        """ "unknown topic id 'scool' (did you mean 'schooling'? known: ...)"."""
        known = sorted(self.ids.get(kind, {}))
        name = KIND_NAMES[kind]
        guess = _closest(str(value), known)
        hint = f"did you mean '{guess}'? " if guess else ""
        listing = ", ".join(known) if known else "none defined"
        if len(known) > 25:
            listing = ", ".join(known[:25]) + ", ..."
        return f"unknown {name} id '{value}' ({hint}known: {listing})"


def _closest(value: str, choices: list[str]) -> str | None:
    match = process.extractOne(value, choices, scorer=fuzz.ratio, score_cutoff=60)
    return match[0] if match else None


def items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list `data[key]`, skipping malformed entries."""
    values = data.get(key) if isinstance(data, dict) else None
    if not isinstance(values, list):
        return
    for index, value in enumerate(values):
        if isinstance(value, dict):
            yield index, value


def declare_file(registry: Registry, kind: str, source: YamlFile) -> None:
    """Declare every id a file of `kind` defines (tolerating malformed content)."""
    data = source.data
    if not isinstance(data, dict):
        return
    if kind == "related_words":
        return  # word groups have no ids
    if kind in ("countries", "topics"):
        singular = kind[:-1] if kind == "topics" else "country"
        for index, entry in items(data, kind):
            registry.declare(singular, source, (kind, index, "id"), entry.get("id"))
        return
    registry.declare(kind, source, ("id",), data.get("id"))
    summary = data.get("summary")
    if kind == "webinar" and isinstance(summary, dict) and summary.get("title"):
        # a fact may refer to the summary's title by the webinar id (`see:`)
        registry.declare("summary", source, ("summary",), data.get("id"))
    for list_key, item_kind in _NESTED.get(kind, ()):
        for index, entry in items(data, list_key):
            registry.declare(item_kind, source, (list_key, index, "id"), entry.get("id"))


_NESTED = {
    "city": (("representatives", "person"), ("measures", "measure")),
    "organisation": (("people", "person"), ("facts", "fact")),
    "webinar": (("remarks", "remark"),),
    "series": (("links", "link"),),
}
