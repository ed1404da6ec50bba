"""Re-count what the architecture review counted (docs/architecture.md, "Counts").

The review of f7edbc0 (`../shared/reviews/architecture-review.md`) measured where a newcomer gets
lost: language logic spread over many files, a fact crossing many modules on its way to a reply,
classes that only forward a call, concepts defined several times. This counts the same things
the same way in the working tree and in an earlier commit (by default b8ab332: f7edbc0 formatted
by ruff, the last commit before the redesign), so the two columns are comparable:

    .venv/bin/python scripts/architecture_counts.py [--before COMMIT]
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ROOT = HERE  # the tree being counted
CODE = ("citybot", "actions")

#: Functions that decide or normalise the conversation's language (names old and new).
LANGUAGE_FUNCTIONS = {
    "detect", "choose_language", "normalise_code", "language_code", "message_language",
    "channel_hint", "notices", "is_third_language", "reply_language", "langdetect_fr_minus_en",
}  # fmt: skip


def python_files() -> Iterator[Path]:
    for folder in CODE:
        yield from sorted((ROOT / folder).rglob("*.py"))


def parsed() -> Iterator[tuple[Path, ast.Module]]:
    for path in python_files():
        yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def defined_functions(tree: ast.Module) -> set[str]:
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def language_files() -> list[str]:
    return [str(path) for path, tree in parsed() if defined_functions(tree) & LANGUAGE_FUNCTIONS]


def forwarding_classes() -> list[str]:
    """Action classes whose `answer` is a single `return function(...)` of another module: they
    only pass the call on. (`return self.answer_city(...)` keeps the work in the class.)"""
    found = []
    for path, tree in parsed():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            answers = [m for m in node.body if isinstance(m, ast.FunctionDef) and m.name == "answer"]
            if answers and _only_forwards(answers[0]):
                found.append(f"{path}:{node.name}")
    return found


def _only_forwards(method: ast.FunctionDef) -> bool:
    body = [s for s in method.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
        return False
    target = body[0].value.func
    return not (
        isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"
    )


def grep(pattern: str) -> list[str]:
    regex = re.compile(pattern)
    hits = []
    for path in python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if regex.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}")
    return hits


def answer_path() -> str:
    """count_answer_path.py (today's version) run on the counted tree's `actions/`."""
    result = subprocess.run(
        [
            sys.executable,
            str(HERE / "scripts" / "count_answer_path.py"),
            "--actions-dir",
            str(ROOT / "actions"),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    modules = re.search(r"visited \((\d+)\)", result.stdout)
    stays = re.search(r"stays: (\d+), returns: (\d+)", result.stdout)
    if not (modules and stays):
        return "could not count (run scripts/count_answer_path.py)"
    return f"{modules.group(1)} modules, {stays.group(1)} stays, {stays.group(2)} returns"


def counts() -> list[tuple[str, str, object]]:
    """(what, the review's figure at f7edbc0, the figure in ROOT)."""
    language = language_files()
    folders = sorted({str(Path(f).parent) for f in language})
    return [
        ("files defining language decisions", "8 in 4 folders", f"{len(language)} in {', '.join(folders)}"),
        ("`actions/` modules importing `citybot.policies`", "2", len(_files(_actions_policies()))),
        ('`("en", "fr")` definitions', "5", len(grep(r'=\s*\(\s*"en",\s*"fr"\s*\)'))),
        ("language-code normalisers", "2", len(grep(r"def (normalise_code|language_code)\b"))),
        (
            "langdetect wrappers (modules importing it)",
            "2",
            len(_files(grep(r"^(from|import) langdetect"))),
        ),
        ("`fold` functions", "2", len(grep(r"def fold\b"))),
        ("`NameIndex` classes", "2", len(grep(r"class NameIndex\b"))),
        ("server modules loading knowledge/ themselves", "3", len(_files(_own_loads()))),
        ("modules caching on id(kb)", "2", len(_files(grep(r"\[id\(kb\)\]")))),
        ("classes that only forward a call", "25", len(forwarding_classes())),
        ("fact to reply: actions/ modules crossed", "46 stays in 8 files", answer_path()),
    ]


def _files(hits: list[str]) -> set[str]:
    return {hit.split(":")[0] for hit in hits}


def _own_loads() -> list[str]:
    """Calls of `load_knowledge_base` in the servers' code, outside the shared loader."""
    servers = ("citybot/nlu/components", "citybot/nlu/message_limit", "citybot/policies/", "actions/")
    return [hit for hit in grep(r"load_knowledge_base\(") if hit.startswith(servers)]


def _actions_policies() -> list[str]:
    return [hit for hit in grep(r"^\s*(from|import) citybot\.policies") if hit.startswith("actions/")]


def counted_at(commit: str) -> list[tuple[str, str, object]]:
    """`counts()` of `commit`'s tree, extracted with git archive into a temporary folder."""
    global ROOT
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", commit], cwd=HERE, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        ROOT = Path(folder)
        try:
            return counts()
        finally:
            ROOT = HERE


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--before", default="b8ab332", help="the commit to compare with (default: %(default)s)"
    )
    args = parser.parse_args()
    before = counted_at(args.before)
    print(f"| count | review of f7edbc0 | {args.before} | now |\n|---|---|---|---|")
    for (what, review, old), (_, _, now) in zip(before, counts(), strict=True):
        print(f"| {what} | {review} | {old} | {now} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
