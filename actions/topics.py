"""Reverse questions: which cities did something about a topic ("Which cities gave out meals?").

The same answer serves a topic said alone ("radio ?", actions/city.py and actions/general.py),
through `AnswerCitiesByTopic.answer_topic`.

Lists get long (dozens of cities share "health" or "culture"), so the cities come in a stable
order (alphabetical, accents folded: "Évry" between "Espoo" and "Fermo"), one entry per city
with its measures under it, a page at a time: at most `PAGE_CITIES` cities and `PAGE_CHARS`
characters, which keeps a page well inside Telegram's 4,096-character message limit. When
cities remain, the reply says how many and how to see them: a button on the web page, a short
"say 'more'" line on messaging channels, where buttons may not show. The cities still to show
and the topic are kept in the slots `list_pending` and `list_topic`; `action_show_more`
(actions/more.py) continues from there.

A question that says more than the topic ("which cities stopped flights?") lists only the
cities whose measures match it (actions/retrieved.py), each with those measures, the city that
answers it best first; the slot `list_facts` keeps them for "more".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import KnowledgeAction
from actions.facts import (
    LAST_QUESTION_SLOT,
    Reply,
    bullets,
    button,
    join_words,
    official_first,
    remember_question,
    topic_label,
)
from actions.resolve import NOTHING, Found, message_text, resolve_topic, slot_text, topic_named
from actions.retrieved import asks_something_specific, closest_measures, matching_measures
from actions.sources import is_web_page
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Measure, Topic
from citybot.kb.normalize import fold

#: Topics offered as examples when the user gave none or an unknown one.
EXAMPLE_TOPICS = (
    "schooling",
    "distance_learning",
    "school_supplies",
    "food",
    "masks",
    "information_campaigns",
)

#: Most cities on one page of a list: past this, "and N more" and a way to see them.
PAGE_CITIES = 8
#: Most characters of the city entries of one page (Telegram refuses messages over 4,096).
PAGE_CHARS = 2400
#: Most measures written out under one city in a list; the city's button gives them all.
MEASURES_PER_CITY = 3
#: Longest measure text in a list entry, cut at a word and ended with "…".
MEASURE_CHARS = 240
#: The slots holding what "more" shows next: the ids of the cities still to show, the topic, and,
#: when only some of their measures are meant (a list filtered by the question, the rest of a
#: city's topic after its best facts), the ids of those measures.
PENDING_SLOT = "list_pending"
LIST_TOPIC_SLOT = "list_topic"
LIST_FACTS_SLOT = "list_facts"
#: The kind of question (slot `last_question`) a list answers: "more" continues only after it.
LIST_KIND = "cities_by_topic"
#: The kind of a city's topic (actions/city.py), whose rest "more" may show after its best facts.
CITY_TOPIC_KIND = "city_topic"


@dataclass(frozen=True)
class CityEntry:
    """One city of a list and its measures on the topic."""

    city: City
    measures: tuple[Measure, ...]


class AnswerCitiesByTopic(KnowledgeAction):
    facts_first = True  # "can I see a nurse by video in Espoo?": Espoo's facts, not a list
    lists_cities = True

    def name(self) -> str:
        return "action_answer_cities_by_topic"

    def answer(self, reply: Reply) -> list[EventType]:
        return self.answer_question(reply, resolve_topic(reply.kb, reply.tracker))

    def answer_question(self, reply: Reply, topic: Found[Topic]) -> list[EventType]:
        """The cities that did what this message asks: those whose measures match it when it
        says more than the topic ("which cities stopped flights?": not every transport city),
        else every city with measures on the topic."""
        if asks_something_specific(reply.kb, message_text(reply.tracker), topic.record):
            return self.answer_matching(reply, topic)
        return self.answer_topic(reply, topic)

    def answer_matching(self, reply: Reply, topic: Found[Topic]) -> list[EventType]:
        """Only the cities whose measures (on the topic, when one is named) match the question,
        each with its matching measures, in the list's format. When none does (what it asks beyond
        the topic is in no measure's words: "which cities acted on exams?"), the topic's whole list,
        whose heading says it is that ("Cities with measures on exams"), not that they did it."""
        topic_id = topic.record.id if topic.record is not None else None
        measures = matching_measures(reply.kb, message_text(reply.tracker), topic=topic.record)
        if not measures and topic.record is None and not topic.unknown:
            return self.answer_closest(reply)
        if not measures:  # the topic's list, headed as such: "Cities with measures on exams"
            return self.answer_topic(reply, topic)
        events: list[EventType] = [remember_question(LIST_KIND), *forget_list(reply.tracker)]
        if topic_id is not None:
            events.append(SlotSet("topic", topic_id))
        entries = entries_of(reply.kb, measures)
        whole = fits_whole(entries, reply.lang)
        page = list(entries) if whole else page_of(entries, reply.lang)
        buttons = city_buttons(reply, page, topic_id)
        reply.cite([m for entry in page for m in entry.measures])
        if len(page) == len(entries):
            reply.say(
                "utter_cities_matching",
                buttons=buttons,
                cities=join_words([entry.city.label(reply.lang) for entry in entries], reply.lang),
                facts=entry_lines(entries, reply.lang, whole),
            )
            return events
        reply.say(
            "utter_cities_matching_first",
            buttons=buttons,
            count=len(entries),
            shown=len(page),
            facts=entry_lines(page, reply.lang),
        )
        return events + say_rest(reply, entries[len(page) :], topic_id)

    def answer_closest(self, reply: Reply) -> list[EventType]:
        """The measures closest to a question naming no topic that none matches in full, said as
        such (`closest_measures`); when none comes close, which topic it is about."""
        measures = closest_measures(reply.kb, message_text(reply.tracker))
        if not measures:
            return self.answer_topic(reply, NOTHING)
        entries = entries_of(reply.kb, measures)
        reply.cite(measures)
        reply.say(
            "utter_cities_closest",
            buttons=city_buttons(reply, entries, None),
            facts=entry_lines(entries, reply.lang, whole=True),
        )
        return [remember_question(LIST_KIND), *forget_list(reply.tracker)]

    def answer_topic(self, reply: Reply, topic: Found[Topic]) -> list[EventType]:
        """Every city with a measure on the topic, each measure under its city's name, a page at a time."""
        events: list[EventType] = [remember_question(LIST_KIND), *forget_list(reply.tracker)]
        if topic.record is None:
            reply.say(
                "utter_unknown_topic_general" if topic.unknown else "utter_ask_topic",
                buttons=example_topic_buttons(reply),
                topic=topic.typed or "",
                topics=all_topic_labels(reply),
            )
            return events
        label = topic_label(topic.record, reply.lang)
        entries = _closest_first(reply, city_entries(reply.kb, topic.record.id))
        events.append(SlotSet("topic", topic.record.id))
        if not entries:
            reply.say("utter_cities_by_topic_none", buttons=example_topic_buttons(reply), topic=label)
            return events
        whole = fits_whole(entries, reply.lang)
        page = list(entries) if whole else page_of(entries, reply.lang)
        if len(page) == len(entries):  # one page: no "and N more"
            _say_whole_list(reply, entries, topic.record.id, label, whole)
            return events
        measures = [m for entry in page for m in entry.measures]
        reply.cite(measures)
        reply.say(
            "utter_cities_by_topic_first",
            buttons=city_buttons(reply, page, topic.record.id),
            topic=label,
            count=len(entries),
            shown=len(page),
            facts=entry_lines(page, reply.lang),
        )
        return events + say_rest(reply, entries[len(page) :], topic.record.id, filtered=False)


