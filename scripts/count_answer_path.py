"""Count the modules of `actions/` one answer crosses, from the action's `answer` to the text
handed to the dispatcher (the measure of docs/architecture.md, "The path of a fact").

It runs `action_answer_city_topic` on "What is Mayo-Baléo doing about schooling?" (a tracker
built as the action tests build theirs, with the entities and slots the NLU gives that question)
under `sys.settrace`, and follows which file of `actions/` the running code is in. A *stay* is
an unbroken visit to one module (calls into `citybot` or rasa-sdk and back do not break it); a
*return* is a stay in a module already left once (stays - modules).

    .venv/bin/python scripts/count_answer_path.py            # the answer, as counted in the docs
    .venv/bin/python scripts/count_answer_path.py --run      # the whole `run` (language, slot ids, session)

The action is found by its name through rasa-sdk's own registry (`ActionExecutor`), so the script
does not depend on which module defines it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

ACTIONS_DIR = Path(__file__).resolve().parent.parent / "actions"
ACTION_NAME = "action_answer_city_topic"
QUESTION = "What is Mayo-Baléo doing about schooling?"


def question_tracker() -> Tracker:
    """The tracker the action server receives for QUESTION: entities, slots filled from them."""
    city, topic = "Mayo-Baléo", "schooling"
    entities = [
        _entity("city", "mayo-baleo", city),  # the NLU's synonym maps the name to the id
        _entity("topic", "schooling", topic),
    ]
    latest = {
        "text": QUESTION,
        "intent": {"name": "ask_city_topic", "confidence": 1.0},
        "entities": entities,
        "language_guess": {"code": "en", "confidence": 0.99, "explicit": False},
    }
    slots = {"language": "en", "city": "mayo-baleo", "topic": "schooling"}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": QUESTION, "parse_data": latest},
        {"event": "slot", "name": "city", "value": "mayo-baleo"},
        {"event": "slot", "name": "topic", "value": "schooling"},
    ]
    return Tracker("count-answer-path", slots, latest, events, False, None, {}, "action_listen")


def _entity(name: str, value: str, surface: str) -> dict[str, Any]:
    start = QUESTION.index(surface)
    return {"entity": name, "value": value, "start": start, "end": start + len(surface)}


def module_of(frame: FrameType | None) -> str | None:
    """The module of `actions/` a frame runs in ("resolve"), or None for any other code."""
    if frame is None:
        return None
    path = Path(frame.f_code.co_filename)
    return path.stem if path.parent == ACTIONS_DIR else None


class PathRecorder:
    """Follows the current module of `actions/` while the window frame (`answer` or `run`) runs."""

    def __init__(self, action: object, window: str) -> None:
        self.action = action
        self.window = window
        self.window_frame: FrameType | None = None
        self.modules: list[str] = []

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call":
            if self.window_frame is None and self._is_window(frame):
                self.window_frame = frame
            if self.window_frame is not None:
                self._enter(module_of(frame))
        elif event == "return" and self.window_frame is not None:
            if frame is self.window_frame:
                self.window_frame = None
            else:
                self._enter(module_of(frame.f_back))
        return self.trace

    def _is_window(self, frame: FrameType) -> bool:
        return frame.f_code.co_name == self.window and frame.f_locals.get("self") is self.action

    def _enter(self, module: str | None) -> None:
        if module and (not self.modules or self.modules[-1] != module):
            self.modules.append(module)


def count(window: str) -> tuple[PathRecorder, list[dict[str, Any]]]:
    executor = ActionExecutor()
    executor.register_package("actions")
    action = executor.actions[ACTION_NAME].__self__
    recorder = PathRecorder(action, window)
    dispatcher = CollectingDispatcher()
    tracker = question_tracker()
    sys.settrace(recorder.trace)
    try:
        asyncio.run(action.run(dispatcher, tracker, {}))
    finally:
        sys.settrace(None)
    return recorder, dispatcher.messages


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--run", action="store_true", help="count the whole `run`, not only `answer`")
    parser.add_argument(
        "--actions-dir", type=Path, help="count another tree's actions/ (with that tree on PYTHONPATH)"
    )
    args = parser.parse_args()
    global ACTIONS_DIR
    ACTIONS_DIR = (args.actions_dir or ACTIONS_DIR).resolve()
    window = "run" if args.run else "answer"
    recorder, messages = count(window)
    stays = recorder.modules
    visited = list(dict.fromkeys(stays))
    print(f"{ACTION_NAME}.{window} on {QUESTION!r}")
    print(f"said: {[m.get('response') for m in messages]}")
    print(f"modules of actions/ visited ({len(visited)}): {', '.join(visited)}")
    for module in visited:
        print(f"  {module}: {stays.count(module)} stays")
    print(f"stays: {len(stays)}, returns: {len(stays) - len(visited)}")
    print("path: " + " > ".join(stays))
    return 0


if __name__ == "__main__":
    sys.exit(main())
