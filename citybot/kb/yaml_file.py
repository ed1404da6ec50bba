"""Reading one YAML file while remembering where every value came from.

Error messages must point staff at a line, but `yaml.safe_load` forgets positions. So each file
is composed into a node tree once: the same nodes give both the Python data (constructed with a
safe loader) and a map from field path to line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from citybot.kb.errors import Issue
from citybot.kb.yaml_errors import explain

PathKey = tuple[str | int, ...]


_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses ~10x faster


class _KnowledgeLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader that keeps dates and yes/no words as plain strings.

    Ids such as `2020-04-23` would otherwise become `datetime.date` objects and a French or
    English text reading "yes", "no", "on" or "off" would become a boolean.
    """


_KnowledgeLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlFile:
    """A parsed knowledge file: its data, display name and the line of each field path."""

    display: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """Line of `path`, or of its closest parent known to the map (missing fields)."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def issue(self, path: PathKey, message: str) -> Issue:
        """An `Issue` located at `path` in this file."""
        return Issue(self.display, self.line(path), format_path(path), message)


def format_path(path: PathKey) -> str:
    """Render a field path as staff read it: `measures[2].text.fr`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml_file(path: Path, display: str) -> tuple[YamlFile | None, list[Issue]]:
    """Parse `path`; return the file, or None and the issues that prevented reading it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [Issue(display, None, "", f"the file is not UTF-8 text ({error.reason})")]
    except OSError as error:
        return None, [Issue(display, None, "", f"cannot read the file ({error.strerror})")]
    loader = _KnowledgeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        explanation = explain(error, text)
        return None, [Issue(display, explanation.line, "", explanation.message)]
    except yaml.YAMLError as error:
        return None, [Issue(display, None, "", f"YAML syntax error: {error}")]
    finally:
        loader.dispose()
    if node is None:
        return None, [Issue(display, None, "", "the file is empty")]
    source = YamlFile(display, data)
    issues: list[Issue] = []
    _map_lines(node, (), source.lines, display, issues)
    return source, issues


def _map_lines(
    node: yaml.Node, path: PathKey, lines: dict[PathKey, int], display: str, issues: list[Issue]
) -> None:
    """Record the line of every value and report duplicate keys, which YAML silently drops."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _map_lines(child, path + (index,), lines, display, issues)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                issues.append(
                    Issue(
                        display,
                        line,
                        format_path(path + (key,)),
                        f"duplicate key '{key}' (first written on line {seen[key]}); "
                        "YAML would silently keep only the last one",
                    )
                )
                continue
            seen[key] = line
            lines[path + (key,)] = line
            _map_lines(value_node, path + (key,), lines, display, issues)