# --- The list: its order, its pages, what is left.


def city_entries(kb: KnowledgeBase, topic_id: str, city_ids: Sequence[str] | None = None) -> list[CityEntry]:
    """The cities with measures on the topic, alphabetical (accents and case folded, ties by id),
    each city's measures stated by official pages first (as in the city's own answer).

    `city_ids` keeps only those cities (a pending list); a city removed from the knowledge base
    since, or that no longer has a measure on the topic, is left out rather than shown empty.
    """
    by_city: dict[str, list[Measure]] = {}
    for measure in kb.measures_on_topic(topic_id):
        by_city.setdefault(measure.city, []).append(measure)
    wanted = set(city_ids) if city_ids is not None else set(by_city)
    entries = [
        CityEntry(kb.cities[c], tuple(official_first(kb, ms)))
        for c, ms in by_city.items()
        if c in wanted and c in kb.cities
    ]
    return sorted(entries, key=lambda e: (fold(e.city.name), e.city.id))


def _closest_first(reply: Reply, entries: list[CityEntry]) -> list[CityEntry]:
    """Each city's measures, those the message's own words match first, the others in their
    order: « quelles villes ont fait du dépistage ? » gets Goyang's tests before its thermal
    cameras, both filed under testing. The cities stay in the list's order."""
    hits = reply.kb.fact_index.rank(message_text(reply.tracker), kinds={"measure"})
    order = {hit.fact.id: position for position, hit in enumerate(hits)}
    return [
        CityEntry(entry.city, tuple(sorted(entry.measures, key=lambda m: order.get(m.id, len(order)))))
        for entry in entries
    ]


def page_of(entries: Sequence[CityEntry], lang: str) -> list[CityEntry]:
    """The first entries that fit a page: at most `PAGE_CITIES`, and `PAGE_CHARS` of text
    (always at least one, which `entry_text` keeps short)."""
    page: list[CityEntry] = []
    used = 0
    for entry in entries[:PAGE_CITIES]:
        size = len(entry_text(entry, lang)) + 1
        if page and used + size > PAGE_CHARS:
            break
        page.append(entry)
        used += size
    return page


def fits_whole(entries: Sequence[CityEntry], lang: str) -> bool:
    """Whether the list fits one page with every measure written out in full (a short list
    says everything, as before lists were paged)."""
    return len(entries) <= PAGE_CITIES and len(entry_lines(entries, lang, whole=True)) <= PAGE_CHARS


