"""Where the project's files are: one rule for every default path.

Every default path is relative to the project root, never to whatever directory a command runs
from: `citybot kb validate`, the Rasa server and the action server find the same files. The project
root is the nearest folder, from the current directory up, that holds `bot/config.yml` (this
checkout, or a copy of it that uses the same installation, as Rasa's own commands do); outside any
project, the checkout this package is installed from. The knowledge base alone can be moved:
`$CITYBOT_KNOWLEDGE`, when set, names its folder for every process (deployments and tests point
both servers at one copy with it). So can the run-time folder: `$CITYBOT_VAR` (tests run the
launcher beside a developer's `make run` without touching their conversations).

Standard library only: the knowledge base, the language package and the action server all import it.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The file that marks a citybot project's root.
PROJECT_MARKER = Path("bot") / "config.yml"


def _project_root() -> Path:
    """The nearest folder holding `PROJECT_MARKER`, from the current directory up; else this checkout."""
    try:
        here = Path.cwd().resolve()
    except OSError:  # the current directory was removed
        here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        if (folder / PROJECT_MARKER).is_file():
            return folder
    return Path(__file__).resolve().parent.parent


#: The project root (see above), found once, when this module is first imported.
PROJECT_ROOT = _project_root()
#: Environment variable naming the knowledge-base folder; it wins over every configured path.
KNOWLEDGE_ENV = "CITYBOT_KNOWLEDGE"
#: The knowledge base staff edit, unless `$CITYBOT_KNOWLEDGE` says otherwise.
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
#: The question templates the NLU generator fills with knowledge-base names.
NLU_TEMPLATES = PROJECT_ROOT / "bot" / "nlu_templates.yml"
#: Where the NLU generator writes the training data it derives from the knowledge base.
GENERATED_NLU_DIR = PROJECT_ROOT / "data" / "nlu" / "generated"
#: The training rules (intent -> action), which the action server reads to answer after a notice.
RULES_FILE = PROJECT_ROOT / "data" / "rules.yml"
#: Environment variable naming the run-time folder instead of `var/`.
VAR_ENV = "CITYBOT_VAR"
#: Run-time files: the conversation database, the generated channel credentials (`$CITYBOT_VAR`
#: when set). Private to the service's user: the launcher creates it mode 0700.
VAR_DIR = Path(os.environ[VAR_ENV]).resolve() if os.environ.get(VAR_ENV) else PROJECT_ROOT / "var"
#: The web chat page (HTML, script, style and the npm widget).
WEBCHAT_DIR = PROJECT_ROOT / "webchat"


def knowledge_dir(configured: str | os.PathLike[str] | None = None) -> Path:
    """The knowledge-base folder: `$CITYBOT_KNOWLEDGE`, else `configured`, else `knowledge/`.

    A relative `configured` path (the Rasa components' `knowledge_base: knowledge`) is taken from
    the project root.
    """
    override = os.environ.get(KNOWLEDGE_ENV)
    if override:
        return Path(override)
    if configured is None or str(configured) == "":
        return DEFAULT_KNOWLEDGE_DIR
    return PROJECT_ROOT / configured  # an absolute `configured` path stays as it is
