"""Long conversations: the answer to the MAX_SESSION_TURNS-th message of a session starts a new
conversation session (Rasa then loads and replays only that session), carrying every slot over.
The same with the real servers and PostgreSQL: tests/test_scaling.py."""

from __future__ import annotations

from typing import Any

from action_harness import entity, run, slot_events, tracker_for

from actions.city import AnswerCityTopic
from actions.general import AnswerFollowUp
from actions.session import MAX_SESSION_TURNS, session_events


def history(user_turns: int) -> list[dict[str, Any]]:
    """A session's events with `user_turns` user messages (the last one being answered)."""
    events: list[dict[str, Any]] = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "action", "name": "action_listen"},
    ]
    for index in range(user_turns):
        if index:
            events += [
                {"event": "action", "name": "action_answer_city_topic"},
                {"event": "bot", "text": "…"},
                {"event": "action", "name": "action_listen"},
            ]
        events.append({"event": "user", "text": f"question {index}"})
    return events


def test_short_sessions_go_on():
    tracker = tracker_for("x")
    tracker.events.extend(history(MAX_SESSION_TURNS - 1))
    assert session_events(tracker, []) == []


def test_the_last_answer_of_a_full_session_starts_a_new_one_with_every_slot():
    text = "Et Chefchaouen ?"
    tracker = tracker_for(
        text,
        [entity("city", "Chefchaouen", text)],
        lang="fr",
        intent="inform",
        slots={
            "city": "evry-courcouronnes",
            "topic": "social_support",
            "last_question": "city_topic",
            "session_started_metadata": {"language": "fr"},
        },
    )
    tracker.events.extend(history(MAX_SESSION_TURNS))
    said, events = run(AnswerFollowUp(), tracker)
    assert said and "Chefchaouen" in said[0].text
    kinds = [e["event"] for e in events]
    start = kinds.index("session_started")
    assert kinds.count("session_started") == 1 and start > 0
    assert events[-1] == {"event": "followup", "name": "action_listen", "timestamp": None}
    carried = slot_events(events[start:])
    assert carried == {
        "language": "fr",
        "city": "chefchaouen",
        "topic": "social_support",
        "last_question": "city_topic",
        # Chefchaouen's social support: the webinar's outcome page and UCLG-MEWA's page
        "sources": ["uil-webinar-2020-04-23-en", "uclg-mewa-webinar-damietta-chefchaouen"],
    }


def test_only_the_current_session_counts():
    tracker = tracker_for("x")
    tracker.events.extend(history(MAX_SESSION_TURNS) + history(3))
    assert session_events(tracker, []) == []


def test_a_failed_answer_still_rolls_over_and_keeps_the_slots(monkeypatch):
    import actions.base

    def broken():
        raise RuntimeError("knowledge base gone")

    monkeypatch.setattr(actions.base, "get_kb", broken)
    tracker = tracker_for("x", slots={"city": "chefchaouen"})
    tracker.events.extend(history(MAX_SESSION_TURNS))
    said, events = run(AnswerCityTopic(), tracker)
    assert [s.response for s in said] == ["utter_technical_problem"]
    assert events[0]["event"] == "session_started" and slot_events(events)["city"] == "chefchaouen"
