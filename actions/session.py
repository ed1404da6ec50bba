"""Long conversations: the answer to a session's `MAX_SESSION_TURNS`-th user message starts a new
conversation session.

Rasa loads, replays and sends to the action server only the current session, so a turn then
costs the same however long the conversation (figures: docs/benchmarks.md, "Long
conversations"). Every event stays in the tracker store, and every slot carries over, and so does
a language the user asked for (`citybot.language.hold`), which is otherwise read back from the
session's events and would end with them.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SessionStarted, SlotSet

from citybot.language.hold import HELD_SLOT, held_language, history_from_dicts

#: User messages per conversation session. 250 turns are then 10 whole sessions: the windows of
#: scripts/bench/long_conversations.py (turns 1-50 and 251-300) hold whole sessions alike.
MAX_SESSION_TURNS = 25

#: Rasa's own slot for the metadata of the message that started a session: not carried over.
SESSION_METADATA_SLOT = "session_started_metadata"


def session_events(
    tracker: Tracker, events: list[EventType], max_turns: int = MAX_SESSION_TURNS
) -> list[EventType]:
    """The events that start a new conversation session after this answer, once the current
    session has `max_turns` user messages; else none.

    `SessionStarted` resets the tracker, so every slot is set again with its value after this
    turn (what Rasa's `action_session_start` does with `carry_over_slots_to_new_session`), and
    `FollowupAction("action_listen")` comes last: Rasa runs it before predicting anything, so
    the turn ends as usual. The answer's messages stay in the old session (Rasa logs them first).
    `HELD_SLOT` is not copied but set to the hold in force after this turn: a hold carried in
    earlier and ended since must not come back.
    """
    if _session_user_turns(tracker) < max_turns:
        return []
    values: dict[str, Any] = dict(tracker.slots)
    for event in events:
        if event.get("event") == "slot":
            values[event["name"]] = event.get("value")
    values[HELD_SLOT] = held_language(history_from_dicts([*(tracker.events or []), *events]))
    carried = [
        SlotSet(name, value)
        for name, value in values.items()
        if value is not None and name != SESSION_METADATA_SLOT
    ]
    return [SessionStarted(), *carried, FollowupAction("action_listen")]


def _session_user_turns(tracker: Tracker) -> int:
    """User messages since the tracker's last `session_started` (the current one included)."""
    turns = 0
    for event in reversed(tracker.events or []):
        kind = event.get("event") if isinstance(event, dict) else None
        if kind == "session_started":
            break
        if kind == "user":
            turns += 1
    return turns
