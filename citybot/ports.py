"""The launcher's ports: free before anything starts, and held by our own child once it answers.

A server left running by an earlier `make run` answers on the same port with the previous model,
so "the port answers" proves nothing: the launcher refuses to start while a port it needs is in
use, and names the process holding it (psutil sees the owner of a listening socket when it is
this account's process); then, when a child answers, it checks that the child is the one
listening.
"""

from __future__ import annotations

import errno
import socket
import sys
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import psutil

if TYPE_CHECKING:
    from psutil._ntuples import pconn, sconn

#: What `problem` says of a port another socket listens on (then `holders` names it).
IN_USE = "already in use"
#: Command-line words of the servers `make run` starts, to recognise one left by an earlier run.
_OUR_SERVERS = ("rasa", "citybot.webchat", "citybot.launcher")


def problem(port: int) -> str | None:
    """Why this process could not listen on `port` on any interface right now, or None.

    Binding the wildcard address with SO_REUSEADDR, as the servers do, fails on Linux when any
    socket listens on the port, whatever its address, and ignores connections left in TIME_WAIT by
    an earlier run. Other systems let a wildcard bind share a port with a more specific one, so a
    connection to loopback is tried as well.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return IN_USE
            if error.errno == errno.EACCES:
                return "not allowed (a port below 1024 needs administrator rights)"
            return f"not available ({error.strerror})"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            return IN_USE
    return None


def _listeners(port: int) -> Iterator[int | None]:
    """The pids of the processes listening on TCP `port` (None for one this account cannot see)."""
    try:
        connections = psutil.net_connections(kind="tcp")
    except psutil.AccessDenied:  # macOS without root: look through this account's processes
        for process in psutil.process_iter():
            try:
                if any(_listens(c, port) for c in process.net_connections(kind="tcp")):
                    yield process.pid
            except (psutil.AccessDenied, psutil.NoSuchProcess):
                continue
        return
    for connection in connections:
        if _listens(connection, port):
            yield connection.pid


def _listens(connection: sconn | pconn, port: int) -> bool:
    address = connection.laddr  # an empty tuple for a socket with no address
    return connection.status == psutil.CONN_LISTEN and getattr(address, "port", None) == port


def _describe(pid: int | None) -> str:
    if pid is None:
        return "a process this account cannot see (another user's, or outside this container)"
    try:
        command = " ".join(psutil.Process(pid).cmdline())
    except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
        return f"pid {pid} (its command line is not visible)"
    return f"pid {pid}: {command}"


def _looks_like_ours(pid: int | None) -> bool:
    try:
        command = " ".join(psutil.Process(pid).cmdline()) if pid is not None else ""
    except psutil.Error:
        return False
    return any(word in command for word in _OUR_SERVERS)


def _who_shows_it(port: int) -> str:
    if sys.platform.startswith("linux"):
        return f"`sudo ss -ltnp 'sport = :{port}'`"
    return f"`sudo lsof -nP -iTCP:{port} -sTCP:LISTEN`"


def holders(port: int) -> str:
    """Who listens on `port`, and how to free it, in words for the operator."""
    pids = sorted(set(_listeners(port)), key=lambda pid: -1 if pid is None else pid)
    if not pids:
        return f"  held by no process this account can see; {_who_shows_it(port)} names it."
    lines = [f"  held by {_describe(pid)}" for pid in pids]
    visible = [str(pid) for pid in pids if pid is not None]
    if len(visible) < len(pids):
        lines.append(f"  {_who_shows_it(port)} names the processes this account cannot see.")
    if any(_looks_like_ours(pid) for pid in pids):
        lines.append(
            f"  That is a server left by an earlier `make run`: stop it with `kill {' '.join(visible)}`."
        )
    elif visible:
        lines.append(f"  Stop it (`kill {' '.join(visible)}`) if it is not needed.")
    return "\n".join(lines)


def taken_message(doors: Mapping[str, int]) -> str | None:
    """An error naming every port of `doors` (variable -> port) that is taken, or None when all are free."""
    problems = []
    by_port: dict[int, list[str]] = {}
    for variable, port in doors.items():
        by_port.setdefault(port, []).append(variable)
    for port, variables in by_port.items():
        if len(variables) > 1:
            problems.append(
                f"error: {' and '.join(variables)} are both {port}: each server needs its own port"
            )
            continue
        why = problem(port)
        if why is not None:
            variable = variables[0]
            problems.append(
                f"error: port {port} ({variable}) is {why}.\n"
                + (holders(port) if why == IN_USE else "")
                + f"\n  Or use another port, e.g. {variable}={port + 1} make run"
            )
    return "\n".join(problems) if problems else None


def listened_by(pid: int, port: int) -> bool:
    """Whether process `pid`, or a process below it, listens on `port`."""
    try:
        family = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return False
    for process in family:
        try:
            if any(_listens(c, port) for c in process.net_connections(kind="tcp")):
                return True
        except psutil.NoSuchProcess:
            continue
        except psutil.AccessDenied:  # cannot look: do not block the start on it
            return True
    return False
