"""Start the action server, the Rasa server and the web chat page together (`make run`).

The three are plain `rasa run actions`, `rasa run` and our static page server: this module only
starts them in the right order, waits until each answers, prints where to talk to the bot and
stops all of them on Ctrl-C, so nobody is left with a stray server holding a port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

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
    env.setdefault(
        "TRACKER_STORE_URL", "sqlite:///var/conversations.db"
    )  # as the Makefile; bot/endpoints.yml needs it
    return env


def main() -> int:
    from citybot.channels.credentials import write_credentials

    _stop_on_signals()

    rasa_port, actions_port, webchat_port = (
        port("RASA_PORT", 5005),
        port("ACTIONS_PORT", 5055),
        port("WEBCHAT_PORT", 8080),
    )
    env = child_environment(actions_port)
    credentials = write_credentials(os.environ, VAR_DIR / "credentials.yml")
    running = services(rasa_port, actions_port, webchat_port, credentials)
    started = time.monotonic()
    try:
        for service in running:
            service.start(env)
            wait_until_ready(service, started + READY_TIMEOUT_S)
        print(
            f"\nReady in {time.monotonic() - started:.0f} s.\n"
            f"  web chat:  http://localhost:{webchat_port}/\n"
            f"  REST:      curl -s localhost:{rasa_port}/webhooks/rest/webhook "
            f'-d \'{{"sender": "me", "message": "bonjour"}}\'\n'
            f"  actions:   http://localhost:{actions_port}/health\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
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
