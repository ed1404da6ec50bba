"""The launcher's children: they die with it, and every stop request ends with all of them reaped.

Three rules, learnt from servers left running after `make run` was stopped:

* A signal handler never raises. The old handler raised KeyboardInterrupt wherever the launcher
  happened to be, including inside its own clean-up, and a second signal (GNU make forwards a
  SIGTERM sent to its process group to its child, so the launcher gets two) then abandoned the
  children. `StopSignals` only records the signal and wakes the waiting loop.
* Children are stopped with SIGTERM, not SIGINT: the Rasa server ignores a SIGINT that comes
  while it loads its model (measured: it went on loading and served), while SIGTERM ends it at
  once. Once ready, Sanic handles both alike: a graceful stop that closes the tracker store.
* A child cannot outlive a launcher that dies outright (SIGKILL, a crash): on Linux the kernel
  sends it SIGTERM when the launcher goes (`die_with_parent`). Other systems have no such
  request; there the next start finds the ports taken and names the process holding them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from types import FrameType

#: What a person (Ctrl-C), a service manager (SIGTERM) or a closed terminal (SIGHUP) sends.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
#: How long the children may take to stop cleanly before they are killed.
GRACE_S = 15.0
#: A repeat of the first signal within this time is its echo, not a second request: a SIGTERM to
#: `make run`'s process group reaches the launcher twice, from the sender and from make.
ECHO_WINDOW_S = 1.0
#: How long to wait for a killed child to be reaped (only a process stuck in the kernel takes long).
REAP_TIMEOUT_S = 5.0

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def say(text: str, error: bool = False) -> None:
    """Print, even when the terminal is gone: after a SIGHUP the stop must still finish.

    A write to a closed terminal raises OSError (EIO, or BrokenPipeError for a pipe); from then on
    the stream's descriptor is pointed at /dev/null, so neither later messages nor the final flush
    at exit can fail.
    """
    stream = sys.stderr if error else sys.stdout
    try:
        print(text, file=stream, flush=True)
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` after which the child gets SIGTERM when this process dies (Linux), or None.

    It runs in the child between fork and exec, after `start_new_session`'s setsid (which does not
    change the parent). PR_SET_PDEATHSIG survives exec (it is cleared only for set-user-ID
    programs). Two races are closed: the launcher may die before the request is made, so the child
    then checks that its parent is still the launcher; and the death signal may arrive before exec,
    while the child still runs the launcher's copied handlers, which would swallow it, so the stop
    signals get their default action first. Caveat: "parent" is the thread that forked, so the
    launcher must start children from its main thread (it does; it has no other).
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before fork, not in the child
    launcher = os.getpid()

    def preexec() -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        if prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")  # Popen raises
        if os.getppid() != launcher:
            os._exit(1)  # the launcher died before the request: nobody will ever signal us

    return preexec


class StartInterruptedError(Exception):
    """A stop signal came while the launcher was starting the services."""


class StopSignals:
    """Records SIGINT, SIGTERM and SIGHUP instead of raising; `wait` returns as soon as one comes.

    The first signal asks for a graceful stop; any later one that is not its echo (see
    `ECHO_WINDOW_S`) asks to kill what is left at once.
    """

    def __init__(self) -> None:
        self.received: list[tuple[int, float]] = []
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)

    def install(self) -> None:
        """Handle the stop signals; SIGINT too, which a shell starting us in the background ignores."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._record)

    def _record(self, signum: int, _frame: FrameType | None) -> None:
        self.received.append((signum, time.monotonic()))
        with contextlib.suppress(BlockingIOError):
            os.write(self._wake_write, b"!")

    @property
    def first(self) -> int | None:
        """The signal that asked us to stop, or None."""
        return self.received[0][0] if self.received else None

    @property
    def escalated(self) -> bool:
        """Whether a further signal (not the echo of the first) asked to stop at once."""
        if not self.received:
            return False
        first, at = self.received[0]
        return any(signum != first or when - at > ECHO_WINDOW_S for signum, when in self.received[1:])

    def wait(self, timeout: float) -> None:
        """Sleep up to `timeout` seconds, less if a signal comes."""
        readable, _, _ = select.select([self._wake_read], [], [], max(timeout, 0.0))
        if readable:
            os.read(self._wake_read, 512)


def signal_name(signum: int | None) -> str:
    return signal.Signals(signum).name if signum is not None else "a request"


def _exited(process: subprocess.Popen[bytes]) -> bool:
    """Whether the child has exited, without reaping it: while it is a zombie its pid, and so its
    process group's id, cannot be reused, so the group can still be signalled safely."""
    if process.returncode is not None:
        return True
    if not hasattr(os, "waitid"):  # macOS
        return process.poll() is not None
    try:
        return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Signal the child's whole process group (it started its own session), unless reaped."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signum)


def stop_children(
    children: Mapping[str, subprocess.Popen[bytes]], signals: StopSignals, grace_s: float = GRACE_S
) -> list[str]:
    """Stop every child and reap it; returns "name (pid N)" for any that could not be reaped.

    SIGTERM to each child's group, all at once, then wait until all have exited. After `grace_s`,
    or at once when another signal comes (`StopSignals.escalated`, or any signal when the stop was
    not asked for by one but follows an error), SIGKILL what is left. A child that exits cleanly still
    gets SIGKILL sent to its group before it is reaped, for any process it left behind.
    """
    requested = signals.first is not None  # else the stop follows an error, and any signal hurries it

    def hurried() -> bool:
        return signals.escalated or (not requested and signals.first is not None)

    for process in children.values():
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while not all(_exited(p) for p in children.values()):
        if hurried() or time.monotonic() > deadline:
            left = ", ".join(name for name, p in children.items() if not _exited(p))
            why = "another signal" if hurried() else f"still running after {grace_s:.0f} s"
            say(f"{why}: killing the {left}")
            break
        signals.wait(0.1)
    stuck = []
    for name, process in children.items():
        _signal_group(process, signal.SIGKILL)
        try:
            process.wait(timeout=REAP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            stuck.append(f"{name} (pid {process.pid})")
    return stuck
