"""Property: every custom action answers any message, entities and slots with a real reply.

An action never lets an exception out (its catch-all answers `utter_technical_problem`), so
"never raises" is checked as: that catch-all never fires, something is said, every message
renders with Rasa's own NLG with every placeholder of its response filled by the action (the user's
own "{" may of course be echoed), and the events are well-formed. Run through tests/action_harness.py, as the action server runs them.
"""

from __future__ import annotations

import json

from action_harness import render, run
from hostile import hostile_text, json_value, property_settings
from hypothesis import given
from hypothesis import strategies as st
from rasa_sdk import Tracker

from actions.notices import ANSWER_ACTIONS, AnswerWithNotice

ACTIONS = [*ANSWER_ACTIONS.values(), AnswerWithNotice()]
SLOTS = ("city", "topic", "organisation", "language", "last_question", "webinar_date")
ENTITIES = ("city", "topic", "organisation", "webinar_date", "language")


@st.composite
def conversations(draw):
    """A tracker whose latest message, entities and slots are anything a client could cause."""
    text = draw(hostile_text)
    found = []
    for _ in range(draw(st.integers(0, 3))):
        start, end = sorted(draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=2)))
        found.append(
            {
                "entity": draw(st.sampled_from(ENTITIES)),
                "value": draw(st.one_of(st.just(text[start:end]), json_value)),
                "start": draw(st.one_of(st.just(start), json_value)),
                "end": draw(st.one_of(st.just(end), json_value)),
            }
        )
    slots = {name: draw(st.one_of(json_value, hostile_text)) for name in SLOTS}
    if draw(st.booleans()):
        slots["language"] = draw(st.sampled_from(["en", "fr"]))
    latest = {
        "text": draw(st.one_of(st.just(text), json_value)),
        "intent": {
            "name": draw(st.sampled_from(["ask_city_topic", "inform", "nlu_fallback"])),
            "confidence": 0.9,
        },
        "entities": found,
        "language_guess": draw(json_value),
        "metadata": draw(json_value),
        "truncated": draw(json_value),
    }
    # Slots Rasa set from this message (its mappings): the actions turn names into ids.
    events = [{"event": "user", "text": text}] + [
        {"event": "slot", "name": name, "value": slots[name]}
        for name in draw(st.lists(st.sampled_from(SLOTS)))
    ]
    return Tracker("prop", slots, latest, events, False, None, {}, "action_listen")


@property_settings(200)
@given(st.sampled_from(ACTIONS), conversations())
def test_every_action_answers_anything_with_a_rendered_reply(action, tracker):
    said, events = run(action, tracker)
    assert said, f"{action.name()} said nothing"
    assert "utter_technical_problem" not in [s.response for s in said], f"{action.name()} failed"
    lang = tracker.get_slot("language") if tracker.get_slot("language") in ("en", "fr") else None
    for message in said:
        assert message.text.strip(), message
        if message.response:  # every placeholder of the response is filled by the action
            plain = render({"response": message.response, **dict.fromkeys(message.values, "X")}, lang or "en")
            assert "{" not in plain.text, (message.response, plain.text)
    for event in events:
        assert isinstance(event, dict) and isinstance(event.get("event"), str)
        json.dumps(event)  # sent back to Rasa as JSON
