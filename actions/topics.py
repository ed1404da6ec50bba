"""Reverse questions: which cities did something about a topic ("Which cities gave out meals?").

The same answer serves a topic said alone ("radio ?", actions/city.py and actions/general.py),
through `AnswerCitiesByTopic.answer_topic`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk.events import EventType, SlotSet

from actions.base import KnowledgeAction
from actions.facts import (
    Reply,
    bullets,
    button,
    join_words,
    remember_question,
    reporters,
    topic_label,
    webinar_days,
)
from actions.resolve import Found, resolve_topic
from citybot.kb.model import Measure, Topic

#: Topics offered as examples when the user gave none or an unknown one.
EXAMPLE_TOPICS = (
    "schooling",
    "distance_learning",
    "school_supplies",
    "food",
    "masks",
    "information_campaigns",
)


class AnswerCitiesByTopic(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_cities_by_topic"

    def answer(self, reply: Reply) -> list[EventType]:
        return self.answer_topic(reply, resolve_topic(reply.kb, reply.tracker))

    def answer_topic(self, reply: Reply, topic: Found[Topic]) -> list[EventType]:
        """Every city with a measure on the topic, each measure under its city's name."""
        events: list[EventType] = [remember_question("cities_by_topic")]
        if topic.record is None:
            reply.say(
                "utter_unknown_topic_general" if topic.unknown else "utter_ask_topic",
                buttons=example_topic_buttons(reply),
                topic=topic.typed or "",
                topics=all_topic_labels(reply),
            )
            return events
        label = topic_label(topic.record, reply.lang)
        measures = reply.kb.measures_on_topic(topic.record.id)
        events.append(SlotSet("topic", topic.record.id))
        if not measures:
            reply.say("utter_cities_by_topic_none", buttons=example_topic_buttons(reply), topic=label)
            return events
        names = list(dict.fromkeys(reply.kb.cities[m.city].name for m in measures))
        lines = [f"{reply.kb.cities[m.city].name} — {m.text.get(reply.lang)}" for m in measures]
        reply.cite(measures)
        reply.say(
            "utter_cities_by_topic",
            buttons=_city_buttons(reply, measures, topic.record.id),
            topic=label,
            cities=join_words(names, reply.lang),
            facts=bullets(lines),
            reporter=reporters(reply.kb, [m.reported_by for m in measures], reply.lang),
            date=webinar_days(reply.kb, [m.webinar for m in measures], reply.lang),
        )
        return events


def all_topic_labels(reply: Reply) -> str:
    return join_words(
        [topic_label(t, reply.lang) for t in reply.kb.topics.values() if reply.kb.measures_on_topic(t.id)],
        reply.lang,
    )


def example_topic_buttons(reply: Reply) -> list[dict[str, str]]:
    return [
        button(topic_label(reply.kb.topics[t], reply.lang).capitalize(), "ask_cities_by_topic", topic=t)
        for t in EXAMPLE_TOPICS
        if t in reply.kb.topics
    ]


def _city_buttons(reply: Reply, measures: Sequence[Measure], topic_id: str) -> list[dict[str, str]]:
    city_ids = list(dict.fromkeys(m.city for m in measures))
    return [button(reply.kb.cities[c].name, "ask_city_topic", city=c, topic=topic_id) for c in city_ids]
