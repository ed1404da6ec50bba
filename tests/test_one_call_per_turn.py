"""A turn calls the action server at most once, and static answers not at all.

Each call adds about 7 ms to a turn (docs/benchmarks.md, "One action-server call per turn"), so
the design keeps it to one: the language slot is set in the Rasa server, and a message that calls
for a notice gets one action that says the notice and answers. This replays real conversations
through the running servers and counts, in the stored tracker, the custom actions run after each
user message.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
import yaml
from servers import http_post_json

from citybot.channels.conversation_ids import conversation_id

pytestmark = [pytest.mark.model, pytest.mark.server]

CUSTOM_ACTIONS = set(
    yaml.safe_load((Path(__file__).resolve().parents[1] / "bot" / "domain.yml").read_text(encoding="utf-8"))[
        "actions"
    ]
)

CONVERSATION = [
    "hello",
    "What is Mayo-Baléo doing about schooling?",
    "and Chefchaouen?",
    "merci !",
    "que fait Évry-Courcouronnes pour les repas ?",
    "Was hat Chefchaouen für die Schulen gemacht?",  # third language: a notice, then the answer
    "who moderated the webinar?",
    "which cities distributed meals? " + " ".join(["please"] * 200),  # shortened: a notice, then the answer
    "/switch_language" + '{"language": "en"}',
    "bye",
]
STATIC = {"hello", "merci !", "bye", '/switch_language{"language": "en"}'}


def custom_actions_per_turn(events: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """(user text, custom actions run before the next user message), for each user message."""
    turns: list[tuple[str, list[str]]] = []
    for event in events:
        if event.get("event") == "user":
            turns.append((event.get("text") or "", []))
        elif event.get("event") == "action" and turns and event.get("name") in CUSTOM_ACTIONS:
            turns[-1][1].append(event["name"])
    return turns


def test_every_turn_makes_at_most_one_action_server_call(stack):
    sender = f"one-call-{secrets.token_hex(4)}"
    for text in CONVERSATION:
        status, _ = http_post_json(
            f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}
        )
        assert status == 200, text
    turns = custom_actions_per_turn(stack.tracker(conversation_id("rest", sender))["events"])
    assert [text for text, _ in turns] == CONVERSATION
    for text, actions in turns:
        assert len(actions) <= 1, f"{text!r} ran {actions}"
        if text in STATIC:
            assert actions == [], f"{text!r} needs no action server, ran {actions}"
        else:
            assert len(actions) == 1, f"{text!r} should be answered from the knowledge base"
    noticed = dict(turns)
    assert noticed[CONVERSATION[5]] == ["action_answer_with_notice"]
    assert noticed[CONVERSATION[7]] == ["action_answer_with_notice"]
