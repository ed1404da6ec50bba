#!/usr/bin/env python
"""Issue 16: does a right answer stay right when the question is typed a little differently?

    .venv/bin/python scripts/evaluate_robustness.py [--lang en --lang fr] [--change typo ...]
                                                    [--model models] [--misses]

Takes the questions of the retrieval parts whose errors may be read (open and dev*, never blind:
see scripts/evaluate_retrieval.py), keeps those the bot answers right as written (the first id it
says is one of the question's facts), then asks each of them again with one harmless change and
counts how many are no longer answered right. The changes are what people do when typing:

- lower: all in lower case;
- accents: without accents;
- punctuation: without the final question mark or full stop;
- typo: two neighbouring letters swapped in the middle of the longest word (7 letters or more);
- greeting: "Hi! " / « Bonjour ! » before it;
- polite: "Can you tell me …" / « Tu peux me dire … » around it;
- thanks: ", thanks!" / « , merci ! » after it.

`--small-talk BEFORE` checks the other side: the small-talk examples of data/nlu (greetings,
thanks, goodbyes, capabilities, out of scope, yes/no, language switches, "more"), parsed by the
BEFORE model and by the current one; it lists each example whose intent differs (leaving
courtesies out must not turn "thanks mate" into "mate").

A change that leaves the text as it was (no accent to drop, no long word) is not counted. The
bot answers as in evaluate_retrieval.py (the trained model's parse, then the answer action, in
this process). Prints a Markdown table for docs/benchmarks.md; `--misses` also lists each
question that changed answer. About 5 minutes per language on 2 cores.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import evaluate_retrieval as retrieval

Change = Callable[[str, str], str]


def _without_accents(text: str, lang: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def _swapped_letters(text: str, lang: str) -> str:
    """Two neighbouring letters swapped in the middle of the longest word of 7 letters or more."""
    long_words = re.findall(r"[^\W\d_]{7,}", text)
    if not long_words:
        return text
    word = max(long_words, key=len)
    middle = len(word) // 2
    return text.replace(word, word[:middle] + word[middle + 1] + word[middle] + word[middle + 2 :], 1)


def _polite(text: str, lang: str) -> str:
    return ("Can you tell me " if lang == "en" else "Tu peux me dire ") + text[:1].lower() + text[1:]


CHANGES: dict[str, Change] = {
    "lower": lambda text, lang: text.lower(),
    "accents": _without_accents,
    "punctuation": lambda text, lang: re.sub(r"[?!.\s]+$", "", text),
    "typo": _swapped_letters,
    "greeting": lambda text, lang: ("Hi! " if lang == "en" else "Bonjour ! ") + text,
    "polite": _polite,
    "thanks": lambda text, lang: (
        re.sub(r"[?!.\s]*$", "", text) + (", thanks!" if lang == "en" else ", merci !")
    ),
}


def readable_questions(lang: str) -> list[retrieval.Question]:
    """The questions of every part but blind, in that language."""
    found: list[retrieval.Question] = []
    for part, folder in retrieval.PARTS.items():
        path = folder / f"{lang}.yml"
        if part != retrieval.BLIND and path.is_file():
            found += retrieval.load_questions(path)
    return found


SMALL_TALK = (
    "greet",
    "thank",
    "goodbye",
    "bot_capabilities",
    "out_of_scope",
    "affirm",
    "deny",
    "switch_language",
    "ask_more",
)


def small_talk_examples() -> list[tuple[str, str]]:
    """(intent, text) of every small-talk example of data/nlu, entity annotations removed."""
    import yaml

    found = []
    for lang in ("en", "fr"):
        data = yaml.safe_load((retrieval.ROOT / "data" / "nlu" / f"{lang}.yml").read_text(encoding="utf-8"))
        for block in data.get("nlu") or []:
            if block.get("intent") in SMALL_TALK:
                for line in str(block.get("examples") or "").splitlines():
                    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip().removeprefix("- ").strip())
                    if text:
                        found.append((str(block["intent"]), text))
    return found


def small_talk_changes(before: Path, after: Path) -> list[str]:
    """The small-talk examples the two models classify differently."""
    import asyncio

    from rasa.core.agent import Agent

    models = (Agent.load(str(before)), Agent.load(str(after)))
    changed = []
    for intent, text in small_talk_examples():
        read = [asyncio.run(model.parse_message(text))["intent"]["name"] for model in models]
        if read[0] != read[1]:
            changed.append(f"- {intent}: {text!r} read {read[0]} before, {read[1]} now")
    return changed


def is_right(bot: retrieval.Bot, text: str, question: retrieval.Question) -> bool:
    said = bot.answer(text)[2]
    return retrieval.precision_at_1(said, question.facts) == 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--lang", action="append", choices=("en", "fr"), help="default: en and fr")
    parser.add_argument("--change", action="append", choices=tuple(CHANGES), help="default: all")
    parser.add_argument("--model", type=Path, default=retrieval.ROOT / "models")
    parser.add_argument("--misses", action="store_true", help="list the questions that changed answer")
    parser.add_argument(
        "--small-talk", type=Path, metavar="BEFORE", help="compare small talk with this model"
    )
    args = parser.parse_args(argv)
    model = args.model if args.model.is_file() else retrieval.newest_model(args.model)
    if model is None:
        print(f"No trained model in {args.model}: run `make train` first.")
        return 2
    if args.small_talk is not None:
        changed = small_talk_changes(args.small_talk, model)
        print(
            f"{len(changed)} of {len(small_talk_examples())} small-talk examples read otherwise:",
            *changed,
            sep="\n",
        )
        return 0
    bot = retrieval.Bot(model, retrieval.ROOT / "knowledge")
    changes = args.change or list(CHANGES)
    rows, lost = [], []
    for lang in args.lang or ["en", "fr"]:
        right = [q for q in readable_questions(lang) if is_right(bot, q.q, q)]
        cells = []
        for name in changes:
            changed = [(q, CHANGES[name](q.q, lang)) for q in right]
            changed = [(q, text) for q, text in changed if text != q.q]
            wrong = [(q, text) for q, text in changed if not is_right(bot, text, q)]
            lost += [f"- [{lang}, {name}] {text!r}: expected {', '.join(q.facts)}" for q, text in wrong]
            cells.append(f"{len(wrong)} of {len(changed)}")
        rows.append(f"| {lang} | {len(right)} | " + " | ".join(cells) + " |")
    print(f"Right answers lost to one change (model {model.name}):\n")
    print("| language | right as written | " + " | ".join(changes) + " |")
    print("|---|---:|" + "---:|" * len(changes))
    print("\n".join(rows))
    if args.misses:
        print("\n" + "\n".join(lost))
    return 0


if __name__ == "__main__":
    sys.exit(main())
