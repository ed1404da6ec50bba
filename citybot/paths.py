"""Where the project's files are: one rule for every default path.

Every path is relative to the repository root (the folder holding `pyproject.toml`), never to
the directory a command happens to run from, so `citybot kb validate`, the Rasa server and the
action server find the same files wherever they are started. The knowledge base alone can be
moved: `$CITYBOT_KNOWLEDGE`, when set, names its folder for every process (deployments and tests
point both servers at one copy with it).

Standard library only: the knowledge base, the language package and the action server all import it.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the package is installed editable, so this is the working copy).
REPOSITORY = Path(__file__).resolve().parent.parent
#: Environment variable naming the knowledge-base folder; it wins over every configured path.
KNOWLEDGE_ENV = "CITYBOT_KNOWLEDGE"
#: The knowledge base staff edit, unless `$CITYBOT_KNOWLEDGE` says otherwise.
DEFAULT_KNOWLEDGE_DIR = REPOSITORY / "knowledge"
#: The question templates the NLU generator fills with knowledge-base names.
NLU_TEMPLATES = REPOSITORY / "bot" / "nlu_templates.yml"
#: Where the NLU generator writes the training data it derives from the knowledge base.
GENERATED_NLU_DIR = REPOSITORY / "data" / "nlu" / "generated"
#: The training rules (intent -> action), which the action server reads to answer after a notice.
RULES_FILE = REPOSITORY / "data" / "rules.yml"
#: Run-time files: the conversation database, the generated channel credentials.
VAR_DIR = REPOSITORY / "var"
#: The web chat page (HTML, script, style and the npm widget).
WEBCHAT_DIR = REPOSITORY / "webchat"


def knowledge_dir(configured: str | os.PathLike[str] | None = None) -> Path:
    """The knowledge-base folder: `$CITYBOT_KNOWLEDGE`, else `configured`, else `knowledge/`.

    A relative `configured` path (the Rasa components' `knowledge_base: knowledge`) is taken from
    the repository root.
    """
    override = os.environ.get(KNOWLEDGE_ENV)
    if override:
        return Path(override)
    if configured is None or str(configured) == "":
        return DEFAULT_KNOWLEDGE_DIR
    return REPOSITORY / configured  # an absolute `configured` path stays as it is
