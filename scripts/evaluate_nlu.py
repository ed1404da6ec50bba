#!/usr/bin/env python
"""Evaluate the trained NLU model on the examples of tests/nlu/ that it never saw, per language.

    .venv/bin/python scripts/evaluate_nlu.py [--model models] [--lang en --lang fr] [--out results]

Three sets, because one was not enough to trust the figure:
- held-out (tests/nlu/<lang>.yml): its errors guided the training data written in later sessions,
  so it has become a development set and its figure is somewhat optimistic;
- blind (tests/nlu/blind/<lang>.yml): written once by someone who saw neither the training data
  nor the held-out set, and never used to choose anything. Nobody looks at its errors to write
  training data; when it has been used that way, write a new blind set.
- new-cities (tests/nlu/new_cities/<lang>.yml): questions about the cities added in issue 12,
  written blind like the blind set, a third with typos and a third without accents or in lower
  case. Its errors are not printed either. Besides intent accuracy and city F1 it measures what
  users feel: the share of questions whose city ends up resolved to the right city id by the
  actions (`actions.resolve.resolve_city`: entities, synonyms, then the knowledge base's fuzzy
  name index) from the model's output, with the knowledge base given by --kb.
For each set and language runs `rasa test nlu` (reports in results/nlu-<set>-<lang>/), then prints
and writes (results/nlu-summary.md) the intent accuracy, the city/topic entity F1 and the
misclassified examples. First checks that no evaluation example appears in data/ (training on the
test set would make the figures meaningless).

Exit status: 0 when the targets are met on the held-out set (intent accuracy >= 97%, city and topic
F1 >= 95% in each language), 1 when not, 2 when evaluation examples leak into data/ or Rasa fails.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from citybot.kb.normalize import strip_accents

ROOT = Path(__file__).resolve().parent.parent
EVALUATION_DIR = ROOT / "tests" / "nlu"
JUDGED, BLIND, NEW_CITIES = "held-out", "blind", "new-cities"
#: Evaluation set -> folder of its <lang>.yml files. The targets are judged on JUDGED; the errors
#: of the blind sets (BLIND, NEW_CITIES) are never printed.
SETS = {JUDGED: EVALUATION_DIR, BLIND: EVALUATION_DIR / "blind", NEW_CITIES: EVALUATION_DIR / "new_cities"}
UNPRINTED = (BLIND, NEW_CITIES)
INTENT_TARGET = 0.97
ENTITY_TARGET = 0.95
TARGET_ENTITIES = ("city", "topic")
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")


# ----- reading NLU YAML without Rasa (fast, and also used for data/) ---------------------------


def plain_text(example: str) -> str:
    """The user's text of an annotated example: "[Évry]{...} schools" -> "Évry schools"."""
    return _ANNOTATION.sub(r"\1", example).strip()


def _key(text: str) -> str:
    """What two examples must share to count as the same sentence: the words, whatever the case,
    accents, punctuation and spacing ("What's the GNLC?" = "whats the gnlc", "Évry" = "evry")."""
    letters = strip_accents(text.casefold())
    return " ".join(re.sub(r"[\W_]+", " ", letters.replace("'", "").replace("’", "")).split())


def nlu_examples(path: Path) -> Iterator[tuple[str, str]]:
    """(intent, plain text) of every example of a Rasa NLU YAML file; nothing for other files."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return
    if not isinstance(data, dict) or not isinstance(data.get("nlu"), list):
        return
    for item in data["nlu"]:
        if isinstance(item, dict) and "intent" in item and isinstance(item.get("examples"), str):
            for line in item["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield str(item["intent"]), plain_text(line[2:])


def leaks(evaluation_files: list[Path], data_dir: Path) -> list[str]:
    """Evaluation examples that appear in the training data (ignoring case, accents, punctuation, spaces)."""
    trained = {}
    for path in sorted(data_dir.rglob("*.yml")):
        for intent, text in nlu_examples(path):
            trained.setdefault(_key(text), (path, intent))
    found = []
    for test_file in evaluation_files:
        for intent, text in nlu_examples(test_file):
            if _key(text) in trained:
                path, trained_intent = trained[_key(text)]
                found.append(
                    f"{_shown(test_file)}: {text!r} ({intent}) is also in {_shown(path)} ({trained_intent})"
                )
    return found


def without_trained(test_file: Path, data_dir: Path, out_file: Path) -> int:
    """Write `test_file` without its examples that equal a training example to `out_file`; returns
    how many were left out.

    For the new-cities set: the generator fills its templates with every city of the knowledge
    base, so "Tell me about Goyang" may be generated word for word. Which ones depends on the
    knowledge base (names are walked round-robin), so they are left out of the measure rather than
    rewritten; the summary says how many.
    """
    trained = {_key(text) for path in sorted(data_dir.rglob("*.yml")) for _, text in nlu_examples(path)}
    kept, dropped = [], 0
    for line in test_file.read_text(encoding="utf-8").splitlines(keepends=True):
        stripped = line.strip()
        if (
            stripped.startswith("- ")
            and line.startswith("    ")
            and _key(plain_text(stripped[2:])) in trained
        ):
            dropped += 1
            continue
        kept.append(line)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text("".join(kept), encoding="utf-8")
    return dropped


def _shown(path: Path) -> str:
    """`path` relative to the repository when inside it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ----- running Rasa and reading its reports -----------------------------------------------------


