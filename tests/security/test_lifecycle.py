"""The servers never outlive `make run`: every stop signal, a second signal, a killed launcher, a
taken port. Against the real launcher (`python -m citybot.launcher`, as `make run` runs it).

Most cases signal the launcher while it starts (the action server answers after a few seconds,
the Rasa server then takes 20-60 s to load the model): the stop path is the same as once ready and
costs a fraction of a full start. One case waits for the full start, because that is when an
orphaned server does harm: it serves the previous model to the next `make run`.

Each case prints the time from the signal to the last child gone (`pytest -s` shows it).
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from servers import REPO_ROOT, Recorder, find_model, free_port, http_get

from security.launch import launcher_env, start_launcher, stop_launcher
from security.processes import gone, port_free

pytestmark = [pytest.mark.model, pytest.mark.server]

START_TIMEOUT_S = float(os.environ.get("CITYBOT_TEST_START_TIMEOUT", "300"))
#: Far below the launcher's 15 s grace: a stop that waits for it (a lost signal) fails.
QUICK_STOP_S = 8.0

#: An environment variable naming the run, to find its servers wherever they end up.
MARKER = "CITYBOT_TEST_LAUNCH"

needs_model = pytest.mark.skipif(find_model() is None, reason="no trained model in models/: run `make train`")


@dataclass
class Run:
    """A launcher started by a test, with what it needs to check that nothing is left behind."""

    process: subprocess.Popen[bytes]
    ports: dict[str, int]
    log: Path
    marker: str  # in the environment of the launcher and of every child
    terminal: Terminal | None = None

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def children(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []

    def wait_for(self, what: str, condition: Callable[[], bool], timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the launcher never got to: {what}\n{self.output[-3000:]}")
            time.sleep(0.05)

    def wait_for_rasa_child(self) -> list[psutil.Process]:
        """Until the action server answers and the Rasa server has been started: two children."""
        actions = f"http://127.0.0.1:{self.ports['ACTIONS_PORT']}/health"
        self.wait_for("the action server answering", lambda: http_get(actions, timeout=1) is not None)
        self.wait_for("the Rasa server started", lambda: len(self.children()) == 2)
        return self.children()

    def servers_left(self) -> list[psutil.Process]:
        """Every live process but the launcher with our ports on its command line (`--port N`) or
        our marker in its environment: a server this run started, wherever it was reparented."""
        wanted = {str(port) for port in self.ports.values()}
        found = []
        for process in psutil.process_iter(["cmdline"]):
            if process.pid == self.process.pid or gone(process):
                continue
            command = process.info["cmdline"] or []
            on_our_port = any(
                w == "--port" and v in wanted for w, v in zip(command, command[1:], strict=False)
            )
            try:
                ours = on_our_port or process.environ().get(MARKER) == self.marker
            except (psutil.AccessDenied, psutil.NoSuchProcess):
                ours = on_our_port
            if ours:
                found.append(process)
        return found


class Terminal:
    """A pseudo-terminal standing for the one `make run` was typed in: the launcher writes to it,
    a thread copies that to a log until the terminal is closed (then writes fail with EIO)."""

    def __init__(self, log: Path) -> None:
        self.master, self.slave = pty.openpty()
        self._open = True
        self._thread = threading.Thread(target=self._copy, args=(log,), daemon=True)
        self._thread.start()

    def _copy(self, log: Path) -> None:
        with log.open("ab") as out:
            while self._open:
                if select.select([self.master], [], [], 0.1)[0]:
                    try:
                        out.write(os.read(self.master, 65536))
                    except OSError:
                        return
                    out.flush()

    def close(self) -> None:
        if self._open:
            self._open = False
            self._thread.join()
            os.close(self.master)


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Callable[..., Run]]:
    """Start launchers on free ports with a private run-time folder; kill whatever is left after.

    `launch(terminal=True)` writes the launcher's output to a `Terminal` (returned as
    `run.terminal`) instead of a file.
    """
    recorder = Recorder()
    runs: list[Run] = []

    def start(wait: bool = False, terminal: bool = False, **extra: str) -> Run:
        marker = uuid.uuid4().hex
        env, ports = launcher_env(tmp_path, recorder, **{MARKER: marker}, **extra)
        ports.update({name: int(value) for name, value in extra.items() if name in ports})
        tty = None
        if terminal:
            log = tmp_path / "terminal.log"
            tty = Terminal(log)
            slave = tty.slave
            process = subprocess.Popen(
                [sys.executable, "-m", "citybot.launcher"],
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=slave,
                stderr=slave,
                start_new_session=True,
            )
            os.close(slave)
        else:
            process, log = start_launcher(tmp_path, env, wait=wait)
        runs.append(Run(process, ports, log, marker, tty))
        return runs[-1]

    yield start
    for run in runs:
        left = run.servers_left()
        stop_launcher(run.process)
        for process in left:  # only after a failure: do not leave servers to the next test
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        if run.terminal:
            run.terminal.close()
    recorder.stop()


def _time_until_gone(children: list[psutil.Process], since: float, limit: float) -> float:
    """Seconds from `since` until every child has exited; fails after `limit`."""
    while not all(gone(child) for child in children):
        if time.monotonic() - since > limit:
            left = [child.pid for child in children if not gone(child)]
            pytest.fail(f"children still running {limit:.0f} s after the signal: {left}")
        time.sleep(0.01)
    return time.monotonic() - since


def _assert_clean_exit(run: Run, stop_signal: int, timeout: float = 30.0) -> None:
    """The launcher exited 0 after saying why, no traceback, no server left, every port free."""
    run.process.wait(timeout=timeout)
    output = run.output
    assert run.process.returncode == 0, output[-3000:]
    assert f"stopping ({signal.Signals(stop_signal).name})" in output, output[-3000:]
    assert "stopped: every server has exited." in output, output[-3000:]
    assert "Traceback" not in output, output[-5000:]
    assert run.servers_left() == []
    taken = [name for name, port in run.ports.items() if not port_free(port)]
    assert taken == [], f"ports still taken after the stop: {taken}"


def _report(case: str, seconds: float) -> None:
    print(f"\n[lifecycle] {case}: every child gone {seconds:.2f} s after the signal", file=sys.stderr)


@needs_model
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGHUP], ids=["INT", "HUP"])
def test_a_signal_during_start_up_stops_what_was_started(
    launch: Callable[..., Run], stop_signal: int
) -> None:
    """Ctrl-C, or the terminal closing, while the Rasa server starts: the action server (ready)
    and the Rasa server (starting) both stop, and the web chat page is never started."""
    run = launch()
    children = run.wait_for_rasa_child()
    sent = time.monotonic()
    os.killpg(run.process.pid, stop_signal)  # what a terminal sends: to the foreground group
    _report(
        f"SIG{signal.Signals(stop_signal).name[3:]} during start-up",
        _time_until_gone(children, sent, QUICK_STOP_S),
    )
    _assert_clean_exit(run, stop_signal)
    assert "web chat on http" not in run.output  # the page server never started


@needs_model
def test_the_terminal_closing_stops_everything(launch: Callable[..., Run]) -> None:
    """The terminal `make run` was typed in is closed during the start: SIGHUP, and every later
    write to the terminal fails (EIO). The stop must not fail with it: every child is reaped and
    the launcher exits 0 (not 1 from an exception, nor 120 from a failed flush at exit)."""
    run = launch(terminal=True)
    children = run.wait_for_rasa_child()
    assert run.terminal is not None
    run.terminal.close()
    sent = time.monotonic()
    os.killpg(run.process.pid, signal.SIGHUP)
    _report("SIGHUP after the terminal closed", _time_until_gone(children, sent, QUICK_STOP_S))
    run.process.wait(timeout=30)
    assert run.process.returncode == 0
    assert "Traceback" not in run.output
    assert run.servers_left() == []
    assert all(port_free(port) for port in run.ports.values())


@needs_model
def test_a_service_managers_sigterm_while_the_model_loads(launch: Callable[..., Run]) -> None:
    """SIGTERM to `make run`'s group while Rasa loads the model, twice as GNU make forwards it: a
    quick stop without escalation. (Rasa ignores a SIGINT during the load: the old launcher then
    waited its 15 s grace and killed it.)"""
    run = launch()
    children = run.wait_for_rasa_child()
    run.wait_for("the model loading", lambda: "Loading model" in run.output)
    sent = time.monotonic()
    os.killpg(run.process.pid, signal.SIGTERM)
    os.killpg(run.process.pid, signal.SIGTERM)  # make's echo of a signal to its group
    _report("SIGTERM (twice) while the model loads", _time_until_gone(children, sent, QUICK_STOP_S))
    _assert_clean_exit(run, signal.SIGTERM)
    assert "killing" not in run.output  # the echo is not a second request


@needs_model
def test_a_second_signal_kills_what_is_left_at_once(launch: Callable[..., Run]) -> None:
    """A child that does not stop: the action server, suspended with SIGSTOP (its SIGTERM handler
    then cannot run, so the signal stays pending; a child still on SIGTERM's default action, like
    the loading Rasa server, would die even when suspended). The launcher waits for it; make's
    echo does not escalate; a later Ctrl-C makes it kill the child at once, reap it and exit
    cleanly, with no KeyboardInterrupt traceback."""
    run = launch()
    children = run.wait_for_rasa_child()
    actions = next(child for child in children if "actions" in child.cmdline())
    actions.suspend()
    os.killpg(run.process.pid, signal.SIGTERM)
    os.killpg(run.process.pid, signal.SIGTERM)
    time.sleep(2.5)  # beyond the echo window
    assert run.process.poll() is None, run.output[-3000:]  # still waiting for the action server
    assert not gone(actions)
    assert "killing" not in run.output
    sent = time.monotonic()
    os.killpg(run.process.pid, signal.SIGINT)
    _report("second signal (SIGINT) with a hung child", _time_until_gone(children, sent, 3.0))
    _assert_clean_exit(run, signal.SIGTERM)
    assert "another signal: killing the action server" in run.output


@needs_model
def test_the_servers_exit_when_the_launcher_is_killed(launch: Callable[..., Run]) -> None:
    """SIGKILL to a ready launcher (no chance to clean up): the kernel tells its children
    (PR_SET_PDEATHSIG), and all three servers stop and free their ports within seconds."""
    run = launch(wait=True)
    children = run.children()
    assert len(children) == 3, run.output[-3000:]
    sent = time.monotonic()
    run.process.kill()
    _report("SIGKILL of the ready launcher", _time_until_gone(children, sent, 30.0))
    run.process.wait(timeout=10)
    assert run.servers_left() == []
    assert all(port_free(port) for port in run.ports.values())


def test_a_taken_port_stops_the_start_at_once_and_names_who_holds_it(launch: Callable[..., Run]) -> None:
    """ACTIONS_PORT held by this test's process, WEBCHAT_PORT by a page server left by an earlier
    run: the launcher stops before starting anything, naming both ports, variables and holders."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        actions_port = holder.getsockname()[1]
        page_port = free_port()
        stale_page = subprocess.Popen(
            [sys.executable, "-m", "citybot.webchat", "--port", str(page_port)], cwd=REPO_ROOT
        )
        try:
            deadline = time.monotonic() + 30
            while http_get(f"http://127.0.0.1:{page_port}/", timeout=1) is None:
                assert stale_page.poll() is None and time.monotonic() < deadline, (
                    "the stale page did not start"
                )
                time.sleep(0.1)
            started = time.monotonic()
            run = launch(ACTIONS_PORT=str(actions_port), WEBCHAT_PORT=str(page_port))
            run.process.wait(timeout=10)
            took = time.monotonic() - started
        finally:
            stale_page.terminate()
            stale_page.wait(timeout=10)
    output = run.output
    print(f"\n[lifecycle] taken port: the launcher exited after {took:.2f} s", file=sys.stderr)
    assert run.process.returncode == 1
    assert took < 5.0
    assert f"port {actions_port} (ACTIONS_PORT) is already in use" in output, output
    assert f"held by pid {os.getpid()}: " in output, output
    assert f"port {page_port} (WEBCHAT_PORT) is already in use" in output, output
    assert f"held by pid {stale_page.pid}: {sys.executable} -m citybot.webchat" in output, output
    assert f"a server left by an earlier `make run`: stop it with `kill {stale_page.pid}`" in output, output
    assert "Starting" not in output and "Traceback" not in output, output
    assert run.servers_left() == []


