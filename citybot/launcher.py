"""Start the action server, the Rasa server and the web chat page together (`make run`).

The three are plain `rasa run actions`, `rasa run` and our static page server: this module only
starts them in the right order, waits until each answers, prints where to talk to the bot and
stops all of them on Ctrl-C, SIGTERM or SIGHUP, so nobody is left with a stray server holding a
port. A start refuses ports already in use (`citybot.ports`); the children die with the launcher
and every stop reaps them all, even when a second signal comes (`citybot.processes`).
Exit status: 0 after a requested stop, 1 after an error (a port taken, a server that failed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from citybot import ports
from citybot.paths import PROJECT_ROOT, VAR_DIR
from citybot.processes import (
    StartInterruptedError,
    StopSignals,
    die_with_parent,
    say,
    signal_name,
    stop_children,
)

BIN = Path(sys.executable).parent
# Generous: a busy 2-core machine can take minutes to load the model (about 30 s when idle).
READY_TIMEOUT_S = float(os.environ.get("CITYBOT_START_TIMEOUT", "600"))


@dataclass
class Service:
    """One child process and the URL that answers once it is ready."""

    name: str
    command: list[str]
    ready_url: str
    process: subprocess.Popen[bytes] | None = None

    def start(self, env: dict[str, str]) -> None:
        """In its own session (a Ctrl-C reaches the launcher only), set to die with the launcher."""
        self.process = subprocess.Popen(
            self.command, cwd=PROJECT_ROOT, env=env, start_new_session=True, preexec_fn=die_with_parent()
        )

    @property
    def port(self) -> int:
        """The port the service listens on: its ready URL's."""
        return urllib.parse.urlsplit(self.ready_url).port or 80

    def is_ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.ready_url, timeout=2) as reply:
                return bool(reply.status == 200)
        except OSError:
            return False


def port(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit() or not 0 < int(value) < 65536:
        sys.exit(f"error: {name}={value!r} is not a port number")
    return int(value)


def services(rasa_port: int, actions_port: int, webchat_port: int, credentials: Path) -> list[Service]:
    page_origin = f"http://localhost:{webchat_port}"
    return [
        Service(
            "action server",
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            f"http://127.0.0.1:{actions_port}/health",
        ),
        Service(
            "Rasa server",
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                "models/citybot.tar.gz",
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                str(credentials),
                "--port",
                str(rasa_port),
                "--cors",
                page_origin,
                f"http://127.0.0.1:{webchat_port}",
            ],
            f"http://127.0.0.1:{rasa_port}/",
        ),
        Service(
            "web chat page",
            [
                str(BIN / "python"),
                "-m",
                "citybot.webchat",
                "--port",
                str(webchat_port),
                "--rasa-url",
                f"http://localhost:{rasa_port}",
            ],
            f"http://127.0.0.1:{webchat_port}/",
        ),
    ]


def wait_until_ready(service: Service, deadline: float, signals: StopSignals) -> bool:
    """Wait until the service answers from its own process; False if a stop signal came first.

    An answer is not enough: a server left by an earlier run, or one that took the port after the
    launcher checked it, answers too (with the previous model) while our child fails to listen.
    """
    while not signals.first:
        code = service.process.poll() if service.process else -1
        if code is not None:
            raise RuntimeError(f"the {service.name} stopped (exit code {code}); see its log above")
        if service.is_ready() and service.process is not None:
            if ports.listened_by(service.process.pid, service.port):
                return True
            raise RuntimeError(f"port {service.port} answers, but not from the {service.name} we started")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the {service.name} did not answer at {service.ready_url} in {READY_TIMEOUT_S:.0f} s"
            )
        signals.wait(0.5)
    return False


def start_all(running: list[Service], env: dict[str, str], signals: StopSignals, deadline: float) -> None:
    """Start the services one after the other, each once the previous answers.

    Raises StartInterruptedError when a stop signal comes first (the caller stops what was started).
    """
    for service in running:
        if signals.first:
            raise StartInterruptedError
        service.start(env)
        if not wait_until_ready(service, deadline, signals):
            raise StartInterruptedError


def serve_until_stopped(running: list[Service], signals: StopSignals) -> int:
    """Wait for a stop signal (0), or for a service to stop on its own (1)."""
    while not signals.first:
        if any(s.process is None or s.process.poll() is not None for s in running):
            say("error: a service stopped unexpectedly; stopping the others", error=True)
            return 1
        signals.wait(1.0)
    return 0


def stop_all(running: list[Service], signals: StopSignals) -> bool:
    """Stop every started service and reap it (`stop_children`); False if one could not be reaped."""
    children = {s.name: s.process for s in reversed(running) if s.process is not None}
    if signals.first:
        say(f"\nstopping ({signal_name(signals.first)})…")
    stuck = stop_children(children, signals)
    if stuck:
        say(f"error: could not stop the {', '.join(stuck)}", error=True)
        return False
    if children:
        say("stopped: every server has exited.")
    return True


def child_environment(actions_port: int) -> dict[str, str]:
    """Our settings for the children, so `python -m citybot.launcher` also works outside `make run`."""
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", ACTIONS_PORT=str(actions_port))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault(
        "TRACKER_STORE_URL", "sqlite:///var/conversations.db"
    )  # as the Makefile; bot/endpoints.yml needs it
    return env


def main() -> int:
    from citybot.channels.credentials import write_credentials

    signals = StopSignals()
    signals.install()

    rasa_port, actions_port, webchat_port = (
        port("RASA_PORT", 5005),
        port("ACTIONS_PORT", 5055),
        port("WEBCHAT_PORT", 8080),
    )
    doors = {"RASA_PORT": rasa_port, "ACTIONS_PORT": actions_port, "WEBCHAT_PORT": webchat_port}
    taken = ports.taken_message(doors)
    if taken:
        say(f"{taken}\nNothing was started.", error=True)
        return 1
    env = child_environment(actions_port)
    credentials = write_credentials(os.environ, VAR_DIR / "credentials.yml")
    running = services(rasa_port, actions_port, webchat_port, credentials)
    started = time.monotonic()
    code = 1
    try:
        start_all(running, env, signals, started + READY_TIMEOUT_S)
        print(
            f"\nReady in {time.monotonic() - started:.0f} s.\n"
            f"  web chat:  http://localhost:{webchat_port}/\n"
            f"  REST:      curl -s localhost:{rasa_port}/webhooks/rest/webhook "
            f'-d \'{{"sender": "me", "message": "bonjour"}}\'\n'
            f"  actions:   http://localhost:{actions_port}/health\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        code = serve_until_stopped(running, signals)
    except StartInterruptedError:
        code = 0
    except RuntimeError as error:
        say(f"error: {error}", error=True)
    finally:
        if not stop_all(running, signals):
            code = 1
    if code and not signals.first:
        # A server that could not listen, or someone else's answer: name who holds the port now.
        taken = ports.taken_message(doors)
        if taken:
            say(taken, error=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
