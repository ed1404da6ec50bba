"""The running bot at scale: reply times, server memory and hot reload on a generated knowledge base.

The real Rasa and action servers (benchkit.stacks, tests/servers.py) are started on a model and
its knowledge base (CITYBOT_KNOWLEDGE), and sent the held-out questions one at a time, each from
a new sender so every reply is a first-turn answer about a city. The same function measures the
19/47-city bot of knowledge/ as the reference, so both run under the same machine load.

Hot reload: the measures' texts of one city are edited in the generated knowledge base while the
action server runs; the figure is the time until a reply carries the new text (the action server
compares the files' modification times at each call: citybot/kb/shared.py).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from pathlib import Path
from typing import Any

from benchkit import REPO_ROOT
from benchkit.bots import BotSpec
from benchkit.rest_client import REST_PATH, new_session, send_turn
from benchkit.stacks import start_bot
from benchkit.stats import summarise

EDITED = "Edited measure"  # what the hot-reload edit writes instead of "Generated measure"
RELOAD_TIMEOUT_S = 30.0


def spec_for(model: Path, kb: Path) -> BotSpec:
    """Our bot (test endpoints: in-memory tracker store) on `model`, its actions reading `kb`."""
    return BotSpec(
        "ours",
        "citybot",
        model,
        REPO_ROOT / "bot" / "credentials.yml",
        None,
        with_actions=True,
        env={"CITYBOT_KNOWLEDGE": str(kb)},
    )


async def _replies(url: str, texts: list[str]) -> tuple[list[float], int]:
    latencies, failures = [], 0
    async with new_session() as session:
        for text in texts:
            turn = await send_turn(session, url, f"scale-{secrets.token_hex(4)}", text)
            latencies.append(turn.latency_ms)
            failures += not turn.ok
    return latencies, failures


async def _reply_text(url: str, text: str) -> str:
    async with new_session() as session:
        body = {"sender": f"reload-{secrets.token_hex(4)}", "message": text}
        async with session.post(url + REST_PATH, json=body) as reply:
            messages = await reply.json(content_type=None)
    return " ".join(str(m.get("text", "")) for m in messages if isinstance(m, dict))


def _hot_reload_s(url: str, city_file: Path, question: str) -> float | None:
    """Seconds from saving the edited city file to the first reply carrying the new text."""
    if "Generated measure" not in asyncio.run(_reply_text(url, question)):
        return None  # the question does not reach this city's measures: nothing to time
    original = city_file.read_text(encoding="utf-8")
    try:
        city_file.write_text(original.replace("Generated measure", EDITED), encoding="utf-8")
        saved = time.monotonic()
        while time.monotonic() - saved < RELOAD_TIMEOUT_S:
            if EDITED in asyncio.run(_reply_text(url, question)):
                return round(time.monotonic() - saved, 3)
        return None
    finally:
        city_file.write_text(original, encoding="utf-8")


def serve_figures(
    model: Path, kb: Path, questions: list[str], log_dir: Path, reload_case: tuple[Path, str] | None = None
) -> dict[str, Any]:
    """Start the servers, time the replies to `questions`, read their memory, time a hot reload."""
    bot = start_bot(spec_for(model, kb), log_dir)
    try:
        latencies, failures = asyncio.run(_replies(bot.url, questions))
        figures: dict[str, Any] = {
            "startup": {k: v for k, v in bot.startup.items() if k.endswith(("_s", "_ms"))},
            "reply_ms": summarise(latencies),
            "failed_replies": failures,
            "memory": bot.memory(),
        }
        if reload_case is not None:
            figures["hot_reload_s"] = _hot_reload_s(bot.url, *reload_case)
        return figures
    finally:
        bot.stop()
