"""The web chat page server: our page plus rasa-webchat, from this project only.

Why a server of our own rather than any static file server: the page must be told
where the Rasa server is (``/config.js`` is generated from ``RASA_PORT``/``RASA_URL``),
and every response carries a Content-Security-Policy that allows scripts from this
origin only and network connections to this origin and the Rasa server only. The CSP
is defence in depth for bot text (rasa-webchat already renders it as text) and it
also stops rasa-webchat's stylesheet from fetching fonts from a CDN.

Every answer, error pages included, carries the same security headers (``end_headers``). A
client gets ``--timeout`` seconds (30) to send each request's line and headers, in total, so a
client that trickles one byte at a time is dropped as surely as a silent one: each connection
holds a thread. Log lines escape control characters, so a request path cannot send escape
sequences to the terminal that shows the log. For use beyond loopback, put a reverse proxy in
front anyway: the standard library calls ``http.server`` not meant for production.

Run: ``python -m citybot.webchat [--port 8080] [--rasa-port 5005 | --rasa-url URL]
[--host 127.0.0.1] [--timeout 30]``; each option defaults to its environment variable
(``WEBCHAT_PORT``, ``RASA_PORT``, ``RASA_URL``, ``WEBCHAT_HOST``, ``WEBCHAT_TIMEOUT``).
rasa-webchat comes from ``npm ci`` in webchat/. Start Rasa with ``--cors http://localhost:8080``
(the page's origin).
"""

import argparse
import contextlib
import json
import logging
import os
import re
import socket
import sys
import threading
from collections.abc import Mapping, Sequence
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from citybot.paths import WEBCHAT_DIR

logger = logging.getLogger(__name__)

VENDOR_BUNDLE = Path("node_modules") / "rasa-webchat" / "lib" / "index.js"

TEXT = "text/plain; charset=utf-8"
JAVASCRIPT = "text/javascript; charset=utf-8"

# URL path -> (file under the webchat directory, content type)
STATIC_FILES: dict[str, tuple[Path, str]] = {
    "/": (Path("index.html"), "text/html; charset=utf-8"),
    "/app.js": (Path("app.js"), JAVASCRIPT),
    "/style.css": (Path("style.css"), "text/css; charset=utf-8"),
    "/vendor/rasa-webchat.js": (VENDOR_BUNDLE, JAVASCRIPT),
}

# rasa-webchat's bundled stylesheet imports a Google font. The page must not call a
# CDN (privacy, offline use), so the import is cut when the bundle is served; the page
# uses system fonts. The CSP would block it anyway, but with an error per message.
FONT_IMPORT = re.compile(rb"@import url\(https://fonts\.googleapis\.com/[^)]*\);")

#: Seconds a client has to send each request's line and headers (and the socket timeout).
DEFAULT_TIMEOUT_S = 30.0

#: Control characters (C0, DEL, C1) as \xNN in log lines, and "\" doubled so that an escaped
#: character cannot be faked: what the standard library's own `log_message` does.
_LOG_ESCAPES = str.maketrans(
    {**{code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}, ord("\\"): "\\\\"}
)

_HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]{2,45}\]$")


class WebchatSetupError(RuntimeError):
    """The page cannot be served (rasa-webchat not installed, bad settings)."""


def check_installed(webchat_dir: Path = WEBCHAT_DIR) -> None:
    """Fail early, saying what to run, when a file the page needs is missing."""
    for relative, _ in STATIC_FILES.values():
        if not (webchat_dir / relative).is_file():
            hint = " (run `npm ci` in webchat/)" if relative == VENDOR_BUNDLE else ""
            raise WebchatSetupError(f"missing {webchat_dir / relative}{hint}")


def request_hostname(host_header: str | None) -> str:
    """The hostname the browser used to reach us, or 127.0.0.1 when odd or absent."""
    host = (host_header or "").strip()
    hostname = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if hostname.startswith("[") and "]" in hostname:
        hostname = hostname[: hostname.index("]") + 1]
    return hostname if _HOSTNAME.match(hostname) else "127.0.0.1"


def rasa_url(host_header: str | None, rasa_port: int, fixed_url: str | None) -> str:
    """Where the page finds Rasa: ``fixed_url``, else the page's hostname on ``rasa_port``."""
    if fixed_url:
        return fixed_url.rstrip("/")
    return f"http://{request_hostname(host_header)}:{rasa_port}"


def content_security_policy(rasa: str) -> str:
    """Scripts from us only; connections to us and Rasa (HTTP polling and WebSocket)."""
    parts = urlsplit(rasa)
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    origin = f"{parts.scheme}://{parts.netloc}"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",  # rasa-webchat injects <style> elements
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {origin} {ws_scheme}://{parts.netloc}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def config_script(rasa: str) -> bytes:
    """``/config.js``: the settings the page reads before starting the chat."""
    config = {"socketUrl": rasa, "socketPath": "/socket.io/", "initPayload": "/greet"}
    return f"window.CITYBOT_CONFIG = {json.dumps(config)};\n".encode()


def log_safe(text: str) -> str:
    """`text` with its control characters written out (`\\x1b`), for a log line."""
    return text.translate(_LOG_ESCAPES)


