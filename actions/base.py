"""The template of every knowledge-base action: never crash, and keep the turn's bookkeeping.

A Rasa SDK action that raises leaves the user without any answer, so `KnowledgeAction.run`
catches everything, logs it and utters `utter_technical_problem` instead. Subclasses only write
`name()` and `answer(reply)`, using `Reply` (actions/facts.py) to reach the knowledge base, the
resolved language and the dispatcher.

Each answer is the turn's only call to the action server, so `run` also:

- turns the words this message put in the `city`, `topic` and `organisation` slots (Rasa fills
  them from entities) into knowledge-base ids, unless the answer set them itself; unknown names
  stay as typed, so a follow-up can still say "I have no information about Lagos";
- closes a fact answer with the line naming its sources and remembers them for "where does this
  come from?" (`Reply.finish`), once here rather than in every action;
- ends the conversation session after `MAX_SESSION_TURNS` user messages (actions/session.py).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.facts import Reply
from actions.knowledge import get_kb, preload_kb
from actions.resolve import MAX_MESSAGE_CHARS, city_named, organisation_named, reply_language, topic_named
from actions.session import session_events
from citybot.kb import KnowledgeBase

logger = logging.getLogger(__name__)

# Load the knowledge base when the action server imports the actions, not on the first question.
preload_kb()

#: Slots holding knowledge-base records, and how to find the record a value names.
_ID_SLOTS: dict[str, Callable[[KnowledgeBase, str], Any]] = {
    "city": city_named,
    "topic": topic_named,
    "organisation": organisation_named,
}


class KnowledgeAction(Action, ABC):
    """An action that answers from the knowledge base and always says something.

    `name` is abstract here, so the templates between this class and the actions (`CityAction`...)
    stay abstract too: rasa-sdk registers every concrete `Action` subclass it imports.
    """

    #: Whether a message asking about one thing the knowledge base holds, whatever question the
    #: classifier read it as ("what was Wuhan's community grid?" as a webinar question, "who said
    #: only education can change behaviour?" as anything), gets the facts that answer it rather
    #: than this action's answer (actions/precise.py).
    facts_first: ClassVar[bool] = False
    #: Whether, short of that, a message asking who said something or what a person it names
    #: said gets their words first (the first of `facts_first`'s steps): for actions whose own
    #: answer already ranks the facts of what they are about (a city's topic, an organisation).
    words_first: ClassVar[bool] = False
    #: Whether the action's own answer is a list of cities: it reads "which cities…?" itself,
    #: without the step that lists them for any other action (`precise.answer_which_cities`).
    lists_cities: ClassVar[bool] = False

    @abstractmethod
    def name(self) -> str:
        """The action's name in bot/domain.yml and data/rules.yml."""

    @abstractmethod
    def answer(self, reply: Reply) -> list[EventType]:
        """Utter the answer through `reply` and return the events to apply (slot updates)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            reply = Reply(dispatcher, tracker, get_kb(), reply_language(tracker))
            events = self.answer_precisely(reply)
            events = slot_ids(reply.kb, tracker, events) + events + reply.finish(events)
        except Exception:
            logger.exception("action %s failed", self.name())
            dispatcher.messages.clear()
            dispatcher.utter_message(response="utter_technical_problem")
            events = []
        return events + session_events(tracker, events)

    def answer_precisely(self, reply: Reply) -> list[EventType]:
        """`answer`, unless facts answer what the message asks (`facts_first`, `words_first`);
        when `answer` said no fact, the one fact holding every word the message asks with, if
        any (the last resort, actions/precise.py)."""
        if self.facts_first or self.words_first:
            from actions.precise import (  # they build on this module
                FACT_STEPS,
                WORDS_STEPS,
                answer_from_facts,
                answer_which_cities,
            )

            steps = FACT_STEPS if self.facts_first else WORDS_STEPS
            if self.lists_cities:
                steps = tuple(step for step in steps if step is not answer_which_cities)
            events = answer_from_facts(reply, steps)
            if events is not None:
                return events
        events = self.answer(reply)
        if reply.said:
            return events
        from actions.precise import answer_from_one_fact

        given = len(reply.dispatcher.messages)  # "I don't know", which the last resort reads
        rescued = answer_from_one_fact(reply)  # "are there video interviews with mayors?"
        if rescued is None:
            return events
        del reply.dispatcher.messages[:given]  # the answer given instead of "I don't know"
        return rescued


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
    text = str(value)[:MAX_MESSAGE_CHARS].strip()  # a slot set by a caller other than Rasa may be huge
    if not text:
        return None
    record = lookup(kb, text)
    return record.id if record else text
