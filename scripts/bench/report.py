"""Print the "Speed and load" Markdown for docs/benchmarks.md from a result file.

.venv/bin/python scripts/bench/report.py                          # results/bench/benchmark.json
.venv/bin/python scripts/bench/report.py results/bench/latency.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchkit import RESULTS_DIR
from benchkit.report import render


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("result", nargs="?", default=str(RESULTS_DIR / "benchmark.json"))
    args = options.parse_args()
    print(render(json.loads(Path(args.result).read_text(encoding="utf-8"))), end="")


if __name__ == "__main__":
    main()
