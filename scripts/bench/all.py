"""Every speed and load figure in one run (`make benchmark`): training, start-up, latency (and where it goes),
long conversations, load and memory, for our bot and a bare ``rasa init`` bot on the same machine.

Writes results/bench/benchmark.json and results/bench/report.md (the Markdown pasted into
docs/benchmarks.md, "Speed and load"). Takes about 15-25 min on 2 cores.

    .venv/bin/python scripts/bench/all.py                  # the full run
    .venv/bin/python scripts/bench/all.py --no-training    # reuse the models already trained
    .venv/bin/python scripts/bench/all.py --quick --no-training   # smoke run, ~3 min
"""

from __future__ import annotations

from typing import Any

import breakdown
import huge_message
import latency
import load
import long_conversations
import training
from benchkit import RESULTS_DIR, WORK_DIR, cli
from benchkit.bots import known_training_facts
from benchkit.machine import load_average, machine_info
from benchkit.report import render
from benchkit.results import read_result, write_result
from benchkit.stacks import running

COMMAND = "make benchmark   # = .venv/bin/python scripts/bench/all.py"


def _settings(quick: bool) -> dict[str, Any]:
    if quick:
        return {
            "latency_turns": 20,
            "warmup": 3,
            "long_turns": 60,
            "load_seconds": 5.0,
            "breakdown_messages": 20,
            "huge_turns": 10,
            "max_huge": 3,
        }
    return {
        "latency_turns": 300,
        "warmup": 20,
        "long_turns": 300,
        "load_seconds": 30.0,
        "breakdown_messages": 200,
        "huge_turns": 60,
        "max_huge": 30,
    }


def run(names, quick: bool, train: bool, test_endpoints: bool = False) -> dict[str, Any]:
    """Training first (one at a time), then all bots started once and measured in the same run."""
    settings = _settings(quick)
    payload: dict[str, Any] = {
        "benchmark": "all",
        "command": COMMAND,
        "machine": machine_info(),
        "quick": quick,
    }
    if train:
        payload.update(training.measure(names))
    else:
        payload["training"] = known_training_facts(names, read_result("training").get("training", {}))
    with running(cli.specs_for(names, test_endpoints), WORK_DIR / "logs") as bots:
        payload["startup"] = {bot.name: bot.startup for bot in bots}
        payload["models"] = {bot.name: str(bot.spec.model) for bot in bots}
        payload.update(latency.measure(bots, settings["latency_turns"], settings["warmup"]))
        latency.print_summary(payload)
        payload.update(breakdown.measure(bots, settings["breakdown_messages"], settings["warmup"]))
        payload.update(long_conversations.measure(bots, settings["long_turns"]))
        long_conversations.print_summary(payload)
        payload.update(load.measure(bots, load.LEVELS, settings["load_seconds"]))
        payload["memory"] = {bot.name: bot.memory() for bot in bots}
        ours = [bot for bot in bots if bot.name == "ours"]  # the bare bot needs ~20 s and GBs per message
        if ours:
            payload.update(huge_message.measure(ours, settings["huge_turns"], settings["max_huge"]))
            huge_message.print_summary(payload)
    payload["load_average_1min_end"] = load_average()
    return payload


def main() -> None:
    options = cli.parser(__doc__.splitlines()[0])
    options.add_argument(
        "--no-training",
        action="store_true",
        help="skip the training benchmark; use var/bench models (or models/)",
    )
    args = options.parse_args()
    payload = run(cli.bot_names(args.bots), args.quick, not args.no_training, args.test_endpoints)
    print(f"wrote {write_result('benchmark', payload)}")
    report = RESULTS_DIR / "report.md"
    report.write_text(render(payload), encoding="utf-8")
    print(f"wrote {report}\n")
    print(report.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