class WebchatHandler(BaseHTTPRequestHandler):
    """GET/HEAD for the page's few files; everything else is 404/405/501."""

    server_version = "citybot-webchat"
    sys_version = ""
    # Answer a request whose line cannot be parsed (400) in HTTP/1.0, not the standard library's
    # HTTP/0.9, which has no headers at all, so no security headers either.
    default_request_version = "HTTP/1.0"

    def __init__(
        self,
        *args: Any,
        webchat_dir: Path,
        rasa_port: int,
        fixed_url: str | None,
        timeout: float = DEFAULT_TIMEOUT_S,
        **kwargs: Any,
    ) -> None:
        self.webchat_dir = webchat_dir
        self.rasa_port = rasa_port
        self.fixed_url = fixed_url
        self.request_timeout = timeout
        self._deadline: threading.Timer | None = None
        self._dropped = False
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.request_timeout)  # each read and write

    def handle_one_request(self) -> None:
        """One request, whose line and headers must arrive within `timeout` seconds in total
        (the socket timeout alone restarts with every byte received)."""
        self._deadline = threading.Timer(self.request_timeout, self._drop_slow_client)
        self._deadline.daemon = True
        self._deadline.start()
        try:
            super().handle_one_request()
        except OSError:
            if not self._dropped:
                raise
            self.close_connection = True
        finally:
            self._deadline.cancel()

    def parse_request(self) -> bool:
        if self._dropped:
            self.close_connection = True
            return False
        parsed = super().parse_request()
        if self._deadline is not None:
            self._deadline.cancel()  # the request is in: answering it is up to us
        if self._dropped:
            self.close_connection = True
            return False
        return parsed

    def _drop_slow_client(self) -> None:
        self._dropped = True
        self.log_message("dropped: no complete request within %s s", self.request_timeout)
        with contextlib.suppress(OSError):  # already gone
            self.connection.shutdown(socket.SHUT_RDWR)

    def do_GET(self) -> None:
        self._send(*self._route(), send_body=True)

    def do_HEAD(self) -> None:
        self._send(*self._route(), send_body=False)

    def do_POST(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"method not allowed\n", TEXT, send_body=True)

    def _route(self) -> tuple[HTTPStatus, bytes, str]:
        """Status, body and content type for the requested path."""
        path = urlsplit(self.path).path
        if path == "/config.js":
            return HTTPStatus.OK, config_script(self._rasa()), JAVASCRIPT
        if path == "/favicon.ico":  # browsers ask; an empty answer keeps logs clean
            return HTTPStatus.NO_CONTENT, b"", TEXT
        if path not in STATIC_FILES:
            return HTTPStatus.NOT_FOUND, b"not found\n", TEXT
        relative, content_type = STATIC_FILES[path]
        try:
            body = (self.webchat_dir / relative).read_bytes()
        except OSError:
            logger.error("cannot read %s (run `npm ci` in webchat/?)", self.webchat_dir / relative)
            return HTTPStatus.SERVICE_UNAVAILABLE, b"web chat not installed\n", TEXT
        if relative == VENDOR_BUNDLE:
            body = FONT_IMPORT.sub(b"", body)
        return HTTPStatus.OK, body, content_type

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != HTTPStatus.NO_CONTENT:
            self.wfile.write(body)

    def end_headers(self) -> None:
        """The security headers on every answer: ours and the standard library's error pages
        (`send_error`: 400 for a bad request line, 501 for PUT, 414, 431...) alike."""
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", content_security_policy(self._rasa()))
        super().end_headers()

    def _rasa(self) -> str:
        headers = getattr(self, "headers", None)  # absent when the request line was bad
        return rasa_url(headers.get("Host") if headers else None, self.rasa_port, self.fixed_url)

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), log_safe(format % args))


def make_server(
    host: str = "127.0.0.1",
    port: int = 8080,
    rasa_port: int = 5005,
    fixed_url: str | None = None,
    webchat_dir: Path = WEBCHAT_DIR,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> ThreadingHTTPServer:
    """A ready (bound, not yet serving) page server; ``port=0`` picks a free port."""
    check_installed(webchat_dir)
    handler = partial(
        WebchatHandler, webchat_dir=webchat_dir, rasa_port=rasa_port, fixed_url=fixed_url, timeout=timeout
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def _port_number(raw: str) -> int:
    """argparse type for ports: a clear error instead of a traceback."""
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a port number")
    return int(raw)


def _seconds(raw: str) -> float:
    """argparse type for the timeout: a positive number of seconds."""
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number of seconds between 0 and 3600")
    return seconds


def parse_args(argv: Sequence[str] | None, env: Mapping[str, str]) -> argparse.Namespace:
    """Options, each defaulting to its environment variable."""
    parser = argparse.ArgumentParser(
        prog="python -m citybot.webchat", description="Serve the citybot web chat page."
    )
    parser.add_argument(
        "--host",
        default=env.get("WEBCHAT_HOST") or "127.0.0.1",
        help="interface to listen on (WEBCHAT_HOST, default 127.0.0.1)",
    )
    parser.add_argument(
        "--port",
        type=_port_number,
        default=env.get("WEBCHAT_PORT") or "8080",
        help="page port (WEBCHAT_PORT, default 8080)",
    )
    parser.add_argument(
        "--rasa-port",
        type=_port_number,
        default=env.get("RASA_PORT") or "5005",
        help="Rasa port on the page's hostname (RASA_PORT, default 5005)",
    )
    parser.add_argument(
        "--rasa-url",
        default=env.get("RASA_URL") or None,
        help="full Rasa URL, overrides --rasa-port (RASA_URL)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=env.get("WEBCHAT_TIMEOUT") or str(DEFAULT_TIMEOUT_S),
        help="seconds a client has to send each request (WEBCHAT_TIMEOUT, default 30)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the page until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args = parse_args(argv, os.environ)
    try:
        server = make_server(args.host, args.port, args.rasa_port, args.rasa_url, timeout=args.timeout)
    except (WebchatSetupError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    host, bound_port = server.server_address[:2]
    logger.info(
        "web chat on http://%s:%s/ (the Rasa server must allow this origin: rasa run --cors http://localhost:%s)",
        host,
        bound_port,
        bound_port,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
