"""L5: the page server, `python -m citybot.webchat` as the launcher starts it, over a real socket.

Error pages carry the same security headers as the page; a request path cannot write escape
sequences into the log the launcher prints; a client that is slow to send its request, even
one byte at a time, is dropped after the timeout, and others are served meanwhile.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import REPO_ROOT, free_port, http_get

from citybot import webchat

#: The timeout the page server under test runs with (the default, 30 s, is checked separately).
TIMEOUT_S = 2.0
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
}


@dataclass
class Page:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def raw(self, request: bytes, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
        """Send `request` as is; the status, headers (lower-case names) and body of the answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(status_line.split()[1]), headers, body

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    port = free_port()
    log = tmp_path_factory.mktemp("page") / "page.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "citybot.webchat", "--port", str(port), "--timeout", str(TIMEOUT_S)],
        cwd=REPO_ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while http_get(f"http://127.0.0.1:{port}/", timeout=2) is None:
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "the page server did not start"
            time.sleep(0.2)
        yield Page(process, port, log)
    finally:
        process.terminate()
        process.wait(timeout=10)


def assert_secured(headers: dict[str, str]) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    csp = headers.get("content-security-policy", "")
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, headers


@pytest.mark.server
@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"PUT / HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 501),  # send_error: unsupported method
        (b"DELETE /app.js HTTP/1.0\r\n\r\n", 501),
        (b"GARBAGE\r\n\r\n", 400),  # send_error: a bad request line, before any header was read
        (b"GET / HTTP/1.x\r\n\r\n", 400),  # (the standard library answers these in HTTP/0.9:
        (b"GET / HTTP/2.0\r\n\r\n", 505),  # no status line, no headers at all)
        (b"GET / HTTP/1.0\r\n" + b"X-A: b\r\n" * 101 + b"\r\n", 431),  # send_error: too many headers
        (b"GET /nope HTTP/1.0\r\n\r\n", 404),  # our own error page
        (b"POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 405),
        (b"GET / HTTP/1.0\r\n\r\n", 200),  # and the page itself, as before
    ],
)
def test_every_answer_carries_the_security_headers(page, request_bytes, status):
    got, headers, _ = page.raw(request_bytes)
    assert got == status
    assert_secured(headers)
    assert headers["content-security-policy"].count("connect-src") == 1  # sent once, not twice


@pytest.mark.server
def test_a_path_with_escape_sequences_is_logged_escaped(page):
    status, _, _ = page.raw(b"GET /\x1b]0;pwned\x07\x1b[2J\x9b31m HTTP/1.0\r\n\r\n")
    assert status == 404
    deadline = time.monotonic() + 5
    while "pwned" not in page.log_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    raw = page.log.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw and "\x9b".encode() not in raw
    assert r'"GET /\x1b]0;pwned\x07\x1b[2J\x9b31m HTTP/1.0" 404' in page.log_text()


def _closed_after(sock: socket.socket, trickle: bytes, every: float, limit: float) -> float:
    """Send `trickle` one byte every `every` seconds until the server closes; seconds taken."""
    started = time.monotonic()
    sock.settimeout(every)
    for byte in trickle:
        try:
            sock.sendall(bytes([byte]))
            if sock.recv(1024) == b"":
                return time.monotonic() - started
        except TimeoutError:
            pass  # nothing to read yet: the server is waiting for the rest
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            break
    return time.monotonic() - started


@pytest.mark.server
def test_a_client_trickling_its_request_is_dropped_after_the_timeout(page):
    """One byte every 0.3 s: each byte would restart a plain socket timeout, never reached."""
    with socket.create_connection(("127.0.0.1", page.port)) as slow:
        taken = _closed_after(slow, b"GET / HTTP/1.0\r\nX-Slow: " + b"a" * 200, every=0.3, limit=20)
        assert TIMEOUT_S <= taken < TIMEOUT_S + 3, taken
    assert "dropped: no complete request within 2.0 s" in page.log_text()


@pytest.mark.server
def test_a_silent_client_is_dropped_and_others_are_served_meanwhile(page):
    with socket.create_connection(("127.0.0.1", page.port)) as silent:
        started = time.monotonic()
        status, _, _ = page.raw(b"GET /app.js HTTP/1.0\r\n\r\n")  # served while `silent` waits
        assert status == 200 and time.monotonic() - started < TIMEOUT_S
        silent.settimeout(TIMEOUT_S + 5)
        assert silent.recv(1024) == b""  # closed by the server, not by our timeout
        assert TIMEOUT_S - 0.5 <= time.monotonic() - started < TIMEOUT_S + 3


def test_the_default_timeout_is_thirty_seconds_and_configurable():
    assert webchat.parse_args([], {}).timeout == 30.0
    assert webchat.parse_args([], {"WEBCHAT_TIMEOUT": "5"}).timeout == 5.0
    with pytest.raises(SystemExit):
        webchat.parse_args(["--timeout", "0"], {})


def test_log_lines_escape_control_characters_and_backslashes():
    assert webchat.log_safe("a\x1b[2J\x07\x9b\\x1b é") == "a\\x1b[2J\\x07\\x9b\\\\x1b é"
