"""Problems found in the knowledge base, reported all at once.

Staff edit YAML by hand; fixing one typo per run of the validator would be tedious, so the loader
collects every `Issue` and raises a single `KnowledgeBaseError` listing them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem: where it is (file, line, field path) and what is wrong, in plain words."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be used; `issues` lists every problem found."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues: list[Issue] = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)
