"""Latency of single REST turns, our bot (action server in the loop) side by side with a bare
``rasa init`` bot trained on the same machine. Target: our p95 <= 1.5 x the bare bot's p95.

The bots are measured in the same run, one request at a time, alternating between them, so a
burst of load from anything else on the machine hits both alike. Conversations are the
realistic ones of benchkit/messages.py (about 10 turns each, then a new sender), so the
growth of long conversations (long_conversations.py) does not leak into these figures.

    .venv/bin/python scripts/bench/latency.py            # ~300 timed turns per bot
    .venv/bin/python scripts/bench/latency.py --quick    # smoke run
    .venv/bin/python scripts/bench/latency.py --bots ours,baseline --baseline REV   # a change's cost
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from benchkit import cli
from benchkit.machine import load_average
from benchkit.messages import CONVERSATIONS, message_stream
from benchkit.rest_client import Turn, new_session, send_turn
from benchkit.stacks import RunningBot
from benchkit.stats import ratio, summarise

COMMAND = ".venv/bin/python scripts/bench/latency.py"
P95_TARGET_RATIO = 1.5
#: A change may cost at most this much p95 against the revision before it (`--bots ours,baseline`).
BASELINE_P95_TARGET_RATIO = 1.2


async def _alternate(bots: list[RunningBot], turns: int, warmup: int) -> dict[str, list[Turn]]:
    """``warmup + turns`` turns per bot, one request in flight at a time, bots taking turns."""
    streams = {bot.name: message_stream(CONVERSATIONS[bot.name]) for bot in bots}
    senders = {bot.name: "" for bot in bots}
    timed: dict[str, list[Turn]] = {bot.name: [] for bot in bots}
    run_id = secrets.token_hex(3)
    async with new_session() as session:
        for index in range(warmup + turns):
            for bot in bots:
                first, text = next(streams[bot.name])
                if first or not senders[bot.name]:
                    senders[bot.name] = f"bench-lat-{run_id}-{bot.name}-{index}"
                turn = await send_turn(session, bot.url, senders[bot.name], text)
                if index >= warmup:
                    timed[bot.name].append(turn)
    return timed


def _bot_figures(turns: list[Turn]) -> dict[str, Any]:
    errors = [t.error for t in turns if not t.ok]
    return {
        "latency_ms": summarise([t.latency_ms for t in turns if t.ok]),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "samples_ms": [round(t.latency_ms, 2) for t in turns],
    }


def cpu_per_turn(before: dict[str, float], after: dict[str, float], turns: int) -> dict[str, float]:
    """CPU ms each server spent per turn (warm-up included in both the CPU and the turn count)."""
    return {server: round((after[server] - before[server]) * 1000 / turns, 1) for server in after}


def measure(bots: list[RunningBot], turns: int = 300, warmup: int = 20) -> dict[str, Any]:
    """Per-bot percentiles and, when both bots ran, our p95 over theirs against the 1.5 target."""
    before, cpu_before = load_average(), {bot.name: bot.cpu_seconds() for bot in bots}
    timed = asyncio.run(_alternate(bots, turns, warmup))
    figures = {name: _bot_figures(t) for name, t in timed.items()}
    for bot in bots:
        figures[bot.name]["cpu_ms_per_turn"] = cpu_per_turn(
            cpu_before[bot.name], bot.cpu_seconds(), turns + warmup
        )
    result: dict[str, Any] = {
        "latency": figures,
        "latency_settings": {
            "turns_per_bot": turns,
            "warmup_turns": warmup,
            "load_average_1min_before": before,
            "load_average_1min_after": load_average(),
        },
    }
    for other, key, target in (
        ("bare", "latency_p95_ratio", P95_TARGET_RATIO),
        ("baseline", "latency_p95_ratio_to_baseline", BASELINE_P95_TARGET_RATIO),
    ):
        if "ours" in figures and other in figures:
            p95_ratio = ratio(figures["ours"]["latency_ms"]["p95"], figures[other]["latency_ms"]["p95"])
            result[key] = {
                "value": p95_ratio,
                "target_max": target,
                "met": p95_ratio is not None and p95_ratio <= target,
            }
    return result


def print_summary(result: dict[str, Any]) -> None:
    for name, figures in result["latency"].items():
        print(
            f"{name:5} latency ms {figures['latency_ms']}  errors {figures['errors']}  "
            f"CPU ms per turn {figures.get('cpu_ms_per_turn')}"
        )
    if "latency_p95_ratio" in result:
        print(f"p95 ours/bare: {result['latency_p95_ratio']}")
    if "latency_p95_ratio_to_baseline" in result:
        print(f"p95 ours/baseline: {result['latency_p95_ratio_to_baseline']}")


def main() -> None:
    args = cli.parser(__doc__.splitlines()[0]).parse_args()
    turns, warmup = (20, 3) if args.quick else (300, 20)
    result = cli.run_script("latency", COMMAND, args, lambda bots: measure(bots, turns, warmup))
    print_summary(result)


if __name__ == "__main__":
    main()
