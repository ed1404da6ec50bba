"""The one knowledge base the action server answers from, loaded once and kept up to date.

Loading and indexing the YAML files takes a moment, so every action shares one read-only
`KnowledgeBase` (a lock-protected module singleton) instead of reading the files per request.
Staff edit the files while the bot runs: at most every `RECHECK_SECONDS`, `get_kb` compares the
files' modification times and sizes with those it loaded and reloads when they changed. A save
that breaks the knowledge base is logged once (file, line, field) and the last valid knowledge
base keeps answering, so a typo never takes the bot down.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from citybot.kb import KnowledgeBase, KnowledgeBaseError, load_knowledge_base

logger = logging.getLogger(__name__)

#: Folder of the knowledge base; overridable so tests or deployments can point elsewhere.
KNOWLEDGE_ENV = "CITYBOT_KNOWLEDGE"
DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
#: How often (seconds) the files are looked at for changes; in between, no disk access at all.
RECHECK_SECONDS = 5.0

Signature = tuple


@dataclass
class _State:
    """What was loaded, from which files, and the last failure (not logged twice)."""

    kb: KnowledgeBase | None
    signature: Signature
    checked_at: float
    error: KnowledgeBaseError | None = None


_lock = threading.Lock()
_state: _State | None = None


def knowledge_dir() -> Path:
    """Where the knowledge base lives: $CITYBOT_KNOWLEDGE, else `knowledge/` of this repository."""
    return Path(os.environ.get(KNOWLEDGE_ENV) or DEFAULT_KNOWLEDGE_DIR)


def get_kb() -> KnowledgeBase:
    """The current knowledge base; raises `KnowledgeBaseError` only if no valid one was ever loaded."""
    global _state
    with _lock:
        now = time.monotonic()
        if _state is not None and now - _state.checked_at < RECHECK_SECONDS:
            return _current(_state)
        folder = knowledge_dir()
        signature = _signature(folder)
        if _state is not None and signature == _state.signature:
            _state.checked_at = now
            return _current(_state)
        try:
            kb = load_knowledge_base(folder)
        except KnowledgeBaseError as error:
            logger.error(
                "The knowledge base in %s cannot be used (%s):\n%s",
                folder,
                "keeping the previous version" if _state and _state.kb else "no answers",
                error,
            )
            _state = _State(_state.kb if _state else None, signature, now, error)
            return _current(_state)
        _state = _State(kb, signature, now)
        return kb


def preload_kb() -> None:
    """Load the knowledge base now (server start); its problems are logged, not raised.

    With a broken knowledge base the server still starts and every answer apologises
    (`utter_technical_problem`), while the log lists each problem with its file and line.
    """
    with contextlib.suppress(KnowledgeBaseError):  # already logged by get_kb
        get_kb()


def _current(state: _State) -> KnowledgeBase:
    if state.kb is None:
        raise state.error or KnowledgeBaseError([])
    return state.kb


def _signature(folder: Path) -> Signature:
    """Every YAML file of the folder with its modification time and size: changes when staff save."""
    files = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".yml", ".yaml") and path.is_file():
            stat = path.stat()
            files.append((str(path), stat.st_mtime_ns, stat.st_size))
    return (str(folder), tuple(files))
