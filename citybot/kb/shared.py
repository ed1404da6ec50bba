"""The one knowledge base of a process: loaded once, shared by every reader, kept up to date.

Loading and indexing the YAML files takes a moment and a KnowledgeBase holds every index, so each
process (the Rasa server, the action server) keeps one read-only `KnowledgeBase` (a lock-protected
module singleton) that all its readers share: the NLU component and the language policy in the
Rasa server, every action in the action server.

Staff edit the files while the bot runs: at most every `RECHECK_SECONDS`, `shared_knowledge_base`
compares the files' modification times and sizes with those it loaded and reloads when they
changed. The check runs on the request path, so it is one `os.scandir` walk with one `stat` per
YAML file: about 0.3 ms at 47 cities, 0.7 ms at 300 and 2 ms at 1000 on an idle core (issue 15;
`pathlib`'s `rglob` took five to six times as long), cheap enough to do twice a second. A save
that breaks the knowledge base is logged once (file, line, field) and the last valid knowledge
base of that folder stays in use, so a typo never takes the bot down. The previous
`KnowledgeBase` and everything derived from it (its indexes, its name words) go with it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from citybot.kb.errors import KnowledgeBaseError
from citybot.kb.knowledge_base import KnowledgeBase
from citybot.kb.loader import YAML_SUFFIXES, load_knowledge_base

logger = logging.getLogger(__name__)

#: How often (seconds) the files are looked at for changes; in between, no disk access at all.
#: Half a second keeps a saved fact's wait for the check under the 1 s hot-reload target (issue 15).
RECHECK_SECONDS = 0.5

#: The folder, and each YAML file in it with its modification time and size.
Signature = tuple[str, tuple[tuple[str, int, int], ...]]


@dataclass
class _State:
    """What was loaded, from which files, and the last failure (not logged twice)."""

    kb: KnowledgeBase | None
    signature: Signature
    checked_at: float
    error: KnowledgeBaseError | None = None


_lock = threading.Lock()
_state: _State | None = None


def shared_knowledge_base(folder: str | os.PathLike[str]) -> KnowledgeBase:
    """The knowledge base in `folder`, loaded once and reloaded when its files change.

    Raises `KnowledgeBaseError` only if no valid knowledge base was ever loaded from `folder`.
    Asked for another folder, it loads that one instead (keeping nothing of the first).
    """
    global _state
    folder = Path(folder)
    with _lock:
        now = time.monotonic()
        same_folder = _state is not None and _state.signature[0] == str(folder)
        if _state is not None and same_folder and now - _state.checked_at < RECHECK_SECONDS:
            return _current(_state)
        signature = _signature(folder)
        if _state is not None and signature == _state.signature:
            _state.checked_at = now
            return _current(_state)
        previous = _state.kb if _state is not None and same_folder else None
        try:
            kb = load_knowledge_base(folder)
        except KnowledgeBaseError as error:
            logger.error(
                "The knowledge base in %s cannot be used (%s):\n%s",
                folder,
                "keeping the previous version" if previous else "no answers",
                error,
            )
            _state = _State(previous, signature, now, error)
            return _current(_state)
        _state = _State(kb, signature, now)
        return kb


def _current(state: _State) -> KnowledgeBase:
    if state.kb is None:
        raise state.error or KnowledgeBaseError([])
    return state.kb


def _signature(folder: Path) -> Signature:
    """Every YAML file of the folder with its modification time and size: changes when staff save."""
    return (str(folder), tuple(sorted(_yaml_stats(str(folder)))))


def _yaml_stats(folder: str) -> Iterator[tuple[str, int, int]]:
    """(path, mtime, size) of each YAML file under `folder`: one `stat` each, on the request path.

    Like `Path.rglob`, symbolic links to folders are not followed (no loop). A file that vanishes
    between listing and `stat` (an editor saving by rename) is left out: the next check sees the
    new one. A missing folder has no files (loading it then says what is wrong).
    """
    folders = [folder]
    while folders:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.name.endswith(YAML_SUFFIXES) and entry.is_file():
                    with contextlib.suppress(FileNotFoundError):
                        stat = entry.stat()
                        yield (entry.path, stat.st_mtime_ns, stat.st_size)
