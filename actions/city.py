"""Questions about one city: a topic, an overview, its country, status, representative, webinar.

Each action finds the city (or asks which one), answers, and remembers the city and the kind
of question. The follow-up action (actions/general.py) reuses them for a new city or topic
("And Chefchaouen?") through `CityAction.answer_city` and `AnswerCityTopic.answer_about`.
"""

from __future__ import annotations

from abc import abstractmethod

from rasa_sdk.events import EventType, SlotSet

from actions.base import KnowledgeAction
from actions.facts import (
    Reply,
    button,
    city_label,
    city_topics,
    country_name,
    day,
    fact_lines,
    is_series_only,
    join_words,
    main_webinar,
    remember_question,
    reporters,
    topic_label,
    webinar_days,
)
from actions.resolve import NOTHING, Found, resolve_city, resolve_topic
from actions.topics import AnswerCitiesByTopic
from citybot.kb.model import City, Topic

#: How many topic suggestions to offer as buttons.
MAX_TOPIC_BUTTONS = 6


class AnswerCityTopic(KnowledgeAction):
    """What a city did about a topic ("What is Mayo-Baléo doing about schooling?")."""

    kind = "city_topic"

    def name(self) -> str:
        return "action_answer_city_topic"

    def answer(self, reply: Reply) -> list[EventType]:
        city = resolve_city(reply.kb, reply.tracker)
        topic = resolve_topic(reply.kb, reply.tracker)
        if city.missing and topic.known:  # "radio ?" with no city yet: which cities did it
            return AnswerCitiesByTopic().answer_topic(reply, topic)
        if city.fresh and not topic.fresh:  # a new city without a topic: its overview, not an old topic
            topic = NOTHING
        return self.answer_about(reply, city, topic)

    def answer_about(self, reply: Reply, city: Found[City], topic: Found[Topic]) -> list[EventType]:
        """What `city` did about `topic`; its overview when no topic was given."""
        known = known_city(reply, city, self.kind)
        if known is None:
            topic_event = [SlotSet("topic", topic.record.id)] if topic.record is not None else []
            return [remember_question(self.kind), *topic_event]
        if topic.missing:
            return AnswerCityOverview().answer_city(reply, city)
        events = [SlotSet("city", known.id), remember_question(self.kind)]
        if is_series_only(known):
            _say_series_only(reply, known)
            return events
        if topic.record is None:  # words that name no topic of the knowledge base
            reply.say(
                "utter_unknown_topic",
                buttons=topic_buttons(reply, known),
                topic=topic.typed,
                city=known.name,
                topics=_topic_list(reply, known),
            )
            return events
        _say_measures(reply, known, topic.record)
        return [*events, SlotSet("topic", topic.record.id)]


class CityAction(KnowledgeAction):
    """A question about one city: find it (or ask which one), answer, remember city and question."""

    #: The kind of question (slot `last_question`); `ask_<kind>` is its intent.
    kind: str

    def answer(self, reply: Reply) -> list[EventType]:
        return self.answer_city(reply, resolve_city(reply.kb, reply.tracker))

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

    def name(self) -> str:
        return "action_answer_city_overview"

    def say_about(self, reply: Reply, city: City) -> None:
        if is_series_only(city):
            _say_series_only(reply, city)
            return
        _say_status(reply, city)
        reply.cite([city, *city.measures])  # the topics listed are those of its measures
        reply.say(
            "utter_city_overview",
            buttons=topic_buttons(reply, city),
            city=city.name,
            reporter=reporters(reply.kb, [person.id for person in city.representatives], reply.lang),
            date=_city_days(reply, city),
            context=city.context.get(reply.lang) if city.context else "",
            topics=_topic_list(reply, city),
        )


class AnswerCityCountry(CityAction):
    kind = "city_country"

    def name(self) -> str:
        return "action_answer_city_country"

    def say_about(self, reply: Reply, city: City) -> None:
        reply.cite([city])
        reply.say("utter_city_country", city=city.name, country=country_name(reply.kb, city, reply.lang))


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
        if not city.representatives:
            reply.say("utter_city_representative_unknown", city=city.name, date=_city_days(reply, city))
            return
        reply.cite([city])  # the city file's sources state its representatives
        for person in city.representatives:  # a city may send several people: one line each
            reply.say(
                "utter_city_representative",
                city=city.name,
                person=person.display_name(reply.lang),
                role=person.role.get(reply.lang) if person.role else "",
                date=_city_days(reply, city),
            )


