"""Markdown for docs/benchmarks.md ("Speed and load") from a benchmark result.

Renders whatever sections the result holds, so it works for the full run (all.py) and for
one script's JSON alike. Each table names the command that reproduces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LABELS = {"ours": "citybot (action server in the loop)", "bare": "bare `rasa init` bot"}
SCRIPT = ".venv/bin/python scripts/bench/{}.py"


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    return str(value)


def table(header: Sequence[str], rows: list[Sequence[Any]]) -> str:
    """A GitHub Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _heading(result: dict[str, Any]) -> str:
    machine = result.get("machine", {})
    dirty = " with uncommitted changes" if machine.get("uncommitted_changes") else ""
    end = result.get("load_average_1min_end")
    return (
        f"Measured {machine.get('date_utc')} on {machine.get('nproc')} cores, {machine.get('ram_gib')} GiB RAM "
        f"({machine.get('cpu')}), commit `{machine.get('commit')}`{dirty}, Rasa {machine.get('rasa')}, "
        f"rasa-sdk {machine.get('rasa_sdk')}, Python {machine.get('python')}. "
        f"1-min load average {machine.get('load_average_1min')} at the start"
        + (f", {end} at the end" if end is not None else "")
        + " (the machine is shared: a load above ~1 with our servers idle means other work was running)."
        + _endpoints_line(result)
        + ("\n\n**Quick smoke run: too few samples for conclusions.**" if result.get("quick") else "")
        + f"\n\nReproduce all: `{result.get('command')}`; raw figures: `results/bench/"
        + ("benchmark" if result.get("benchmark") == "all" else str(result.get("benchmark")))
        + ".json`."
    )


def _endpoints_line(result: dict[str, Any]) -> str:
    """Which endpoints (tracker store, action server) each bot ran with: it changes the figures."""
    used = [
        f"{LABELS.get(n, n)}: `{f['endpoints']}`"
        for n, f in result.get("startup", {}).items()
        if isinstance(f, dict) and f.get("endpoints")
    ]
    return (" Endpoints: " + "; ".join(used) + ".") if used else ""


def _latency(result: dict[str, Any]) -> str | None:
    figures = result.get("latency")
    if not figures:
        return None
    rows = [
        [
            LABELS.get(n, n),
            f["latency_ms"]["n"],
            f["latency_ms"]["p50"],
            f["latency_ms"]["p95"],
            f["latency_ms"]["p99"],
            f["latency_ms"]["max"],
            f["errors"],
            f.get("cpu_ms_per_turn", {}).get("rasa_server"),
            f.get("cpu_ms_per_turn", {}).get("action_server"),
        ]
        for n, f in figures.items()
    ]
    text = "### Latency through the REST channel (one request at a time, bots alternating)\n\n" + table(
        [
            "bot",
            "turns",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "errors",
            "Rasa server CPU ms / turn",
            "action server CPU ms / turn",
        ],
        rows,
    )
    target = result.get("latency_p95_ratio")
    if target:
        text += (
            f"\n\nOur p95 / bare p95 = **{target['value']}** (target ≤ {target['target_max']}: "
            f"{_cell(target['met'])})."
        )
    return text + f"\n\nReproduce: `{SCRIPT.format('latency')}`."


def _breakdown(result: dict[str, Any]) -> str | None:
    figures = result.get("breakdown")
    if not figures:
        return None
    rows = [
        [
            LABELS.get(n, n),
            f["nlu_only_ms"]["p50"],
            f["nlu_only_ms"]["p95"],
            f["turn_ms"]["p50"],
            f["turn_ms"]["p95"],
            f["median_dialogue_actions_store_ms"],
            f["errors"],
        ]
        for n, f in figures.items()
    ]
    return (
        "### Where a turn's time goes (same text parsed alone, then sent as a turn)\n\n"
        + table(
            [
                "bot",
                "NLU only p50 ms",
                "NLU only p95 ms",
                "whole turn p50 ms",
                "whole turn p95 ms",
                "p50 difference: dialogue + actions + tracker store ms",
                "errors",
            ],
            rows,
        )
        + f"\n\nReproduce: `{SCRIPT.format('breakdown')}`."
    )


