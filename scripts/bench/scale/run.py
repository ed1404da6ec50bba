"""Knowledge at scale (issue 15): what N generated cities cost, for several N side by side.

For each N: generate the knowledge base (generate_kb.py, results/bench/scale/nN/), time
`citybot kb validate` on it, `citybot nlu generate` into a temporary copy of the project, a full
`rasa train` of that copy (empty Rasa cache, CITYBOT_KNOWLEDGE pointing at the generated knowledge
base), the model's size, then, unless --no-recognition, city recognition and intent accuracy on
held-out questions (city names without accents or with a typo, spellings absent from the generated
NLU data, in English and French), then the real servers on that model (serve.py): reply p50/p95,
RSS, hot reload of an edited measure; the bot of knowledge/ is measured the same way first, as
the reference. One training at a time: the machine has 2 shared cores.
Results: results/bench/scale.json (written after each N, so a partial run keeps its figures),
results/bench/scale.md and docs/benchmark-scale.png; models and logs in var/bench/scale/.

    .venv/bin/python scripts/bench/scale/run.py                      # N = 20, 100, 300, 1000
    .venv/bin/python scripts/bench/scale/run.py --sizes 20,100 --questions 200
    .venv/bin/python scripts/bench/scale/run.py --sizes 100,300 --reuse-models  # no retraining
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchkit
sys.path.insert(0, str(HERE))  # generate_kb

import generate_kb  # noqa: E402
import serve  # noqa: E402
from benchkit import REPO_ROOT, RESULTS_DIR, WORK_DIR  # noqa: E402
from benchkit.machine import load_average, machine_info  # noqa: E402
from benchkit.results import write_result  # noqa: E402

COMMAND = "make benchmark-scale  # .venv/bin/python scripts/bench/scale/run.py"
BIN = REPO_ROOT / ".venv" / "bin"
SCALE_DIR = WORK_DIR / "scale"  # models and logs
KB_DIR = RESULTS_DIR / "scale"  # the generated knowledge bases (test data, never knowledge/)
PLOT = REPO_ROOT / "docs" / "benchmark-scale.png"
TIMEOUT_S = 3 * 3600
#: The intent every held-out question should get ("What did <city> do about <topic>?").
HELDOUT_INTENT = "ask_city_topic"
#: The figures of a run before kept by --reuse-models: its training's.
REUSED = ("train_s", "model_mib", "load_average_1min_after_training")
#: Held-out questions sent to the running servers per N (and to the reference bot).
SERVED = 60


def _timed(args: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    """Run to completion, output to `log`; seconds. Raises with the log's tail on failure."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(log, "wb") as out:
        result = subprocess.run(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=TIMEOUT_S
        )
    seconds = round(time.monotonic() - started, 2)
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{' '.join(args[:3])} failed ({result.returncode}); log {log}:\n{tail}")
    return seconds