class AnswerCityWebinar(CityAction):
    """When (and whether) a city presented in the webinar series."""

    kind = "city_webinar"

    def name(self) -> str:
        return "action_answer_city_webinar"

    def say_about(self, reply: Reply, city: City) -> None:
        webinars = reply.kb.webinars_for_city(city.id)
        if is_series_only(city):
            _say_series_only(reply, city)
        elif not webinars:
            reply.say("utter_city_no_webinar", city=city.name)
        else:
            reply.say(
                "utter_city_webinar",
                city=city.name,
                date=_city_days(reply, city),
                title=join_words([w.title.get(reply.lang) for w in webinars], reply.lang),
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


def featured_city_names(reply: Reply) -> str:
    """The cities presented in detail at the main webinar: what the bot knows best."""
    webinar = main_webinar(reply.kb)
    return join_words([reply.kb.cities[c].name for c in webinar.presenting_cities], reply.lang)


def featured_city_buttons(reply: Reply, kind: str = "city_overview") -> list[dict[str, str]]:
    """Quick replies asking the same kind of question about each featured city."""
    intent = f"ask_{kind}" if f"ask_{kind}" in _CITY_INTENTS else "ask_city_overview"
    webinar = main_webinar(reply.kb)
    return [button(reply.kb.cities[c].name, intent, city=c) for c in webinar.presenting_cities]


def topic_buttons(reply: Reply, city: City) -> list[dict[str, str]]:
    """Quick replies for the topics a city's measures cover."""
    return [
        button(topic_label(t, reply.lang).capitalize(), "ask_city_topic", city=city.id, topic=t.id)
        for t in city_topics(reply.kb, city)[:MAX_TOPIC_BUTTONS]
    ]


def _say_measures(reply: Reply, city: City, topic: Topic) -> None:
    """The city's measures on the topic, those presented apart from those said in the debate."""
    measures = reply.kb.measures_for(city.id, topic.id)
    label = topic_label(topic, reply.lang)
    if not measures:
        reply.say(
            "utter_city_topic_none",
            buttons=topic_buttons(reply, city),
            city=city.name,
            topic=label,
            topics=_topic_list(reply, city),
            date=webinar_days(reply.kb, [None], reply.lang),
        )
        return
    for response, part in (
        ("utter_city_topic", [m for m in measures if m.part != "debate"]),
        ("utter_city_topic_debate", [m for m in measures if m.part == "debate"]),
    ):
        if part:
            reply.cite(part)
            reply.say(
                response,
                city=city.name,
                topic=label,
                facts=fact_lines(part, reply.lang),
                reporter=reporters(reply.kb, [m.reported_by for m in part], reply.lang),
                date=webinar_days(reply.kb, [m.webinar for m in part], reply.lang),
            )


def _say_status(reply: Reply, city: City) -> None:
    reply.cite([city])
    response = {"member": "utter_city_status_member", "prospective": "utter_city_status_prospective"}.get(
        city.network_status or "", "utter_city_status_unknown"
    )
    reply.say(response, city=city.name, country=country_name(reply.kb, city, reply.lang))


def _say_series_only(reply: Reply, city: City) -> None:
    webinars = reply.kb.webinars_for_city(city.id)
    reply.say(
        "utter_city_series_only",
        city=city_label(reply.kb, city, reply.lang),
        date=_city_days(reply, city),
        title=join_words([w.title.get(reply.lang) for w in webinars], reply.lang),
        main_date=day(main_webinar(reply.kb).date, reply.lang),
    )


def _city_days(reply: Reply, city: City) -> str:
    webinars = reply.kb.webinars_for_city(city.id)
    return join_words([day(w.date, reply.lang) for w in webinars], reply.lang)


def _topic_list(reply: Reply, city: City) -> str:
    return join_words([topic_label(t, reply.lang) for t in city_topics(reply.kb, city)], reply.lang)


#: The intent of each question about one city ("ask_" + its kind), for the buttons above.
_CITY_INTENTS = {
    f"ask_{action.kind}"
    for action in (
        AnswerCityTopic,
        AnswerCityOverview,
        AnswerCityCountry,
        AnswerCityStatus,
        AnswerCityRepresentative,
        AnswerCityWebinar,
    )
}
