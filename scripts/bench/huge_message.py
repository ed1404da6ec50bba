"""What huge messages cost everybody else: other users' latency and the Rasa server's memory when
20 000-word messages (about 155 000 characters) arrive over REST.

Targets (issue 5): while a huge message is handled, other users' p95 stays within 2x its normal
value and the Rasa server's memory within 1.5x its normal peak; the huge message itself gets a
clear reply (that it was shortened). Two scenarios:

- paired (the target's case): a huge message and another user's ordinary question sent at the
  same instant, again and again; the other user's latency is what one huge message costs them.
- flood (stress): huge messages back to back, for as long as another user asks questions one
  after the other; reported, not judged against the target.

    .venv/bin/python scripts/bench/huge_message.py                # our bot (default)
    .venv/bin/python scripts/bench/huge_message.py --bots bare    # a bare rasa init bot: slow, many GB
    .venv/bin/python scripts/bench/huge_message.py --quick        # smoke run
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

from benchkit import cli
from benchkit.machine import load_average
from benchkit.messages import CONVERSATIONS, message_stream
from benchkit.rest_client import Turn, new_session, send_turn
from benchkit.stacks import RunningBot
from benchkit.stats import ratio, summarise

COMMAND = ".venv/bin/python scripts/bench/huge_message.py"
HUGE_WORDS = 20_000
P95_TARGET_RATIO = 2.0
MEMORY_TARGET_RATIO = 1.5


def huge_text() -> str:
    """A real question followed by 20 000 words, as someone pasting a document would send."""
    return "What did Évry do for vulnerable families? " + " ".join(
        f"word{index % 500}" for index in range(HUGE_WORDS)
    )


async def _ordinary_turns(bot: RunningBot, turns: int, label: str) -> list[Turn]:
    """``turns`` ordinary messages, one at a time, a new user every conversation."""
    stream = message_stream(CONVERSATIONS[bot.name])
    run_id, sender, timed = secrets.token_hex(3), "", []
    async with new_session() as session:
        for index in range(turns):
            first, text = next(stream)
            if first or not sender:
                sender = f"bench-huge-{label}-{run_id}-{index}"
            timed.append(await send_turn(session, bot.url, sender, text))
    return timed


async def _huge_while_others_talk(
    bot: RunningBot, turns: int, max_huge: int
) -> tuple[list[Turn], list[Turn]]:
    """Huge messages back to back (each from a new user) for as long as the others' turns last."""
    text, done, huge = huge_text(), asyncio.Event(), []

    async def send_huge() -> None:
        async with new_session() as session:
            while not done.is_set() and len(huge) < max_huge:
                huge.append(await send_turn(session, bot.url, f"bench-huge-{secrets.token_hex(4)}", text))

    sender = asyncio.create_task(send_huge())
    await asyncio.sleep(0.05)
    others = await _ordinary_turns(bot, turns, "during")
    done.set()
    await sender
    return huge, others


async def _paired(bot: RunningBot, pairs: int) -> tuple[list[Turn], list[Turn]]:
    """`pairs` times: one huge message and one ordinary question from another user, sent together."""
    text, stream, huge, others = huge_text(), message_stream(CONVERSATIONS[bot.name]), [], []
    async with new_session(concurrency=2) as session:
        for index in range(pairs):
            _, question = next(stream)
            big, small = await asyncio.gather(
                send_turn(session, bot.url, f"bench-huge-{secrets.token_hex(4)}", text),
                send_turn(session, bot.url, f"bench-paired-{secrets.token_hex(4)}-{index}", question),
            )
            huge.append(big)
            others.append(small)
    return huge, others


def _ms(turns: list[Turn]) -> dict[str, Any]:
    return summarise([t.latency_ms for t in turns if t.ok])


def _measure_bot(bot: RunningBot, turns: int, max_huge: int) -> dict[str, Any]:
    asyncio.run(_ordinary_turns(bot, 5, "warm"))
    normal = asyncio.run(_ordinary_turns(bot, turns, "normal"))
    normal_peak = bot.memory()["rasa_server"]["peak_rss_mib"]  # VmHWM: the peak since start
    started = time.perf_counter()
    huge, during = asyncio.run(_paired(bot, turns))
    flood, flood_others = asyncio.run(_huge_while_others_talk(bot, turns, max_huge))
    elapsed = time.perf_counter() - started
    huge_peak = bot.memory()["rasa_server"]["peak_rss_mib"]
    p95_ratio = ratio(_ms(during)["p95"], _ms(normal)["p95"])
    memory_ratio = ratio(huge_peak, normal_peak)
    return {
        "huge_message_chars": len(huge_text()),
        "huge_messages_sent": len(huge) + len(flood),
        "seconds": round(elapsed, 1),
        "huge_answered_ms": _ms(huge + flood),
        "huge_errors": sum(not t.ok for t in huge + flood),
        "others_normal_ms": _ms(normal),
        "others_during_ms": _ms(during),
        "flood": {
            "huge_sent": len(flood),
            "others_ms": _ms(flood_others),
            "others_p95_ratio": ratio(_ms(flood_others)["p95"], _ms(normal)["p95"]),
        },
        "others_errors": sum(not t.ok for t in normal + during + flood_others),
        "rasa_peak_rss_mib": {"normal": normal_peak, "during": huge_peak},
        "p95_ratio": {
            "value": p95_ratio,
            "target_max": P95_TARGET_RATIO,
            "met": p95_ratio is not None and p95_ratio <= P95_TARGET_RATIO,
        },
        "memory_ratio": {
            "value": memory_ratio,
            "target_max": MEMORY_TARGET_RATIO,
            "met": memory_ratio is not None and memory_ratio <= MEMORY_TARGET_RATIO,
        },
    }


def measure(bots: list[RunningBot], turns: int = 60, max_huge: int = 30) -> dict[str, Any]:
    before = load_average()
    figures = {bot.name: _measure_bot(bot, turns, max_huge) for bot in bots}
    return {
        "huge_message": figures,
        "huge_message_settings": {
            "ordinary_turns": turns,
            "max_huge_messages": max_huge,
            "load_average_1min_before": before,
            "load_average_1min_after": load_average(),
        },
    }


def print_summary(result: dict[str, Any]) -> None:
    for name, figures in result["huge_message"].items():
        print(
            f"{name}: {figures['huge_messages_sent']} huge messages ({figures['huge_message_chars']} chars), "
            f"answered in {figures['huge_answered_ms']} ms, errors {figures['huge_errors']}; "
            f"others p95 {figures['others_normal_ms']['p95']} -> {figures['others_during_ms']['p95']} ms "
            f"({figures['p95_ratio']}); flood: others p95 {figures['flood']['others_ms']['p95']} ms "
            f"({figures['flood']['others_p95_ratio']}x); Rasa peak RSS {figures['rasa_peak_rss_mib']} ({figures['memory_ratio']})"
        )


def main() -> None:
    options = cli.parser(__doc__.splitlines()[0])
    options.set_defaults(bots="ours")  # the bare bot needs ~20 s and many GB per huge message
    args = options.parse_args()
    turns, max_huge = (10, 3) if args.quick else (60, 30)
    result = cli.run_script("huge_message", COMMAND, args, lambda bots: measure(bots, turns, max_huge))
    print_summary(result)


if __name__ == "__main__":
    main()
