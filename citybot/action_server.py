"""The action server's door: only the Rasa server may knock, and what it sends is bounded.

rasa-sdk's server, as `rasa run actions` starts it, binds every interface, runs any action for any
caller, inflates `Content-Encoding: deflate` bodies without limit (one 1 MB request becomes 1 GB),
accepts 100 MB bodies and echoes the whole body in its 500 answers. This module closes all of that:

- it listens on 127.0.0.1 unless `ACTIONS_HOST` (or rasa-sdk's `SANIC_HOST`) says otherwise;
- every request but `GET /health` must carry `X-Citybot-Action-Token` equal to
  `ACTION_SERVER_TOKEN` (compared in constant time), else 403. The server refuses to start
  without a token: loopback is not a trust boundary (other accounts on the host, or any web page
  in a local browser can reach it), and the Rasa server needs the same variable anyway, since
  bot/endpoints.yml sends it. `make run` makes a random one per run when none is set;
  deployments set one for all replicas (docs/deployment.md);
- bodies are limited to `MAX_BODY_BYTES` (413); a deflate body is inflated to at most that much
  (413 beyond), other encodings get 415; errors are answered without echoing the body.

How it is installed: rasa-sdk calls its `attach_sanic_app_extensions` plugin hook on the app it
has just built, before it reads `SANIC_HOST` and starts serving. The `actions` package registers
this module with rasa-sdk's plugin manager when rasa-sdk imports it (`register()`), so the plain
`rasa run actions --actions actions` is guarded, from the Makefile, the launcher, the tests or a
deployment, with no wrapper command: the guard travels with the actions it protects.
"""

from __future__ import annotations

import hmac
import logging
import os
import sys
import zlib
from collections.abc import Callable, Coroutine, Mapping, MutableMapping
from types import ModuleType
from typing import Any

import pluggy
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, json

from citybot.doors import (
    ACTION_TOKEN_ENV,
    ACTION_TOKEN_HEADER,
    ACTIONS_HOST_ENV,
    DoorError,
    bind_host,
    checked_action_token,
)

logger = logging.getLogger(__name__)

#: Paths anyone may call: the readiness check of the launcher and of load balancers.
OPEN_PATHS = frozenset({"/health"})
#: Largest request body, once inflated. Rasa sends the current session's whole tracker, and a
#: session ends after 25 user messages (actions/session.py). Measured through a real Rasa server:
#: 103 KB for a 25-turn conversation; 3.2 MB for 25 turns of the longest message REST accepts
#: (10,000 emoji, which JSON escapes to 12 bytes each; 1.6 MB for accented letters). With margin:
MAX_BODY_BYTES = 8 * 1024 * 1024
#: rasa-sdk's variable for the address `app.run` binds (it defaults to every interface).
SANIC_HOST_ENV = "SANIC_HOST"

_hookimpl = pluggy.HookimplMarker("rasa_sdk")


def register() -> None:
    """Have rasa-sdk's server install the guard (called by the `actions` package on import).

    Harmless elsewhere (tests, scripts importing the actions): rasa-sdk calls the hook only when
    it starts a server.
    """
    from rasa_sdk.plugin import plugin_manager

    manager = plugin_manager()
    module: ModuleType = sys.modules[__name__]
    if not manager.is_registered(module):
        manager.register(module)


@_hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    """rasa-sdk's plugin hook: guard the app it is about to serve."""
    try:
        install(app, os.environ)
    except DoorError as error:  # no usable token or address: refuse to serve
        sys.exit(f"error: the action server did not start: {error}")


def install(app: Sanic, env: MutableMapping[str, str]) -> None:
    """Guard `app`: bind address, token check, body limits, errors without echo.

    Raises DoorError when the token or the bind address is missing or unusable.
    """
    token = checked_action_token(env.get(ACTION_TOKEN_ENV, "")).encode("ascii")
    # rasa-sdk's run() reads SANIC_HOST right after this hook. ACTIONS_HOST is ours, like the other
    # doors; rasa-sdk's own SANIC_HOST still counts when it alone is set (its documentation's way).
    variable = (
        SANIC_HOST_ENV if env.get(SANIC_HOST_ENV) and not env.get(ACTIONS_HOST_ENV) else ACTIONS_HOST_ENV
    )
    env[SANIC_HOST_ENV] = bind_host(env, variable)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.register_middleware(_guard(token), "request")
    app.error_handler.add(Exception, _error_reply)  # replaces rasa-sdk's handler, which echoes the body
    logger.info(
        "action server: %s required on every request but %s; bodies up to %d bytes",
        ACTION_TOKEN_HEADER,
        ", ".join(sorted(OPEN_PATHS)),
        MAX_BODY_BYTES,
    )


def _guard(token: bytes) -> Callable[[Request], Coroutine[Any, Any, HTTPResponse | None]]:
    """Sanic request middleware checking `token`."""

    async def guard(request: Request) -> HTTPResponse | None:
        """Refuse strangers (403) and unbounded encodings (413/415) before rasa-sdk reads the body.

        Sanic also runs it before answering an error (a body over the limit, an unknown path): a
        stranger then gets 403 too, and learns nothing.
        """
        if request.path not in OPEN_PATHS and not token_matches(request.headers, token):
            return refusal(
                403,
                f"this action server answers only the Rasa server (missing or wrong {ACTION_TOKEN_HEADER})",
            )
        return inflate_body(request)

    return guard


def token_matches(headers: Mapping[str, str], token: bytes) -> bool:
    """Whether the request's token header equals `token`, compared in constant time.

    Sanic decodes header bytes with `surrogateescape`, so encoding back gives the bytes received
    (a non-ASCII header is a mismatch, not a 500).
    """
    given = headers.get(ACTION_TOKEN_HEADER)
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token)


def inflate_body(request: Request) -> HTTPResponse | None:
    """Replace a deflate body by its content, inflating at most `MAX_BODY_BYTES`; None when fine.

    Rasa compresses its calls only with `COMPRESS_ACTION_SERVER_REQUEST=True` (zlib data, which
    rasa-sdk expects), so that option keeps working; gzip, br and the rest are refused.
    """
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding == "identity":
        return None
    if encoding != "deflate":
        return refusal(415, f"Content-Encoding {encoding!r} is not accepted: send JSON, or deflate")
    if not request.body:  # nothing to inflate, or a body refused unread (Sanic runs this again for its 413)
        del request.headers["Content-Encoding"]
        return None
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(request.body, MAX_BODY_BYTES)
    except zlib.error:
        return refusal(400, "the deflate body is corrupt")
    if inflater.unconsumed_tail:
        return refusal(413, f"the inflated body is larger than this server's limit of {MAX_BODY_BYTES} bytes")
    if not inflater.eof:
        return refusal(400, "the deflate body is incomplete")
    request.body = body
    del request.headers["Content-Encoding"]  # rasa-sdk would inflate it again
    return None


def refusal(status: int, message: str) -> HTTPResponse:
    return json({"error": message}, status=status)


def _error_reply(request: Request, exception: Exception) -> HTTPResponse:
    """Errors as short JSON: Sanic's own with their status (413 says the limit), others as 500.

    Unlike rasa-sdk's handler, the body is never echoed: it may be megabytes from anyone.
    """
    if isinstance(exception, SanicException):
        status = int(getattr(exception, "status_code", 500) or 500)
        message = str(exception)
        if status == 413:
            message = f"the request body is larger than this server's limit of {MAX_BODY_BYTES} bytes"
        return refusal(status, message)
    logger.error("error while serving %s %s", request.method, request.path, exc_info=exception)
    return refusal(500, f"{type(exception).__name__}: {str(exception)[:200]}")
