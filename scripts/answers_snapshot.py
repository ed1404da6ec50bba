"""Record what the bot answers to every evaluation question, and compare two such records.

A refactoring must not change a single reply. Unit tests check the cases someone thought of;
this replays every question of the NLU evaluation sets (held-out and blind, both languages)
through the real servers and keeps each reply's text and buttons, so two commits can be compared
reply by reply:

    .venv/bin/python scripts/answers_snapshot.py record results/answers-before.json
    ... change the code ...
    .venv/bin/python scripts/answers_snapshot.py record results/answers-after.json
    .venv/bin/python scripts/answers_snapshot.py compare results/answers-before.json results/answers-after.json

Each question is asked twice: alone, in a new conversation, and in a running conversation that
asks the whole file in order (so follow-ups, kept slots and session roll-overs are replayed too).
The model is `models/citybot.tar.gz` unless `CITYBOT_MODEL` names another one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import servers  # noqa: E402 - tests/servers.py: starting and stopping the real servers

QUESTION_FILES = ["tests/nlu/en.yml", "tests/nlu/fr.yml", "tests/nlu/blind/en.yml", "tests/nlu/blind/fr.yml"]
#: "[Évry]{"entity": ...}" and "[Évry](city)" annotations: keep only the words the user typed.
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")
Turn = dict[str, Any]


def questions(path: Path) -> list[str]:
    """The example sentences of a Rasa NLU file, without their entity annotations."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for block in data.get("nlu") or []:
        for line in (block.get("examples") or "").splitlines():
            if line.strip().startswith("- "):
                found.append(_ANNOTATION.sub(r"\1", line.strip()[2:]))
    return found


def ask(url: str, sender: str, text: str) -> Turn:
    """One turn through the REST channel: the replies' texts and buttons, as the user sees them."""
    status, body = servers.http_post_json(f"{url}/webhooks/rest/webhook", {"sender": sender, "message": text})
    replies = json.loads(body) if status == 200 else [{"text": f"HTTP {status}"}]
    shown = [{"text": r.get("text"), "buttons": r.get("buttons")} for r in replies]
    return {"sender": sender, "text": text, "replies": shown}


def conversation(url: str, name: str, texts: list[str]) -> list[Turn]:
    return [ask(url, name, text) for text in texts]


def record(output: Path) -> int:
    model = servers.find_model()
    if model is None:
        print("no trained model: run `make train` first", file=sys.stderr)
        return 2
    sets = {name: questions(ROOT / name) for name in QUESTION_FILES}
    with tempfile.TemporaryDirectory() as logs:
        stack = servers.start_stack(model, Path(logs))
        try:
            turns = _replay(stack.rasa_url, sets)
        finally:
            stack.stop()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(turns, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(turns)} turns recorded in {output} (model {model})")
    return 0


def _replay(url: str, sets: dict[str, list[str]]) -> list[Turn]:
    alone = [(f"alone:{name}:{i}", [text]) for name, texts in sets.items() for i, text in enumerate(texts)]
    running = [(f"running:{name}", texts) for name, texts in sets.items()]
    with ThreadPoolExecutor(4) as pool:
        results = pool.map(lambda job: conversation(url, *job), alone + running)
        return [turn for turns in results for turn in turns]


def compare(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    if [(t["sender"], t["text"]) for t in old] != [(t["sender"], t["text"]) for t in new]:
        print("the two records did not ask the same questions: record both with this script's version")
        return 2
    changed = [(o, n) for o, n in zip(old, new, strict=True) if o["replies"] != n["replies"]]
    for o, n in changed[:20]:
        print(f"{o['sender']}: {o['text']!r}\n  before: {o['replies']}\n  after:  {n['replies']}")
    print(f"{len(changed)} of {len(old)} turns answered differently")
    return 1 if changed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("record", help="replay every question, write the replies").add_argument(
        "output", type=Path
    )
    diff = commands.add_parser("compare", help="list the turns whose replies differ (exit 1 if any)")
    diff.add_argument("before", type=Path)
    diff.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    return record(args.output) if args.command == "record" else compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