def _env(kb: Path, cache: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    env["CITYBOT_KNOWLEDGE"] = str(kb)  # the Rasa components and actions read this knowledge base
    if cache is not None:
        env["RASA_CACHE_DIRECTORY"] = str(cache)  # empty cache: a full training
    return env


def project_copy(target: Path) -> Path:
    """What `rasa train` reads (bot/, data/), without the generated NLU data of knowledge/."""
    for name in ("bot", "data"):
        shutil.copytree(REPO_ROOT / name, target / name)
    shutil.rmtree(target / "data" / "nlu" / "generated")
    return target


def measure(
    count: int, train: bool, questions: int, gazetteer: list[tuple[str, str, int]], reuse: dict[str, Any]
) -> dict[str, Any]:
    """Every figure for one N; `reuse`: this N's figures of a run before, to keep its training's."""
    out = KB_DIR / f"n{count}"
    logs = SCALE_DIR / "logs"
    started = time.monotonic()
    kb = generate_kb.generate(count, out, gazetteer=gazetteer)
    figures: dict[str, Any] = {"cities": count, "generate_kb_s": round(time.monotonic() - started, 2)}
    figures["measures"] = sum(
        p.read_text(encoding="utf-8").count("\n  - id: ") for p in (kb / "cities").glob("*.yml")
    )
    figures["load_average_1min_before"] = load_average()
    figures["validate_s"] = _timed(
        [str(BIN / "citybot"), "kb", "validate", "--path", str(kb)],
        REPO_ROOT,
        _env(kb),
        logs / f"validate-{count}.log",
    )
    with tempfile.TemporaryDirectory(prefix=f"scale-{count}-") as tmp:
        copy = project_copy(Path(tmp) / "project")
        generated = copy / "data" / "nlu" / "generated"
        figures["nlu_generate_s"] = _timed(
            [str(BIN / "citybot"), "nlu", "generate", "--kb", str(kb), "--out", str(generated)],
            copy,
            _env(kb),
            logs / f"nlu-generate-{count}.log",
        )
        figures["nlu_data_mib"] = round(sum(p.stat().st_size for p in generated.glob("*.yml")) / 2**20, 2)
        model = SCALE_DIR / "models" / f"citybot-n{count}.tar.gz"
        if train and reuse.get("train_s") and model.exists():  # --reuse-models
            figures.update({k: v for k, v in reuse.items() if k.startswith(REUSED)})
            figures["training_reused"] = True
        elif train:
            args = [str(BIN / "rasa"), "train", "--config", "bot/config.yml", "--domain", "bot/domain.yml",
                    "--data", "data", "--out", str(model.parent), "--fixed-model-name", model.name[:-7], "--force"]  # fmt: skip
            with tempfile.TemporaryDirectory(prefix="scale-cache-") as cache:
                figures["train_s"] = _timed(args, copy, _env(kb, Path(cache)), logs / f"train-{count}.log")
            figures["model_mib"] = round(model.stat().st_size / 2**20, 1)
            figures["load_average_1min_after_training"] = load_average()
        if train and questions:
            figures["recognition"] = recognition(model, kb, out / "heldout.json", generated, questions)
            figures["serving"] = serving(model, kb, logs / f"serve-{count}")
    figures["load_average_1min_after"] = load_average()
    return figures


def recognition(model: Path, kb: Path, heldout: Path, generated: Path, limit: int) -> dict[str, Any]:
    """Held-out questions parsed by the model, in a child process (Rasa loads there, not here)."""
    training_text = " ".join(p.read_text(encoding="utf-8").casefold() for p in generated.glob("*.yml"))
    cases = json.loads(heldout.read_text(encoding="utf-8"))
    kept = [c for c in cases if f"[{c['spelling'].casefold()}]" not in training_text]
    sample = []
    for language in ("en", "fr"):  # half each: the cases alternate languages, so a plain stride would not
        own = [c for c in kept if c["language"] == language]
        share = limit // 2 if limit else len(own)
        sample += own[:: max(1, len(own) // share)][:share] if share else []
    kept_sample = model.with_suffix(".sample.json")  # kept: the same questions can be parsed again
    kept_sample.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [str(BIN / "python"), __file__, "--parse", str(model), str(kept_sample)],
        env=_env(kb), capture_output=True, text=True, timeout=TIMEOUT_S, check=True,
    )  # fmt: skip
    parsed = json.loads(out.stdout.strip().splitlines()[-1])
    result: dict[str, Any] = {
        "questions": len(sample),
        "left_out_as_in_training_data": len(cases) - len(kept),
        "parse_ms_mean": round(sum(p["ms"] for p in parsed) / max(1, len(parsed)), 1),
    }
    for key, subset in (
        ("all", sample),
        *((v, [c for c in sample if c["variant"] == v]) for v in _variants(sample)),
    ):
        rows = [p for c, p in zip(sample, parsed, strict=True) if c in subset]
        result[key] = {
            "n": len(rows),
            "city_entity_found": _share(r.get("city_found") for r in rows),
            "city_recognised": _share(r["city_ok"] for r in rows),
            "city_resolved": _share(r.get("resolved_ok") for r in rows),
            "intent_accuracy": _share(r["intent"] == HELDOUT_INTENT for r in rows),
        }
    for language in ("en", "fr"):
        rows = [p for c, p in zip(sample, parsed, strict=True) if c["language"] == language]
        result[language] = {"n": len(rows), "city_entity_found": _share(r.get("city_found") for r in rows),
                            "city_recognised": _share(r["city_ok"] for r in rows),
                            "city_resolved": _share(r.get("resolved_ok") for r in rows),
                            "intent_accuracy": _share(r["intent"] == HELDOUT_INTENT for r in rows)}  # fmt: skip
    return result


def serving(model: Path, kb: Path, log_dir: Path) -> dict[str, Any]:
    """Reply times, RSS and hot reload on the held-out questions recognition() just parsed."""
    sample = json.loads(model.with_suffix(".sample.json").read_text(encoding="utf-8"))
    parsed = json.loads(model.with_suffix(".parsed.json").read_text(encoding="utf-8"))
    understood = [
        c for c, p in zip(sample, parsed, strict=True) if p["resolved_ok"] and c["language"] == "en"
    ]
    reload_case = (
        (kb / "cities" / f"{understood[0]['city']}.yml", understood[0]["text"]) if understood else None
    )
    return serve.serve_figures(model, kb, [c["text"] for c in sample[:SERVED]], log_dir, reload_case)


def reference_serving(log_dir: Path) -> dict[str, Any] | None:
    """The same figures for the bot of knowledge/ and models/citybot.tar.gz, the same questions' shape."""
    model = REPO_ROOT / "models" / "citybot.tar.gz"
    if not model.exists():
        return None
    from citybot.kb import load_knowledge_base

    kb = load_knowledge_base(REPO_ROOT / "knowledge")
    cities = [{"id": c.id, "name": c.name} for c in kb.cities.values()]
    own = {c.id: {t for m in c.measures for t in m.topics} for c in kb.cities.values()}
    cases = generate_kb.heldout(cities, random.Random("reference"), generate_kb.topics(), own)
    texts = [c["text"] for c in cases][:: max(1, len(cases) // SERVED)][:SERVED]
    figures = serve.serve_figures(model, REPO_ROOT / "knowledge", texts, log_dir)
    figures["cities"] = len(cities)
    return figures


def _variants(cases: list[dict[str, Any]]) -> list[str]:
    return sorted({c["variant"] for c in cases})


def _share(values: Any) -> float | None:
    items = list(values)
    return round(sum(1 for v in items if v) / len(items), 3) if items else None


def parse_main(model: str, cases_file: str) -> None:
    """Child process: parse each held-out question with the model; one JSON line on stdout."""
    sys.path.insert(0, str(REPO_ROOT))  # `actions` is a folder of the repository, not a package
    from rasa.core.agent import Agent
    from rasa_sdk import Tracker

    from actions.resolve import resolve_city
    from citybot.kb import load_knowledge_base

    cases = json.loads(Path(cases_file).read_text(encoding="utf-8"))
    agent = Agent.load(model)
    kb = load_knowledge_base(Path(os.environ["CITYBOT_KNOWLEDGE"]))

    async def parse_all() -> list[dict[str, Any]]:
        rows = []
        for case in cases:
            started = time.perf_counter()
            parsed = await agent.parse_message(case["text"])
            ms = (time.perf_counter() - started) * 1000
            cities = [e.get("value") for e in parsed.get("entities", []) if e.get("entity") == "city"]
            # What the actions would answer about: the model's output, then the knowledge base's names.
            tracker = Tracker("scale", {}, parsed, [], False, None, {}, "action_listen")
            found = resolve_city(kb, tracker, use_slot=False)
            resolved = found.record.id if found.record is not None else None
            rows.append(
                {
                    "text": case["text"],
                    "intent": parsed["intent"]["name"],
                    "city_found": bool(cities),  # a city entity, whatever its value
                    "city_ok": cities == [case["city"]],  # the city's id itself (a known spelling's synonym)
                    "resolved_ok": resolved == case["city"],
                    "ms": ms,
                }
            )
        return rows

    rows = asyncio.run(parse_all())
    Path(model).with_suffix(".parsed.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(rows))


def markdown(rows: list[dict[str, Any]]) -> str:
    """The side-by-side table of docs/benchmarks.md."""

    def cell(row: dict[str, Any], *keys: str) -> str:
        value: Any = row
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return "not measured" if value is None else str(value)

    lines = [
        "| cities | measures | validate (s) | nlu generate (s) | NLU data (MiB) | full training (s) | model (MiB) "
        "| held-out city entity | held-out city resolved | held-out intent accuracy | reply p50 / p95 (ms) "
        "| RSS Rasa / actions (MiB) | hot reload (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['cities']} | {row['measures']} | {cell(row, 'validate_s')} | {cell(row, 'nlu_generate_s')} "
            f"| {cell(row, 'nlu_data_mib')} | {cell(row, 'train_s')} | {cell(row, 'model_mib')} "
            f"| {cell(row, 'recognition', 'all', 'city_recognised')} | {cell(row, 'recognition', 'all', 'city_resolved')} "
            f"| {cell(row, 'recognition', 'all', 'intent_accuracy')} "
            f"| {cell(row, 'serving', 'reply_ms', 'p50')} / {cell(row, 'serving', 'reply_ms', 'p95')} "
            f"| {cell(row, 'serving', 'memory', 'rasa_server', 'rss_mib')} "
            f"/ {cell(row, 'serving', 'memory', 'action_server', 'rss_mib')} | {cell(row, 'serving', 'hot_reload_s')} |"
        )
    return "\n".join(lines) + "\n"


def plot(rows: list[dict[str, Any]]) -> None:
    """Times and model size against N (matplotlib comes with Rasa)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["cities"] for r in rows]
    fig, (times, model) = plt.subplots(1, 2, figsize=(10, 4))
    for key, label in (("validate_s", "citybot kb validate"), ("nlu_generate_s", "citybot nlu generate"),
                       ("train_s", "rasa train (full)")):  # fmt: skip
        points = [(r["cities"], r[key]) for r in rows if r.get(key) is not None]
        if points:
            times.plot(*zip(*points, strict=True), marker="o", label=label)
    times.set(
        xlabel="cities in the knowledge base", ylabel="seconds", title="Time against knowledge-base size"
    )
    times.legend()
    points = [(r["cities"], r["model_mib"]) for r in rows if r.get("model_mib") is not None]
    if points:
        model.plot(*zip(*points, strict=True), marker="o", color="tab:red")
    model.set(xlabel="cities in the knowledge base", ylabel="MiB", title="Model size")
    for axis in (times, model):
        axis.set_xticks(sizes)
        axis.grid(alpha=0.3)
    fig.suptitle("citybot, generated knowledge bases (scripts/bench/scale/run.py; 2 shared cores)")
    fig.tight_layout()
    fig.savefig(PLOT, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100,300,1000", help="numbers of cities (default: %(default)s)")
    parser.add_argument("--no-train", action="store_true", help="validate and generate only")
    parser.add_argument("--questions", type=int, default=300, help="held-out questions per N; 0: none")
    parser.add_argument(
        "--reuse-models", action="store_true", help="keep the models (and training figures) of the run before"
    )
    parser.add_argument("--parse", nargs=2, metavar=("MODEL", "CASES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parse:
        parse_main(*args.parse)
        return
    gazetteer = generate_kb.read_gazetteer()
    before: dict[int, dict[str, Any]] = {}
    if args.reuse_models and (RESULTS_DIR / "scale.json").exists():
        before = {r["cities"]: r for r in json.loads((RESULTS_DIR / "scale.json").read_text())["scale"]}
    rows: list[dict[str, Any]] = []
    payload: dict[str, Any] = {"machine": machine_info(), "command": COMMAND, "scale": rows}
    if not args.no_train and args.questions:
        print("reference bot (knowledge/, models/citybot.tar.gz) ...", flush=True)
        payload["reference"] = reference_serving(SCALE_DIR / "logs" / "serve-reference")
    for count in (int(n) for n in args.sizes.split(",")):
        print(f"N = {count} ...", flush=True)
        rows.append(measure(count, not args.no_train, args.questions, gazetteer, before.get(count, {})))
        print(f"  {json.dumps(rows[-1])}", flush=True)
        write_result("scale", payload)
        (RESULTS_DIR / "scale.md").write_text(markdown(rows), encoding="utf-8")
        plot(rows)
    print(markdown(rows))


if __name__ == "__main__":
    main()
