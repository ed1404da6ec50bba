"""Throughput and latency under 1, 4, 16 and 64 concurrent conversations, plus peak memory.

Each concurrent client plays realistic conversations (benchkit/messages.py) back to back with
no think time, a new sender per conversation, for a bounded time per level (and a bounded
number of turns). Bots are loaded one at a time; the other one idles. Peak RSS (VmHWM) of the
Rasa server and of the action server is read from /proc after all levels.

    .venv/bin/python scripts/bench/load.py                  # 30 s per level per bot
    .venv/bin/python scripts/bench/load.py --quick          # 5 s per level
    .venv/bin/python scripts/bench/load.py --levels 1,4 --seconds 10
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Sequence
from typing import Any

from benchkit import cli
from benchkit.machine import load_average
from benchkit.messages import CONVERSATIONS, message_stream
from benchkit.rest_client import TURN_TIMEOUT_S, Turn, new_session, send_turn
from benchkit.stacks import RunningBot
from benchkit.stats import summarise

COMMAND = ".venv/bin/python scripts/bench/load.py"
LEVELS = (1, 4, 16, 64)
MAX_TURNS_PER_LEVEL = 20_000
PAUSE_BETWEEN_LEVELS_S = 3.0


async def _client(
    bot: RunningBot, session, index: int, deadline: float, budget: list[int], turns: list[Turn]
) -> None:
    """One user: conversations back to back until the deadline or the shared turn budget runs out."""
    stream = message_stream(CONVERSATIONS[bot.name], start=index)
    run_id, conversation, sender = secrets.token_hex(3), 0, ""
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        first, text = next(stream)
        if first or not sender:
            conversation += 1
            sender = f"bench-load-{run_id}-{bot.name}-{index}-{conversation}"
        turns.append(await send_turn(session, bot.url, sender, text))


async def _level(bot: RunningBot, clients: int, seconds: float) -> dict[str, Any]:
    """Run ``clients`` concurrent users for ``seconds``; throughput counts completed good turns."""
    turns: list[Turn] = []
    budget = [MAX_TURNS_PER_LEVEL]
    started = time.monotonic()
    async with new_session(clients) as session:
        users = [_client(bot, session, i, started + seconds, budget, turns) for i in range(clients)]
        await asyncio.wait_for(asyncio.gather(*users), timeout=seconds + TURN_TIMEOUT_S + 10)
    elapsed = time.monotonic() - started
    good = [t for t in turns if t.ok]
    return {
        "clients": clients,
        "elapsed_s": round(elapsed, 1),
        "turns": len(turns),
        "errors": len(turns) - len(good),
        "error_examples": sorted({t.error for t in turns if not t.ok})[:5],
        "throughput_per_s": round(len(good) / elapsed, 1),
        "latency_ms": summarise([t.latency_ms for t in good]),
    }


def measure_bot(bot: RunningBot, levels: Sequence[int], seconds: float) -> list[dict[str, Any]]:
    """Every level in increasing order, pausing between them so queues drain."""
    results = []
    for clients in levels:
        before = load_average()
        figures = asyncio.run(_level(bot, clients, seconds))
        figures["load_average_1min_before"] = before
        results.append(figures)
        print(
            f"  {bot.name} x{clients}: {figures['throughput_per_s']}/s {figures['latency_ms']} "
            f"errors {figures['errors']}",
            flush=True,
        )
        time.sleep(PAUSE_BETWEEN_LEVELS_S)
    return results


def measure(bots: list[RunningBot], levels: Sequence[int] = LEVELS, seconds: float = 30.0) -> dict[str, Any]:
    """Load figures per bot and level, with the settings used."""
    return {
        "load": {bot.name: measure_bot(bot, levels, seconds) for bot in bots},
        "load_settings": {
            "levels": list(levels),
            "seconds_per_level": seconds,
            "max_turns_per_level": MAX_TURNS_PER_LEVEL,
            "think_time_s": 0,
        },
    }


def print_summary(result: dict[str, Any]) -> None:
    for name, memory in result["memory"].items():
        print(f"{name:5} memory {memory}")


def main() -> None:
    options = cli.parser(__doc__.splitlines()[0])
    options.add_argument("--levels", default=",".join(map(str, LEVELS)), help="concurrent clients per level")
    options.add_argument(
        "--seconds", type=float, default=None, help="duration of each level (default 30, quick 5)"
    )
    args = options.parse_args()
    levels = [int(level) for level in args.levels.split(",")]
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    result = cli.run_script("load", COMMAND, args, lambda bots: measure(bots, levels, seconds))
    print_summary(result)


if __name__ == "__main__":
    main()
