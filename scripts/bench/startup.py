"""Start-up time to ready (action server, Rasa server, first reply) and idle memory, repeated.

Each repetition starts the bot's servers from nothing and stops them; bots start one after the
other, never together. Readiness is polled once a second (tests/servers.py), so times are +-1 s.

    .venv/bin/python scripts/bench/startup.py              # 3 starts per bot
    .venv/bin/python scripts/bench/startup.py --quick      # 1 start per bot
"""

from __future__ import annotations

import statistics
from typing import Any

from benchkit import WORK_DIR, cli
from benchkit.machine import machine_info
from benchkit.results import write_result
from benchkit.stacks import running

COMMAND = ".venv/bin/python scripts/bench/startup.py"


def summarise_starts(starts: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of each timing over the repetitions, plus every start's raw figures."""
    keys = [k for k in ("action_server_ready_s", "rasa_server_ready_s", "first_reply_ms") if k in starts[0]]
    return {
        **{f"median_{k}": round(statistics.median(s[k] for s in starts), 1) for k in keys},
        "starts": starts,
    }


def measure(names: list[str], repeat: int, test_endpoints: bool = False) -> dict[str, Any]:
    """Start and stop each bot ``repeat`` times, one bot at a time."""
    specs = cli.specs_for(names, test_endpoints)
    figures: dict[str, Any] = {}
    for spec in specs:
        starts = []
        for _ in range(repeat):
            with running([spec], WORK_DIR / "logs") as (bot,):
                starts.append(bot.startup)
        figures[spec.name] = summarise_starts(starts)
    return {"startup": figures}


def main() -> None:
    options = cli.parser(__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=None, help="starts per bot (default 3, quick 1)")
    args = options.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    payload = {
        "benchmark": "startup",
        "command": COMMAND,
        "machine": machine_info(),
        **measure(cli.bot_names(args.bots), repeat, args.test_endpoints),
    }
    print(f"wrote {write_result('startup', payload)}")


if __name__ == "__main__":
    main()
