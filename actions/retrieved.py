"""The facts that answer the question, not the whole topic (issue 16).

People ask about one thing ("were flights stopped in Chefchaouen?"), and a city's whole topic or
overview buries it. When the question says more than a city and a topic
(`FactIndex.asks_something_specific`), the answer ranks the city's measures by what the question
says (`FactIndex.matching`: within the topic first, then all of the city's measures) and says the
best ones first; the rest of the topic is one "more" away, through the same slots and action
(`action_show_more`) as an unfinished list of cities (actions/topics.py), so that there is one
"more" and not two.

Measures are said here with their provenance, grouped as the whole-topic answer groups them
("Presented by … at the GNLC webinar of …" only where a named person presented them there), so
that the best facts and the rest read alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rasa_sdk.events import EventType, SlotSet

from actions.facts import Reply, by_webinar, fact_lines, official_first, presented, reporters, webinar_days
from actions.resolve import message_text
from actions.sources import is_web_page
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Measure, Topic

#: The kind of question (slot `last_question`) of a city's topic, whose rest "more" shows.
CITY_TOPIC_KIND = "city_topic"
#: Most facts said first: the best one and the next ones that match as well (1-3).
MAX_BEST = 3
#: The slots holding what "more" shows next (shared with the lists of actions/topics.py): the
#: ids of the cities still to show, the topic, and, when only some of their measures are meant
#: (a list filtered by the question, a city's rest), the ids of those measures.
PENDING_SLOT = "list_pending"
LIST_TOPIC_SLOT = "list_topic"
LIST_FACTS_SLOT = "list_facts"


@dataclass(frozen=True)
class Picked:
    """The measures that answer a question about one city, and the rest of their topic."""

    best: tuple[Measure, ...]
    topic: Topic | None
    rest: tuple[Measure, ...]


def asks_something_specific(reply: Reply) -> bool:
    """Whether this message asks more than a city and a topic ("did Osan hand out masks to pupils?")."""
    text = message_text(reply.tracker)
    return bool(text) and reply.kb.fact_index.asks_something_specific(text)


def matching_measures(
    kb: KnowledgeBase, text: str, *, city: str | None = None, topic: str | None = None
) -> list[Measure]:
    """The measures in that scope that match `text`, best first (`FactIndex.matching`)."""
    hits = kb.fact_index.matching(text, kinds={"measure"}, city=city, topic=topic)
    return [hit.fact.record for hit in hits if isinstance(hit.fact.record, Measure)]


def pick_measures(reply: Reply, city: City, topic: Topic | None) -> Picked | None:
    """The city's measures that answer this message, within `topic` first, then among all its
    measures; None when none matches. The rest is the other measures of the topic asked about
    (else of the best measure's first topic), official pages' first, as the topic's answer orders them."""
    text = message_text(reply.tracker)
    scopes = [topic.id, None] if topic is not None else [None]
    for scope in scopes:
        best = matching_measures(reply.kb, text, city=city.id, topic=scope)[:MAX_BEST]
        if best:
            break
    else:
        return None
    rest_topic = topic if topic is not None and scope is not None else _first_topic(reply.kb, best[0])
    rest: list[Measure] = []
    if rest_topic is not None:
        shown = {m.id for m in best}
        rest = [
            m
            for m in official_first(reply.kb, reply.kb.measures_for(city.id, rest_topic.id))
            if m.id not in shown
        ]
    return Picked(tuple(best), rest_topic, tuple(rest))


def _first_topic(kb: KnowledgeBase, measure: Measure) -> Topic | None:
    return next((kb.topics[t] for t in measure.topics if t in kb.topics), None)


def say_picked(reply: Reply, city: City, picked: Picked) -> list[EventType]:
    """The best measures, best first, then how to see the rest of the topic; the events remembering it."""
    label = picked.topic.label.get(reply.lang) if picked.topic is not None else ""
    say_measures(reply, city, label, picked.best, best_first=True)
    if not picked.rest or picked.topic is None:
        return []
    values = {"rest": len(picked.rest), "city": city.label(reply.lang), "topic": label}
    if is_web_page(reply.tracker):
        reply.say("utter_city_rest_button", **values)
    else:
        reply.say("utter_city_rest_say_more", **values)
    return [
        SlotSet(PENDING_SLOT, [city.id]),
        SlotSet(LIST_TOPIC_SLOT, picked.topic.id),
        SlotSet(LIST_FACTS_SLOT, [m.id for m in picked.rest]),
    ]


def say_measures(
    reply: Reply, city: City, label: str, measures: Sequence[Measure], best_first: bool = False
) -> None:
    """Measures of a city on one topic: one message per webinar they were presented at (with who
    presented them and when), the debate's apart, and those said at no webinar (snapshots, city
    pages) plainly, their source line saying where they are from.

    A whole topic puts the presentations before the debate; ranked measures (`best_first`) keep
    their order, so that the best one is said (and cited) first.
    """
    said_before = False
    for webinar_id, group in _groups(measures, best_first):
        reply.cite(group)
        response = _measures_response(webinar_id, group)
        if response == "utter_city_topic_plain" and said_before:
            response = "utter_city_topic_plain_more"  # "Chefchaouen, exams:" is not said twice
        said_before = True
        reply.say(
            response,
            city=city.label(reply.lang),
            topic=label,
            facts=fact_lines(group, reply.lang),
            reporter=reporters(reply.kb, [m.reported_by for m in group], reply.lang),
            date=webinar_days(reply.kb, [webinar_id], reply.lang),
        )


def _groups(measures: Sequence[Measure], best_first: bool) -> list[tuple[str | None, list[Measure]]]:
    """The measures grouped by webinar, a debate's apart from the presentations: in the order of
    their first measure when `best_first`, else presentations first."""
    if best_first:
        groups: dict[tuple[str | None, bool], list[Measure]] = {}
        for measure in measures:
            groups.setdefault((measure.webinar, _in_debate(measure)), []).append(measure)
        return [(webinar_id, group) for (webinar_id, _), group in groups.items()]
    return [
        *by_webinar([m for m in measures if not _in_debate(m)]),
        *by_webinar([m for m in measures if _in_debate(m)]),
    ]


def _in_debate(measure: Measure) -> bool:
    return measure.part == "debate" and bool(measure.webinar)


def _measures_response(webinar_id: str | None, group: list[Measure]) -> str:
    """The response for measures said at one webinar (or at none): its provenance line names
    only what the knowledge base states, never an empty reporter or a borrowed date."""
    if webinar_id is None:
        return "utter_city_topic_plain"
    debate = group[0].part == "debate"
    if all(presented(m) for m in group):
        return "utter_city_topic_debate" if debate else "utter_city_topic"
    return "utter_city_topic_debate_unnamed" if debate else "utter_city_topic_webinar"
