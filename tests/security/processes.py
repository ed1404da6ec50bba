"""What the security tests read about the servers from outside: who listens where, with which
environment and how much memory (psutil and /proc, as an operator would check)."""

from __future__ import annotations

import http.client
import socket
from pathlib import Path

import psutil


def listener(port: int) -> psutil.Process:
    """The process listening on TCP `port`."""
    for connection in psutil.net_connections(kind="tcp"):
        if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port and connection.pid:
            return psutil.Process(connection.pid)
    raise AssertionError(f"nothing listens on port {port}")


def listening_addresses(process: psutil.Process) -> set[tuple[str, int]]:
    """Every (address, port) `process` listens on."""
    return {
        (c.laddr.ip, c.laddr.port)
        for c in process.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    }


def environ(process: psutil.Process) -> dict[str, str]:
    """The environment `process` was started with (/proc/<pid>/environ)."""
    return dict(process.environ())


def reset_peak_memory(process: psutil.Process) -> bool:
    """Reset the kernel's peak-RSS counter (VmHWM) of `process`; False where Linux does not allow it."""
    try:
        Path(f"/proc/{process.pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_memory(process: psutil.Process) -> int:
    """The peak resident memory of `process` in bytes (VmHWM): what a short allocation leaves,
    where the current RSS may already have dropped back."""
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/<pid>/status")


def announce_body(
    port: int, path: str, size: int, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """POST headers announcing a `size`-byte JSON body, then read the answer without sending it.

    A server that enforces its limit answers from the Content-Length alone (curl waits for that
    with `Expect: 100-continue` before big uploads); a client that pushed the whole body first
    would often see the connection reset instead of the 413 the server sent.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(size))
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


def gone(process: psutil.Process) -> bool:
    """Exited (a zombie not yet reaped counts as gone)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def port_free(port: int) -> bool:
    """Whether a server could listen on `port` now, on any interface (as the launcher checks)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True
