#!/usr/bin/env python
"""Issue 16: does a greeting or thanks with a question get the question's intent? Parses
tests/nlu/greeting_questions.yml with one or more trained models and prints the share right per
language (a Markdown table for docs/benchmarks.md) and each miss.

    .venv/bin/python scripts/evaluate_greetings.py models/citybot.tar.gz [other-model.tar.gz ...]
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import yaml
from rasa.core.agent import Agent

CASES = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "greeting_questions.yml"


async def misses(model: str, cases: dict[str, list[list[str]]]) -> dict[str, list[str]]:
    """Per language, the messages whose parsed intent is not the expected one."""
    agent = Agent.load(model)
    wrong: dict[str, list[str]] = {}
    for lang, items in cases.items():
        wrong[lang] = []
        for text, expected in items:
            parsed = await agent.parse_message(text)
            if parsed["intent"]["name"] != expected:
                wrong[lang].append(f"{text!r}: {parsed['intent']['name']} (expected {expected})")
    return wrong


def main(models: list[str]) -> int:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    print("| model | " + " | ".join(cases) + " |\n|---|" + "---:|" * len(cases))
    details = []
    for model in models:
        wrong = asyncio.run(misses(model, cases))
        cells = [f"{len(cases[lang]) - len(wrong[lang])}/{len(cases[lang])}" for lang in cases]
        print(f"| {model} | " + " | ".join(cells) + " |")
        details += [f"- {model}: {line}" for lines in wrong.values() for line in lines]
    print("\n".join(["", "Misses:", *details]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["models/citybot.tar.gz"]))
