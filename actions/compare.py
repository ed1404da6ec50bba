"""Comparisons: "Compare Osan and Goyang on masks", « différences entre Lima et Bogota pour l'école ».

Two or more cities and a topic: each city's measures on the topic, city by city, one message
each, and for a city without any the honest "no measure on masks is stated for Goyang" rather
than silence. Without a topic the reply asks which one, with buttons for the topics the cities
share (then the others); the cities compared are kept in the slot `compared_cities`, so a topic
button, or "compare them on schools", needs only the topic. One known city only is the usual
city-topic answer (`AnswerCityTopic.answer_about`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import KnowledgeAction
from actions.city import AnswerCityTopic, featured_city_buttons, featured_city_names, say_series_only
from actions.facts import (
    Reply,
    bullets,
    button,
    city_topics,
    join_words,
    official_first,
    remember_question,
    topic_label,
)
from actions.resolve import Found, resolve_cities, resolve_topic
from actions.topics import MEASURES_PER_CITY, shorten
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Topic

#: Slot keeping the ids of the cities of the last comparison, for the topic buttons.
COMPARED_SLOT = "compared_cities"
#: Most cities compared at once: beyond, the reply would be a list (action_answer_cities_by_topic).
MAX_COMPARED = 4
#: Most topic buttons offered when the comparison has no topic.
MAX_TOPIC_BUTTONS = 6
#: Measures written out per city in a comparison (each shortened like a list entry).
MEASURES_COMPARED = MEASURES_PER_CITY + 1


class CompareCities(KnowledgeAction):
    """Several cities side by side on one topic (or the question which topic)."""

    kind = "compare_cities"

    def name(self) -> str:
        return "action_compare_cities"

    def answer(self, reply: Reply) -> list[EventType]:
        found = resolve_cities(reply.kb, reply.tracker)
        for unknown in [f for f in found if f.unknown]:
            reply.say("utter_compare_unknown_city", city=unknown.typed)
        cities = [f.record for f in found if f.record is not None]
        if not found:  # the topic buttons of an earlier comparison, or "compare them on food"
            cities = remembered_cities(reply.kb, reply.tracker)
        topic = resolve_topic(reply.kb, reply.tracker, use_slot=not found)
        if len(cities) == 1:
            return AnswerCityTopic().answer_about(reply, Found(cities[0], cities[0].name, True), topic)
        if not cities:
            reply.say(
                "utter_compare_ask_cities",
                buttons=featured_city_buttons(reply),
                cities=featured_city_names(reply),
            )
            return [remember_question(self.kind)]
        cities = cities[:MAX_COMPARED]
        # Remembering the kind also ends any pending list: "more" now has nothing to continue.
        events: list[EventType] = [
            remember_question(self.kind),
            SlotSet(COMPARED_SLOT, [c.id for c in cities]),
        ]
        if topic.record is None:
            if topic.unknown:
                reply.say("utter_compare_unknown_topic", topic=topic.typed)
            ask_topic(reply, cities)
            return events
        compare_on(reply, cities, topic.record)
        return [*events, SlotSet("topic", topic.record.id)]


def remembered_cities(kb: KnowledgeBase, tracker: Tracker) -> list[City]:
    """The cities of the previous comparison still in the knowledge base (junk ignored)."""
    value = tracker.get_slot(COMPARED_SLOT)
    if not isinstance(value, list):
        return []
    return [kb.cities[c] for c in value if isinstance(c, str) and c in kb.cities]


def compare_on(reply: Reply, cities: Sequence[City], topic: Topic) -> None:
    """A heading, then each city's measures on the topic (or that none is stated), in the order asked."""
    label = topic_label(topic, reply.lang)
    names = join_words([c.label(reply.lang) for c in cities], reply.lang)
    reply.say("utter_compare_heading", cities=names, topic=label)
    for city in cities:
        measures = official_first(reply.kb, reply.kb.measures_for(city.id, topic.id))
        if not measures:
            reply.say("utter_compare_city_none", city=city.label(reply.lang), topic=label)
            continue
        shown = measures[:MEASURES_COMPARED]
        reply.cite(shown)
        facts = bullets(shorten(m.text.get(reply.lang)) for m in shown)
        if len(measures) > len(shown):  # not a bullet: it is no measure (as in the lists)
            facts += f"\n(+{len(measures) - len(shown)})"
        reply.say(
            "utter_compare_city",
            buttons=[button(city.label(reply.lang), "ask_city_topic", city=city.id, topic=topic.id)],
            city=city.label(reply.lang),
            facts=facts,
        )


def ask_topic(reply: Reply, cities: Sequence[City]) -> None:
    """Which topic? Each city's topics, and buttons for the shared ones first."""
    per_city = {c.id: city_topics(reply.kb, c) for c in cities}
    if not any(per_city.values()):  # no topic to offer: asking which one could not be answered
        for city in cities:  # what is known of each: the webinars it presented at
            say_series_only(reply, city)
        return
    lines = [
        f"{c.label(reply.lang)}: {join_words([topic_label(t, reply.lang) for t in per_city[c.id]], reply.lang) or '—'}"
        for c in cities
    ]
    reply.say(
        "utter_compare_which_topic",
        buttons=topic_buttons(reply, list(per_city.values())),
        cities=join_words([c.label(reply.lang) for c in cities], reply.lang),
        topics=bullets(lines),
    )


def topic_buttons(reply: Reply, per_city: Sequence[Sequence[Topic]]) -> list[dict[str, str]]:
    """Topics most of the cities cover first (knowledge-base order among equals), as quick replies
    that compare the same cities (kept in `compared_cities`) on that topic."""
    counts: dict[str, int] = {}
    for topics in per_city:
        for topic in topics:
            counts[topic.id] = counts.get(topic.id, 0) + 1
    order = list(reply.kb.topics)
    best = sorted(counts, key=lambda t: (-counts[t], order.index(t)))[:MAX_TOPIC_BUTTONS]
    return [
        button(topic_label(reply.kb.topics[t], reply.lang).capitalize(), "compare_cities", topic=t)
        for t in best
    ]
