"""Helpers shared by the benchmark scripts in scripts/bench/ (stats, servers, clients, reports).

The scripts are run as files (``.venv/bin/python scripts/bench/latency.py``), so this package is
imported from the scripts' own folder; nothing here is part of the product.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
RESULTS_DIR = REPO_ROOT / "results" / "bench"
WORK_DIR = REPO_ROOT / "var" / "bench"  # gitignored: the bare bot, bench models, server logs
