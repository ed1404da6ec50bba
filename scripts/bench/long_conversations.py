"""Does a reply get slower as the conversation grows? 300 turns in one conversation per bot.

Measured on a bare Rasa 3.6 bot, each earlier turn added ~0.5 ms to every reply. Target for
our bot: median latency over turns 251-300 <= 1.2 x the median over turns 1-50. Both bots are
measured in the same run, turn by turn alternately, with one request in flight at a time; after
each turn the same text is sent as the first turn of a new conversation (the control), which
shows whether the machine itself slowed down meanwhile.

    .venv/bin/python scripts/bench/long_conversations.py          # 300 turns per bot
    .venv/bin/python scripts/bench/long_conversations.py --quick  # 60 turns (windows 1-10 / 51-60)
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
from benchkit.stats import ratio, slope_per_turn, window_median

COMMAND = ".venv/bin/python scripts/bench/long_conversations.py"
GROWTH_TARGET_RATIO = 1.2


async def _one_long_conversation_each(bots: list[RunningBot], turns: int) -> dict[str, dict[str, list[Turn]]]:
    """``turns`` messages per bot under one sender each; bots alternate turn by turn.

    Each long-conversation turn is followed by a control: the same text as the first turn of a
    brand-new conversation. The machine is shared, so if the controls slow down too, the
    slowdown came from the machine, not from the conversation's length.
    """
    streams = {bot.name: message_stream(CONVERSATIONS[bot.name]) for bot in bots}
    run_id = secrets.token_hex(3)
    timed = {bot.name: {"long": [], "control": []} for bot in bots}
    async with new_session() as session:
        for index in range(turns):
            for bot in bots:
                _, text = next(streams[bot.name])
                timed[bot.name]["long"].append(
                    await send_turn(session, bot.url, f"bench-long-{run_id}-{bot.name}", text)
                )
                timed[bot.name]["control"].append(
                    await send_turn(session, bot.url, f"bench-ctl-{run_id}-{bot.name}-{index}", text)
                )
    return timed


def windows(turns: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """First and last window compared: 1-50 and 251-300 for 300 turns (a sixth of the turns each)."""
    size = max(turns // 6, 1)
    return (1, size), (turns - size + 1, turns)


def growth_figures(latencies_ms: list[float], turns: int) -> dict[str, Any]:
    """Medians of the first and last windows, their ratio, and the least-squares ms per turn."""
    (a1, a2), (b1, b2) = windows(turns)
    early, late = window_median(latencies_ms, a1, a2), window_median(latencies_ms, b1, b2)
    return {
        f"median_ms_turns_{a1}_{a2}": early,
        f"median_ms_turns_{b1}_{b2}": late,
        "late_over_early": ratio(late, early),
        "ms_added_per_turn": slope_per_turn(list(range(1, len(latencies_ms) + 1)), latencies_ms),
    }


def measure(bots: list[RunningBot], turns: int = 300) -> dict[str, Any]:
    """Per bot: growth figures, errors and the per-turn samples; target checked for our bot."""
    before = load_average()
    timed = asyncio.run(_one_long_conversation_each(bots, turns))
    figures: dict[str, Any] = {}
    for name, kinds in timed.items():
        bot_turns, controls = kinds["long"], kinds["control"]
        latencies = [t.latency_ms for t in bot_turns]
        control = [t.latency_ms for t in controls]
        figures[name] = {
            **growth_figures(latencies, turns),
            "errors": sum(not t.ok for t in bot_turns),
            "error_examples": sorted({t.error for t in bot_turns if not t.ok})[:5],
            "control": {**growth_figures(control, turns), "errors": sum(not t.ok for t in controls)},
            "samples_ms": [round(x, 2) for x in latencies],
            "control_samples_ms": [round(x, 2) for x in control],
        }
    if "ours" in figures:
        value = figures["ours"]["late_over_early"]
        figures["ours"]["target"] = {
            "late_over_early_max": GROWTH_TARGET_RATIO,
            "met": value is not None and value <= GROWTH_TARGET_RATIO,
        }
    return {
        "long_conversation": figures,
        "long_conversation_settings": {
            "turns": turns,
            "load_average_1min_before": before,
            "load_average_1min_after": load_average(),
        },
    }


def print_summary(result: dict[str, Any]) -> None:
    for name, figures in result["long_conversation"].items():
        shown = {
            k: v
            for k, v in figures.items()
            if k not in ("samples_ms", "control_samples_ms", "error_examples")
        }
        print(f"{name:5} {shown}")


def main() -> None:
    args = cli.parser(__doc__.splitlines()[0]).parse_args()
    turns = 60 if args.quick else 300
    result = cli.run_script("long_conversations", COMMAND, args, lambda bots: measure(bots, turns))
    print_summary(result)


if __name__ == "__main__":
    main()
