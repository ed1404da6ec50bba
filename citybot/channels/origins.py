"""Which web pages may open the chat's socket: the page origins, from the environment.

Browsers do not apply CORS to WebSockets, and Rasa creates its socket.io server with
``cors_allowed_origins=[]``, which turns engine.io's own Origin check off. So, unchecked, any web
site could run the bot from its own page, on its visitors' browsers. The socket.io channel
therefore refuses connections whose ``Origin`` is not one of the page origins listed here.

``CITYBOT_ALLOWED_ORIGINS`` lists them (spaces or commas between), e.g.
``https://chat.example.org``; by default they are the page's two loopback origins,
``http://localhost:<WEBCHAT_PORT>`` and ``http://127.0.0.1:<WEBCHAT_PORT>`` (port 8080 by default),
which is what ``make run`` serves. The same list suits Rasa's ``--cors`` (HTTP requests).

A request without ``Origin`` is not a browser page (browsers always send it on WebSocket and
cross-origin requests), and a non-browser client can send any ``Origin`` it likes; such clients are
not what this check is about, so they pass, as with engine.io's own check.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

ORIGINS_ENV = "CITYBOT_ALLOWED_ORIGINS"
PAGE_PORT_ENV = "WEBCHAT_PORT"
DEFAULT_PAGE_PORT = 8080
_DEFAULT_PORTS = {"http": 80, "https": 443}


class OriginError(ValueError):
    """A configured origin is not ``scheme://host[:port]``; the message names it."""


def normalise_origin(value: str) -> str:
    """``value`` as browsers send it in ``Origin``: lower case, no default port, no trailing slash."""
    parts = urlsplit(value.strip())
    try:
        port = parts.port
    except ValueError as error:
        raise OriginError(f"{value!r} has a bad port") from error
    if (
        parts.scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise OriginError(f"{value!r} is not an origin such as https://chat.example.org")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    shown_port = "" if port in (None, _DEFAULT_PORTS[parts.scheme]) else f":{port}"
    return f"{parts.scheme}://{host}{shown_port}"


def page_origins(env: Mapping[str, str]) -> tuple[str, ...]:
    """The allowed origins for ``env`` (see the module docstring); `OriginError` names a bad one."""
    configured = env.get(ORIGINS_ENV, "").replace(",", " ").split()
    if configured:
        try:
            return tuple(dict.fromkeys(normalise_origin(origin) for origin in configured))
        except OriginError as error:
            raise OriginError(f"{ORIGINS_ENV}: {error}") from error
    port = env.get(PAGE_PORT_ENV, "").strip() or str(DEFAULT_PAGE_PORT)
    return (f"http://localhost:{port}", f"http://127.0.0.1:{port}")


def origin_allowed(origin: str | None, allowed: tuple[str, ...]) -> bool:
    """Whether a request with this ``Origin`` header may connect (no header: not a browser page)."""
    if origin is None:
        return True
    try:
        return normalise_origin(origin) in allowed
    except OriginError:
        return False  # "null" (sandboxed pages, files) and junk
