"""`load_knowledge_base`: read every file of knowledge/, validate all of it, build the indexes.

Order of work: find the files, parse them (syntax errors), check each file's shape (JSON
Schema), declare every id, check references between files, and only when nothing at all is
wrong build the records. Every problem found on the way is reported together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import ValidationError

from citybot.kb import build
from citybot.kb.checks import check_city_names, check_file
from citybot.kb.errors import Issue, KnowledgeBaseError
from citybot.kb.knowledge_base import KnowledgeBase
from citybot.kb.registry import Registry, declare_file
from citybot.kb.schema import schema_errors
from citybot.kb.schema_messages import describe_error
from citybot.kb.yaml_file import YamlFile, read_yaml_file

# folder -> kind of file it holds (one file per record)
FOLDERS = {
    "cities": "city",
    "organisations": "organisation",
    "webinars": "webinar",
    "series": "series",
    "sources": "source",
}
# single files at the top of knowledge/
SINGLE_FILES = {"countries": "countries", "topics": "topics"}
# single files a knowledge base may do without
OPTIONAL_FILES = {"related_words": "related_words"}
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass
class _File:
    kind: str
    path: Path
    source: YamlFile
    valid: bool = False


def load_knowledge_base(path: str | Path) -> KnowledgeBase:
    """Load and validate the knowledge base in folder `path`.

    No default folder: callers take it from `citybot.paths.knowledge_dir()`, and servers share one
    loaded knowledge base through `citybot.kb.shared`. Raises `KnowledgeBaseError` listing every problem found, in file and line order.
    """
    root = Path(path)
    if not root.is_dir():
        raise KnowledgeBaseError([Issue(str(root), None, "", "knowledge base folder not found")])
    found, issues = _discover(root)
    files = []
    unreadable = []
    for kind, file_path in found:
        source, read_issues = _read(file_path, _display(root, file_path))
        issues += read_issues
        if source is not None:
            # duplicate keys do not stop the shape checks: report everything at once
            files.append(_File(kind, file_path, source, valid=True))
        else:
            unreadable.append(_File(kind, file_path, YamlFile(_display(root, file_path), None)))
    issues += _validate(files, unreadable)
    if issues:
        raise KnowledgeBaseError(sorted(issues, key=_issue_order))
    return _build(files)


#: Each file as last parsed and shape-checked, by path, with the modification time and size it
#: had: when staff save one file, a reload parses and checks that one again, not every file (most
#: of a load's time: docs/benchmarks.md, issue 15). One entry per path, so saving the same file
#: over and over grows nothing. Nothing downstream changes a parsed file's data.
_Stamp = tuple[str, int, int]
_parsed: dict[str, tuple[_Stamp, YamlFile | None, list[Issue]]] = {}
_shapes: dict[str, tuple[_Stamp, list[ValidationError]]] = {}
#: Paths cached at most (a knowledge base of 1 000 cities has about 1 100 files).
_CACHED_FILES = 4096


def _stamp(path: Path, display: str) -> _Stamp | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (display, stat.st_mtime_ns, stat.st_size)


def _read(path: Path, display: str) -> tuple[YamlFile | None, list[Issue]]:
    """`read_yaml_file`, from the cache when the file has not changed since it was read."""
    stamp, cached = _stamp(path, display), _parsed.get(str(path))
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1], cached[2]
    source, issues = read_yaml_file(path, display)
    if stamp is not None:
        if len(_parsed) >= _CACHED_FILES:
            _parsed.clear()
            _shapes.clear()
        _parsed[str(path)] = (stamp, source, issues)
        _shapes.pop(str(path), None)
    return source, issues


def _shape_errors(file: _File) -> list[ValidationError]:
    """`schema_errors` of a readable file, from the cache when it is the file's cached parse."""
    key = str(file.path)
    cached = _parsed.get(key)
    if cached is None or cached[1] is not file.source:
        return schema_errors(file.kind, file.source.data)
    if key not in _shapes or _shapes[key][0] != cached[0]:
        _shapes[key] = (cached[0], schema_errors(file.kind, file.source.data))
    return _shapes[key][1]


def _display(root: Path, file_path: Path) -> str:
    return str(root / file_path.relative_to(root))


