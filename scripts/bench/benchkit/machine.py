"""Where and on what a benchmark ran: figures mean little without the machine, commit and load."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from typing import Any

from benchkit import REPO_ROOT


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _meminfo_gib() -> float:
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def load_average() -> float:
    """1-minute load average: recorded before and after each measurement because the machine is shared."""
    return round(os.getloadavg()[0], 2)


def machine_info() -> dict[str, Any]:
    """Date, machine (cores, RAM, CPU), commit (and whether the tree had local changes), versions."""
    from importlib.metadata import version

    return {
        "date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "ram_gib": _meminfo_gib(),
        "cpu": _cpu_model(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain")),
        "python": platform.python_version(),
        "rasa": version("rasa"),
        "rasa_sdk": version("rasa-sdk"),
        "load_average_1min": load_average(),
    }
