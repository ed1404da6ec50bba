"""The one knowledge base the action server answers from, loaded once and kept up to date.

Every action shares the process's `KnowledgeBase` (`citybot.kb.shared`), read from
`citybot.paths.knowledge_dir()` (`$CITYBOT_KNOWLEDGE`, else the project's `knowledge/`).
Staff edit the files while the bot runs: saved changes are picked up within a few seconds, and a
save that breaks the knowledge base is logged once while the last valid one keeps answering.
"""

from __future__ import annotations

import contextlib

from citybot.kb import KnowledgeBase, KnowledgeBaseError
from citybot.kb.shared import shared_knowledge_base
from citybot.paths import knowledge_dir


def get_kb() -> KnowledgeBase:
    """The current knowledge base; raises `KnowledgeBaseError` only if no valid one was ever loaded."""
    return shared_knowledge_base(knowledge_dir())


def preload_kb() -> None:
    """Load the knowledge base and its fact index now (server start); its problems are logged, not raised.

    With a broken knowledge base the server still starts and every answer apologises
    (`utter_technical_problem`), while the log lists each problem with its file and line.
    """
    with contextlib.suppress(KnowledgeBaseError):  # already logged by shared_knowledge_base
        get_kb().fact_index  # noqa: B018  built now (about a second), not during the first question
