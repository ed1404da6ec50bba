"""Where results go: ``results/bench/<name>.json`` (latest) plus a dated copy in ``history/``.

Every file carries the machine, commit and the one command that reproduces it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from benchkit import RESULTS_DIR


def write_result(name: str, payload: dict[str, Any], results_dir: Path = RESULTS_DIR) -> Path:
    """Write ``payload`` as the latest ``name`` result and keep a timestamped copy; returns the path."""
    history = results_dir / "history"
    history.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (history / f"{stamp}-{name}.json").write_text(text, encoding="utf-8")
    latest = results_dir / f"{name}.json"
    latest.write_text(text, encoding="utf-8")
    return latest


def read_result(name: str, results_dir: Path = RESULTS_DIR) -> dict[str, Any]:
    """The latest ``name`` result, or {} when that benchmark has not been run."""
    path = results_dir / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