@needs_model
def test_a_port_taken_during_the_start_is_reported_not_trusted(launch: Callable[..., Run]) -> None:
    """Another server takes RASA_PORT after the launcher's check, while the Rasa server loads,
    and answers the ready check: the launcher must not say "Ready" (it would send users to that
    server) but stop, naming the process now holding the port."""
    run = launch()
    run.wait_for_rasa_child()
    with _answering_server(run.ports["RASA_PORT"]):
        run.process.wait(timeout=30)
        output = run.output
    assert run.process.returncode == 1, output[-3000:]
    assert "Ready in" not in output
    assert f"port {run.ports['RASA_PORT']} answers, but not from the Rasa server we started" in output
    assert f"port {run.ports['RASA_PORT']} (RASA_PORT) is already in use" in output, output[-3000:]
    assert f"held by pid {os.getpid()}: " in output
    assert run.servers_left() == []


@needs_model
def test_a_child_that_cannot_listen_is_reported(launch: Callable[..., Run]) -> None:
    """A listener that never answers takes ACTIONS_PORT between the launcher's check and the action
    server's start: the action server cannot listen and exits; the launcher says so and names the
    holder, instead of waiting its start timeout."""
    run = launch()
    run.wait_for("the action server started", lambda: len(run.children()) == 1)
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", run.ports["ACTIONS_PORT"]))
        squatter.listen()
        run.process.wait(timeout=120)
        output = run.output
    assert run.process.returncode == 1, output[-3000:]
    assert "the action server stopped (exit code" in output, output[-3000:]
    assert f"port {run.ports['ACTIONS_PORT']} (ACTIONS_PORT) is already in use" in output, output[-3000:]
    assert f"held by pid {os.getpid()}: " in output
    assert run.servers_left() == []


@contextlib.contextmanager
def _answering_server(port: int) -> Iterator[None]:
    """An HTTP server in this process answering 200 to everything on 127.0.0.1:`port`."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"an older server")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Answer)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
