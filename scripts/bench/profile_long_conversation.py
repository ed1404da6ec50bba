"""Where the time of a late turn goes: one long conversation run inside this process, with the
last turns under cProfile. A diagnostic for making long conversations flat, not a benchmark.

The Rasa agent runs in-process (no HTTP, in-memory tracker store); for our bot an action server
is started on a free loopback port. Prints the medians of the first and last windows and the
functions with the most cumulative time over the profiled turns.

    .venv/bin/python scripts/bench/profile_long_conversation.py --bots ours
    .venv/bin/python scripts/bench/profile_long_conversation.py --bots bare --turns 300 --top 40
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import time

from benchkit import WORK_DIR, cli
from benchkit.messages import CONVERSATIONS, message_stream


async def _converse(
    model: str, action_url: str | None, bot: str, turns: int, profile_from: int, profiler: cProfile.Profile
) -> list[float]:
    from benchkit.stacks import servers
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    action = EndpointConfig(**servers.action_endpoint(action_url)) if action_url else None
    endpoints = AvailableEndpoints(action=action) if action else None
    agent = await load_agent(model_path=model, endpoints=endpoints)
    stream, latencies = message_stream(CONVERSATIONS[bot]), []
    for index in range(turns):
        _, text = next(stream)
        if index == profile_from:
            profiler.enable()
        started = time.perf_counter()
        await agent.handle_text(text, sender_id="bench-profile")
        latencies.append((time.perf_counter() - started) * 1000)
    profiler.disable()
    return latencies


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--bots", default="ours", choices=cli.BOT_NAMES, help="one bot: ours or bare")
    options.add_argument("--turns", type=int, default=300)
    options.add_argument("--top", type=int, default=30, help="how many functions to print")
    args = options.parse_args()
    spec = cli.specs_for([args.bots])[0]
    window = max(args.turns // 6, 1)
    profiler, actions = cProfile.Profile(), None
    try:
        if spec.with_actions:
            from benchkit.stacks import servers

            actions = servers.start_action_server(WORK_DIR / "logs" / "profile")
        url = f"{actions.url}/webhook" if actions else None
        latencies = asyncio.run(
            _converse(str(spec.model), url, spec.name, args.turns, args.turns - window, profiler)
        )
    finally:
        if actions is not None:
            actions.stop()
    print(
        f"{spec.label}: median turns 1-{window} {statistics.median(latencies[:window]):.1f} ms, "
        f"turns {args.turns - window + 1}-{args.turns} {statistics.median(latencies[-window:]):.1f} ms "
        f"(profiled, so slower than through HTTP)"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
