"""`make run` start-up as a user sees it: from typing the command to "Press Ctrl-C to stop." with
the model already trained (target: <= 60 s), then the time Ctrl-C takes to stop everything.

It includes make's own checks (knowledge-base validation, NLU lookups up to date, model up to
date) and the start of the three servers. Ports are free ones, so a running bot is not disturbed.

    .venv/bin/python scripts/bench/make_run.py             # 3 starts
    .venv/bin/python scripts/bench/make_run.py --repeat 1
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchkit.machine import load_average, machine_info
from benchkit.results import write_result

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from servers import free_port  # noqa: E402  (tests/servers.py: shared with the tests)

COMMAND = ".venv/bin/python scripts/bench/make_run.py"
READY_LINE = "Press Ctrl-C to stop."
TIMEOUT_S = 600.0
TARGET_S = 60.0


def one_start(log: Path) -> dict[str, Any]:
    """Seconds to ready and to stop after SIGINT, for one `make run`."""
    env = dict(
        os.environ, RASA_PORT=str(free_port()), ACTIONS_PORT=str(free_port()), WEBCHAT_PORT=str(free_port())
    )
    load = load_average()
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        while READY_LINE not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() - started > TIMEOUT_S:
                raise RuntimeError("make run did not get ready:\n" + log.read_text(errors="replace")[-2000:])
            time.sleep(0.2)
        ready = time.monotonic() - started
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
        stopping = time.monotonic()
        process.wait(timeout=120)
        return {
            "ready_s": round(ready, 1),
            "stop_s": round(time.monotonic() - stopping, 1),
            "load_average_1min_before": load,
        }
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args()
    if not (ROOT / "models" / "citybot.tar.gz").exists():
        sys.exit("error: no models/citybot.tar.gz: run `make train` first (this measures start-up only)")
    with tempfile.TemporaryDirectory(prefix="citybot-make-run-") as folder:
        starts = [one_start(Path(folder) / f"make-run-{index}.log") for index in range(args.repeat)]
    median = statistics.median(s["ready_s"] for s in starts)
    payload = {
        "benchmark": "make_run",
        "command": COMMAND,
        "machine": machine_info(),
        "make_run": {
            "median_ready_s": median,
            "target_max_s": TARGET_S,
            "met": median <= TARGET_S,
            "starts": starts,
        },
    }
    print(
        f"make run: ready in {[s['ready_s'] for s in starts]} s (median {median}), "
        f"stopped in {[s['stop_s'] for s in starts]} s after Ctrl-C"
    )
    print(f"wrote {write_result('make_run', payload)}")


if __name__ == "__main__":
    main()
