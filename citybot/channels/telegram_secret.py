"""The Telegram webhook's secret token: what a usable one looks like, and checking a request's.

Telegram sends the secret registered with the webhook back in ``X-Telegram-Bot-Api-Secret-Token``
on every update; it is the only thing that tells Telegram's updates from forged ones. Kept apart
from the channel (`telegram`) so that the credentials builder can check a value without importing
Rasa.
"""

from __future__ import annotations

import hmac
import re

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's charset for the secret (it allows 1-256 characters); we want at least 16 of them,
#: since the webhook has no other protection against guessing.
_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")


def secret_problem(value: object) -> str | None:
    """Why ``value`` cannot be the webhook's secret token, or ``None`` when it can."""
    if isinstance(value, str) and _SECRET.fullmatch(value):
        return None
    return "must be 16 to 256 characters among A-Z, a-z, 0-9, _ and - (e.g. `openssl rand -hex 32`)"


def secret_matches(header: str | None, secret: str) -> bool:
    """Whether a request's secret header is ``secret``: constant time, on the bytes received
    (Sanic decodes headers with surrogateescape; ``hmac.compare_digest`` refuses non-ASCII str).
    An empty ``secret`` matches nothing."""
    given = (header or "").encode("utf-8", "surrogateescape")
    return bool(secret) and hmac.compare_digest(given, secret.encode())
