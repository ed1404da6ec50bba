"""Answers that are not about one record: the list of cities, what the bot can do,
messages the NLU could not classify, and follow-up fragments ("And Chefchaouen?").
"""

from __future__ import annotations

from rasa_sdk.events import EventType

from actions.base import Reply
from actions.city_answers import (
    answer_city_country,
    answer_city_overview,
    answer_city_representative,
    answer_city_status,
    answer_city_topic,
    answer_city_webinar,
    featured_city_buttons,
    featured_city_names,
)
from actions.conversation import slot_text
from actions.facts import main_webinar
from actions.organisation_answers import answer_organisation
from actions.resolve import resolve_city, resolve_organisation, resolve_topic
from actions.topic_answers import answer_cities_by_topic
from actions.wording import day, join_words

#: Kinds of question (slot `last_question`) that a new city can be put into.
CITY_QUESTIONS = {
    "city_topic": answer_city_topic,
    "city_overview": answer_city_overview,
    "city_country": answer_city_country,
    "city_status": answer_city_status,
    "city_representative": answer_city_representative,
    "city_webinar": answer_city_webinar,
}


def answer_list_cities(reply: Reply) -> list[EventType]:
    """The cities presented at the main webinar, then those only listed in the series."""
    kb, lang = reply.kb, reply.lang
    webinar = main_webinar(kb)
    others = [c for c in kb.cities.values() if c.id not in webinar.presenting_cities]
    reply.say(
        "utter_list_cities",
        buttons=featured_city_buttons(reply),
        date=day(webinar.date, lang),
        featured=featured_city_names(reply),
        others=join_words([c.name for c in others], lang),
    )
    return []


def answer_capabilities(reply: Reply) -> list[EventType]:
    """What the bot can answer, with the source it answers from."""
    webinar = main_webinar(reply.kb)
    reply.say(
        "utter_capabilities",
        buttons=featured_city_buttons(reply),
        date=day(webinar.date, reply.lang),
        cities=featured_city_names(reply),
    )
    return []


def answer_fallback(reply: Reply) -> list[EventType]:
    """An unclassified message: answer it anyway when it names a city or a topic ("radio ?"),
    else say what can be asked."""
    city = resolve_city(reply.kb, reply.tracker, use_slot=False, guess_names=False)
    topic = resolve_topic(reply.kb, reply.tracker, use_slot=False)
    if city.known or city.unknown:
        return answer_city_topic(reply, city, topic)
    if topic.known:
        earlier_city = resolve_city(reply.kb, reply.tracker)
        if earlier_city.known:
            return answer_city_topic(reply, earlier_city, topic)
        return answer_cities_by_topic(reply, topic)
    webinar = main_webinar(reply.kb)
    reply.say(
        "utter_fallback",
        buttons=featured_city_buttons(reply),
        date=day(webinar.date, reply.lang),
        cities=featured_city_names(reply),
    )
    return []


def answer_follow_up(reply: Reply) -> list[EventType]:
    """A fragment ("And Chefchaouen?", « et pour les écoles ? ») completed from the last question."""
    kb, tracker = reply.kb, reply.tracker
    last = slot_text(tracker, "last_question") or ""
    new_city = resolve_city(kb, tracker, use_slot=False)
    new_topic = resolve_topic(kb, tracker, use_slot=False)
    new_organisation = resolve_organisation(kb, tracker, use_slot=False)
    if new_organisation.known and not new_city.known:
        kind = last if last.startswith("organisation") else "organisation"
        return answer_organisation(reply, new_organisation, kind)
    if not new_city.missing and not new_topic.missing:
        return answer_city_topic(reply, new_city, new_topic)
    if not new_city.missing:
        if last == "cities_by_topic":
            return answer_city_topic(reply, new_city, resolve_topic(kb, tracker))
        question = CITY_QUESTIONS.get(last, answer_city_overview)
        if question is answer_city_topic:
            return answer_city_topic(reply, new_city, resolve_topic(kb, tracker))
        return question(reply, new_city)
    if not new_topic.missing:
        if last == "cities_by_topic" or not slot_text(tracker, "city"):
            return answer_cities_by_topic(reply, new_topic)
        return answer_city_topic(reply, resolve_city(kb, tracker), new_topic)
    return answer_fallback(reply)
