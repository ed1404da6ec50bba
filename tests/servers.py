"""Start the real action server and Rasa server on free loopback ports, for tests.

Reusable by any test module::

    from servers import find_model, start_stack       # tests/ is on sys.path under pytest

    model = find_model()                               # newest models/*.tar.gz, or None
    stack = start_stack(model, log_dir)
    stack.rasa_url  # http://127.0.0.1:<port>
    stack.restart_rasa()                               # same port, same configuration
    stack.stop()

``shared_stack()`` starts one stack per pytest process (loading the model takes 30-60 s of
one core) and every test module that can share it does (conftest's ``stack`` fixture): it
is configured like ``make run``, i.e. the project's own bot/endpoints.yml with conversations
in an SQLite file, plus every channel: socket.io, REST, callback, Slack and Telegram, the
last three sending their outbound calls to a local ``Recorder``. Its action server reads a
throw-away copy of knowledge/, which tests may edit (and restore). It is stopped at exit.
Server logs go to files whose path appears in any start-up error.

Every server listens on 127.0.0.1 only, and the action servers require the token
``ACTION_TOKEN`` (citybot/action_server.py): every process started here gets it as
``ACTION_SERVER_TOKEN``, which bot/endpoints.yml sends; endpoints written by tests send it too
(``action_endpoint``).
"""

import atexit
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import yaml

from citybot.channels import credentials as channel_credentials

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = REPO_ROOT / ".venv" / "bin"
START_TIMEOUT_S = float(os.environ.get("CITYBOT_TEST_START_TIMEOUT", "300"))

TELEGRAM_TOKEN = "123456:TEST-token_for-loopback-only"

#: The action servers' token for this test process (`make` exports one; else a random one).
ACTION_TOKEN = os.environ.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(32)
ACTION_TOKEN_HEADER = "X-Citybot-Action-Token"
TELEGRAM_BOT_USERNAME = "citybot_test_bot"


