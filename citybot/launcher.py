"""Start the action server, the Rasa server and the web chat page together (`make run`).

The three are plain `rasa run actions`, `rasa run` and our static page server: this module only
starts them in the right order, waits until each answers, prints where to talk to the bot and
stops all of them on Ctrl-C, so nobody is left with a stray server holding a port.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
        self.process = subprocess.Popen(self.command, cwd=PROJECT_ROOT, env=env, start_new_session=True)

    def is_ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.ready_url, timeout=2) as reply:
                return bool(reply.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        """SIGINT first so Rasa closes its tracker store cleanly; SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


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


def services(opened: Mapping[str, Door], credentials: Path, environments: Environments) -> list[Service]:
    """The three children in start order, each bound to its door with its own environment."""
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
                f"http://localhost:{page.port}",
                f"http://127.0.0.1:{page.port}",
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
                "--rasa-url",
                f"http://localhost:{rasa.port}",
            ],
            page.url("/"),
            environment=environments.page,
        ),
    ]


def wait_until_ready(service: Service, deadline: float) -> None:
    while not service.is_ready():
        code = service.process.poll() if service.process else -1
        if code is not None:
            raise RuntimeError(f"the {service.name} stopped (exit code {code}); see its log above")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the {service.name} did not answer at {service.ready_url} in {READY_TIMEOUT_S:.0f} s"
            )
        time.sleep(0.5)


def _stop_on_signals() -> None:
    """Treat SIGTERM/SIGHUP (a service manager, a closed terminal) like Ctrl-C, so children stop too.

    SIGINT is reset as well: a shell that starts us in the background ignores it, and Python then
    never raises KeyboardInterrupt.
    """

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)


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
    from citybot.channels.credentials import write_credentials

    _stop_on_signals()

    rasa_port, actions_port, webchat_port = (
        port("RASA_PORT", 5005),
        port("ACTIONS_PORT", 5055),
        port("WEBCHAT_PORT", 8080),
    )
    note = private_run_time_folder(VAR_DIR)
    if note:
        print(note, flush=True)
    opened = doors(os.environ, rasa_port, actions_port, webchat_port)
    token, actions_host = action_token(os.environ), opened[ACTION_SERVER].host
    environments = child_environments(child_environment(actions_port), token, actions_host)
    credentials = write_credentials(os.environ, VAR_DIR / "credentials.yml")
    running = services(opened, credentials, environments)
    started = time.monotonic()
    try:
        for service in running:
            service.start(service.environment)
            wait_until_ready(service, started + READY_TIMEOUT_S)
        print(ready_message(opened, time.monotonic() - started), flush=True)
        while all(s.process is not None and s.process.poll() is None for s in running):
            time.sleep(1)
        print("error: a service stopped unexpectedly; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        for service in reversed(running):
            service.stop()


if __name__ == "__main__":
    sys.exit(main())
