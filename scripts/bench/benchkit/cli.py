"""The command-line options and the start/measure/write skeleton the benchmark scripts share."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from benchkit import WORK_DIR
from benchkit.bots import BotSpec, bare_spec, baseline_spec, our_model, our_spec
from benchkit.machine import machine_info
from benchkit.results import write_result
from benchkit.stacks import RunningBot, running

BOT_NAMES = ("ours", "bare", "baseline")


def parser(description: str) -> argparse.ArgumentParser:
    """Options every script accepts: which bots, and a quick mode for smoke runs."""
    options = argparse.ArgumentParser(description=description)
    options.add_argument(
        "--bots",
        default="ours,bare",
        help="comma-separated bots to measure: ours, bare, baseline (default ours,bare)",
    )
    options.add_argument(
        "--baseline",
        metavar="REVISION",
        help="the git revision the `baseline` bot runs (our bot before a change, e.g. main~3): "
        "checked out and trained once under var/bench/",
    )
    options.add_argument(
        "--quick",
        action="store_true",
        help="a short smoke run (few turns, seconds per level): checks the script, not the figures",
    )
    options.add_argument(
        "--test-endpoints",
        action="store_true",
        help="run our bot with tests/servers.py's endpoints (in-memory tracker store) "
        "instead of bot/endpoints.yml",
    )
    return options


def bot_names(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = set(names) - set(BOT_NAMES)
    if unknown or not names:
        sys.exit(f"error: --bots takes {', '.join(BOT_NAMES)} (got {value!r})")
    return names


def specs_for(names: list[str], test_endpoints: bool = False, baseline: str | None = None) -> list[BotSpec]:
    """Bot specs in the order given; our bot needs a trained model (make train)."""
    specs = []
    for name in names:
        if name == "baseline":
            if not baseline:
                sys.exit("error: --bots baseline needs --baseline REVISION (e.g. --baseline main~3)")
            specs.append(baseline_spec(baseline))
        elif name == "ours":
            model = our_model()
            if model is None:
                sys.exit("error: no model of our bot: run `make train` (or set CITYBOT_MODEL)")
            specs.append(our_spec(model, test_endpoints))
        else:
            specs.append(bare_spec())
    return specs


def run_script(
    name: str, command: str, args: argparse.Namespace, measure: Callable[[list[RunningBot]], dict[str, Any]]
) -> dict[str, Any]:
    """Start the bots, run ``measure`` on them, stop them, write results/bench/<name>.json."""
    payload: dict[str, Any] = {
        "benchmark": name,
        "command": command,
        "machine": machine_info(),
        "quick": args.quick,
    }
    specs = specs_for(bot_names(args.bots), args.test_endpoints, args.baseline)
    with running(specs, WORK_DIR / "logs") as bots:
        payload["startup"] = {bot.name: bot.startup for bot in bots}
        payload["models"] = {bot.name: str(bot.spec.model) for bot in bots}
        payload.update(measure(bots))
        payload["memory"] = {bot.name: bot.memory() for bot in bots}
    payload["load_average_1min_end"] = machine_info()["load_average_1min"]
    path = write_result(name, payload)
    print(f"wrote {path}")
    return payload
