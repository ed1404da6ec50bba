#!/usr/bin/env python
"""Issue 16: what the torn-classifier rule (actions/ambiguity.py) does on held-out questions.

Parses the held-out NLU sets (tests/nlu/en.yml, fr.yml; never trained on) with the trained model,
keeps the messages the FallbackClassifier turned into `nlu_fallback`, and counts, for several
values of `MIN_READING_CONFIDENCE`, how many the rule answers with the right intent (the likelier
reading), how many get the right intent as the offered button, and how many get a wrong answer;
the rest keep the fallback (whose own answer uses the entities: a city or topic named is still
answered). Prints a Markdown table for docs/benchmarks.md.

    .venv/bin/python scripts/evaluate_ambiguity.py [models/citybot.tar.gz]
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data

from actions.ambiguity import MIN_READING_CONFIDENCE, OFFERED_READINGS, torn_readings
from actions.notices import ANSWER_ACTIONS, rule_answers

ROOT = Path(__file__).resolve().parent.parent
SETS = {"en": ROOT / "tests" / "nlu" / "en.yml", "fr": ROOT / "tests" / "nlu" / "fr.yml"}
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3)


async def fallbacks(model: str) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Per language, (true intent, parse data) of each held-out message parsed as nlu_fallback."""
    agent = Agent.load(model)
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for lang, path in SETS.items():
        found[lang] = []
        for example in load_data(str(path)).intent_examples:
            parsed = await agent.parse_message(example.get("text"))
            if parsed["intent"]["name"] == "nlu_fallback":
                found[lang].append((example.get("intent"), parsed))
    return found


def main(argv: list[str]) -> int:
    model = argv[0] if argv else str(ROOT / "models" / "citybot.tar.gz")
    found = asyncio.run(fallbacks(model))
    answers, actions = rule_answers(), set(ANSWER_ACTIONS)
    print(
        "Held-out messages parsed as nlu_fallback: "
        + ", ".join(f"{lang} {len(v)}" for lang, v in found.items())
    )
    print(
        "\n| min confidence | language | torn | likelier right | other right (offered as a button) | neither | fallback kept |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    for threshold in THRESHOLDS:
        for lang, items in found.items():
            score: Counter[str] = Counter()
            for intent, parsed in items:
                readings = torn_readings(parsed, answers, actions, threshold)
                if readings is None:
                    score["kept"] += 1
                elif readings.likelier == intent:
                    score["likelier"] += 1
                elif readings.other == intent and readings.other in OFFERED_READINGS:
                    score["other"] += 1
                else:
                    score["neither"] += 1
            torn = len(items) - score["kept"]
            print(
                f"| {threshold} | {lang} | {torn} | {score['likelier']} | {score['other']} | "
                f"{score['neither']} | {score['kept']} |"
            )
    print(f"\nAt {MIN_READING_CONFIDENCE} (the setting), each message: true intent <- the two best readings")
    for lang, items in found.items():
        for intent, parsed in items:
            best = [
                (i["name"], round(i["confidence"], 2))
                for i in parsed["intent_ranking"]
                if i["name"] != "nlu_fallback"
            ][:2]
            torn = torn_readings(parsed, answers, actions) is not None
            print(f"- {lang} {'torn' if torn else 'kept'}: {parsed['text']!r}: {intent} <- {best}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
