"""The two bots under test and how each gets its model.

``ours``: the project (models/, bot/, the action server in the loop).
``bare``: a stock ``rasa init --no-prompt`` bot, created and trained on this machine, the
baseline the issue compares us with. Both are trained with an empty Rasa cache when training
is measured, so "training time" means a full training, not a cached one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchkit import REPO_ROOT, WORK_DIR

RASA = str(Path(sys.executable).parent / "rasa")
BARE_DIR = WORK_DIR / "rasa-init-bot"
BENCH_MODELS_DIR = WORK_DIR / "models"
TRAIN_TIMEOUT_S = 3600


@dataclass
class BotSpec:
    """Everything needed to start one bot: model, channel and endpoint configuration."""

    name: str  # "ours" | "bare" | "baseline": the key used in results
    label: str  # how tables name it
    model: Path
    credentials: Path
    endpoints: Path | None  # None: tests/servers.py writes endpoints for our action server
    with_actions: bool
    env: dict[str, str] = field(default_factory=dict)
    root: Path = REPO_ROOT  # the checkout its servers run from (another one for the baseline)


def _rasa_env(cache_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    if cache_dir is not None:
        env["RASA_CACHE_DIRECTORY"] = str(cache_dir)  # empty cache: a full training
    return env


def _newest(folder: Path) -> Path | None:
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def _run_timed(args: list, cwd: Path, env: dict[str, str], log: Path) -> float:
    """Run a command to completion, its output to ``log``; seconds taken. Raises on failure."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(log, "wb") as out:
        result = subprocess.run(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=TRAIN_TIMEOUT_S
        )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{' '.join(args[:3])} failed ({result.returncode}); log {log}:\n{tail}")
    return round(seconds, 1)


def create_bare_bot(directory: Path = BARE_DIR) -> dict[str, Any]:
    """``rasa init --no-prompt`` in an empty folder (it trains the model too); time and size.

    ``rasa init`` copies the template (milliseconds) then trains, so its duration is the
    bare bot's full training time.
    """
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        seconds = _run_timed(
            [RASA, "init", "--no-prompt", "--init-dir", str(directory)],
            directory,
            _rasa_env(Path(cache)),
            WORK_DIR / "logs" / "train-bare.log",
        )
    model = _newest(directory / "models")
    if model is None:
        raise RuntimeError(f"rasa init left no model in {directory / 'models'}")
    facts = {
        "training_s": seconds,
        "model": str(model),
        "model_mib": _mib(model),
        "command": f"rasa init --no-prompt --init-dir {directory}",
    }
    (directory / "bench-training.json").write_text(json.dumps(facts, indent=2))
    return facts


def bare_bot_facts(directory: Path = BARE_DIR) -> dict[str, Any]:
    """The bare bot's training facts, creating and training it if it does not exist yet."""
    record = directory / "bench-training.json"
    if record.exists() and Path(json.loads(record.read_text())["model"]).exists():
        return json.loads(record.read_text())
    return create_bare_bot(directory)


