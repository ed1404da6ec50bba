"""Summary statistics of latency samples, in one place so every script reports them alike.

Percentiles use the standard library's ``statistics.quantiles`` (inclusive method, linear
interpolation), so a figure can be recomputed from the raw samples kept in the JSON.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(samples: Sequence[float], pct: int) -> float:
    """The ``pct``-th percentile (1..99); a single sample is its own percentile."""
    if not samples:
        raise ValueError("no samples")
    if len(samples) == 1:
        return float(samples[0])
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def summarise(samples_ms: Sequence[float]) -> dict[str, float | None]:
    """n, mean, min, p50, p95, p99, max (ms, rounded to 0.1): what every table shows."""
    if not samples_ms:
        return {"n": 0, "mean": None, "min": None, "p50": None, "p95": None, "p99": None, "max": None}
    return {
        "n": len(samples_ms),
        "mean": round(statistics.fmean(samples_ms), 1),
        "min": round(min(samples_ms), 1),
        "p50": round(percentile(samples_ms, 50), 1),
        "p95": round(percentile(samples_ms, 95), 1),
        "p99": round(percentile(samples_ms, 99), 1),
        "max": round(max(samples_ms), 1),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator`` rounded to 0.01, ``None`` when either is missing or zero."""
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


def slope_per_turn(turns: Sequence[int], latencies_ms: Sequence[float]) -> float | None:
    """Least-squares ms added per earlier turn: how fast replies slow down as a conversation grows."""
    if len(turns) < 2 or len(set(turns)) < 2:
        return None
    return round(statistics.linear_regression(turns, latencies_ms).slope, 3)


def window_median(latencies_ms: Sequence[float], first_turn: int, last_turn: int) -> float | None:
    """Median of turns ``first_turn..last_turn`` (1-based, inclusive) of one conversation."""
    window = latencies_ms[first_turn - 1 : last_turn]
    return round(statistics.median(window), 1) if window else None