#: Where the tests' servers listen: below Linux's ephemeral range (32768-60999), from which the OS
#: gives every outgoing connection (to PostgreSQL, Redis, between servers) and `bind(0)` a port, so
#: that a connection of a job running beside the tests cannot take a port between its pick here
#: and the server's start (seen in CI: "ACTIONS_PORT is already in use" by no visible process).
TEST_PORTS = range(20000, 32768)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now, drawn at random from `TEST_PORTS`."""
    for _ in range(200):
        port = random.choice(TEST_PORTS)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {TEST_PORTS} after 200 tries")


def find_model(root: Path = REPO_ROOT) -> Path | None:
    """``CITYBOT_MODEL`` if set, else the newest ``models/*.tar.gz``, else ``None``."""
    explicit = os.environ.get("CITYBOT_MODEL")
    if explicit:
        return Path(explicit)
    models = sorted((root / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def rasa_executable() -> str:
    return str(VENV_BIN / "rasa")


def http_get(url: str, timeout: float = 5.0) -> bytes | None:
    """Body of a GET, or ``None`` when the server is not (yet) answering."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def http_post_json(
    url: str, payload: Any, headers: dict[str, str] | None = None, timeout: float = 60.0
) -> "tuple[int, bytes]":
    """POST JSON; returns (status, body) also for 4xx/5xx answers."""
    data = json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def rest_text(rasa_url: str, sender: str, text: str) -> str:
    """One turn through the REST channel: the bot's messages joined as one text."""
    status, body = http_post_json(
        f"{rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=120
    )
    assert status == 200, body
    return "\n".join(m.get("text") or "" for m in json.loads(body))


@dataclass
class ServerProcess:
    """A server we started: its process, port and log file."""

    name: str
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_until_ready(
        self, path: str, timeout: float = START_TIMEOUT_S, ours: Callable[[bytes], bool] | None = None
    ) -> None:
        """Poll ``path`` until it answers (with a body ``ours`` accepts, when given: another test
        server that took the port in the meantime answers too); raise with the log tail if the
        server dies or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}; log {self.log_path}:\n"
                    + self.log_tail()
                )
            body = http_get(self.url + path, timeout=2)
            if body is not None and (ours is None or ours(body)):
                return
            time.sleep(1.0)
        self.stop()
        raise RuntimeError(
            f"{self.name} not ready after {timeout:.0f} s; log {self.log_path}:\n" + self.log_tail()
        )

    def stop(self) -> None:
        """Stop the server and its children (it runs in its own process group)."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _spawn(
    name: str, args: list[str], port: int, log_dir: Path, env: Mapping[str, str], cwd: Path = REPO_ROOT
) -> ServerProcess:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-{port}.log"
    full_env = dict(os.environ)
    full_env.update(env)
    full_env.setdefault("ACTION_SERVER_TOKEN", ACTION_TOKEN)
    full_env["RASA_TELEMETRY_ENABLED"] = "false"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop() ends it and its children only
        )
    return ServerProcess(name, process, port, log_path)


def start_action_server(
    log_dir: Path, port: int | None = None, env: Mapping[str, str] | None = None, cwd: Path = REPO_ROOT
) -> ServerProcess:
    """``rasa run actions --actions actions`` on a free loopback port, ready when it returns.

    ``env`` adds environment variables (e.g. ``CITYBOT_KNOWLEDGE`` for a copy of the KB); ``cwd``
    another checkout of the project (the benchmarks' baseline revision, with its PYTHONPATH)."""
    port = port or free_port()
    server = _spawn(
        "actions",
        [rasa_executable(), "run", "actions", "--actions", "actions", "--port", str(port)],
        port,
        log_dir,
        {"ACTIONS_HOST": "127.0.0.1", **(env or {})},
        cwd,
    )
    server.wait_until_ready("/health")
    return server


def action_endpoint(url: str) -> dict[str, Any]:
    """The ``action_endpoint`` section for the action server at ``url`` (.../webhook), as
    bot/endpoints.yml has it: with the token header (written out: a test file, a test token)."""
    return {"url": url, "headers": {ACTION_TOKEN_HEADER: ACTION_TOKEN}, "enable_selective_domain": True}


def nlg_endpoint() -> dict[str, Any]:
    """The ``nlg`` section of bot/endpoints.yml: the response generator with French typography."""
    section: dict[str, Any] = yaml.safe_load(ENDPOINTS.read_text())["nlg"]
    return section


def write_endpoints(path: Path, action_port: int, extra: Mapping[str, Any] | None = None) -> Path:
    """Endpoints for tests: our action server and response generator; in-memory tracker and lock
    stores unless ``extra`` adds sections (e.g. ``{"tracker_store": {"type": "SQL", ...}}``)."""
    endpoints: dict[str, Any] = {
        "action_endpoint": action_endpoint(f"http://127.0.0.1:{action_port}/webhook"),
        "nlg": nlg_endpoint(),
    }
    endpoints.update(extra or {})
    path.write_text(yaml.safe_dump(endpoints))
    return path


def start_rasa_server(
    model: Path,
    credentials: Path,
    endpoints: Path,
    log_dir: Path,
    cors: list[str],
    env: Mapping[str, str],
    auth_token: str,
    port: int | None = None,
    cwd: Path = REPO_ROOT,
) -> ServerProcess:
    """``rasa run`` with the HTTP API (token-protected) on a free loopback port (from ``cwd``,
    the project's checkout unless a benchmark runs another revision)."""
    port = port or free_port()
    args = [
        rasa_executable(),
        "run",
        "--model",
        str(model),
        "--credentials",
        str(credentials),
        "--endpoints",
        str(endpoints),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--enable-api",
        "--auth-token",
        auth_token,
    ]
    if cors:  # one flag, all origins: a repeated --cors keeps only the last one
        args += ["--cors", *cors]
    server = _spawn("rasa", args, port, log_dir, env, cwd)
    server.wait_until_ready("/")
    return server


@dataclass
class Recorded:
    """One request the Recorder received."""

    path: str
    headers: dict[str, str]
    body: Any


class Recorder:
    """A loopback HTTP server standing in for the outside world (callback client,
    Slack Web API, Telegram Bot API): records every request, answers like the real API."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def matching(self, fragment: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if fragment in r.path]

    def wait_for(self, predicate, timeout: float = 60.0) -> list[Recorded]:
        """Wait until ``predicate(requests)`` is truthy; returns the requests seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                seen = list(self.requests)
            if predicate(seen):
                return seen
            time.sleep(0.2)
        return seen

    def _record(self, recorded: Recorded) -> None:
        with self._lock:
            self.requests.append(recorded)

    def _handler_class(self):
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self._handle()

            def do_GET(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                recorder._record(Recorded(self.path, dict(self.headers), _decode(raw, self.headers)))
                reply = json.dumps(_fake_api_reply(self.path)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def _decode(raw: bytes, headers) -> Any:
    """JSON bodies as objects, form bodies as dicts of first values, else text."""
    content_type = headers.get("Content-Type", "")
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            return text
    if "x-www-form-urlencoded" in content_type:
        return {k: v[0] for k, v in parse_qs(text).items()}
    if "multipart/form-data" in content_type:
        return text
    return text


def _fake_api_reply(path: str) -> dict[str, Any]:
    """What Telegram's Bot API / Slack's Web API would answer, minimally but validly."""
    if path.endswith("/getMe"):
        return {
            "ok": True,
            "result": {
                "id": 123456,
                "is_bot": True,
                "first_name": "CityBot",
                "username": TELEGRAM_BOT_USERNAME,
            },
        }
    if path.endswith("/sendMessage"):
        return {
            "ok": True,
            "result": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": 1, "type": "private"},
                "text": "ok",
            },
        }
    if "/bot" in path:  # setWebhook and other Bot API calls
        return {"ok": True, "result": True}
    if path.startswith("/slack/"):
        return {"ok": True, "channel": "D1", "ts": "1.0"}
    return {"ok": True}


@dataclass
class Stack:
    """Action server + Rasa server (+ the Recorder their channels talk to), as ``make run``
    configures them: bot/endpoints.yml, with ``ACTIONS_PORT`` and ``TRACKER_STORE_URL``."""

    actions: ServerProcess
    rasa: ServerProcess
    recorder: Recorder
    env: dict[str, str]
    auth_token: str
    page_port: int
    log_dir: Path
    model: Path
    knowledge: Path
    tracker_store_url: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return self.rasa.url

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's tracker, via Rasa's HTTP API."""
        body = http_get(f"{self.rasa_url}/conversations/{conversation_id}/tracker?token={self.auth_token}")
        if body is None:
            raise RuntimeError(f"no tracker for {conversation_id}")
        return json.loads(body)

    def actions_env(self) -> dict[str, str]:
        return {"CITYBOT_KNOWLEDGE": str(self.knowledge)}

    def rasa_env(self) -> dict[str, str]:
        return {
            **self.env,
            "ACTIONS_PORT": str(self.actions.port),
            "TRACKER_STORE_URL": self.tracker_store_url,
        }

    def restart_actions(self) -> None:
        """Stop the action server if it runs, and start it again on the same port."""
        self.actions.stop()
        self.actions = start_action_server(self.log_dir, port=self.actions.port, env=self.actions_env())

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start a new one on the same port, model and configuration
        (it loads the model again: 30-60 s)."""
        self.rasa.stop()
        self.rasa = start_rasa_server(
            self.model,
            self.log_dir / "credentials.yml",
            ENDPOINTS,
            self.log_dir,
            page_cors(self.page_port),
            self.rasa_env(),
            self.auth_token,
            port=self.rasa.port,
        )

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()
        self.recorder.stop()


ENDPOINTS = REPO_ROOT / "bot" / "endpoints.yml"


def channel_env(recorder: Recorder) -> dict[str, str]:
    """Environment enabling callback, Slack and Telegram, all pointed at ``recorder``."""
    return {
        "CALLBACK_URL": f"{recorder.url}/callback",
        "CALLBACK_SECRET": secrets.token_hex(32),
        "SLACK_TOKEN": "xoxb-loopback-test",
        "SLACK_SIGNING_SECRET": secrets.token_hex(16),
        "SLACK_API_URL": f"{recorder.url}/slack/",
        "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_VERIFY": TELEGRAM_BOT_USERNAME,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
        "TELEGRAM_SECRET_TOKEN": secrets.token_urlsafe(16),
        "TELEGRAM_API_URL": recorder.url,
    }


def page_cors(page_port: int) -> list[str]:
    return [f"http://127.0.0.1:{page_port}", f"http://localhost:{page_port}"]


def callback_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers of a callback request signed with ``secret`` (now, unless ``timestamp`` is given),
    as a platform computes them (docs/security.md)."""
    from citybot.channels.callback_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: signature(secret, stamp, body),
    }


def post_callback(stack_url: str, secret: str, payload: Any) -> "tuple[int, bytes]":
    """POST ``payload`` to the callback channel, signed with ``secret``."""
    body = json.dumps(payload).encode("utf-8")
    return post_bytes(f"{stack_url}/webhooks/callback/webhook", body, callback_headers(secret, body))


def post_bytes(
    url: str, body: bytes, headers: Mapping[str, str], timeout: float = 60.0
) -> "tuple[int, bytes]":
    """POST ``body`` as it is with ``headers``; returns (status, body) also for 4xx/5xx answers."""
    request = urllib.request.Request(url, data=body, method="POST", headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def start_stack(model: Path, log_dir: Path) -> Stack:
    """Recorder, action server on a copy of knowledge/, then Rasa with every channel, the
    project's endpoints and an SQLite tracker store, CORS for a page port."""
    log_dir.mkdir(parents=True, exist_ok=True)
    knowledge = log_dir / "knowledge"
    shutil.copytree(REPO_ROOT / "knowledge", knowledge)
    recorder = Recorder()
    page_port = free_port()
    # The page's origins are the ones allowed on the socket; CITYBOT_VAR keeps the web session
    # secret (citybot.channels.session_tokens) in the log folder, so a Rasa restart keeps it.
    env = {**channel_env(recorder), "WEBCHAT_PORT": str(page_port), "CITYBOT_VAR": str(log_dir)}
    credentials = log_dir / "credentials.yml"
    channel_credentials.write_credentials(env, credentials)
    auth_token = secrets.token_hex(16)
    store = f"sqlite:///{log_dir / 'conversations.db'}"
    actions = start_action_server(log_dir, env={"CITYBOT_KNOWLEDGE": str(knowledge)})
    try:
        rasa_env = {**env, "ACTIONS_PORT": str(actions.port), "TRACKER_STORE_URL": store}
        rasa = start_rasa_server(
            model, credentials, ENDPOINTS, log_dir, page_cors(page_port), rasa_env, auth_token
        )
    except BaseException:
        actions.stop()
        recorder.stop()
        raise
    return Stack(actions, rasa, recorder, env, auth_token, page_port, log_dir, model, knowledge, store)


#: Set by `make test` in the pytest processes that must not start the shared stack (their tests
#: were selected as not sharing it): one more start there would cost a minute of CPU unseen.
NO_SHARED_STACK_ENV = "CITYBOT_NO_SHARED_STACK"

_SHARED: dict[str, Any] = {}


def shared_stack(log_dir: Path | None = None) -> Stack:
    """One stack per test process, started on first use and stopped at exit.

    Logs go to ``log_dir``, by default a fresh ``/tmp/citybot-servers-*`` directory (not
    pytest's basetemp, which other test runs on the machine may rotate away).
    A start-up failure is remembered, so later tests fail fast with the same error
    instead of each waiting minutes.
    """
    if "error" in _SHARED:
        raise RuntimeError(_SHARED["error"])
    if "stack" not in _SHARED:
        if os.environ.get(NO_SHARED_STACK_ENV) == "1":
            raise RuntimeError(
                f"{NO_SHARED_STACK_ENV}=1: this pytest process must not start the shared stack; a test "
                "that uses it without the `stack` fixture needs the `shared_stack` mark (pyproject.toml)"
            )
        model = find_model()
        if model is None:
            raise RuntimeError("no model in models/")
        log_dir = log_dir or Path(tempfile.mkdtemp(prefix="citybot-servers-"))
        try:
            _SHARED["stack"] = start_stack(model, log_dir)
        except Exception as error:
            _SHARED["error"] = str(error)
            raise
        atexit.register(_SHARED["stack"].stop)
    return _SHARED["stack"]


# --- A model-free socket.io bot, for testing the channel and the page without Rasa's model.

ECHO_BUTTON = {"title": "Encore / Again", "payload": "/greet"}


def echo_app(stock: bool = False):
    """A Sanic app serving only our socket.io channel (or Rasa's, ``stock=True``),
    whose bot echoes ``[<language hint>] <text>`` with one quick-reply button.

    It uses the real channel classes and Rasa's real output channel; only the
    dialogue engine is replaced by the echo.
    """
    from rasa.core.channels.channel import UserMessage
    from rasa.core.channels.socketio import SocketIOInput as StockSocketIOInput
    from sanic import Sanic
    from sanic_cors import CORS

    from citybot.channels.socketio import SocketIOInput

    channel_class = StockSocketIOInput if stock else SocketIOInput
    channel = channel_class.from_credentials({"session_persistence": True, "metadata_key": "customData"})

    async def on_new_message(message: UserMessage) -> None:
        language = (message.metadata or {}).get("language", "none")
        # As Rasa's processor does: every bot message goes through `send_response`.
        await message.output_channel.send_response(
            message.sender_id, {"text": f"({language}) {message.text}", "buttons": [ECHO_BUTTON]}
        )

    app = Sanic(f"echo_{'stock' if stock else 'citybot'}")
    CORS(app, resources={r"/*": {"origins": "*"}}, automatic_options=True)
    app.blueprint(channel.blueprint(on_new_message))
    return app


def start_echo_server(
    log_dir: Path, stock: bool = False, page_origins: list[str] | None = None
) -> ServerProcess:
    """The echo bot in its own process on a free port (Sanic wants the main thread).

    ``page_origins``: the origins allowed on the socket (CITYBOT_ALLOWED_ORIGINS; default: the
    channel's, the loopback page on WEBCHAT_PORT). Its web session secret is kept in ``log_dir``."""
    env = {"PYTHONPATH": str(REPO_ROOT), "CITYBOT_VAR": str(log_dir)}
    if page_origins:
        env["CITYBOT_ALLOWED_ORIGINS"] = " ".join(page_origins)
    command = [str(VENV_BIN / "python"), str(Path(__file__).resolve()), "echo"]
    stock_flag = ["--stock"] if stock else []
    ready = "/socket.io/?EIO=4&transport=polling"
    for _ in range(2):
        # a free port can be taken by another job's server before this one binds it: then this one
        # exits, or the other answers (not with engine.io's open packet), and another port is tried
        port = free_port()
        server = _spawn("echo", [*command, str(port), *stock_flag], port, log_dir, env)
        try:
            server.wait_until_ready(ready, timeout=120, ours=_engineio_open)
            return server
        except RuntimeError:
            server.stop()
    port = free_port()
    server = _spawn("echo", [*command, str(port), *stock_flag], port, log_dir, env)
    server.wait_until_ready(ready, timeout=120, ours=_engineio_open)
    return server


def _engineio_open(body: bytes) -> bool:
    return body.startswith(b"0{")


if __name__ == "__main__":
    import sys

    if len(sys.argv) >= 3 and sys.argv[1] == "echo":
        echo_app(stock="--stock" in sys.argv).run(
            host="127.0.0.1", port=int(sys.argv[2]), access_log=False, workers=1
        )
    else:
        sys.exit("usage: python tests/servers.py echo PORT [--stock]")
