"""Answers about one city: a topic, an overview, its country, status, representative, webinar.

Each `answer_*` function is shared by its own action and by the follow-up action, which
repeats the last kind of question for a new city or topic ("And Chefchaouen?").
"""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from actions.base import Reply, asked, button
from actions.facts import (
    city_label,
    city_topics,
    country_name,
    fact_lines,
    is_series_only,
    main_webinar,
    reporters,
    topic_label,
    webinar_days,
)
from actions.resolve import Found
from actions.wording import day, join_words
from citybot.kb.model import City, Topic

#: How many topic suggestions to offer as buttons.
MAX_TOPIC_BUTTONS = 6


def answer_city_topic(reply: Reply, city: Found, topic: Found) -> list[EventType]:
    """What a city did about a topic; its overview when no topic was given."""
    known = known_city(reply, city, "city_topic")
    if known is None:
        return _after_unknown_city(city, topic, "city_topic")
    if topic.missing:
        return answer_city_overview(reply, city)
    events = [SlotSet("city", known.id), asked("city_topic")]
    if is_series_only(known):
        _say_series_only(reply, known)
        return events
    if topic.unknown:
        reply.say(
            "utter_unknown_topic",
            buttons=topic_buttons(reply, known),
            topic=topic.asked,
            city=known.name,
            topics=_topic_list(reply, known),
        )
        return events
    return events + [SlotSet("topic", topic.record.id)] + _say_measures(reply, known, topic.record)


def _say_measures(reply: Reply, city: City, topic: Topic) -> list[EventType]:
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
        return []
    presented = [m for m in measures if m.part != "debate"]
    debated = [m for m in measures if m.part == "debate"]
    if presented:
        reply.say(
            "utter_city_topic",
            city=city.name,
            topic=label,
            facts=fact_lines(presented, reply.lang),
            reporter=reporters(reply.kb, [m.reported_by for m in presented], reply.lang),
            date=webinar_days(reply.kb, [m.webinar for m in presented], reply.lang),
        )
    if debated:
        reply.say(
            "utter_city_topic_debate",
            city=city.name,
            topic=label,
            facts=fact_lines(debated, reply.lang),
            reporter=reporters(reply.kb, [m.reported_by for m in debated], reply.lang),
            date=webinar_days(reply.kb, [m.webinar for m in debated], reply.lang),
        )
    return []


def answer_city_overview(reply: Reply, city: Found) -> list[EventType]:
    """Who the city is (country, status), who presented it, its situation and topics."""
    known = known_city(reply, city, "city_overview")
    if known is None:
        return [asked("city_overview")]
    events = [SlotSet("city", known.id), asked("city_overview")]
    if is_series_only(known):
        _say_series_only(reply, known)
        return events
    _say_status(reply, known)
    context = known.context.get(reply.lang) if known.context else ""
    reply.say(
        "utter_city_overview",
        buttons=topic_buttons(reply, known),
        city=known.name,
        reporter=reporters(reply.kb, [known.representative.id] if known.representative else [], reply.lang),
        date=_city_days(reply, known),
        context=context,
        topics=_topic_list(reply, known),
    )
    return events


def answer_city_country(reply: Reply, city: Found) -> list[EventType]:
    known = known_city(reply, city, "city_country")
    if known is None:
        return [asked("city_country")]
    reply.say("utter_city_country", city=known.name, country=country_name(reply.kb, known, reply.lang))
    return [SlotSet("city", known.id), asked("city_country")]


def answer_city_status(reply: Reply, city: Found) -> list[EventType]:
    known = known_city(reply, city, "city_status")
    if known is None:
        return [asked("city_status")]
    _say_status(reply, known)
    return [SlotSet("city", known.id), asked("city_status")]


def answer_city_representative(reply: Reply, city: Found) -> list[EventType]:
    known = known_city(reply, city, "city_representative")
    if known is None:
        return [asked("city_representative")]
    person = known.representative
    if person is None:
        reply.say("utter_city_representative_unknown", city=known.name, date=_city_days(reply, known))
    else:
        reply.say(
            "utter_city_representative",
            city=known.name,
            person=person.display_name(reply.lang),
            role=person.role.get(reply.lang) if person.role else "",
            date=_city_days(reply, known),
        )
    return [SlotSet("city", known.id), asked("city_representative")]


def answer_city_webinar(reply: Reply, city: Found) -> list[EventType]:
    """When (and whether) a city presented in the webinar series."""
    known = known_city(reply, city, "city_webinar")
    if known is None:
        return [asked("city_webinar")]
    if is_series_only(known):
        _say_series_only(reply, known)
    elif not reply.kb.webinars_for_city(known.id):
        reply.say("utter_city_no_webinar", city=known.name)
    else:
        webinars = reply.kb.webinars_for_city(known.id)
        reply.say(
            "utter_city_webinar",
            city=known.name,
            date=_city_days(reply, known),
            title=join_words([w.title.get(reply.lang) for w in webinars], reply.lang),
        )
    return [SlotSet("city", known.id), asked("city_webinar")]


def known_city(reply: Reply, city: Found, intent: str) -> City | None:
    """The city to answer about; when there is none, say why and return None."""
    if city.known:
        return city.record
    if city.unknown:
        reply.say(
            "utter_unknown_city",
            buttons=featured_city_buttons(reply, intent),
            city=city.asked,
            cities=featured_city_names(reply),
        )
    else:
        reply.say(
            "utter_ask_city", buttons=featured_city_buttons(reply, intent), cities=featured_city_names(reply)
        )
    return None


def featured_city_names(reply: Reply) -> str:
    """The cities presented in detail at the main webinar: what the bot knows best."""
    webinar = main_webinar(reply.kb)
    return join_words([reply.kb.cities[c].name for c in webinar.presenting_cities], reply.lang)


def featured_city_buttons(reply: Reply, intent: str = "city_overview") -> list:
    """Quick replies asking the same kind of question about each featured city."""
    intent = f"ask_{intent}" if f"ask_{intent}" in _CITY_INTENTS else "ask_city_overview"
    webinar = main_webinar(reply.kb)
    return [button(reply.kb.cities[c].name, intent, city=c) for c in webinar.presenting_cities]


def topic_buttons(reply: Reply, city: City) -> list:
    """Quick replies for the topics a city's measures cover."""
    return [
        button(topic_label(t, reply.lang).capitalize(), "ask_city_topic", city=city.id, topic=t.id)
        for t in city_topics(reply.kb, city)[:MAX_TOPIC_BUTTONS]
    ]


_CITY_INTENTS = {
    "ask_city_topic",
    "ask_city_overview",
    "ask_city_country",
    "ask_city_status",
    "ask_city_representative",
    "ask_city_webinar",
}


def _after_unknown_city(city: Found, topic: Found, kind: str) -> list[EventType]:
    events = [asked(kind)]
    if topic.known:
        events.append(SlotSet("topic", topic.record.id))
    return events


def _say_status(reply: Reply, city: City) -> None:
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
