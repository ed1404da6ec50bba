"""Web chat session ids that only this server can issue.

The web page keeps its session id (rasa-webchat's ``session_id``) and asks for it again after a
reload, which is how the conversation survives the reload. Rasa's stock channel accepts any id the
client proposes, so a client could choose a short or guessable id, or somebody else's. Here the
server issues every id, as ``<32 hex digits>.<32 hex digits>``: a random session (``uuid4``) and
an HMAC-SHA256 of it under a server secret. On reconnect, an id is accepted only if the HMAC
matches (constant-time, on the whole string with ``fullmatch``); anything else gets a fresh id.

The secret is ``CITYBOT_SESSION_SECRET`` when set (every replica of a scaled deployment needs the
same one), else a random one kept in the run-time folder (``$CITYBOT_VAR`` or ``var/``) in the file
``session-secret``, created readable by its owner only, so ids stay valid across restarts. Deleting
the file (or changing the variable) ends every web session: pages then get fresh ids.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import uuid
from pathlib import Path

from citybot.paths import VAR_DIR, VAR_ENV

SECRET_ENV = "CITYBOT_SESSION_SECRET"
SECRET_FILE = "session-secret"
#: Shortest secret accepted, from the variable or the file.
MIN_SECRET_CHARS = 32

_TOKEN = re.compile(r"([0-9a-f]{32})\.([0-9a-f]{32})")


class SessionSecretError(RuntimeError):
    """The session secret is unusable (too short); the message says what to do."""


def run_dir() -> Path:
    """The run-time folder, as `citybot.paths.VAR_DIR` finds it (``$CITYBOT_VAR``, else ``var/``),
    read when called: the secret is read when the channel starts."""
    configured = os.environ.get(VAR_ENV)
    return Path(configured).resolve() if configured else VAR_DIR


def _stored_secret(path: Path) -> str:
    """The secret in ``path``, created (mode 0600) with a random one if the file does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        value = secrets.token_hex(32)
        file.write(value + "\n")
    return value


def session_secret() -> str:
    """The key session ids are signed with (see the module docstring)."""
    configured = os.environ.get(SECRET_ENV, "").strip()
    path = run_dir() / SECRET_FILE
    value = configured or _stored_secret(path)
    if len(value) < MIN_SECRET_CHARS:
        where = SECRET_ENV if configured else str(path)
        raise SessionSecretError(
            f"{where}: the web session secret must have at least {MIN_SECRET_CHARS} characters "
            f"(e.g. `openssl rand -hex 32`){'' if configured else '; delete the file to get a new one'}"
        )
    return value


class SessionTokens:
    """Issues session ids and recognises the ones issued with the same secret."""

    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def _mac(self, session: str) -> str:
        return hmac.new(self._key, b"citybot-session:" + session.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        """A fresh session id, ``<session>.<mac>``."""
        session = uuid.uuid4().hex
        return f"{session}.{self._mac(session)}"

    def session(self, token: object) -> str | None:
        """The session part of ``token`` when this server issued it, else ``None``."""
        match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
        if match is None:
            return None
        session, mac = match.groups()
        return session if hmac.compare_digest(mac.encode(), self._mac(session).encode()) else None
