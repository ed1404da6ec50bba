"""What a hot reload costs a server, step by step, for knowledge bases of several sizes (issue 15).

A saved fact reaches a reply after: the wait for the next check (`citybot.kb.shared.RECHECK_SECONDS`),
the check itself (a `stat` of each YAML file, on the request path), loading and validating the
knowledge base (both servers), and, in the action server, building its fact index on first use.
This times each step alone, in this process, so the served figure of serve.py can be read.

    .venv/bin/python scripts/bench/scale/reload_cost.py knowledge results/bench/scale/n300/knowledge

(a generated folder: `generate_kb.py N OUT`). One JSON line per folder on stdout, medians of
`--repeat` runs (the first load and index are left out: they import their libraries).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from citybot.kb import shared
from citybot.kb.loader import load_knowledge_base


def _median_ms(step: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        timings.append(time.perf_counter() - started)
    return round(statistics.median(timings) * 1000, 2)


def _pathlib_check(folder: Path) -> int:
    """The check as it was before issue 15's third run (pathlib's rglob), for comparison."""
    return sum(1 for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file() and p.stat())


def costs(folder: Path, repeat: int) -> dict[str, Any]:
    """Milliseconds of each step of a reload of `folder` (medians)."""
    load_knowledge_base(folder).fact_index  # noqa: B018  imports and caches: not a reload's cost
    return {
        "folder": str(folder),
        "yaml_files": len(shared._signature(folder)[1]),
        "recheck_seconds": shared.RECHECK_SECONDS,
        "check_ms": _median_ms(lambda: shared._signature(folder), max(repeat, 20)),
        "check_pathlib_ms": _median_ms(lambda: _pathlib_check(folder), max(repeat, 20)),
        "load_ms": _median_ms(lambda: load_knowledge_base(folder), repeat),
        "fact_index_ms": round(statistics.median(_index_s(folder) for _ in range(repeat)) * 1000, 2),
    }


def _index_s(folder: Path) -> float:
    """Seconds to build the fact index of a freshly loaded knowledge base (the load not counted)."""
    kb = load_knowledge_base(folder)
    started = time.perf_counter()
    kb.fact_index  # noqa: B018
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="knowledge-base folders")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (default: %(default)s)")
    args = parser.parse_args()
    for folder in args.folders:
        print(json.dumps(costs(folder, args.repeat)), flush=True)


if __name__ == "__main__":
    main()
