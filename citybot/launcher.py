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
import secrets
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from citybot import ports
from citybot.doors import (
    ACTION_TOKEN_ENV,
    ACTIONS_HOST_ENV,
    RASA_HOST_ENV,
    WEBCHAT_HOST_ENV,
    Door,
    DoorError,
    bind_host,
    checked_action_token,
)
from citybot.isolation import Environments, child_environments, private_run_time_folder
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
    #: The child's whole environment (`citybot.isolation`): each gets only what it needs.
    environment: dict[str, str] = field(default_factory=dict)

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


#: Service names, as printed.
ACTION_SERVER, RASA_SERVER, WEBCHAT_PAGE = "action server", "Rasa server", "web chat page"


def doors(env: Mapping[str, str], rasa_port: int, actions_port: int, webchat_port: int) -> dict[str, Door]:
    """Where each server listens: loopback unless its `*_HOST` variable says otherwise."""
    try:
        return {
            WEBCHAT_PAGE: Door(
                WEBCHAT_PAGE, WEBCHAT_HOST_ENV, bind_host(env, WEBCHAT_HOST_ENV), webchat_port
            ),
            RASA_SERVER: Door(RASA_SERVER, RASA_HOST_ENV, bind_host(env, RASA_HOST_ENV), rasa_port),
            ACTION_SERVER: Door(
                ACTION_SERVER, ACTIONS_HOST_ENV, bind_host(env, ACTIONS_HOST_ENV), actions_port
            ),
        }
    except DoorError as error:
        sys.exit(f"error: {error}")


def services(
    opened: Mapping[str, Door],
    credentials: Path,
    environments: Environments,
    origins: Sequence[str],
    public_rasa_url: str | None,
) -> list[Service]:
    """The three children in start order, each bound to its door with its own environment.

    `origins` are the page origins Rasa answers with CORS (the socket.io channel checks the same
    list, from the credentials file). `public_rasa_url` (`RASA_URL`) is where browsers reach Rasa
    when that is not the page's host on `RASA_PORT`: behind a reverse proxy, the public address.
    """
    rasa, actions, page = opened[RASA_SERVER], opened[ACTION_SERVER], opened[WEBCHAT_PAGE]
    return [
        Service(
            ACTION_SERVER,
            # Plain rasa-sdk: the `actions` package installs the guard (citybot/action_server.py),
            # which binds ACTIONS_HOST and requires ACTION_SERVER_TOKEN.
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions.port)],
            actions.url("/health"),
            environment=environments.actions,
        ),
        Service(
            RASA_SERVER,
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                "models/citybot.tar.gz",
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                str(credentials),
                "--interface",
                rasa.host,
                "--port",
                str(rasa.port),
                "--cors",
                *origins,
            ],
            rasa.url("/"),
            environment=environments.rasa,
        ),
        Service(
            WEBCHAT_PAGE,
            [
                str(BIN / "python"),
                "-m",
                "citybot.webchat",
                "--host",
                page.host,
                "--port",
                str(page.port),
                *(["--rasa-url", public_rasa_url] if public_rasa_url else ["--rasa-port", str(rasa.port)]),
            ],
            page.url("/"),
            environment=environments.page,
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


def start_all(running: list[Service], signals: StopSignals, deadline: float) -> None:
    """Start the services one after the other, each once the previous answers.

    Raises StartInterruptedError when a stop signal comes first (the caller stops what was started).
    """
    for service in running:
        if signals.first:
            raise StartInterruptedError
        service.start(service.environment)
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
    # As the Makefile (bot/endpoints.yml needs it), in the run-time folder ($CITYBOT_VAR or var/).
    env.setdefault("TRACKER_STORE_URL", f"sqlite:///{VAR_DIR / 'conversations.db'}")
    return env


def action_token(env: Mapping[str, str]) -> str:
    """`ACTION_SERVER_TOKEN` when set (replicas share one), else a random one for this run."""
    try:
        return checked_action_token(env.get(ACTION_TOKEN_ENV) or secrets.token_urlsafe(32))
    except DoorError as error:
        sys.exit(f"error: {error}")


def _local(door: Door) -> str:
    """How to reach `door` from this machine, for the printed addresses."""
    return "localhost" if door.local_host == "127.0.0.1" else door.local_host


def ready_message(opened: Mapping[str, Door], seconds: float) -> str:
    """What `make run` prints once every server answers: where to talk, and which doors are open."""
    page, rasa, actions = opened[WEBCHAT_PAGE], opened[RASA_SERVER], opened[ACTION_SERVER]
    lines = [
        f"\nReady in {seconds:.0f} s.",
        f"  web chat:  http://{_local(page)}:{page.port}/",
        f"  REST:      curl -s {_local(rasa)}:{rasa.port}/webhooks/rest/webhook "
        "-H 'Content-Type: application/json' "
        f'-d \'{{"sender": "me", "message": "bonjour"}}\'',
        f"  actions:   http://{_local(actions)}:{actions.port}/health",
        "Doors (docs/security.md):",
        *(f"  {door.describe()}" for door in (page, rasa, actions)),
        f"  the action server answers only callers sending {ACTION_TOKEN_ENV} (the Rasa server)",
    ]
    if page.open_to_network and not rasa.open_to_network:
        lines.append(
            f"  note: remote browsers get the page but cannot chat until {RASA_HOST_ENV} opens Rasa too"
        )
    lines.append("Press Ctrl-C to stop.\n")
    return "\n".join(lines)


def main() -> int:
    from citybot.channels.credentials import CredentialsError, build, write_credentials
    from citybot.channels.credentials import summary as channel_summary
    from citybot.channels.origins import page_origins

    signals = StopSignals()
    signals.install()

    rasa_port, actions_port, webchat_port = (
        port("RASA_PORT", 5005),
        port("ACTIONS_PORT", 5055),
        port("WEBCHAT_PORT", 8080),
    )
    in_use = {"RASA_PORT": rasa_port, "ACTIONS_PORT": actions_port, "WEBCHAT_PORT": webchat_port}
    taken = ports.taken_message(in_use)
    if taken:
        say(f"{taken}\nNothing was started.", error=True)
        return 1
    note = private_run_time_folder(VAR_DIR)
    if note:
        say(note)
    opened = doors(os.environ, rasa_port, actions_port, webchat_port)
    token, actions_host = action_token(os.environ), opened[ACTION_SERVER].host
    environments = child_environments(child_environment(actions_port), token, actions_host)
    try:
        credentials = write_credentials(os.environ, VAR_DIR / "credentials.yml")
    except CredentialsError as error:
        say(f"error: {error}\nNothing was started.", error=True)
        return 1
    say("Channels:\n" + "\n".join(f"  {line}" for line in channel_summary(build(os.environ)).splitlines()))
    running = services(
        opened, credentials, environments, page_origins(os.environ), os.environ.get("RASA_URL") or None
    )
    started = time.monotonic()
    code = 1
    try:
        start_all(running, signals, started + READY_TIMEOUT_S)
        say(ready_message(opened, time.monotonic() - started))
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
        taken = ports.taken_message(in_use)
        if taken:
            say(taken, error=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
