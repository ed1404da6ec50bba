"""Questions about one city: a topic, an overview, its country, status, representative, webinar.

Each action finds the city (or asks which one), answers, and remembers the city and the kind
of question. The follow-up action (actions/general.py) reuses them for a new city or topic
("And Chefchaouen?") through `CityAction.answer_city` and `AnswerCityTopic.answer_about`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from rasa_sdk.events import EventType, SlotSet

from actions.base import KnowledgeAction
from actions.facts import (
    Reply,
    Sourced,
    button,
    by_webinar,
    city_label,
    city_topics,
    country_name,
    day,
    fact_lines,
    is_series_only,
    join_words,
    main_webinar,
    official_first,
    presented,
    remember_question,
    reporters,
    source_line,
    topic_label,
    webinar_days,
    webinar_titles,
)
from actions.phrasing import beyond_phrasing
from actions.resolve import (
    NOTHING,
    Found,
    entity_surfaces,
    latest_intent,
    message_text,
    named_organisation,
    resolve_city,
    resolve_topic,
    webinar_of_presenters,
    webinars_of_every_city,
)
from actions.retrieved import (
    Picked,
    asks_something_specific,
    context_answers,
    facts_answer,
    pick_measures,
    without_country,
)
from actions.sources import is_web_page
from actions.topics import (
    CITY_TOPIC_KIND,
    LIST_FACTS_SLOT,
    LIST_TOPIC_SLOT,
    PENDING_SLOT,
    AnswerCitiesByTopic,
    forget_list,
)
from actions.webinar import answer_presenter_webinars
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Measure, Topic, Webinar

#: How many topic suggestions to offer as buttons.
MAX_TOPIC_BUTTONS = 6


class AnswerCityTopic(KnowledgeAction):
    """What a city did about a topic ("What is Mayo-Baléo doing about schooling?")."""

    kind = CITY_TOPIC_KIND
    # "did Lopes say adult education matters for health?": his words; not `facts_first`, whose
    # city step would rank the city's facts by what the message asks beyond a city-topic
    # question's phrasing ("who paid for Osan's masks?" would lose "paid"): `answer` ranks them
    # by the whole message
    words_first = True

    def name(self) -> str:
        return "action_answer_city_topic"

    def answer(self, reply: Reply) -> list[EventType]:
        city = resolve_city(reply.kb, reply.tracker)
        topic = resolve_topic(reply.kb, reply.tracker)
        if city.missing:  # "What is SMART MOOC Lifelong Learning?": the fact it names, if any
            from actions.precise import answer_naming_no_city  # it builds on this module

            events = answer_naming_no_city(reply)
            if events is not None:
                return events
        if city.missing and topic.known:  # "radio ?" with no city yet: which cities did it
            return AnswerCitiesByTopic().answer_question(reply, topic)
        if city.fresh and not topic.fresh:  # a new city without a topic: its overview, not an old topic
            topic = NOTHING
        return self.answer_about(reply, city, topic)

    def answer_about(
        self,
        reply: Reply,
        city: Found[City],
        topic: Found[Topic],
        honest: bool = False,
    ) -> list[EventType]:
        """What `city` did about `topic`; its overview when no topic was given.

        A question that asks something specific gets the city's facts that answer it first
        (actions/retrieved.py), the rest of the topic one "more" away; when none answers it,
        the answer is the one without retrieval (the whole topic, the overview), except for a
        message the classifier could not place (`honest`: out of scope, unclassified), which
        gets a plain "my sources on the city say nothing that answers this" when it names no topic."""
        known = known_city(reply, city, self.kind)
        if known is None:
            topic_event = [SlotSet("topic", topic.record.id)] if topic.record is not None else []
            return [remember_question(self.kind), *forget_list(reply.tracker), *topic_event]
        picked = None
        text = message_text(reply.tracker)
        if not is_series_only(known) and asks_something_specific(reply.kb, text, topic.record):
            if context_answers(reply.kb, text, known):  # "why did Osan win the award?": its situation
                return AnswerCityOverview().answer_city(reply, city)
            # the words the topic was read from: an entity's, else those the message names it by
            said = " ".join(entity_surfaces(reply.tracker, "topic")) or (
                (topic.typed or "") if topic.fresh else ""
            )
            picked = pick_measures(reply.kb, text, known, topic.record, said)
            if picked is None and honest and topic.missing:
                _say_nothing_matches(reply, known)
                return [SlotSet("city", known.id), remember_question(self.kind), *forget_list(reply.tracker)]
        if topic.missing and picked is None:
            return AnswerCityOverview().answer_city(reply, city)
        events = [SlotSet("city", known.id), remember_question(self.kind), *forget_list(reply.tracker)]
        if is_series_only(known):
            say_series_only(reply, known)
            return events
        if picked is not None:
            topic_event = [SlotSet("topic", picked.topic.id)] if picked.topic is not None else []
            return [*events, *topic_event, *_say_picked(reply, known, picked)]
        if topic.record is None:  # words that name no topic of the knowledge base
            reply.say(
                "utter_unknown_topic",
                buttons=topic_buttons(reply, known),
                topic=topic.typed,
                city=known.label(reply.lang),
                topics=_topic_list(reply, known),
            )
            return events
        _say_measures(reply, known, topic.record)
        return [*events, SlotSet("topic", topic.record.id)]


def answer_from_city_facts(reply: Reply) -> list[EventType] | None:
    """The facts of the city the message names that answer what it asks beyond the phrasing of the
    question the classifier took it for (actions/phrasing.py): "does Espoo have a coronavirus
    chatbot?" read as an overview, "what was Wuhan's community grid?" as a webinar question; None
    when the message names no city or asks nothing that the city's measures answer. The facts
    are then ranked by the whole message: "c'est quoi" of « c'est quoi TTASUM ? » is phrasing,
    but it asks for the fact that introduces TTASUM (`FactIndex` ranks that one first)."""
    city = resolve_city(reply.kb, reply.tracker, use_slot=False, guess_names=False)
    if city.record is None or is_series_only(city.record):
        return None
    if webinar_of_presenters(reply.kb, reply.tracker) is not None:  # "the webinar with Milan and Goyang"
        return None
    text, intent = message_text(reply.tracker), latest_intent(reply.tracker)
    topic = resolve_topic(reply.kb, reply.tracker, use_slot=False)
    # as said, else without the country that described the city: "how much did the Korean
    # city cut the price of its public bikes?" asks nothing of Goyang's Korean music shows
    readings = (text, without_country(reply.kb, text, city.record))
    if not any(
        facts_answer(reply.kb, beyond_phrasing(said, intent), city.record, topic.record) for said in readings
    ):
        return None
    return AnswerCityTopic().answer_about(reply, city, topic)


class CityAction(KnowledgeAction):
    """A question about one city: find it (or ask which one), answer, remember city and question."""

    facts_first = True

    #: The kind of question (slot `last_question`); `ask_<kind>` is its intent.
    kind: str
    #: Whether a topic the message names, on which the city has measures, is what it asks about
    #: rather than this action's answer: "Gdynia aide les entreprises pendant le confinement ?"
    #: read as an overview, "did they make masks in the Cameroonian town?" as a country question.
    topic_answers: ClassVar[bool] = False

    def answer(self, reply: Reply) -> list[EventType]:
        city = resolve_city(reply.kb, reply.tracker)
        if self.topic_answers:
            topic = resolve_topic(reply.kb, reply.tracker, use_slot=False)
            if _has_measures_on(reply.kb, city.record, topic.record):
                return AnswerCityTopic().answer_about(reply, city, topic)
        return self.answer_city(reply, city)

    def answer_city(self, reply: Reply, city: Found[City]) -> list[EventType]:
        """This question about `city`, also for a follow-up naming a new city."""
        known = known_city(reply, city, self.kind)
        if known is None:
            return [remember_question(self.kind)]
        self.say_about(reply, known)
        return [SlotSet("city", known.id), remember_question(self.kind)]

    @abstractmethod
    def say_about(self, reply: Reply, city: City) -> None:
        """Utter the answer about a city the knowledge base knows."""


class AnswerCityOverview(CityAction):
    """Who the city is (country, status), who presented it, its situation and topics."""

    kind = "city_overview"
    topic_answers = True

    def name(self) -> str:
        return "action_answer_city_overview"

    def say_about(self, reply: Reply, city: City) -> None:
        if is_series_only(city):
            reply.mention(city.id)  # the city is what the answer is about, from its webinars' pages
            say_series_only(reply, city)
            return
        _say_status(reply, city)
        reply.cite([city, *city.measures])  # the topics listed are those of its measures
        said_at = [m for m in city.measures if presented(m)]
        webinars = reply.kb.webinars_for_city(city.id)
        if said_at:  # presented at a webinar by named people: say who and when
            response = "utter_city_overview"
        elif webinars:  # presented at a webinar, but no source names who presented
            response = "utter_city_overview_webinar"
            reply.cite(webinars)  # "presented at the webinar of …": the pages stating it
        else:  # known from pages only (a city snapshot, the city's own page): no webinar to name
            response = "utter_city_overview_plain"
        reply.say(
            response,
            buttons=topic_buttons(reply, city),
            city=city.label(reply.lang),
            reporter=reporters(reply.kb, [m.reported_by for m in said_at], reply.lang),
            date=webinar_days(reply.kb, [m.webinar for m in said_at], reply.lang) or _city_days(reply, city),
            context=_context_line(reply, city),
            topics=_topic_list(reply, city),
        )


def _has_measures_on(kb: KnowledgeBase, city: City | None, topic: Topic | None) -> bool:
    return city is not None and topic is not None and bool(kb.measures_for(city.id, topic.id))


class AnswerCityCountry(CityAction):
    kind = "city_country"
    topic_answers = True

    def name(self) -> str:
        return "action_answer_city_country"

    def say_about(self, reply: Reply, city: City) -> None:
        reply.cite([city])
        reply.say(
            "utter_city_country",
            city=city.label(reply.lang),
            country=country_name(reply.kb, city, reply.lang),
        )


class AnswerCityStatus(CityAction):
    """Whether the city is a member of the network (or a prospective one)."""

    kind = "city_status"

    def name(self) -> str:
        return "action_answer_city_status"

    def say_about(self, reply: Reply, city: City) -> None:
        _say_status(reply, city)


class AnswerCityRepresentative(CityAction):
    kind = "city_representative"

    def name(self) -> str:
        return "action_answer_city_representative"

    def say_about(self, reply: Reply, city: City) -> None:
        """Each person who spoke for the city; "at the webinar of D" only for a person who presented
        measures there (a snapshot or a city page may name its mayor, who presented nothing)."""
        if not city.representatives:
            date = _city_days(reply, city)
            response = "utter_city_representative_unknown" if date else "utter_city_representative_none"
            reply.say(response, city=city.label(reply.lang), date=date)
            return
        for person in city.representatives:  # the answer is about them first, then the city's file
            reply.mention(person.id)
        reply.cite([city])  # the city file's sources state its representatives
        for person in city.representatives:  # a city may send several people: one line each
            presented_at = [m.webinar for m in city.measures if m.reported_by == person.id and m.webinar]
            date = webinar_days(reply.kb, presented_at, reply.lang)
            reply.say(
                "utter_city_representative" if date else "utter_city_representative_named",
                city=city.label(reply.lang),
                person=person.display_name(reply.lang),
                role=person.role.get(reply.lang) if person.role else "",
                date=date,
            )


class AnswerCityWebinar(CityAction):
    """When (and whether) a city presented in the webinar series."""

    kind = "city_webinar"

    def name(self) -> str:
        return "action_answer_city_webinar"

    def answer(self, reply: Reply) -> list[EventType]:
        """A city's webinars; an organisation's when the message names one and no city ("Which
        webinar did C40 present at?" is asked like a city's question)."""
        city = resolve_city(reply.kb, reply.tracker, guess_names=False)
        if city.record is None or not city.fresh:
            organisation = named_organisation(reply.kb, reply.tracker, use_slot=False)
            answered = answer_presenter_webinars(reply, organisation) if organisation else None
            if answered is not None:
                return answered
        return super().answer(reply)

    def say_about(self, reply: Reply, city: City) -> None:
        webinars = city_webinars(reply, city)
        if is_series_only(city):
            say_series_only(reply, city)
        elif not webinars:
            reply.say("utter_city_no_webinar", city=city.label(reply.lang))
        else:
            reply.cite(webinars)  # the webinars' pages list the city among their presenters
            reply.say(
                "utter_city_webinar",
                city=city.label(reply.lang),
                webinars=webinar_titles(reply.kb, webinars, reply.lang),
            )


def known_city(reply: Reply, city: Found[City], kind: str) -> City | None:
    """The city to answer about; when there is none, say why (offering cities) and return None."""
    if city.record is not None:
        return city.record
    buttons = featured_city_buttons(reply, kind)
    if city.unknown:
        reply.say("utter_unknown_city", buttons=buttons, city=city.typed, cities=featured_city_names(reply))
    else:
        reply.say("utter_ask_city", buttons=buttons, cities=featured_city_names(reply))
    return None


#: How many cities a knowledge base without webinars offers as examples.
FEATURED_WITHOUT_WEBINARS = 3


def featured_cities(kb: KnowledgeBase) -> list[City]:
    """The cities of the featured webinar: examples of what the bot knows, not all of it. A
    knowledge base without webinars (staff starting with city files only) offers its first cities."""
    if not kb.webinars:
        return list(kb.cities.values())[:FEATURED_WITHOUT_WEBINARS]
    return [kb.cities[c] for c in main_webinar(kb).presenting_cities if c in kb.cities]


def featured_city_names(reply: Reply) -> str:
    return join_words([city.label(reply.lang) for city in featured_cities(reply.kb)], reply.lang)


def featured_city_buttons(reply: Reply, kind: str = "city_overview") -> list[dict[str, str]]:
    """Quick replies asking the same kind of question about each featured city."""
    intent = f"ask_{kind}" if f"ask_{kind}" in CITY_INTENTS else "ask_city_overview"
    return [button(city.label(reply.lang), intent, city=city.id) for city in featured_cities(reply.kb)]


def topic_buttons(reply: Reply, city: City) -> list[dict[str, str]]:
    """Quick replies for the topics a city's measures cover."""
    return [
        button(topic_label(t, reply.lang).capitalize(), "ask_city_topic", city=city.id, topic=t.id)
        for t in city_topics(reply.kb, city)[:MAX_TOPIC_BUTTONS]
    ]


def _say_measures(reply: Reply, city: City, topic: Topic) -> None:
    """The city's measures on the topic, official pages' first (`say_measures`)."""
    measures = official_first(reply.kb, reply.kb.measures_for(city.id, topic.id))
    label = topic_label(topic, reply.lang)
    if not measures:
        _say_nothing_on_topic(reply, city, label)
        return
    say_measures(reply, city, label, measures)


def _say_picked(reply: Reply, city: City, picked: Picked) -> list[EventType]:
    """The measures that answer the question, best first, then how to see the rest of their
    topic ("more": actions/more.py); the events remembering that rest."""
    label = topic_label(picked.topic, reply.lang) if picked.topic is not None else ""
    say_measures(reply, city, label, picked.best, best_first=True)
    if not picked.rest or picked.topic is None:
        return []
    response = "utter_city_rest_button" if is_web_page(reply.tracker) else "utter_city_rest_say_more"
    reply.say(response, rest=len(picked.rest), city=city.label(reply.lang), topic=label)
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

    A whole topic puts the presentations before the debate; measures ranked by the question
    (`best_first`) keep their order, so that the best one is said (and cited) first.
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
    """The measures grouped by the webinar they were said at, a debate's apart from the
    presentations: groups in the order of their first measure when `best_first`, else the
    presentations' (and those said at no webinar) first."""
    if not best_first:
        return [
            *by_webinar([m for m in measures if not _in_debate(m)]),
            *by_webinar([m for m in measures if _in_debate(m)]),
        ]
    groups: dict[tuple[str | None, bool], list[Measure]] = {}
    for measure in measures:
        groups.setdefault((measure.webinar, _in_debate(measure)), []).append(measure)
    return [(webinar_id, group) for (webinar_id, _), group in groups.items()]


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


def _say_nothing_on_topic(reply: Reply, city: City, label: str) -> None:
    """No measure on the topic: say which sources were read for the city and what they cover,
    without claiming that one particular summary was checked."""
    reply.say(
        "utter_city_topic_none",
        buttons=topic_buttons(reply, city),
        city=city.label(reply.lang),
        topic=label,
        topics=_topic_list(reply, city),
        sources=_sources_read(reply, city),
    )


def _say_nothing_matches(reply: Reply, city: City) -> None:
    """A question about a city that none of its facts answers ("is there a casino in
    Chefchaouen?"): say so, naming the sources read and what they cover, rather than "outside
    what I know" or a neighbouring topic."""
    reply.mention(city.id)  # the answer is about the city, from no fact of it
    reply.say(
        "utter_city_nothing_matches",
        buttons=topic_buttons(reply, city),
        city=city.label(reply.lang),
        topics=_topic_list(reply, city),
        sources=_sources_read(reply, city),
    )


def _sources_read(reply: Reply, city: City) -> str:
    """The pages read about a city (its file's and its measures'; else the pages listing it
    among a webinar's presenters), as the source line names them."""
    records: list[Sourced] = [city, *city.measures]
    source_ids = list(dict.fromkeys(s for record in records for s in record.sources))
    if not source_ids:  # a file stating nothing itself: the pages listing it among presenters
        source_ids = list(dict.fromkeys(s for w in reply.kb.webinars_for_city(city.id) for s in w.sources))
    return source_line(reply.kb, source_ids, reply.lang)[1]


def _say_status(reply: Reply, city: City) -> None:
    reply.cite([city])
    response = {"member": "utter_city_status_member", "prospective": "utter_city_status_prospective"}.get(
        city.network_status or "", "utter_city_status_unknown"
    )
    reply.say(response, city=city.label(reply.lang), country=country_name(reply.kb, city, reply.lang))


def city_webinars(reply: Reply, city: City) -> list[Webinar]:
    """The webinars `city` presented at, oldest first, those where every city the message names
    presented first ("Swansea and Manizales presented together at which webinar?")."""
    together = webinars_of_every_city(reply.kb, reply.tracker)
    return sorted(reply.kb.webinars_for_city(city.id), key=lambda w: w not in together)


def say_series_only(reply: Reply, city: City) -> None:
    """A city no source states a measure of: the webinar(s) it presented at, date and title."""
    webinars = city_webinars(reply, city)
    if not webinars:  # a file with a name and a country only: nothing more to say
        reply.cite([city])
        reply.say("utter_city_no_measures", city=city_label(reply.kb, city, reply.lang))
        return
    reply.cite(webinars)
    reply.say(
        "utter_city_series_only",
        city=city_label(reply.kb, city, reply.lang),
        webinars=webinar_titles(reply.kb, webinars, reply.lang),
    )


def _city_days(reply: Reply, city: City) -> str:
    """The dates of the webinars the city presented at ("" when none)."""
    webinars = reply.kb.webinars_for_city(city.id)
    return join_words([day(w.date, reply.lang) for w in webinars], reply.lang)


def _context_line(reply: Reply, city: City) -> str:
    """The city's `context` on a line of its own, or nothing: no blank line, which would split
    the message in chat channels."""
    return "\n" + city.context.get(reply.lang) if city.context else ""


def _topic_list(reply: Reply, city: City) -> str:
    return join_words([topic_label(t, reply.lang) for t in city_topics(reply.kb, city)], reply.lang)


#: The intent of each question about one city ("ask_" + its kind): for the buttons above, and
#: for the questions that name a webinar instead (actions/precise.py).
CITY_INTENTS = frozenset(
    f"ask_{action.kind}"
    for action in (
        AnswerCityTopic,
        AnswerCityOverview,
        AnswerCityCountry,
        AnswerCityStatus,
        AnswerCityRepresentative,
        AnswerCityWebinar,
    )
)
