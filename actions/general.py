"""Answers that are not about one record: the list of cities, what the bot can do, messages the
NLU could not classify, and follow-up fragments ("And Chefchaouen?"), which put a new city,
topic or organisation into the last question by reusing that question's action.
"""

from __future__ import annotations

from rasa_sdk.events import EventType

from actions.ambiguity import answer_likelier, answer_small_talk
from actions.base import KnowledgeAction
from actions.city import (
    AnswerCityCountry,
    AnswerCityOverview,
    AnswerCityRepresentative,
    AnswerCityStatus,
    AnswerCityTopic,
    AnswerCityWebinar,
    CityAction,
    featured_city_buttons,
    featured_city_names,
)
from actions.facts import LAST_QUESTION_SLOT, Reply, is_series_only, join_words
from actions.organisation import ORGANISATION_QUESTIONS, AnswerOrganisation, AnswerPerson, asks_who_they_are
from actions.phrasing import asks_what_was_said, beyond_phrasing
from actions.precise import answer_from_anywhere, answer_from_dominant_fact
from actions.resolve import (
    ASKING_NAME,
    NOTHING,
    ROLE_OF_VERB,
    ROLE_WORDS,
    SAYS_WEBINAR,
    SPEAKING_FOR,
    Found,
    asks_who,
    latest_intent,
    matching_webinars,
    message_text,
    named_organisation,
    resolve_city,
    resolve_organisation,
    resolve_person,
    resolve_topic,
    resolve_webinar,
    slot_text,
    webinar_by_attendance,
)
from actions.retrieved import (
    asks_for_cities,
    asks_something_specific,
    asks_which_cities_did,
    asks_who_did_what_measures_do,
    matching_measures,
)
from actions.topics import AnswerCitiesByTopic
from actions.webinar import AnswerWebinar, dated_or_ordered
from citybot.kb.model import Webinar
from citybot.kb.normalize import fold
from citybot.retrieval.analysis import words

#: Kinds of question (slot `last_question`) that a new city alone can be put into.
CITY_QUESTIONS: dict[str, CityAction] = {
    action.kind: action
    for action in (
        AnswerCityOverview(),
        AnswerCityCountry(),
        AnswerCityStatus(),
        AnswerCityRepresentative(),
        AnswerCityWebinar(),
    )
}


class ListCities(KnowledgeAction):
    words_first = True  # « qu'a dit Pagratis sur les réfugiés ? » read as a list: his words

    def name(self) -> str:
        return "action_list_cities"

    def answer(self, reply: Reply) -> list[EventType]:
        """The cities whose measures the sources state, then those the sources only list among
        the series' presenters (whichever page the facts come from: webinar, snapshot, city page).
        A list asking for cities that did something ("which cities set up a chatbot?") lists
        those whose measures match it; one naming a webinar ("which cities presented at the 27
        May webinar?") gets that webinar, whose answer says who presented."""
        from actions.precise import answer_from_named_webinar  # it builds on this module

        events = answer_from_named_webinar(reply)
        if events is not None:
            return events
        text = message_text(reply.tracker)
        asked = beyond_phrasing(text, latest_intent(reply.tracker))
        city = resolve_city(reply.kb, reply.tracker, use_slot=False, guess_names=False)
        if city.known and not asks_for_cities(text) and asks_something_specific(reply.kb, asked):
            # « le site coronavirus de la ville d'Espoo existe en quelles langues ? »: about Espoo
            topic = resolve_topic(reply.kb, reply.tracker, use_slot=False)
            return AnswerCityTopic().answer_about(reply, city, topic, honest=True)
        if asks_something_specific(reply.kb, asked) and matching_measures(reply.kb, asked):
            return AnswerCitiesByTopic().answer_matching(reply, NOTHING)
        kb, lang = reply.kb, reply.lang
        detailed = [c for c in kb.cities.values() if not is_series_only(c)]
        others = [c for c in kb.cities.values() if is_series_only(c)]
        reply.say(
            "utter_list_cities" if others else "utter_list_cities_detailed",
            buttons=featured_city_buttons(reply),
            featured=join_words([c.label(lang) for c in detailed], lang),
            others=join_words([c.label(lang) for c in others], lang),
        )
        return []


class ExplainCapabilities(KnowledgeAction):
    def name(self) -> str:
        return "action_explain_capabilities"

    def answer(self, reply: Reply) -> list[EventType]:
        """What the bot can answer and the kinds of pages it answers from (no one summary: the
        knowledge base holds many pages, each answer names its own)."""
        reply.say(
            "utter_capabilities",
            buttons=featured_city_buttons(reply),
            cities=featured_city_names(reply),
        )
        return []