def _discover(root: Path) -> tuple[list[tuple[str, Path]], list[Issue]]:
    """The knowledge files to read, and complaints about missing or misplaced ones."""
    found: list[tuple[str, Path]] = []
    issues: list[Issue] = []
    for stem, kind in SINGLE_FILES.items():
        candidates = [root / f"{stem}{suffix}" for suffix in YAML_SUFFIXES]
        existing = [c for c in candidates if c.is_file()]
        if not existing:
            issues.append(Issue(str(root / f"{stem}.yml"), None, "", "the file is missing"))
        found += [(kind, c) for c in existing]
    for stem, kind in OPTIONAL_FILES.items():
        found += [
            (kind, root / f"{stem}{suffix}")
            for suffix in YAML_SUFFIXES
            if (root / f"{stem}{suffix}").is_file()
        ]
    for folder, kind in FOLDERS.items():
        for path in sorted((root / folder).rglob("*")):
            if not _is_yaml(path):
                continue
            if path.parent == root / folder:
                found.append((kind, path))
            else:
                issues.append(_misplaced(root, path))
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if (
            _is_yaml(entry)
            and entry.stem not in SINGLE_FILES
            and entry.stem not in OPTIONAL_FILES
            or entry.is_dir()
            and entry.name not in FOLDERS
            and any(map(_is_yaml, entry.rglob("*")))
        ):
            issues.append(_misplaced(root, entry))
    return found, issues


def _misplaced(root: Path, path: Path) -> Issue:
    return Issue(
        _display(root, path),
        None,
        "",
        "this bot does not read this file or folder (it reads countries.yml, topics.yml, related_words.yml "
        f"and the files directly inside {', '.join(f + '/' for f in FOLDERS)}): "
        "move it or remove it",
    )


def _is_yaml(path: Path) -> bool:
    return path.is_file() and path.suffix in YAML_SUFFIXES and not path.name.startswith(".")


def _validate(files: list[_File], unreadable: list[_File]) -> list[Issue]:
    """Shape and cross-reference problems of the readable files.

    A file in cities/ (say) that cannot be read, or whose id is wrong, is still assumed to
    declare the id of its file name, so its mistake is reported once instead of again in every
    file that mentions the city.
    """
    issues: list[Issue] = []
    for file in files:
        if not file.valid:
            continue
        shape_issues = [file.source.issue(*describe_error(e)) for e in _shape_errors(file)]
        issues += shape_issues
        file.valid = not shape_issues
    registry = Registry()
    for file in files:
        declare_file(registry, file.kind, file.source)
    for file in files + unreadable:
        if file.kind in FOLDERS.values():
            registry.assume(file.kind, file.source, file.path.stem)
    issues += registry.issues
    webinar_cities = _presenting_cities(files)
    webinar_series = {
        f.source.data["id"]: f.source.data["series"]
        for f in files
        if f.valid and f.kind == "webinar" and "series" in f.source.data
    }
    for file in files:
        if file.valid:
            issues += check_file(file.kind, file.source, file.path, registry, webinar_cities, webinar_series)
    issues += check_city_names([f.source for f in files if f.valid and f.kind == "city"])
    return issues


def _presenting_cities(files: list[_File]) -> dict[str, set[str]]:
    """Webinar id -> ids of the cities it lists as presenting."""
    return {
        f.source.data["id"]: set(f.source.data.get("presenting_cities") or ())
        for f in files
        if f.valid and f.kind == "webinar"
    }


def _issue_order(issue: Issue) -> tuple[str, int, str]:
    return (issue.file, issue.line or 0, issue.field)


def _build(files: list[_File]) -> KnowledgeBase:
    records: dict[str, list[Any]] = {kind: [] for kind in FOLDERS.values()}
    countries, topics, related_words = [], [], []
    for file in files:
        data = file.source.data
        if file.kind == "countries":
            countries += build.countries(data)
        elif file.kind == "topics":
            topics += build.topics(data)
        elif file.kind == "related_words":
            related_words += build.related_words(data)
        else:
            records[file.kind].append(build.BUILDERS[file.kind](data))
    return KnowledgeBase(
        countries=countries,
        topics=topics,
        cities=records["city"],
        organisations=build.resolve_see(records["organisation"], records["webinar"], records["series"]),
        webinars=records["webinar"],
        series=records["series"],
        sources=records["source"],
        related_words=related_words,
    )
