"""Issue 16's follow-up: a requested language holds across the new conversation session that a long
conversation starts after `MAX_SESSION_TURNS` messages (actions/session.py).

The real servers (shared stack, REST channel, SQLite tracker store, which returns only the current
session to Rasa): « réponds en français », more messages than a session holds, some of them
English-looking keywords, then a keyword question that looks English. The unit level, with the
policy and the action server on the same events: tests/test_language_hold.py.
"""

from __future__ import annotations

import time

import pytest
from test_dialogue_stack import language_of, text_of, turn

from actions.session import MAX_SESSION_TURNS

pytestmark = [pytest.mark.server, pytest.mark.model]

#: What fills the first session after the request: French questions and keywords that the detector
#: reads as English, none of them a clear English sentence (which would end the hold).
FILLERS = ("Qu'a fait Osan pour les masques ?", "Osan masks", "Et Chefchaouen ?", "Goyang testing?")


def test_a_requested_language_holds_after_the_session_rolls_over(stack):
    user = f"hold-rollover-{time.time_ns()}"
    turn(stack, user, "réponds en français s'il te plaît")
    for index in range(MAX_SESSION_TURNS):
        filler = FILLERS[index % len(FILLERS)]
        reply = turn(stack, user, filler)
        assert language_of(reply) == "fr", (index, filler, text_of(reply))
    tracker = stack.tracker(f"rest:{user}")
    rolled = [e for e in tracker["events"] if e["event"] == "session_started"]
    assert len(rolled) == 2, "no new session: the test no longer crosses a rollover"
    carried = [e for e in tracker["events"] if e["event"] == "slot" and e["name"] == "language_held"]
    assert [e["value"] for e in carried] == ["fr"]
    reply = turn(stack, user, "Goyang masks")
    assert language_of(reply) == "fr", text_of(reply)
    assert stack.tracker(f"rest:{user}")["slots"]["language"] == "fr"
