"""citybot.processes with small real processes (no model, no servers; about 4 s, mostly waiting): the death signal
survives exec and fires, the parent check, the stop's grace and escalation, the echo rule, real
signals to this process. The launcher itself: tests/security/test_lifecycle.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import psutil
import pytest

from citybot.processes import ECHO_WINDOW_S, STOP_SIGNALS, StopSignals, die_with_parent, stop_children

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")

#: A child that ignores SIGTERM (a server that hangs while stopping), says when it is ready.
STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"


@pytest.fixture
def signals() -> Iterator[StopSignals]:
    """StopSignals installed in this process; pytest's own handlers restored after."""
    saved = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    watch = StopSignals()
    watch.install()
    yield watch
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def _stubborn() -> subprocess.Popen[bytes]:
    child = subprocess.Popen([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, start_new_session=True)
    assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    return child


@linux_only
def test_the_death_signal_survives_exec() -> None:
    """The child, after exec, still has PR_SET_PDEATHSIG = SIGTERM (read with PR_GET_PDEATHSIG)."""
    script = "import ctypes; v = ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(v), 0, 0, 0); print(v.value)"
    out = subprocess.run(
        [sys.executable, "-c", script],
        preexec_fn=die_with_parent(),
        start_new_session=True,
        capture_output=True,
    )
    assert int(out.stdout) == signal.SIGTERM


@linux_only
def test_a_child_stops_when_its_parent_is_killed() -> None:
    """A parent that starts a child with `die_with_parent` and is then SIGKILLed: the child gets
    SIGTERM from the kernel, although it runs in its own session."""
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import subprocess, sys, time
                from citybot.processes import die_with_parent
                child = subprocess.Popen(["sleep", "60"], preexec_fn=die_with_parent(), start_new_session=True)
                print(child.pid, flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
    )
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    assert child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while not _gone(child):
        assert time.monotonic() < deadline, "the child outlived its killed parent"
        time.sleep(0.01)


def _gone(process: psutil.Process) -> bool:
    """Exited (a zombie that init has not reaped yet counts as gone)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@linux_only
def test_a_child_whose_parent_is_not_the_launcher_does_not_start() -> None:
    """The race check: when the child's parent is not the process that asked for the death signal
    (as when the launcher died between fork and prctl, and init adopted the child), the child
    exits before exec instead of running with nobody to stop it."""
    script = textwrap.dedent(
        """
        import os, subprocess, sys
        from citybot.processes import die_with_parent
        preexec = die_with_parent()  # for this process
        if os.fork() == 0:  # another process starts the child with it
            child = subprocess.run(["echo", "ran"], preexec_fn=preexec, capture_output=True)
            os._exit(0 if child.returncode == 1 and child.stdout == b"" else 3)
        _, status = os.wait()
        sys.exit(os.waitstatus_to_exitcode(status))
        """
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == 0


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace(signals: StopSignals) -> None:
    child = _stubborn()
    started = time.monotonic()
    assert stop_children({"stubborn": child}, signals, grace_s=0.5) == []
    assert 0.5 <= time.monotonic() - started < 3
    assert child.returncode == -signal.SIGKILL


def test_a_child_that_stops_is_reaped_without_waiting_for_the_grace(signals: StopSignals) -> None:
    child = subprocess.Popen(["sleep", "60"], start_new_session=True)
    started = time.monotonic()
    assert stop_children({"sleep": child}, signals, grace_s=30) == []
    assert time.monotonic() - started < 2
    assert child.returncode == -signal.SIGTERM


def _signal_later(signum: int, delay: float) -> subprocess.Popen[bytes]:
    """Send `signum` to this process after `delay` seconds, from another process."""
    return subprocess.Popen(["sh", "-c", f"sleep {delay}; kill -{signum} {os.getpid()}"])


def test_a_second_signal_during_the_stop_kills_at_once(signals: StopSignals) -> None:
    """SIGTERM and its echo (make's) start the stop; a SIGINT during it ends the 30 s grace."""
    child = _stubborn()
    os.kill(os.getpid(), signal.SIGTERM)
    os.kill(os.getpid(), signal.SIGTERM)
    assert signals.first == signal.SIGTERM and not signals.escalated
    started = time.monotonic()  # before the sender starts: its signal comes 0.3 s after, or later
    sender = _signal_later(signal.SIGINT, 0.3)
    assert stop_children({"stubborn": child}, signals, grace_s=30) == []
    assert 0.3 <= time.monotonic() - started < 3
    assert signals.escalated and child.returncode == -signal.SIGKILL
    sender.wait()


def test_a_signal_during_a_stop_after_an_error_kills_at_once(signals: StopSignals) -> None:
    """No signal asked for this stop (a server failed); the operator's Ctrl-C during it hurries it."""
    child = _stubborn()
    started = time.monotonic()  # before the sender starts: its signal comes 0.3 s after, or later
    sender = _signal_later(signal.SIGINT, 0.3)
    assert stop_children({"stubborn": child}, signals, grace_s=30) == []
    assert 0.3 <= time.monotonic() - started < 3
    assert child.returncode == -signal.SIGKILL
    sender.wait()


def test_the_same_signal_again_after_the_echo_window_escalates(signals: StopSignals) -> None:
    os.kill(os.getpid(), signal.SIGHUP)
    signals.wait(1)
    assert signals.first == signal.SIGHUP and not signals.escalated
    time.sleep(ECHO_WINDOW_S + 0.1)
    os.kill(os.getpid(), signal.SIGHUP)
    signals.wait(1)
    assert signals.escalated


def test_wait_returns_as_soon_as_a_signal_comes(signals: StopSignals) -> None:
    sender = _signal_later(signal.SIGTERM, 0.2)
    started = time.monotonic()
    signals.wait(10)
    assert time.monotonic() - started < 3
    assert signals.first == signal.SIGTERM
    sender.wait()