def _load(result: dict[str, Any]) -> str | None:
    figures = result.get("load")
    if not figures:
        return None
    rows = [
        [
            LABELS.get(n, n),
            lv["clients"],
            lv["turns"],
            lv["throughput_per_s"],
            lv["latency_ms"]["p50"],
            lv["latency_ms"]["p95"],
            lv["latency_ms"]["p99"],
            lv["errors"],
        ]
        for n, levels in figures.items()
        for lv in levels
    ]
    seconds = result.get("load_settings", {}).get("seconds_per_level")
    return (
        f"### Load ({seconds:g} s per level, conversations back to back, no think time)\n\n"
        + table(
            ["bot", "concurrent conversations", "turns", "turns/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
            rows,
        )
        + f"\n\nReproduce: `{SCRIPT.format('load')}`."
    )


def _memory(result: dict[str, Any]) -> str | None:
    figures = result.get("memory")
    if not figures:
        return None
    rows = []
    for name, servers in figures.items():
        after_start = result.get("startup", {}).get(name, {}).get("memory_after_start", {})
        rows.append(
            [
                LABELS.get(name, name),
                after_start.get("rasa_server", {}).get("rss_mib"),
                servers["rasa_server"]["peak_rss_mib"],
                after_start.get("action_server", {}).get("rss_mib"),
                servers.get("action_server", {}).get("peak_rss_mib"),
            ]
        )
    when = (
        "after all the load levels" if result.get("benchmark") in ("all", "load") else "at the end of the run"
    )
    return (
        f"### Memory (RSS; peak = the kernel's VmHWM, read {when})\n\n"
        + table(
            [
                "bot",
                "Rasa server after start MiB",
                "Rasa server peak MiB",
                "action server after start MiB",
                "action server peak MiB",
            ],
            rows,
        )
        + f"\n\nReproduce: `{SCRIPT.format('load')}` (memory is part of the load run)."
    )


def _long(result: dict[str, Any]) -> str | None:
    figures = result.get("long_conversation")
    if not figures:
        return None
    turns = result.get("long_conversation_settings", {}).get("turns")
    rows, header = [], None
    for name, f in figures.items():
        medians = [k for k in f if k.startswith("median_ms_turns_")]
        header = header or ["bot"] + [
            k.replace("median_ms_turns_", "median ms, turns ").replace("_", "-") for k in medians
        ] + ["late / early", "ms added per turn", "errors", "control: late / early"]
        rows.append(
            [LABELS.get(name, name)]
            + [f[k] for k in medians]
            + [
                f["late_over_early"],
                f["ms_added_per_turn"],
                f["errors"],
                f.get("control", {}).get("late_over_early"),
            ]
        )
    text = f"### Long conversations ({turns} turns, one conversation per bot, bots alternating)\n\n" + table(
        header, rows
    )
    target = figures.get("ours", {}).get("target")
    if target:
        text += (
            f"\n\nTarget for our bot: late / early ≤ {target['late_over_early_max']}: {_cell(target['met'])}."
        )
    text += (
        "\n\nControl: after each turn the same text opens a new conversation; its late / early "
        "near 1 means the machine's speed did not drift during the run."
    )
    return text + f"\n\nReproduce: `{SCRIPT.format('long_conversations')}`."


def _huge(result: dict[str, Any]) -> str | None:
    figures = result.get("huge_message")
    if not figures:
        return None
    rows = [
        [
            LABELS.get(n, n),
            f["huge_messages_sent"],
            f["huge_message_chars"],
            f["huge_answered_ms"]["p50"],
            f["huge_answered_ms"]["max"],
            f["huge_errors"],
            f"{f['others_normal_ms']['p95']} → {f['others_during_ms']['p95']}",
            f["p95_ratio"]["value"],
            _cell(f["p95_ratio"]["met"]),
            f"{f['rasa_peak_rss_mib']['normal']} → {f['rasa_peak_rss_mib']['during']}",
            f["memory_ratio"]["value"],
            _cell(f["memory_ratio"]["met"]),
            f["others_errors"],
            f"{f['flood']['others_ms']['p95']} ({f['flood']['others_p95_ratio']}×)",
        ]
        for n, f in figures.items()
    ]
    return (
        "### Huge messages (20 000 words each; others = another user's question sent at the same instant)\n\n"
        + table(
            [
                "bot",
                "huge sent",
                "chars each",
                "huge answered p50 ms",
                "max ms",
                "huge errors",
                "others' p95 ms, normal → during",
                "ratio",
                "≤ 2×",
                "Rasa peak RSS MiB, normal → during",
                "ratio",
                "≤ 1.5×",
                "others' errors",
                "flood (huge back to back): others' p95 ms",
            ],
            rows,
        )
        + f"\n\nReproduce: `{SCRIPT.format('huge_message')}`."
    )


def _startup_and_training(result: dict[str, Any]) -> str | None:
    startup, trained = result.get("startup", {}), result.get("training", {})
    names = list(dict.fromkeys([*trained, *startup]))
    if not names:
        return None
    models = result.get("models", {})
    rows = [
        [
            LABELS.get(n, n),
            _model_name(models.get(n) or trained.get(n, {}).get("model")),
            trained.get(n, {}).get("training_s"),
            trained.get(n, {}).get("model_mib"),
            _startup_value(startup.get(n, {}), "action_server_ready_s"),
            _startup_value(startup.get(n, {}), "rasa_server_ready_s"),
            _startup_value(startup.get(n, {}), "first_reply_ms"),
        ]
        for n in names
    ]
    return (
        "### Training, model size, start-up\n\n"
        + table(
            [
                "bot",
                "model",
                "full training s (empty cache)",
                "model MiB",
                "action server ready s",
                "Rasa server ready s (±1)",
                "first reply ms",
            ],
            rows,
        )
        + f"\n\nReproduce: `{SCRIPT.format('training')}` (training, model size), "
        f"`{SCRIPT.format('startup')}` (start-up, 3 starts, medians)."
    )


def _model_name(path: str | None) -> str | None:
    return f"`{path.rsplit('/', 1)[-1]}`" if path else None


def _startup_value(figures: dict[str, Any], key: str) -> Any:
    """A single start's figure, or the median when startup.py repeated the start."""
    return figures.get(key, figures.get(f"median_{key}"))


def render(result: dict[str, Any]) -> str:
    """The "Speed and load" section for the sections present in ``result``."""
    parts = [_heading(result)] + [
        p
        for p in (
            _latency(result),
            _breakdown(result),
            _load(result),
            _memory(result),
            _long(result),
            _huge(result),
            _startup_and_training(result),
        )
        if p
    ]
    return "## Speed and load\n\n" + "\n\n".join(parts) + "\n"
