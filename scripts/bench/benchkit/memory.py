"""Memory (peak and current RSS) and CPU time of a server process and its children, from /proc
(Linux only).

``VmHWM`` is the kernel's own high-water mark of resident memory, so the peak is exact even
between our samples; no extra dependency is needed.
"""

from __future__ import annotations

import os


def _status_kib(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS of one process in KiB ({} when it is gone)."""
    values: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    values[key] = int(rest.split()[0])
    except (OSError, ValueError):
        return {}
    return values


def _children(pid: int) -> list[int]:
    """Direct children, from every thread's ``children`` file."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return found


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (a server may fork workers)."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(_children(current))
    return tree


def memory_mib(pid: int) -> dict[str, float]:
    """Peak (sum of each process's VmHWM) and current RSS of the process tree, in MiB."""
    peak = current = 0
    processes = process_tree(pid)
    for member in processes:
        status = _status_kib(member)
        peak += status.get("VmHWM", 0)
        current += status.get("VmRSS", 0)
    return {
        "peak_rss_mib": round(peak / 1024, 1),
        "rss_mib": round(current / 1024, 1),
        "processes": len(processes),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by the process tree (utime, stime of /proc/<pid>/stat).

    CPU time, unlike latency, barely depends on what else runs on a shared machine: it tells
    how much work a turn costs each server.
    """
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks_per_s