class AnswerFallback(KnowledgeAction):
    facts_first = True  # "Wuhan's community grid": its facts, before any torn reading

    def name(self) -> str:
        return "action_answer_fallback"

    def answer_precisely(self, reply: Reply) -> list[EventType]:
        """Who someone is, for a message that names a person (by name or role) and asks nothing
        else ("Dionysia Ampatzidi ?", « le maire d'Osan, il s'appelle comment ? ») or asks who
        did what their role says ("who founded the CCDKM?"), before any fact of their city;
        else as any action."""
        person = resolve_person(reply.kb, reply.tracker)
        if person is not None and _asks_who_did(reply):
            return AnswerPerson().say_who(reply, person)
        if person is not None and (_names_only(reply) or asks_who_they_are(message_text(reply.tracker))):
            return AnswerPerson().answer(reply)
        return super().answer_precisely(reply)

    def answer(self, reply: Reply) -> list[EventType]:
        """An unclassified message, answered by the most explicit thing it says, else "what can
        be asked": (after `facts_first`: words quoted, a city's or an organisation's facts) a
        webinar it names by what it was about, the one fact it names something of ("EMAPUR"), the
        classifier's likelier reading when torn, a person it names (who they are), small talk, a city (its matching facts, or a plain
        "my sources on it say nothing about that", never "I am not sure"), a webinar by date or
        order, a topic ("radio ?")."""
        city = resolve_city(reply.kb, reply.tracker, use_slot=False, guess_names=False)
        topic = resolve_topic(reply.kb, reply.tracker, use_slot=False)
        if (
            not city.known
            and named_organisation(reply.kb, reply.tracker, use_slot=False)
            and _names_only(reply)
        ):
            return AnswerOrganisation().answer(reply)  # « le HCR c'est quoi déjà ? »: what it is
        about = webinar_about(reply)
        if about is not None and not city.known:
            # "webinaire santé mentale": that webinar, whatever else the classifier hesitated
            # over, not the cities of the topic
            return AnswerWebinar().answer_found(reply, Found(about, None, True))
        text = message_text(reply.tracker)
        if not city.known and (
            asks_which_cities_did(reply.kb, text)
            or asks_who_did_what_measures_do(reply.kb, text, every_word=True, min_words=2)
        ):
            # « quelles mairies ont demandé aux habitants de rester chez eux ? », "who asked
            # residents to stay home?": those that did, not the one fact holding most of its words
            return AnswerCitiesByTopic().answer_matching(reply, NOTHING)
        anywhere = answer_from_anywhere(reply)  # "What is EMAPUR?": the one fact about it
        if anywhere is not None:
            return anywhere
        dominant = answer_from_dominant_fact(reply)  # a fact far ahead of the others, before a weak reading
        if dominant is not None:
            return dominant
        person = resolve_person(reply.kb, reply.tracker)
        torn = answer_likelier(reply)
        if torn is not None:
            return torn
        if person is not None and (city.record is None or person.city == city.record.id):
            return AnswerPerson().answer(reply)  # « michal guc qui c'est », "michal guc gdynia": who they are
        small_talk = answer_small_talk(reply)
        if small_talk is not None:
            return small_talk
        if city.known or city.unknown:
            return AnswerCityTopic().answer_about(reply, city, topic, honest=True)
        webinar = webinar_named(reply)
        if not webinar.missing:  # a webinar's date or order: that webinar
            return AnswerWebinar().answer_found(reply, webinar)
        if topic.known:
            earlier_city = resolve_city(reply.kb, reply.tracker)
            if earlier_city.known:
                return AnswerCityTopic().answer_about(reply, earlier_city, topic)
            return AnswerCitiesByTopic().answer_question(reply, topic)
        reply.say("utter_fallback", buttons=featured_city_buttons(reply), cities=featured_city_names(reply))
        return []


def _names_only(reply: Reply) -> bool:
    """Whether the message says nothing but names, roles and the words people ask who someone is
    with ("Dionysia Ampatzidi ?", « Harri Rinta-aho, il fait quoi ? », « le maire d'Osan, il
    s'appelle comment ? »): no saying verb, nothing specific asked."""
    text = message_text(reply.tracker)
    ignored = ROLE_WORDS | SPEAKING_FOR | ASKING_NAME
    asked = " ".join(w for w in words(beyond_phrasing(text, "ask_person")) if w not in ignored)
    return not asks_what_was_said(text) and not asks_something_specific(reply.kb, asked)


def _asks_who_did(reply: Reply) -> bool:
    """Whether the message asks who did what makes someone's role ("who founded the CCDKM
    research centre?", « qui a fondé… ? »): the person, whatever else it says."""
    text = message_text(reply.tracker)
    return asks_who(text) and any(word in ROLE_OF_VERB for word in fold(text).split())


