"""Shared pytest fixtures.

Knowledge-base fixtures: the real knowledge/ folder (`kb`), the tiny valid fixture knowledge
base (`fixture_kb`), and `kb_copy`, which builds a throw-away copy of the fixture knowledge base
with some files replaced, for tests of bad input. `stack`: the shared action and Rasa servers
(tests/servers.py).

Hooks: tests using `stack` get the `shared_stack` mark (`make test` runs them in one pytest
process, the other slow tests in another); tests marked model, server, browser, shared_stack or
trains get the `slow` mark, and the others (`-m "not slow"`, `make test-fast`) run first; the
session ends with one plain line naming what was skipped and why.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from citybot.kb import KnowledgeBase, load_knowledge_base

REPO_ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
KB_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "kb"
VALID_KB_DIR = KB_FIXTURES / "valid"
BAD_KB_DIR = KB_FIXTURES / "bad"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The real knowledge base, loaded once per test session."""
    return load_knowledge_base(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def fixture_kb() -> KnowledgeBase:
    """The small valid knowledge base of tests/fixtures/kb/valid/."""
    return load_knowledge_base(VALID_KB_DIR)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Callable[..., Path]:
    """Make a copy of the valid fixture KB, overlaid with bad cases and/or literal files.

    `kb_copy("unknown_topic", files={"cities/x.yml": "..."})` copies tests/fixtures/kb/valid/,
    then every file of tests/fixtures/kb/bad/unknown_topic/ over it, then writes `files`
    (None as content deletes the file). Returns the copy's folder.
    """

    def make(*bad_cases: str, files: dict[str, str | None] | None = None) -> Path:
        root = tmp_path / "knowledge"
        shutil.copytree(VALID_KB_DIR, root, dirs_exist_ok=True)
        for case in bad_cases:
            shutil.copytree(BAD_KB_DIR / case, root, dirs_exist_ok=True)
        for relative, content in (files or {}).items():
            target = root / relative
            if content is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture(scope="module")
def stack():
    """The real action server + Rasa server on the newest model, one per test run (tests/servers.py)."""
    from servers import find_model, shared_stack

    if find_model() is None:
        pytest.skip("no trained model in models/: run `make train` (or set CITYBOT_MODEL)")
    return shared_stack()


# --- Order, lanes and what did not run -----------------------------------------------------

#: Marks of the tests that train or load the model, start servers or drive a browser (seconds to
#: minutes each). conftest gives all of them the `slow` mark; the other tests take milliseconds.
SLOW_MARKS = ("model", "server", "browser", "shared_stack", "trains")


@pytest.hookimpl(tryfirst=True)  # before `-m` selects: it must see the marks added here
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use the shared stack, and the slow ones; run the fast tests first (a
    failure there shows within a minute). The slow ones keep their file order, so each module's
    servers start once."""
    for item in items:
        if "stack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_stack)
        if any(item.get_closest_marker(mark) for mark in SLOW_MARKS):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("slow") is not None)  # stable


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ")


def pytest_terminal_summary(terminalreporter) -> None:
    """One plain line naming what was skipped and how to run it (and the skip log for `make test`)."""
    from skips import SKIP_LOG_ENV, append_log, not_run_line

    reasons = [_skip_reason(report) for report in terminalreporter.stats.get("skipped", [])]
    if os.environ.get(SKIP_LOG_ENV):
        append_log(Path(os.environ[SKIP_LOG_ENV]), reasons)
    line = not_run_line(Counter(reasons))
    if line:
        terminalreporter.write_line(line, yellow=True, bold=True)
