"""The cluster test's verdict on one stored conversation (scripts/bench/cluster/run.py), without a
cluster: the tracker is compared with what its user saw, and a fault may fall anywhere in a turn.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

RUN = Path(__file__).resolve().parents[1] / "scripts" / "bench" / "cluster" / "run.py"
_spec = importlib.util.spec_from_file_location("cluster_run", RUN)
assert _spec and _spec.loader
run = importlib.util.module_from_spec(_spec)
sys.modules["cluster_run"] = run  # its dataclasses look their module up there
_path = list(sys.path)
_spec.loader.exec_module(run)
sys.path[:] = _path  # it puts its own folder first: another script's `run` must stay findable

TURNS = {
    "en": [
        [
            {"text": "What has Évry done for vulnerable families?", "city": "evry-courcouronnes"},
            {"text": "And Chefchaouen?", "city": "chefchaouen"},
            {"text": "What about masks?", "city": "chefchaouen"},
        ]
    ]
}


def seen(*turns: int) -> list[dict[str, Any]]:
    """The user's records: one answered turn per index."""
    return [{"lang": "en", "variant": 0, "kind": "turn", "turn": t, "outcome": "ok"} for t in turns]


def stored(texts: list[str], city: str, answered: bool = True) -> dict[str, Any]:
    return {
        "messages": [{"text": text, "answered": answered} for text in texts],
        "language": "en",
        "city": city,
    }


def check(records: list[dict[str, Any]], tracker: dict[str, Any]) -> list[str]:
    return run.check_conversation("c", records, tracker, TURNS)


def test_a_tracker_holding_what_the_user_saw_is_complete():
    texts = [turn["text"] for turn in TURNS["en"][0][:2]]
    assert check(seen(0, 1), stored(texts, "chefchaouen")) == []


def test_an_answer_stored_but_never_seen_counts_with_its_city():
    """The fault fell after the tracker's save: the second turn's city is the tracker's."""
    texts = [turn["text"] for turn in TURNS["en"][0][:2]]
    assert check(seen(0), stored(texts, "chefchaouen")) == []


def test_a_city_slot_behind_the_last_stored_answer_is_a_problem():
    texts = [turn["text"] for turn in TURNS["en"][0][:2]]
    assert check(seen(0), stored(texts, "evry-courcouronnes")) == [
        "c: city slot 'evry-courcouronnes', last answer about 'chefchaouen'"
    ]


def test_a_turn_the_user_saw_but_the_tracker_lost_is_a_problem():
    texts = [TURNS["en"][0][0]["text"]]
    problems = check(seen(0, 1), stored(texts, "evry-courcouronnes"))
    assert problems[0].startswith("c: stored messages")
    assert problems[1] == "c: city slot 'evry-courcouronnes', last answer about 'chefchaouen'"


def test_a_stored_message_without_an_answer_is_a_problem():
    texts = [turn["text"] for turn in TURNS["en"][0][:2]]
    assert check(seen(0, 1), stored(texts, "chefchaouen", answered=False))[0].startswith(
        "c: stored messages without a bot answer"
    )
