"""Signing and checking callback-channel requests: who may post a message as any platform user.

The callback channel's client is a platform that forwards its users' messages to the bot, and the
bot POSTs each answer to ``CALLBACK_URL`` with the sender as ``recipient_id``. Without a check,
anyone who reaches the Rasa server could post as any user of the platform, read that user's
context and make the bot message them. So every request carries an HMAC-SHA256 signature made with
a secret shared with the platform (``CALLBACK_SECRET``), the way Slack signs its requests:

    X-Citybot-Request-Timestamp: <Unix time in seconds>
    X-Citybot-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)>

The timestamp must be within `MAX_AGE_S` of the server's clock (either way), which bounds how long
a captured request can be replayed. The comparison is constant-time and on bytes (a header
with non-ASCII characters is a mismatch, not an error). docs/security.md and the README show how a
platform signs a request (Python, and curl with openssl).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

TIMESTAMP_HEADER = "X-Citybot-Request-Timestamp"
SIGNATURE_HEADER = "X-Citybot-Signature"
VERSION = "v0"
#: How far the request's timestamp may be from the server's clock, in seconds (Slack's window).
MAX_AGE_S = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Citybot-Signature`` value for ``body`` sent at ``timestamp``."""
    base = f"{VERSION}:{timestamp}:".encode() + body
    return f"{VERSION}=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def _header_bytes(value: str) -> bytes:
    """A header as the bytes that came in (Sanic decodes them with surrogateescape)."""
    return value.encode("utf-8", "surrogateescape")


def signature_problem(
    secret: str, headers: Mapping[str, str], body: bytes, now: float | None = None
) -> str | None:
    """Why the request is not signed with ``secret``, or ``None`` when it is."""
    stamp, given = headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)
    if not stamp or not given:
        return f"the request must be signed: {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} headers"
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        return f"{TIMESTAMP_HEADER} must be a Unix time in seconds"
    now = time.time() if now is None else now
    if abs(now - int(stamp)) > MAX_AGE_S:
        return f"{TIMESTAMP_HEADER} is more than {MAX_AGE_S} s from the server's clock"
    if not hmac.compare_digest(_header_bytes(given), signature(secret, stamp, body).encode()):
        return f"{SIGNATURE_HEADER} does not match the body"
    return None