class AnswerOutOfScope(KnowledgeAction):
    """A message the classifier put outside what the bot knows ("what is the weather in Chefchaouen?").

    When it names a city the knowledge base knows, the bot knows something about it: answer from
    the city's facts that match the question, or say that its sources on the city say nothing
    about that (actions/city.py); a webinar it names by date or order gets that webinar's
    answer. Without a known city or webinar, it is out of scope. "Who said…?" quoting someone's
    words gets them first (`facts_first`).
    """

    facts_first = True

    def name(self) -> str:
        return "action_answer_out_of_scope"

    def answer(self, reply: Reply) -> list[EventType]:
        city = resolve_city(reply.kb, reply.tracker, use_slot=False, guess_names=False)
        if city.known:
            topic = resolve_topic(reply.kb, reply.tracker, use_slot=False)
            return AnswerCityTopic().answer_about(reply, city, topic, honest=True)
        webinar = webinar_named(reply)
        if not webinar.missing:  # a webinar's date or order: that webinar
            return AnswerWebinar().answer_found(reply, webinar)
        # "which cities had a phone hotline?" read as out of scope
        if asks_which_cities_did(reply.kb, message_text(reply.tracker), every_word=True):
            return AnswerCitiesByTopic().answer_matching(reply, NOTHING)
        anywhere = answer_from_anywhere(reply)  # "Akchour waterfalls, is that covid?": its fact
        if anywhere is not None:
            return anywhere
        reply.say("utter_out_of_scope")
        return []


def webinar_named(reply: Reply) -> Found[Webinar]:
    """The webinar a message the classifier could not place names by its date or its order ("the
    second webinar"), or by what it was about when it says "webinar" (`webinar_about`); else
    nothing: chit-chat shares words with webinars by chance (« qui a gagné la coupe du monde ? »)."""
    if _pins_a_webinar(reply):
        return resolve_webinar(reply.kb, reply.tracker)
    about = webinar_about(reply)
    return Found(about, None, True) if about is not None else NOTHING


def webinar_about(reply: Reply) -> Webinar | None:
    """The webinar a message saying "webinar" asks about by what it was about ("webinaire santé
    mentale et bien-être"), best first; None when it does not say "webinar", names it by date or
    order instead, or none matches."""
    text = message_text(reply.tracker)
    if not SAYS_WEBINAR.search(fold(text)) or _pins_a_webinar(reply):
        return None
    about = matching_webinars(reply.kb, text)
    return about[0] if about else None


def _pins_a_webinar(reply: Reply) -> bool:
    """Whether the message names a webinar by its date, its order or its attendance ("which
    webinar had 250 people?"), which say which one better than any word of what it was about."""
    return dated_or_ordered(reply) or webinar_by_attendance(reply.kb, message_text(reply.tracker)) is not None


class AnswerFollowUp(KnowledgeAction):
    facts_first = True  # "and what did the UCCN say about culture?": its facts, not its description

    def name(self) -> str:
        return "action_answer_follow_up"

    def answer(self, reply: Reply) -> list[EventType]:
        """A fragment ("And Chefchaouen?", « et pour les écoles ? ») completed from the last question."""
        kb, tracker = reply.kb, reply.tracker
        last = slot_text(tracker, LAST_QUESTION_SLOT) or ""
        new_city = resolve_city(kb, tracker, use_slot=False)
        new_topic = resolve_topic(kb, tracker, use_slot=False)
        new_organisation = resolve_organisation(kb, tracker, use_slot=False)
        if new_organisation.known and not new_city.known:
            kind = last if last.startswith("organisation") else "organisation"
            return ORGANISATION_QUESTIONS[kind].answer_organisation(reply, new_organisation)
        if not new_city.missing and not new_topic.missing:
            return AnswerCityTopic().answer_about(reply, new_city, new_topic)
        if not new_city.missing:
            if last in ("city_topic", "cities_by_topic"):
                return AnswerCityTopic().answer_about(reply, new_city, resolve_topic(kb, tracker))
            return CITY_QUESTIONS.get(last, CITY_QUESTIONS["city_overview"]).answer_city(reply, new_city)
        if not new_topic.missing:
            if last == "cities_by_topic" or not slot_text(tracker, "city"):
                # the cities that did what it says beyond the topic, when it says more
                return AnswerCitiesByTopic().answer_question(reply, new_topic)
            return AnswerCityTopic().answer_about(reply, resolve_city(kb, tracker), new_topic)
        return AnswerFallback().answer_precisely(reply)