@dataclass
class LanguageResult:
    """What one language's evaluation measured."""

    lang: str
    examples: int
    set_name: str
    intent_accuracy: float
    entity_f1: dict[str, float]
    entity_support: dict[str, int]
    intent_errors: list[dict] = field(default_factory=list)
    entity_errors: list[dict] = field(default_factory=list)
    #: (questions whose city the actions resolved to the annotated id, questions with a city), or None
    resolved: tuple[int, int] | None = None
    #: examples left out because they equal a (generated) training example
    dropped: int = 0

    def meets_targets(self) -> bool:
        return self.intent_accuracy >= INTENT_TARGET and all(
            self.entity_f1.get(e, 0.0) >= ENTITY_TARGET for e in TARGET_ENTITIES
        )


def run_rasa(model: Path, nlu_file: Path, out: Path) -> None:
    """`rasa test nlu` on one held-out file; raises RuntimeError with Rasa's output on failure."""
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "test",
        "nlu",
        "--model",
        str(model),
        "--nlu",
        str(nlu_file),
        "--out",
        str(out),
        "--no-plot",
        "--quiet",
    ]
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0 or not (out / "intent_report.json").is_file():
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )


def _entity_report(out: Path) -> tuple[dict, list[dict]]:
    """The entity report and errors of the extractor that found city/topic (DIETClassifier)."""
    for report in sorted(out.glob("*_report.json")):
        if report.name in ("intent_report.json", "response_selection_report.json"):
            continue
        data = json.loads(report.read_text(encoding="utf-8"))
        if any(entity in data for entity in TARGET_ENTITIES):
            errors_file = out / report.name.replace("_report.json", "_errors.json")
            errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.is_file() else []
            return data, errors
    return {}, []


def read_results(set_name: str, lang: str, out: Path) -> LanguageResult:
    """The figures of one `rasa test nlu` run, from its JSON reports."""
    intents = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    errors_file = out / "intent_errors.json"
    intent_errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.is_file() else []
    entities, entity_errors = _entity_report(out)
    support = int(intents.get("weighted avg", {}).get("support", 0))
    return LanguageResult(
        lang=lang,
        examples=support,
        set_name=set_name,
        intent_accuracy=float(intents.get("accuracy", 0.0)),
        entity_f1={
            e: float(v.get("f1-score", 0.0))
            for e, v in entities.items()
            if isinstance(v, dict) and "f1-score" in v and not e.endswith("avg")
        },
        entity_support={
            e: int(v.get("support", 0))
            for e, v in entities.items()
            if isinstance(v, dict) and "support" in v and not e.endswith("avg")
        },
        intent_errors=intent_errors,
        entity_errors=entity_errors,
    )


# ----- what the actions make of the model's output (new-cities) --------------------------------


