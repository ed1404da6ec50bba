"""The one knowledge base the action server answers from, loaded on first use.

Loading and indexing the YAML files takes a moment and the data never changes while the
server runs, so every action shares one read-only `KnowledgeBase` (a lazy, lock-protected
module singleton) instead of reading the files per request.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Optional

from citybot.kb import KnowledgeBase, KnowledgeBaseError, load_knowledge_base

logger = logging.getLogger(__name__)

#: Folder of the knowledge base; overridable so tests or deployments can point elsewhere.
KNOWLEDGE_ENV = "CITYBOT_KNOWLEDGE"
DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"

_lock = threading.Lock()
_kb: Optional[KnowledgeBase] = None


def knowledge_dir() -> Path:
    """Where the knowledge base lives: $CITYBOT_KNOWLEDGE, else `knowledge/` of this repository."""
    return Path(os.environ.get(KNOWLEDGE_ENV) or DEFAULT_KNOWLEDGE_DIR)


def get_kb() -> KnowledgeBase:
    """The shared knowledge base; raises `KnowledgeBaseError` if the files are invalid."""
    global _kb
    if _kb is None:
        with _lock:
            if _kb is None:
                _kb = load_knowledge_base(knowledge_dir())
    return _kb


def preload_kb() -> None:
    """Load the knowledge base now (server start); log its problems instead of failing.

    With a broken knowledge base the server still starts and every answer apologises
    (`utter_technical_problem`), while the log lists each problem with its file and line.
    """
    try:
        get_kb()
    except KnowledgeBaseError as error:
        logger.error("The knowledge base in %s cannot be used:\n%s", knowledge_dir(), error)

