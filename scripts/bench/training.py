"""Full training time (empty Rasa cache) and model size, our bot and a fresh ``rasa init`` bot.

Runs one training at a time (the machine has 2 cores shared by the team). Our model goes to
var/bench/models/citybot-bench.tar.gz (models/ is left alone); the bare bot to
var/bench/rasa-init-bot/. The other benchmark scripts then use these models.

    .venv/bin/python scripts/bench/training.py             # both bots
    .venv/bin/python scripts/bench/training.py --bots bare
"""

from __future__ import annotations

from typing import Any

from benchkit import cli
from benchkit.bots import create_bare_bot, train_our_bot
from benchkit.machine import load_average, machine_info
from benchkit.results import write_result

COMMAND = ".venv/bin/python scripts/bench/training.py"


def measure(names: list[str]) -> dict[str, Any]:
    """Train each bot in turn; seconds, model size and the load average around each training."""
    figures: dict[str, Any] = {}
    for name in names:
        print(f"training {name} (full, empty cache) ...", flush=True)
        before = load_average()
        facts = train_our_bot() if name == "ours" else create_bare_bot()
        figures[name] = {
            **facts,
            "load_average_1min_before": before,
            "load_average_1min_after": load_average(),
        }
        print(f"  {name}: {facts['training_s']} s, {facts['model_mib']} MiB", flush=True)
    return {"training": figures}


def main() -> None:
    args = cli.parser(__doc__.splitlines()[0]).parse_args()
    payload = {
        "benchmark": "training",
        "command": COMMAND,
        "machine": machine_info(),
        **measure(cli.bot_names(args.bots)),
    }
    print(f"wrote {write_result('training', payload)}")


if __name__ == "__main__":
    main()
