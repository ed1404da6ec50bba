"""The benchmark scripts' own helpers (statistics, message cycling, /proc memory, Markdown report).

No server is started and nothing is timed here: the figures come from scripts/bench/ runs
(docs/benchmarks.md, "Speed and load"); these tests only keep their arithmetic honest.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).resolve().parents[1] / "scripts" / "bench"))  # last: never shadows others

from benchkit import memory, stats
from benchkit.messages import CONVERSATIONS, message_stream
from benchkit.report import render, table


def test_percentiles_interpolate_between_samples():
    samples = list(range(1, 101))  # 1..100
    assert stats.percentile(samples, 50) == pytest.approx(50.5)
    assert stats.percentile(samples, 95) == pytest.approx(95.05)
    assert stats.percentile([7.0], 99) == 7.0


def test_summary_of_nothing_is_empty_not_an_error():
    assert stats.summarise([])["n"] == 0
    assert stats.summarise([])["p95"] is None


def test_summary_rounds_and_orders():
    summary = stats.summarise([10.0, 20.0, 30.0, 40.0])
    assert summary["n"] == 4
    assert summary["min"] <= summary["p50"] <= summary["p95"] <= summary["p99"] <= summary["max"]
    assert summary["mean"] == 25.0


def test_slope_finds_the_growth_per_turn():
    turns = list(range(1, 301))
    assert stats.slope_per_turn(turns, [38 + 0.5 * t for t in turns]) == pytest.approx(0.5)
    assert stats.slope_per_turn([1], [1.0]) is None


def test_window_median_uses_one_based_inclusive_turns():
    latencies = [float(t) for t in range(1, 301)]
    assert stats.window_median(latencies, 1, 50) == 25.5
    assert stats.window_median(latencies, 251, 300) == 275.5


def test_ratio_is_none_without_a_denominator():
    assert stats.ratio(3.0, 2.0) == 1.5
    assert stats.ratio(3.0, None) is None
    assert stats.ratio(3.0, 0) is None


def test_long_conversation_windows_and_target_figures():
    import long_conversations

    assert long_conversations.windows(300) == ((1, 50), (251, 300))
    flat = long_conversations.growth_figures([40.0] * 300, 300)
    assert flat["late_over_early"] == 1.0
    assert flat["ms_added_per_turn"] == 0.0


def test_message_stream_marks_conversation_starts_and_cycles():
    conversations = [["a", "b"], ["c"]]
    taken = [next(message_stream(conversations)) for _ in range(1)]
    assert taken == [(True, "a")]
    stream = message_stream(conversations, start=1)
    assert [next(stream) for _ in range(4)] == [(True, "c"), (True, "a"), (False, "b"), (True, "c")]


def test_every_bot_has_messages():
    assert set(CONVERSATIONS) == {"ours", "bare", "baseline"}
    assert CONVERSATIONS["baseline"] == CONVERSATIONS["ours"], "a revision is measured on what ours says"
    ours = [text for conversation in CONVERSATIONS["ours"] for text in conversation]
    assert any("é" in text for text in ours), "French messages must be in the mix"


def test_memory_of_this_process_is_read_from_proc():
    figures = memory.memory_mib(os.getpid())
    assert figures["processes"] >= 1
    assert figures["peak_rss_mib"] >= figures["rss_mib"] > 0


def test_report_renders_a_partial_result():
    result = {
        "benchmark": "latency",
        "command": "x",
        "machine": {"nproc": 2, "commit": "abc"},
        "latency": {
            name: {"latency_ms": stats.summarise([1.0, 2.0, 3.0]), "errors": 0} for name in ("ours", "bare")
        },
        "latency_p95_ratio": {"value": 1.1, "target_max": 1.5, "met": True},
    }
    text = render(result)
    assert text.startswith("## Speed and load")
    assert "Our p95 / bare p95 = **1.1**" in text
    assert "Load (" not in text


def test_table_has_a_separator_per_column():
    assert table(["a", "b"], [[1, None]]).splitlines() == ["| a | b |", "|---|---|", "| 1 | – |"]


def test_report_renders_every_section_of_a_full_result():
    import long_conversations

    summary = stats.summarise([10.0, 20.0, 30.0])
    growth = long_conversations.growth_figures([40.0] * 300, 300)
    result = {
        "benchmark": "all",
        "command": "make benchmark",
        "machine": {"nproc": 2},
        "load_average_1min_end": 1.0,
        "latency": {"ours": {"latency_ms": summary, "errors": 0}},
        "breakdown": {
            "ours": {
                "nlu_only_ms": summary,
                "turn_ms": summary,
                "median_dialogue_actions_store_ms": 0.0,
                "errors": 0,
            }
        },
        "load": {
            "ours": [{"clients": 4, "turns": 3, "throughput_per_s": 9.5, "latency_ms": summary, "errors": 0}]
        },
        "load_settings": {"seconds_per_level": 30.0},
        "memory": {
            "ours": {"rasa_server": {"peak_rss_mib": 1100.0}, "action_server": {"peak_rss_mib": 120.0}}
        },
        "long_conversation": {
            "ours": {
                **growth,
                "errors": 0,
                "control": growth,
                "target": {"late_over_early_max": 1.2, "met": True},
            }
        },
        "long_conversation_settings": {"turns": 300},
        "startup": {"ours": {"rasa_server_ready_s": 40.0, "endpoints": "bot/endpoints.yml"}},
        "training": {"ours": {"training_s": 300.0, "model_mib": 18.7}},
    }
    text = render(result)
    for heading in (
        "### Latency",
        "### Where a turn's time goes",
        "### Load (30 s",
        "### Memory",
        "### Long conversations (300 turns",
        "### Training",
    ):
        assert heading in text
    assert "| median ms, turns 1-50 | median ms, turns 251-300 |" in text
    assert "`bot/endpoints.yml`" in text


def test_cpu_time_of_this_process_grows_with_work():
    before = memory.cpu_seconds(os.getpid())
    sum(i * i for i in range(2_000_000))
    assert memory.cpu_seconds(os.getpid()) > before