def entry_text(entry: CityEntry, lang: str, whole: bool = False) -> str:
    """ "Osan" and its measures below it: all of them in full when `whole`, else at most
    `MEASURES_PER_CITY`, each shortened, and "(+2)" when more were left out (the city's button
    gives them all)."""
    shown = entry.measures if whole else entry.measures[:MEASURES_PER_CITY]
    texts = [m.text.get(lang) if whole else shorten(m.text.get(lang)) for m in shown]
    lines = [entry.city.label(lang)] + [f"   – {text}" for text in texts]
    if len(entry.measures) > len(shown):
        lines.append(f"   (+{len(entry.measures) - len(shown)})")
    return "\n".join(lines)


def entry_lines(entries: Sequence[CityEntry], lang: str, whole: bool = False) -> str:
    """One bullet per city, its measures under it."""
    return bullets(entry_text(entry, lang, whole) for entry in entries)


def shorten(text: str, limit: int | None = None) -> str:
    """`text` cut at the last word that fits `limit` (`MEASURE_CHARS`), with "…" when cut."""
    limit = MEASURE_CHARS if limit is None else limit
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def entries_of(kb: KnowledgeBase, measures: Sequence[Measure]) -> list[CityEntry]:
    """The cities of these measures, in the order of their first measure, each with its measures
    in the order given: for measures ranked by a question, the city that answers it best first."""
    by_city: dict[str, list[Measure]] = {}
    for measure in measures:
        by_city.setdefault(measure.city, []).append(measure)
    return [CityEntry(kb.cities[c], tuple(ms)) for c, ms in by_city.items() if c in kb.cities]


def say_rest(
    reply: Reply, rest: Sequence[CityEntry], topic_id: str | None, filtered: bool = True
) -> list[EventType]:
    """ "…and N more": a button on the web page, a line saying "more" elsewhere; remember them
    (with their measures when the list keeps only some: `filtered`)."""
    if is_web_page(reply.tracker):
        reply.say("utter_list_rest_button", rest=len(rest))
    else:
        reply.say("utter_list_rest_say_more", rest=len(rest))
    facts = [m.id for entry in rest for m in entry.measures] if filtered else None
    return [
        SlotSet(PENDING_SLOT, [entry.city.id for entry in rest]),
        SlotSet(LIST_TOPIC_SLOT, topic_id),
        SlotSet(LIST_FACTS_SLOT, facts),
    ]


def pending_list(kb: KnowledgeBase, tracker: Tracker) -> tuple[Topic | None, list[CityEntry]]:
    """The topic and the entries the previous answer left for "more", if it was a list or a
    city's best facts.

    Another question since then (the slot `last_question` changed) drops them: "more" after
    "what did Osan do on masks?" must not resume an older list. Measures removed from the
    knowledge base since are left out, and so is a city left without any.
    """
    kind = slot_text(tracker, LAST_QUESTION_SLOT)
    topic = topic_named(kb, slot_text(tracker, LIST_TOPIC_SLOT))
    ids = _texts(tracker.get_slot(PENDING_SLOT))
    facts = tracker.get_slot(LIST_FACTS_SLOT)
    city_rest = kind == CITY_TOPIC_KIND and facts is not None and len(ids) == 1  # one city's rest
    if kind != LIST_KIND and not city_rest:
        return None, []  # "more" continues a list or a city's topic (actions/more.py), nothing older
    if facts is not None:
        wanted = set(_texts(facts))
        cities = [kb.cities[c] for c in ids if c in kb.cities]
        return topic, entries_of(kb, [m for city in cities for m in city.measures if m.id in wanted])
    if topic is None:
        return None, []
    return topic, city_entries(kb, topic.id, ids)


def _texts(value: object) -> list[str]:
    """The text items of a list slot (anything else a caller may have put there is ignored)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def forget_list(tracker: Tracker) -> list[EventType]:
    """Clear what "more" would show (only when something is set: no needless events)."""
    slots = (PENDING_SLOT, LIST_TOPIC_SLOT, LIST_FACTS_SLOT)
    if all(tracker.get_slot(slot) is None for slot in slots):
        return []
    return [SlotSet(slot, None) for slot in slots]


def _say_whole_list(
    reply: Reply, entries: Sequence[CityEntry], topic_id: str, label: str, whole: bool
) -> None:
    """A list that fits one page: every city named, its measures under it (in full when `whole`);
    the source line says where they come from (no single "presented by" line is true of them all)."""
    reply.cite([m for entry in entries for m in entry.measures])
    reply.say(
        "utter_cities_by_topic",
        buttons=city_buttons(reply, entries, topic_id),
        topic=label,
        cities=join_words([entry.city.label(reply.lang) for entry in entries], reply.lang),
        facts=entry_lines(entries, reply.lang, whole),
    )


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


def city_buttons(reply: Reply, entries: Sequence[CityEntry], topic_id: str | None) -> list[dict[str, str]]:
    """A quick reply per city asking for its measures on the topic (a list without a topic: the
    topic of the city's first measure listed)."""
    return [
        button(
            e.city.label(reply.lang),
            "ask_city_topic",
            city=e.city.id,
            topic=topic_id or e.measures[0].topics[0],
        )
        for e in entries
    ]
