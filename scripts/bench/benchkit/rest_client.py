"""One timed turn through Rasa's REST channel (``POST /webhooks/rest/webhook``).

A turn's latency is from sending the request to having read the whole reply, i.e. what a
client of the REST channel waits for: NLU, dialogue, the action server call and tracker
storage are all inside it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import aiohttp

REST_PATH = "/webhooks/rest/webhook"
TURN_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Turn:
    """The outcome of one user message: latency, and what went wrong if anything."""

    latency_ms: float
    status: int
    bot_messages: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        """A turn counts as an error when the server fails, times out or answers nothing at all."""
        return self.error is None and self.status == 200 and self.bot_messages > 0


def new_session(concurrency: int = 1) -> aiohttp.ClientSession:
    """A client session keeping up to ``concurrency`` loopback connections alive."""
    connector = aiohttp.TCPConnector(limit=max(concurrency, 1), force_close=False)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=TURN_TIMEOUT_S))


async def send_turn(session: aiohttp.ClientSession, base_url: str, sender: str, text: str) -> Turn:
    """Send ``text`` as ``sender`` and time the full reply; never raises for server failures."""
    started = time.perf_counter()
    try:
        async with session.post(base_url + REST_PATH, json={"sender": sender, "message": text}) as reply:
            body = await reply.json(content_type=None) if reply.status == 200 else await reply.text()
            latency = (time.perf_counter() - started) * 1000
            if reply.status != 200:
                return Turn(latency, reply.status, 0, f"HTTP {reply.status}: {str(body)[:200]}")
            count = len(body) if isinstance(body, list) else 0
            return Turn(latency, reply.status, count, None if count else "empty reply")
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        latency = (time.perf_counter() - started) * 1000
        return Turn(latency, 0, 0, f"{type(error).__name__}: {error}"[:200])


async def parse_only(session: aiohttp.ClientSession, base_url: str, token: str, text: str) -> Turn:
    """Time NLU alone (``POST /model/parse``): the part of a turn before dialogue and actions."""
    started = time.perf_counter()
    try:
        async with session.post(
            f"{base_url}/model/parse", params={"token": token}, json={"text": text}
        ) as reply:
            body = await reply.json(content_type=None)
            latency = (time.perf_counter() - started) * 1000
            intent = (body or {}).get("intent") if isinstance(body, dict) else None
            ok = reply.status == 200 and intent is not None
            return Turn(latency, reply.status, 1 if ok else 0, None if ok else f"HTTP {reply.status}")
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        return Turn((time.perf_counter() - started) * 1000, 0, 0, f"{type(error).__name__}: {error}"[:200])
