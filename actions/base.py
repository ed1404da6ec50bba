"""What every knowledge-base action shares: the reply context, the never-crash guarantee, and
the bookkeeping of each turn (slot values turned into ids, long sessions rolled over).

A Rasa SDK action that raises leaves the user without any answer, so `KnowledgeAction.run`
catches everything, logs it and utters `utter_technical_problem` instead. Subclasses only
write `answer(reply)`, using `Reply` to reach the knowledge base, the resolved language and
the dispatcher.

Each answer is the turn's only call to the action server, so `run` also:

- turns the words this message put in the `city`, `topic` and `organisation` slots (Rasa fills
  them from entities) into knowledge-base ids, unless the answer set them itself; unknown names
  stay as typed, so a follow-up can still say "I have no information about Lagos";
- ends the conversation session after `MAX_SESSION_TURNS` user messages (`session_events`):
  Rasa loads, replays and sends only the current session, so every turn then costs the same
  however long the conversation. All events stay in the tracker store.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import reply_language
from actions.knowledge import get_kb
from actions.resolve import city_named, organisation_named, topic_named
from citybot.kb import KnowledgeBase

logger = logging.getLogger(__name__)

LAST_QUESTION_SLOT = "last_question"

#: User messages per conversation session; the answer to the last one starts a new session.
#: Each earlier turn of a session adds ~0.7 ms to a turn (Rasa loads and replays the session), so
#: turns stay within ~15 ms of a fresh conversation's. 250 is 10 sessions: the windows of
#: scripts/bench/long_conversations.py (turns 1-50 and 251-300) hold whole sessions alike.
MAX_SESSION_TURNS = 25

#: Rasa's own slot for the metadata of the message that started a session: not carried over.
SESSION_METADATA_SLOT = "session_started_metadata"

#: Slots holding knowledge-base records, and how to find the record a value names.
_ID_SLOTS: dict[str, Callable[[KnowledgeBase, str], Any]] = {
    "city": city_named,
    "topic": topic_named,
    "organisation": organisation_named,
}


def asked(kind: str) -> SlotSet:
    """Remember the kind of question just answered, so "And Chefchaouen?" repeats it."""
    return SlotSet(LAST_QUESTION_SLOT, kind)


@dataclass
class Reply:
    """One answer being composed: where to send it, in which language, from which facts."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    kb: KnowledgeBase
    lang: str

    def say(self, response: str, buttons: list[dict[str, str]] | None = None, **values: Any) -> None:
        """Utter domain response `response` filled with `values` (its en/fr variant is picked by Rasa)."""
        self.dispatcher.utter_message(response=response, buttons=buttons or None, **values)


def button(title: str, intent: str, **entities: str) -> dict[str, str]:
    """A quick reply that asks `intent` about `entities` ("/ask_city_overview{"city":"chefchaouen"}")."""
    payload = f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")
    return {"title": title, "payload": payload}


class KnowledgeAction(Action, ABC):
    """An action that answers from the knowledge base and always says something."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            reply = Reply(dispatcher, tracker, get_kb(), reply_language(tracker))
            events = self.answer(reply)
            events = slot_ids(reply.kb, tracker, events) + events
        except Exception:
            logger.exception("action %s failed", self.name())
            dispatcher.messages.clear()
            dispatcher.utter_message(response="utter_technical_problem")
            events = []
        return events + session_events(tracker, events)

    @abstractmethod
    def answer(self, reply: Reply) -> list[EventType]:
        """Utter the answer through `reply` and return the events to apply (slot updates)."""


def slot_ids(kb: KnowledgeBase, tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """`SlotSet`s turning the names this message put in the id slots into ids, for the slots
    the answer's `events` do not set; a name the knowledge base does not know stays as typed."""
    answered = {event.get("name") for event in events if event.get("event") == "slot"}
    normalised = []
    for name, value in _set_since_message(tracker).items():
        if name not in _ID_SLOTS or name in answered:
            continue
        record_id = _to_id(kb, value, _ID_SLOTS[name])
        if record_id != value:
            normalised.append(SlotSet(name, record_id))
    return normalised


def _set_since_message(tracker: Tracker) -> dict[str, Any]:
    """The slots set since the latest user message (by Rasa's slot mappings), with their values."""
    values: dict[str, Any] = {}
    for event in reversed(tracker.events or []):
        kind = event.get("event") if isinstance(event, dict) else None
        if kind == "user":
            break
        if kind == "slot" and event.get("name") not in values:
            values[event.get("name")] = event.get("value")
    return values


def _to_id(kb: KnowledgeBase, value: Any, lookup: Callable[[KnowledgeBase, str], Any]) -> str | None:
    """The id of the record `value` names; the value itself (as text) when nothing matches."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    record = lookup(kb, text)
    return record.id if record else text


def session_events(
    tracker: Tracker, events: list[EventType], max_turns: int = MAX_SESSION_TURNS
) -> list[EventType]:
    """The events that start a new conversation session after this answer, once the current
    session has `max_turns` user messages; else none.

    `SessionStarted` resets the tracker, so every slot is set again with its value after this
    turn (what Rasa's `action_session_start` does with `carry_over_slots_to_new_session`), and
    `FollowupAction("action_listen")` comes last: Rasa runs it before predicting anything, so
    the turn ends as usual. The answer's messages stay in the old session (Rasa logs them first).
    """
    if _session_user_turns(tracker) < max_turns:
        return []
    values = dict(tracker.slots)
    for event in events:
        if event.get("event") == "slot":
            values[event["name"]] = event.get("value")
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