def annotated_cities(path: Path) -> list[tuple[str, str]]:
    """(plain text, city id) of every example of `path` that annotates a city (its first one)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for item in data.get("nlu", []):
        for line in str(item.get("examples", "")).splitlines():
            line = line.strip()
            if not line.startswith("- "):
                continue
            for match in re.finditer(r"\[([^\]]*)\]\{([^}]*)\}", line[2:]):
                annotation = json.loads("{" + match.group(2) + "}")
                if annotation.get("entity") == "city":
                    found.append((plain_text(line[2:]), str(annotation.get("value") or match.group(1))))
                    break
    return found


class Resolver:
    """The trained model's parse of a message, then the actions' `resolve_city` on it."""

    def __init__(self, model: Path, kb_dir: Path):
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))  # `actions` is a folder of the repository, not a package
        os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
        import asyncio

        from rasa.core.agent import Agent

        from citybot.kb import load_knowledge_base

        self._loop = asyncio.new_event_loop()
        self._agent = Agent.load(str(model))
        self._kb = load_knowledge_base(kb_dir)

    def city_id(self, text: str) -> str | None:
        """The id of the city the actions would answer about for `text` (a first message), or None."""
        from rasa_sdk import Tracker

        from actions.resolve import resolve_city

        parsed = self._loop.run_until_complete(self._agent.parse_message(text))
        tracker = Tracker("evaluate", {}, parsed, [], False, None, {}, "action_listen")
        found = resolve_city(self._kb, tracker, use_slot=False)
        return found.record.id if found.record is not None else None

    def score(self, nlu_file: Path) -> tuple[int, int]:
        """(questions resolved to their annotated city, questions annotating a city) of `nlu_file`."""
        questions = annotated_cities(nlu_file)
        return sum(self.city_id(text) == city for text, city in questions), len(questions)


# ----- the summary ------------------------------------------------------------------------------


def summary(results: list[LanguageResult], model: Path, kb_dir: Path = ROOT / "knowledge") -> str:
    when = datetime.datetime.fromtimestamp(model.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    lines = [
        f"NLU evaluation on examples never trained on (model: {_shown(model)}, trained {when})",
        "",
        "| set | language | examples | intent accuracy | city F1 | topic F1 | organisation F1 | city resolved | targets met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:

        def f1(entity: str, r: LanguageResult = r) -> str:
            return f"{r.entity_f1[entity]:.1%}" if entity in r.entity_f1 else "n/a"

        resolved = (
            f"{r.resolved[0] / r.resolved[1]:.1%} ({r.resolved[0]}/{r.resolved[1]})" if r.resolved else "n/a"
        )
        lines.append(
            f"| {r.set_name} | {r.lang} | {r.examples} | {r.intent_accuracy:.1%} | {f1('city')} | {f1('topic')} | "
            f"{f1('organisation')} | {resolved} | {'yes' if r.meets_targets() else 'NO'} |"
        )
    lines += [
        "",
        f"Targets: intent accuracy >= {INTENT_TARGET:.0%}, city and topic F1 >= {ENTITY_TARGET:.0%}.",
        f"City resolved (new-cities): the city the actions resolve from the model's output is the "
        f"annotated one (knowledge base: {_shown(kb_dir)}).",
    ]
    for r in results:
        if r.dropped:
            lines.append(
                f"new-cities {r.lang}: {r.dropped} examples left out because the generator wrote them word for word."
            )
    for r in results:
        if r.set_name in UNPRINTED:  # their errors are not shown, so that nobody tunes on them
            continue
        if r.intent_errors:
            lines += ["", f"Misclassified intents ({r.set_name}, {r.lang}, {len(r.intent_errors)}):"]
            for e in r.intent_errors:
                predicted = e.get("intent_prediction") or {}
                lines.append(
                    f"- {e.get('text')!r}: expected {e.get('intent')}, got {predicted.get('name')} "
                    f"({float(predicted.get('confidence') or 0):.2f})"
                )
        if r.entity_errors:
            lines += ["", f"Entity errors ({r.set_name}, {r.lang}, {len(r.entity_errors)}):"]
            for e in r.entity_errors:
                expected = [(x.get("entity"), x.get("value")) for x in e.get("entities", [])]
                got = [(x.get("entity"), x.get("value")) for x in e.get("predicted_entities", [])]
                lines.append(f"- {e.get('text')!r}: expected {expected}, got {got}")
    return "\n".join(lines)


def newest_model(folder: Path) -> Path | None:
    """The newest model in `folder`, as `rasa run` picks it (rasa.model.get_latest_model)."""
    from rasa.model import get_latest_model

    found = get_latest_model(str(folder)) if folder.is_dir() else None
    return Path(found) if found else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--model",
        type=Path,
        default=ROOT / "models",
        help="model file, or folder whose latest model is used (default: models/)",
    )
    parser.add_argument("--lang", action="append", choices=("en", "fr"), help="default: en and fr")
    parser.add_argument("--out", type=Path, default=ROOT / "results")
    parser.add_argument(
        "--kb",
        type=Path,
        default=ROOT / "knowledge",
        help="knowledge base the actions resolve the new-cities set's cities with (default: knowledge/)",
    )
    parser.add_argument("--set", action="append", choices=tuple(SETS), dest="sets", help="default: all three")
    args = parser.parse_args(argv)
    langs = args.lang or ["en", "fr"]
    sets = args.sets or list(SETS)
    runs = [
        (name, lang, folder / f"{lang}.yml")
        for name, folder in SETS.items()
        if name in sets
        for lang in langs
    ]

    filtered = {}
    for set_name, lang, nlu_file in runs:
        if set_name == NEW_CITIES:
            kept = args.out / f"new-cities-{lang}.yml"
            filtered[lang] = (kept, without_trained(nlu_file, ROOT / "data", kept))
    runs = [(n, lang, filtered[lang][0] if n == NEW_CITIES else f) for n, lang, f in runs]
    leaked = leaks([nlu_file for _, _, nlu_file in runs], ROOT / "data")
    if leaked:
        print("Evaluation examples found in the training data (remove them from data/):", *leaked, sep="\n  ")
        return 2
    model = args.model if args.model.is_file() else newest_model(args.model)
    if model is None:
        print(f"No trained model in {args.model}: run `make train` first.")
        return 2
    results = []
    for set_name, lang, nlu_file in runs:
        out = args.out / f"nlu-{set_name}-{lang}"
        try:
            run_rasa(model, nlu_file, out)
        except RuntimeError as error:
            print(error)
            return 2
        results.append(read_results(set_name, lang, out))
    resolver = Resolver(model, args.kb) if any(r.set_name == NEW_CITIES for r in results) else None
    for r in results:
        if resolver is not None and r.set_name == NEW_CITIES:
            r.resolved = resolver.score(filtered[r.lang][0])
            r.dropped = filtered[r.lang][1]
    text = summary(results, model, args.kb)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "nlu-summary.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    judged = [r for r in results if r.set_name == JUDGED]
    return 0 if all(r.meets_targets() for r in judged) else 1


if __name__ == "__main__":
    sys.exit(main())
