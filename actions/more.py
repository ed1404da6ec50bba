""" "More", « la suite »: what the previous answer left for later, one mechanism for all of it.

A long list of cities (actions/topics.py) and a city's best facts (actions/city.py) both keep
what is left in the same slots (`list_pending`, `list_topic`, `list_facts`) and say how to see it
the same way (a button on the web page, a line elsewhere); `ShowMore` continues either, and only
right after it: another question since (slot `last_question`) drops what was pending.
"""

from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk.events import EventType, SlotSet

from actions.base import KnowledgeAction
from actions.city import say_measures
from actions.facts import LAST_QUESTION_SLOT, Reply, remember_question, topic_label
from actions.general import AnswerFallback
from actions.phrasing import beyond_phrasing
from actions.resolve import message_text, slot_text
from actions.retrieved import asks_something_specific
from actions.topics import (
    CITY_TOPIC_KIND,
    LIST_FACTS_SLOT,
    LIST_KIND,
    CityEntry,
    city_buttons,
    entry_lines,
    example_topic_buttons,
    forget_list,
    page_of,
    pending_list,
    say_rest,
)
from citybot.kb.model import Topic


class ShowMore(KnowledgeAction):
    """The next page of a list of cities, or the rest of a city's topic after its best facts."""

    def name(self) -> str:
        return "action_show_more"

    def answer(self, reply: Reply) -> list[EventType]:
        """Continue where the previous answer stopped; say plainly when nothing is pending,
        unless the message asks a question of its own (the classifier read a question as "more")."""
        topic, pending = pending_list(reply.kb, reply.tracker)
        if not pending and _asks_more_than_more(reply):
            # « L'idée des 15 minutes à Milan, elle est née avec le covid ou c'est plus ancien ? »
            # read as "more" with nothing pending: a question, answered as one the classifier missed
            return AnswerFallback().answer_precisely(reply)
        if not pending:
            reply.say("utter_more_nothing", buttons=example_topic_buttons(reply))
            return forget_list(reply.tracker)
        if slot_text(reply.tracker, LAST_QUESTION_SLOT) == CITY_TOPIC_KIND:
            return _say_city_rest(reply, topic, pending)
        return _say_next_page(reply, topic, pending)


def _asks_more_than_more(reply: Reply) -> bool:
    """Whether the message asks something beyond the words people ask for more with."""
    return asks_something_specific(reply.kb, beyond_phrasing(message_text(reply.tracker), "ask_more"))


def _say_next_page(reply: Reply, topic: Topic | None, pending: Sequence[CityEntry]) -> list[EventType]:
    """The next page of a list, and "…and N more" while cities remain."""
    page = page_of(pending, reply.lang)
    rest = pending[len(page) :]
    filtered = reply.tracker.get_slot(LIST_FACTS_SLOT) is not None  # only the measures that matched
    if filtered:
        response = "utter_cities_matching_more" if rest else "utter_cities_matching_last"
    else:
        response = "utter_cities_by_topic_more" if rest else "utter_cities_by_topic_last"
    reply.cite([m for entry in page for m in entry.measures])
    reply.say(
        response,
        buttons=city_buttons(reply, page, topic.id if topic else None),
        topic=topic_label(topic, reply.lang) if topic else "",
        shown=len(page),
        facts=entry_lines(page, reply.lang),
    )
    events: list[EventType] = [remember_question(LIST_KIND)]
    if topic is not None:
        events.append(SlotSet("topic", topic.id))
    if rest:
        return events + say_rest(reply, rest, topic.id if topic else None, filtered)
    return events + forget_list(reply.tracker)


def _say_city_rest(reply: Reply, topic: Topic | None, pending: Sequence[CityEntry]) -> list[EventType]:
    """The rest of a city's topic after its best facts, said as the topic's answer says them."""
    label = topic_label(topic, reply.lang) if topic else ""
    for entry in pending:
        say_measures(reply, entry.city, label, entry.measures)
    events: list[EventType] = [remember_question(CITY_TOPIC_KIND), *forget_list(reply.tracker)]
    return events + ([SlotSet("topic", topic.id)] if topic else [])
