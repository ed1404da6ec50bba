"""Where a turn's time goes: NLU alone (``/model/parse``) against the whole REST turn.

For each message, the same text is parsed alone and then sent as a turn of a realistic
conversation; the difference of the medians is dialogue management, the action server call and
the tracker store. Bots alternate, one request in flight at a time. Diagnostic, not a target.

    .venv/bin/python scripts/bench/breakdown.py           # 200 messages per bot
    .venv/bin/python scripts/bench/breakdown.py --quick
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from benchkit import cli
from benchkit.messages import CONVERSATIONS, message_stream
from benchkit.rest_client import Turn, new_session, parse_only, send_turn
from benchkit.stacks import RunningBot
from benchkit.stats import summarise

COMMAND = ".venv/bin/python scripts/bench/breakdown.py"


async def _pairs(bots: list[RunningBot], messages: int, warmup: int) -> dict[str, dict[str, list[Turn]]]:
    streams = {bot.name: message_stream(CONVERSATIONS[bot.name]) for bot in bots}
    senders = {bot.name: "" for bot in bots}
    timed = {bot.name: {"parse": [], "turn": []} for bot in bots}
    run_id = secrets.token_hex(3)
    async with new_session() as session:
        for index in range(warmup + messages):
            for bot in bots:
                first, text = next(streams[bot.name])
                if first or not senders[bot.name]:
                    senders[bot.name] = f"bench-brk-{run_id}-{bot.name}-{index}"
                parsed = await parse_only(session, bot.url, bot.auth_token, text)
                turn = await send_turn(session, bot.url, senders[bot.name], text)
                if index >= warmup:
                    timed[bot.name]["parse"].append(parsed)
                    timed[bot.name]["turn"].append(turn)
    return timed


def measure(bots: list[RunningBot], messages: int = 200, warmup: int = 10) -> dict[str, Any]:
    """Per bot: NLU-only and full-turn percentiles, and the median left for dialogue + actions."""
    figures: dict[str, Any] = {}
    for name, kinds in asyncio.run(_pairs(bots, messages, warmup)).items():
        parse = summarise([t.latency_ms for t in kinds["parse"] if t.ok])
        turn = summarise([t.latency_ms for t in kinds["turn"] if t.ok])
        rest = (
            round(turn["p50"] - parse["p50"], 1)
            if parse["p50"] is not None and turn["p50"] is not None
            else None
        )
        figures[name] = {
            "nlu_only_ms": parse,
            "turn_ms": turn,
            "median_dialogue_actions_store_ms": rest,
            "errors": sum(not t.ok for k in kinds.values() for t in k),
        }
    return {"breakdown": figures, "breakdown_settings": {"messages_per_bot": messages, "warmup": warmup}}


def main() -> None:
    args = cli.parser(__doc__.splitlines()[0]).parse_args()
    messages, warmup = (20, 3) if args.quick else (200, 10)
    result = cli.run_script("breakdown", COMMAND, args, lambda bots: measure(bots, messages, warmup))
    for name, figures in result["breakdown"].items():
        print(
            f"{name:5} NLU p50 {figures['nlu_only_ms']['p50']} ms, turn p50 {figures['turn_ms']['p50']} ms, "
            f"dialogue+actions+store {figures['median_dialogue_actions_store_ms']} ms, errors {figures['errors']}"
        )


if __name__ == "__main__":
    main()
