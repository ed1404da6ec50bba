"""What one call to the action server adds to a turn: REST turns answered by a static response
(no call) against turns answered by a small custom action (one call), on our running bot.

Both kinds are sent as payloads (`/greet`, `/bot_capabilities`), so the NLU pipeline is skipped
and the two kinds of turn differ only by the call: `utter_greet` is filled in by the Rasa server,
`action_explain_capabilities` is one round trip to the action server (request, the action's own
work, Rasa's validation of the returned events). Blocks of BLOCK turns of each kind alternate,
each block in a new conversation (shorter than a session, so no session roll-over), and the CPU
each server spends is read per block, so both figures come from the same minutes of the machine.

    .venv/bin/python scripts/bench/call_cost.py            # 240 timed turns of each kind
    .venv/bin/python scripts/bench/call_cost.py --quick    # smoke run
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
from typing import Any

from benchkit import cli
from benchkit.machine import load_average
from benchkit.rest_client import Turn, new_session, send_turn
from benchkit.stacks import RunningBot
from benchkit.stats import summarise

COMMAND = ".venv/bin/python scripts/bench/call_cost.py"
#: Kind of turn -> the payload sent; the comment is what answers it (data/rules.yml).
KINDS = {
    "static response (no call)": "/greet",  # utter_greet
    "custom action (one call)": "/bot_capabilities",  # action_explain_capabilities
}
BLOCK = 20


async def _blocks(bot: RunningBot, blocks: int, warmup_blocks: int) -> dict[str, dict[str, list[float]]]:
    """Latency of every timed turn and CPU ms per turn of every block, per kind of turn."""
    figures: dict[str, dict[str, list[float]]] = {
        kind: {"latency_ms": [], "rasa_cpu_ms": [], "action_cpu_ms": []} for kind in KINDS
    }
    run_id = secrets.token_hex(3)
    async with new_session() as session:
        for index in range(warmup_blocks + blocks):
            for kind, payload in KINDS.items():
                sender = f"bench-call-{run_id}-{index}-{payload.strip('/')}"
                before = bot.cpu_seconds()
                turns = [await send_turn(session, bot.url, sender, payload) for _ in range(BLOCK)]
                after = bot.cpu_seconds()
                _check(turns, kind)
                if index < warmup_blocks:
                    continue
                figures[kind]["latency_ms"] += [t.latency_ms for t in turns]
                for server, key in (("rasa_server", "rasa_cpu_ms"), ("action_server", "action_cpu_ms")):
                    figures[kind][key].append((after[server] - before[server]) * 1000 / BLOCK)
    return figures


def _check(turns: list[Turn], kind: str) -> None:
    failed = [t.error for t in turns if not t.ok]
    if failed:
        raise RuntimeError(f"{kind}: {len(failed)} failed turns, e.g. {failed[0]}")


def measure(bots: list[RunningBot], blocks: int, warmup_blocks: int) -> dict[str, Any]:
    (bot,) = bots
    before = load_average()
    figures = asyncio.run(_blocks(bot, blocks, warmup_blocks))
    result: dict[str, Any] = {
        "call_cost": {
            kind: {
                "payload": KINDS[kind],
                "latency_ms": summarise(values["latency_ms"]),
                "rasa_server_cpu_ms_per_turn": round(statistics.median(values["rasa_cpu_ms"]), 1),
                "action_server_cpu_ms_per_turn": round(statistics.median(values["action_cpu_ms"]), 1),
                "samples_ms": [round(v, 2) for v in values["latency_ms"]],
            }
            for kind, values in figures.items()
        },
        "call_cost_settings": {
            "turns_per_kind": blocks * BLOCK,
            "block": BLOCK,
            "warmup_turns_per_kind": warmup_blocks * BLOCK,
            "load_average_1min_before": before,
            "load_average_1min_after": load_average(),
        },
    }
    static, called = (result["call_cost"][kind] for kind in KINDS)
    result["call_cost_p50_difference_ms"] = round(
        called["latency_ms"]["p50"] - static["latency_ms"]["p50"], 1
    )
    return result


def main() -> None:
    options = cli.parser(__doc__ or "")
    options.set_defaults(bots="ours")
    args = options.parse_args()
    blocks, warmup = (2, 1) if args.quick else (12, 1)
    payload = cli.run_script("call_cost", COMMAND, args, lambda bots: measure(bots, blocks, warmup))
    for kind, figures in payload["call_cost"].items():
        latency = figures["latency_ms"]
        print(
            f"{kind:28} n={latency['n']} p50 {latency['p50']} ms, p95 {latency['p95']} ms; CPU ms/turn: "
            f"Rasa server {figures['rasa_server_cpu_ms_per_turn']}, "
            f"action server {figures['action_server_cpu_ms_per_turn']}"
        )
    print(f"p50 difference (one call): {payload['call_cost_p50_difference_ms']} ms")


if __name__ == "__main__":
    main()
