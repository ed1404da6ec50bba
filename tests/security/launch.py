"""The launcher as `make run` starts it, for the security tests.

`start_launcher` runs `python -m citybot.launcher` (what `make run` runs after training) with every
channel enabled and pointed at a loopback `Recorder` (tests/servers.py) that stands in for the
callback client, Slack and Telegram. Its ports are free ones, its run-time folder
(`$CITYBOT_VAR`: credentials, conversations) a temporary one, so it never touches the
developer's `var/` and runs beside `make run`.

The tests then knock on the real doors: the Rasa server's channels, the action server, the page.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from servers import REPO_ROOT, Recorder, channel_env, free_port

READY_TIMEOUT_S = float(os.environ.get("CITYBOT_TEST_START_TIMEOUT", "300"))
READY_LINE = "Press Ctrl-C to stop."


@dataclass
class Launched:
    """A running launcher: its ports, environment, output and run-time folder."""

    process: subprocess.Popen[bytes]
    ports: dict[str, int]
    env: dict[str, str]
    log: Path
    var: Path
    recorder: Recorder
    extra: dict[str, str] = field(default_factory=dict)

    def url(self, door: str, path: str = "/") -> str:
        """`door` is RASA_PORT, ACTIONS_PORT or WEBCHAT_PORT."""
        return f"http://127.0.0.1:{self.ports[door]}{path}"

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")

    @property
    def conversations(self) -> Path:
        return self.var / "conversations.db"


def launcher_env(tmp: Path, recorder: Recorder, **extra: str) -> tuple[dict[str, str], dict[str, int]]:
    """The environment of a launcher on free ports, with every channel on and a private var/."""
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEBCHAT_PORT": free_port()}
    var = tmp / "var"
    var.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        **channel_env(recorder),
        **{name: str(port) for name, port in ports.items()},
        CITYBOT_VAR=str(var),
        TRACKER_STORE_URL=f"sqlite:///{var / 'conversations.db'}",
    )
    env.update(extra)
    return env, ports


def start_launcher(tmp: Path, env: dict[str, str], wait: bool = True) -> tuple[subprocess.Popen[bytes], Path]:
    """`python -m citybot.launcher` in its own process group, its output in `tmp/launcher.log`."""
    log = tmp / "launcher.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "citybot.launcher"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if wait:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while READY_LINE not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                stop_launcher(process)
                pytest.fail("the launcher did not get ready:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.5)
    return process, log


def stop_launcher(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C, as a person would; the whole group is killed if it has not stopped in 60 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