def train_our_bot() -> dict[str, Any]:
    """A full ``rasa train`` of the project (empty cache) into var/bench/models; time and size."""
    BENCH_MODELS_DIR.mkdir(parents=True, exist_ok=True)
    args = [
        RASA,
        "train",
        "--config",
        "bot/config.yml",
        "--domain",
        "bot/domain.yml",
        "--data",
        "data",
        "--out",
        str(BENCH_MODELS_DIR),
        "--fixed-model-name",
        "citybot-bench",
        "--force",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        seconds = _run_timed(args, REPO_ROOT, _rasa_env(Path(cache)), WORK_DIR / "logs" / "train-ours.log")
    model = BENCH_MODELS_DIR / "citybot-bench.tar.gz"
    return {
        "training_s": seconds,
        "model": str(model),
        "model_mib": _mib(model),
        "command": "rasa train " + " ".join(args[2:]),
    }


def _mib(path: Path) -> float:
    return round(path.stat().st_size / 1024 / 1024, 1)


def our_model() -> Path | None:
    """``CITYBOT_MODEL``, else the bench's own freshly trained model, else the newest in models/."""
    if os.environ.get("CITYBOT_MODEL"):
        return Path(os.environ["CITYBOT_MODEL"])
    bench = BENCH_MODELS_DIR / "citybot-bench.tar.gz"
    candidates = [p for p in (bench, _newest(REPO_ROOT / "models")) if p is not None and p.exists()]
    return max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None


def our_spec(model: Path, test_endpoints: bool = False) -> BotSpec:
    """Our bot as deployed: bot/credentials.yml, bot/endpoints.yml, the action server.

    ``test_endpoints`` (or no bot/endpoints.yml yet) uses tests/servers.py's endpoints instead:
    our action server, in-memory tracker store, the same as the bare bot's store.
    """
    endpoints = REPO_ROOT / "bot" / "endpoints.yml"
    use_bot_endpoints = endpoints.exists() and not test_endpoints
    return BotSpec(
        "ours",
        "citybot",
        model,
        REPO_ROOT / "bot" / "credentials.yml",
        endpoints if use_bot_endpoints else None,
        with_actions=True,
    )


def bare_spec(directory: Path = BARE_DIR) -> BotSpec:
    """The ``rasa init`` bot with its own endpoints (no action server: its actions are commented out).

    Only the REST channel is enabled (its credentials also name the Rasa X channel, which needs
    a Rasa X server), the same channel the benchmark uses for our bot.
    """
    facts = bare_bot_facts(directory)
    credentials = directory / "bench-credentials.yml"
    credentials.write_text("rest: null\n")
    return BotSpec(
        "bare",
        "rasa init",
        Path(facts["model"]),
        credentials,
        directory / "endpoints.yml",
        with_actions=False,
    )


def baseline_spec(revision: str) -> BotSpec:
    """Our bot at another revision (say, main before a change), from its own checkout and model.

    A change's cost is only meaningful against the code it replaces, measured in the same run on
    the same machine state: the revision is checked out once into var/bench/baseline-<commit>
    (a detached git worktree), trained there once with its own data, and its servers run from
    that folder with it first on PYTHONPATH, so they import its `citybot` and `actions`.
    """
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    root = WORK_DIR / f"baseline-{commit[:10]}"
    if not root.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(root), commit], cwd=REPO_ROOT, check=True)
    env = {"PYTHONPATH": str(root), "CITYBOT_KNOWLEDGE": str(root / "knowledge")}
    model = root / "models" / "citybot.tar.gz"
    if not model.exists():
        print(f"training the baseline {commit[:10]} in {root} ...", flush=True)
        args = [RASA, "train", "--config", "bot/config.yml", "--domain", "bot/domain.yml", "--data", "data"]
        args += ["--out", "models", "--fixed-model-name", "citybot"]
        _run_timed(args, root, {**_rasa_env(), **env}, WORK_DIR / "logs" / "train-baseline.log")
    return BotSpec(
        "baseline",
        f"citybot at {commit[:10]}",
        model,
        root / "bot" / "credentials.yml",
        root / "bot" / "endpoints.yml",
        with_actions=True,
        env=env,
        root=root,
    )


def known_training_facts(names: list[str], measured: dict[str, Any]) -> dict[str, Any]:
    """Training facts without training again: the last measured ones where the model still
    exists, else at least the size of the model that will be used (training time unknown)."""
    facts: dict[str, Any] = {}
    for name in names:
        previous = measured.get(name, {})
        if previous.get("model") and Path(previous["model"]).exists():
            facts[name] = previous
        elif name == "bare" and (BARE_DIR / "bench-training.json").exists():
            facts[name] = json.loads((BARE_DIR / "bench-training.json").read_text())
        else:
            model = our_model() if name == "ours" else None
            facts[name] = {
                "training_s": None,
                "model": str(model) if model else None,
                "model_mib": _mib(model) if model else None,
            }
    return facts
