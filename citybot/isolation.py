"""What each child of the launcher may see and touch: its own environment, private files.

Every child used to inherit the launcher's whole environment, so the page server and the action
server held the Telegram and Slack tokens and a tracker-store URL that may carry a database
password, none of which they use: one leak there (a crash report, /proc, a debugger) leaked them
all. Now only the Rasa server gets them. And the conversations were readable by every account on
the host (`var/conversations.db` 0644): the launcher's umask makes what it and the children create
private to the service's account, and it makes the run-time folder private too.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from citybot.channels.credentials import ENV_CHANNELS
from citybot.doors import ACTION_TOKEN_ENV, ACTIONS_HOST_ENV, RASA_MAX_BODY_BYTES

#: Names that look like a secret (API keys of other tools, database passwords...).
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY", re.IGNORECASE)
#: Prefixes of the variables only the Rasa server reads: its stores and its channels.
_RASA_PREFIXES = ("TRACKER_STORE_", "LOCK_STORE_", "POSTGRESQL_", "TELEGRAM_", "SLACK_", "CALLBACK_")


def rasa_only_variables(env: Mapping[str, str]) -> set[str]:
    """What only the Rasa server may see: channel credentials, store URLs and settings, and
    anything named like a secret."""
    channels = {name for c in ENV_CHANNELS for name in (*c.required.values(), *c.optional.values())}
    return channels | {name for name in env if name.startswith(_RASA_PREFIXES) or _SECRET_NAME.search(name)}


@dataclass(frozen=True)
class Environments:
    """The environment of each child."""

    rasa: dict[str, str]
    actions: dict[str, str]
    page: dict[str, str]


def child_environments(base: Mapping[str, str], token: str, actions_host: str) -> Environments:
    """The Rasa server gets everything, plus the action-server token and its request size limit
    (Sanic reads `SANIC_*` variables when it starts; an operator's own value wins); the action
    server loses the Rasa-only variables but gets the token and its address; the page loses both."""
    shared = {name: value for name, value in base.items() if name not in rasa_only_variables(base)}
    rasa = dict(base, **{ACTION_TOKEN_ENV: token})
    rasa.setdefault("SANIC_REQUEST_MAX_SIZE", str(RASA_MAX_BODY_BYTES))
    actions = dict(shared, **{ACTION_TOKEN_ENV: token, ACTIONS_HOST_ENV: actions_host})
    return Environments(rasa=rasa, actions=actions, page=shared)


def private_run_time_folder(folder: Path) -> str | None:
    """Set the umask to 0o077 (what this process and its children create next: files 0600,
    folders 0700) and make `folder` private, also when an earlier version created it readable by
    all (a folder owned by someone else is left alone). Returns a note when it tightened `folder`."""
    os.umask(0o077)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = folder.stat()
    mode = stat.S_IMODE(status.st_mode)
    if mode & 0o077 and status.st_uid == os.getuid():
        folder.chmod(0o700)
        return f"{folder}: made private to this account (mode 700, was {mode:o})"
    return None
