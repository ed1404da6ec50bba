"""Where a channel may send its bot token: HTTPS, or plain HTTP to this machine only.

Telegram puts the bot token in the URL path of every Bot API call and Slack sends it in the
``Authorization`` header, so a ``TELEGRAM_API_URL`` or ``SLACK_API_URL`` starting with ``http://``
would send the token in clear over the network. Plain HTTP stays allowed for loopback addresses
(a self-hosted Bot API server on the same machine, the tests' local recorder).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_url_problem(url: str) -> str | None:
    """Why the token must not be sent to ``url``, or ``None`` when it may."""
    parts = urlsplit(url.strip())
    if not parts.hostname:
        return f"{url!r} is not a URL (e.g. https://api.telegram.org)"
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname)):
        return None
    return f"{url!r} must start with https:// (http:// only to this machine: localhost, 127.0.0.1, ::1)"
