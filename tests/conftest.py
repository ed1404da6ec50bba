"""Shared pytest fixtures.

Knowledge-base fixtures: the real knowledge/ folder (`kb`), the tiny valid fixture knowledge
base (`fixture_kb`), and `kb_copy`, which builds a throw-away copy of the fixture knowledge base
with some files replaced, for tests of bad input.
"""

from __future__ import annotations

import shutil
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
