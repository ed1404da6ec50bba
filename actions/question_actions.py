"""The Rasa actions, one per kind of question; each delegates to an `answer_*` function.

Rules in `data/rules.yml` map every intent to one of these actions (see bot/domain.yml), or to a
static response. `action_answer_with_notice` answers a message that calls for a notice (shortened,
third language): it says the notices, then answers exactly as the rule for its intent would
(`RESPONSES`, `ANSWERS`), so the turn still makes one call to the action server.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Text, Type

from rasa_sdk.events import EventType

from actions.base import KnowledgeAction, Reply
from actions.city_answers import (
    answer_city_country, answer_city_overview, answer_city_representative, answer_city_status,
    answer_city_topic, answer_city_webinar,
)
from actions.general_answers import (
    answer_capabilities, answer_fallback, answer_follow_up, answer_list_cities,
)
from actions.organisation_answers import answer_organisation, answer_person
from actions.knowledge import preload_kb
from actions.notices import add_notices
from actions.resolve import NOTHING, resolve_city, resolve_day, resolve_organisation, resolve_topic
from actions.topic_answers import answer_cities_by_topic
from actions.webinar_answers import (
    answer_director_remarks, answer_masks_debate, answer_series, answer_webinar,
    answer_webinar_attendance, answer_webinar_host, answer_webinar_language, answer_webinar_moderator,
)


# Load the knowledge base when the action server starts rather than on the first question.
preload_kb()


class AnswerCityTopic(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_city_topic"

    def answer(self, reply: Reply) -> List[EventType]:
        city = resolve_city(reply.kb, reply.tracker)
        topic = resolve_topic(reply.kb, reply.tracker)
        if city.missing and topic.known:  # "radio ?" with no city yet: which cities did it
            return answer_cities_by_topic(reply, topic)
        if city.fresh and not topic.fresh:  # a new city without a topic: its overview, not an old topic
            topic = NOTHING
        return answer_city_topic(reply, city, topic)


class AnswerCityOverview(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_city_overview"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_city_overview(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCityCountry(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_city_country"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_city_country(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCityStatus(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_city_status"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_city_status(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCityRepresentative(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_city_representative"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_city_representative(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCityWebinar(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_city_webinar"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_city_webinar(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCitiesByTopic(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_cities_by_topic"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_cities_by_topic(reply, resolve_topic(reply.kb, reply.tracker))


class AnswerFollowUp(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_follow_up"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_follow_up(reply)


class ListCities(KnowledgeAction):
    def name(self) -> Text:
        return "action_list_cities"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_list_cities(reply)


class ExplainCapabilities(KnowledgeAction):
    def name(self) -> Text:
        return "action_explain_capabilities"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_capabilities(reply)


class AnswerFallback(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_fallback"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_fallback(reply)


class AnswerWebinar(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_webinar"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_webinar(reply, resolve_day(reply.tracker))


class AnswerWebinarHost(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_webinar_host"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_webinar_host(reply)


class AnswerWebinarLanguage(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_webinar_language"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_webinar_language(reply)


class AnswerWebinarModerator(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_webinar_moderator"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_webinar_moderator(reply)


class AnswerWebinarAttendance(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_webinar_attendance"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_webinar_attendance(reply)


class AnswerDirectorOpening(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_director_opening"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_director_remarks(reply, "opening")


class AnswerDirectorClosing(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_director_closing"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_director_remarks(reply, "closing")


class AnswerMasksDebate(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_masks_debate"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_masks_debate(reply)


class AnswerSeries(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_series"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_series(reply, resolve_day(reply.tracker))


class AnswerOrganisation(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_organisation"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_organisation(reply, resolve_organisation(reply.kb, reply.tracker), "organisation")


class AnswerOrganisationLeader(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_organisation_leader"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_organisation(reply, resolve_organisation(reply.kb, reply.tracker), "organisation_leader")


class AnswerOrganisationCovid(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_organisation_covid"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_organisation(reply, resolve_organisation(reply.kb, reply.tracker), "organisation_covid")


class AnswerOrganisationThemes(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_organisation_themes"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_organisation(reply, resolve_organisation(reply.kb, reply.tracker), "organisation_themes")


class AnswerPerson(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_person"

    def answer(self, reply: Reply) -> List[EventType]:
        return answer_person(reply)


class AnswerWithNotice(KnowledgeAction):
    """The notices this message calls for, then the answer its intent's rule would give.

    Predicted by `citybot.policies.ConversationLanguagePolicy` instead of the rule's action when
    a notice is due.
    """

    def name(self) -> Text:
        return "action_answer_with_notice"

    def answer(self, reply: Reply) -> List[EventType]:
        add_notices(reply.dispatcher, reply.tracker, reply.kb)
        intent = latest_intent(reply)
        if intent in RESPONSES:
            reply.say(RESPONSES[intent])
            return []
        return ANSWERS.get(intent, AnswerFallback)().answer(reply)


def latest_intent(reply: Reply) -> Optional[str]:
    intent = (reply.tracker.latest_message or {}).get("intent")
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None


#: The intents data/rules.yml answers with a static response (tests check both agree).
RESPONSES: Dict[str, str] = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_thank",
    "out_of_scope": "utter_out_of_scope",
    "switch_language": "utter_language_switched",
}

#: The intents data/rules.yml answers with a custom action; anything else gets the fallback.
ANSWERS: Dict[str, Type[KnowledgeAction]] = {
    "nlu_fallback": AnswerFallback,
    "ask_city_topic": AnswerCityTopic,
    "ask_city_overview": AnswerCityOverview,
    "ask_city_country": AnswerCityCountry,
    "ask_city_status": AnswerCityStatus,
    "ask_city_representative": AnswerCityRepresentative,
    "ask_city_webinar": AnswerCityWebinar,
    "ask_cities_by_topic": AnswerCitiesByTopic,
    "inform": AnswerFollowUp,
    "list_cities": ListCities,
    "bot_capabilities": ExplainCapabilities,
    "ask_series": AnswerSeries,
    "ask_webinar": AnswerWebinar,
    "ask_webinar_host": AnswerWebinarHost,
    "ask_webinar_language": AnswerWebinarLanguage,
    "ask_webinar_moderator": AnswerWebinarModerator,
    "ask_webinar_attendance": AnswerWebinarAttendance,
    "ask_director_opening": AnswerDirectorOpening,
    "ask_director_closing": AnswerDirectorClosing,
    "ask_masks_debate": AnswerMasksDebate,
    "ask_organisation": AnswerOrganisation,
    "ask_organisation_leader": AnswerOrganisationLeader,
    "ask_organisation_covid": AnswerOrganisationCovid,
    "ask_organisation_themes": AnswerOrganisationThemes,
    "ask_person": AnswerPerson,
}
