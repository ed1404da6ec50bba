"""Start a bot's servers on free loopback ports, time how long each takes to be ready, stop them.

Process handling comes from tests/servers.py (engineer E's helpers: ``free_port``,
``start_action_server``, ``start_rasa_server``), imported, not copied. Readiness there is
polled once a second, so start-up times have a resolution of about 1 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchkit import REPO_ROOT
from benchkit.bots import BotSpec
from benchkit.memory import cpu_seconds, memory_mib
from benchkit.messages import CONVERSATIONS
from benchkit.rest_client import new_session, send_turn

sys.path.insert(0, str(REPO_ROOT / "tests"))
import servers


@dataclass
class RunningBot:
    """A started bot: its servers, URL and start-up figures."""

    spec: BotSpec
    rasa: servers.ServerProcess
    actions: servers.ServerProcess | None
    startup: dict[str, Any] = field(default_factory=dict)
    auth_token: str = ""  # for Rasa's HTTP API (/model/parse), enabled by tests/servers.py

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def url(self) -> str:
        return self.rasa.url

    def memory(self) -> dict[str, Any]:
        """Peak/current RSS of the Rasa server and, if any, of the action server."""
        figures = {"rasa_server": memory_mib(self.rasa.process.pid)}
        if self.actions is not None:
            figures["action_server"] = memory_mib(self.actions.process.pid)
        return figures

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds used so far by the Rasa server and, if any, the action server."""
        used = {"rasa_server": cpu_seconds(self.rasa.process.pid)}
        if self.actions is not None:
            used["action_server"] = cpu_seconds(self.actions.process.pid)
        return used

    def stop(self) -> None:
        self.rasa.stop()
        if self.actions is not None:
            self.actions.stop()


def _endpoints_and_env(spec: BotSpec, actions_port: int | None, log_dir: Path) -> tuple[Path, dict[str, str]]:
    """The bot's own endpoints file (with our ports and a throw-away SQLite tracker store in the
    environment), or, when it has none yet, tests/servers.py's in-memory endpoints."""
    env = dict(spec.env)
    if actions_port is not None:
        env["ACTIONS_PORT"] = str(actions_port)
        env.setdefault("TRACKER_STORE_URL", f"sqlite:///{log_dir / 'conversations.db'}")
    if spec.endpoints is not None:
        return spec.endpoints, env
    return servers.write_endpoints(log_dir / "endpoints.yml", actions_port), env


def _first_reply_ms(url: str, text: str) -> float:
    """Latency of the very first message (cold caches), as a user right after start-up sees it."""

    async def once() -> float:
        async with new_session() as session:
            turn = await send_turn(session, url, f"bench-cold-{secrets.token_hex(4)}", text)
        if not turn.ok:
            raise RuntimeError(f"first message to {url} failed: {turn.error}")
        return round(turn.latency_ms, 1)

    return asyncio.run(once())


def start_bot(spec: BotSpec, log_dir: Path) -> RunningBot:
    """Action server (if any) then Rasa server; records seconds to ready and the first reply."""
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / "conversations.db").unlink(missing_ok=True)  # every run starts with an empty store
    actions, rasa, startup = None, None, {}
    try:
        if spec.with_actions:
            started = time.monotonic()
            actions = servers.start_action_server(log_dir, env=spec.env, cwd=spec.root)
            startup["action_server_ready_s"] = round(time.monotonic() - started, 1)
        endpoints, env = _endpoints_and_env(spec, actions.port if actions else None, log_dir)
        started, token = time.monotonic(), secrets.token_hex(16)
        rasa = servers.start_rasa_server(
            spec.model,
            spec.credentials,
            endpoints,
            log_dir,
            cors=[],
            env=env,
            auth_token=token,
            cwd=spec.root,
        )
        startup["rasa_server_ready_s"] = round(time.monotonic() - started, 1)
        startup["first_reply_ms"] = _first_reply_ms(rasa.url, CONVERSATIONS[spec.name][0][0])
    except BaseException:
        for server in (rasa, actions):
            if server is not None:
                server.stop()
        raise
    startup["endpoints"] = str(
        endpoints.relative_to(spec.root) if endpoints.is_relative_to(spec.root) else endpoints
    )
    bot = RunningBot(spec, rasa, actions, startup, token)
    bot.startup["memory_after_start"] = bot.memory()
    return bot


@contextlib.contextmanager
def running(specs: list[BotSpec], log_dir: Path) -> Iterator[list[RunningBot]]:
    """Start the bots one after the other (so start-up times do not compete), stop all at the end."""
    started: list[RunningBot] = []
    try:
        for spec in specs:
            print(f"starting {spec.label} ({spec.model.name}) ...", flush=True)
            started.append(start_bot(spec, log_dir / spec.name))
            print(f"  ready: {started[-1].startup}", flush=True)
        yield started
    finally:
        for bot in started:
            bot.stop()
