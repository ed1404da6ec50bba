"""The Rasa actions, one per kind of question; each delegates to an `answer_*` function.

Rules in `data/rules.yml` map every intent to one of these actions (see bot/domain.yml), or to a
static response. `action_answer_with_notice` answers a message that calls for a notice (shortened,
third language): it says the notices, then answers exactly as the rule for its intent would
(read from data/rules.yml), so the turn still makes one call to the action server.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from rasa_sdk.events import EventType

from actions.base import KnowledgeAction, Reply
from actions.city_answers import (
    answer_city_country,
    answer_city_overview,
    answer_city_representative,
    answer_city_status,
    answer_city_topic,
    answer_city_webinar,
)
from actions.general_answers import (
    answer_capabilities,
    answer_fallback,
    answer_follow_up,
    answer_list_cities,
)
from actions.knowledge import preload_kb
from actions.notices import add_notices
from actions.organisation_answers import answer_organisation, answer_person
from actions.resolve import NOTHING, resolve_city, resolve_day, resolve_organisation, resolve_topic
from actions.topic_answers import answer_cities_by_topic
from actions.webinar_answers import (
    answer_director_remarks,
    answer_masks_debate,
    answer_series,
    answer_webinar,
    answer_webinar_attendance,
    answer_webinar_host,
    answer_webinar_language,
    answer_webinar_moderator,
)

#: The rules (one per intent) that `action_answer_with_notice` follows.
RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "rules.yml"

# Load the knowledge base when the action server starts rather than on the first question.
preload_kb()


class AnswerCityTopic(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_city_topic"

    def answer(self, reply: Reply) -> list[EventType]:
        city = resolve_city(reply.kb, reply.tracker)
        topic = resolve_topic(reply.kb, reply.tracker)
        if city.missing and topic.known:  # "radio ?" with no city yet: which cities did it
            return answer_cities_by_topic(reply, topic)
        if city.fresh and not topic.fresh:  # a new city without a topic: its overview, not an old topic
            topic = NOTHING
        return answer_city_topic(reply, city, topic)


class AnswerCityOverview(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_city_overview"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_city_overview(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCityCountry(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_city_country"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_city_country(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCityStatus(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_city_status"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_city_status(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCityRepresentative(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_city_representative"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_city_representative(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCityWebinar(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_city_webinar"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_city_webinar(reply, resolve_city(reply.kb, reply.tracker))


class AnswerCitiesByTopic(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_cities_by_topic"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_cities_by_topic(reply, resolve_topic(reply.kb, reply.tracker))


class AnswerFollowUp(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_follow_up"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_follow_up(reply)


class ListCities(KnowledgeAction):
    def name(self) -> str:
        return "action_list_cities"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_list_cities(reply)


class ExplainCapabilities(KnowledgeAction):
    def name(self) -> str:
        return "action_explain_capabilities"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_capabilities(reply)


class AnswerFallback(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_fallback"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_fallback(reply)


class AnswerWebinar(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_webinar(reply, resolve_day(reply.tracker))


class AnswerWebinarHost(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar_host"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_webinar_host(reply)


class AnswerWebinarLanguage(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar_language"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_webinar_language(reply)


class AnswerWebinarModerator(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar_moderator"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_webinar_moderator(reply)


class AnswerWebinarAttendance(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar_attendance"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_webinar_attendance(reply)


class AnswerDirectorOpening(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_director_opening"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_director_remarks(reply, "opening")


class AnswerDirectorClosing(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_director_closing"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_director_remarks(reply, "closing")


class AnswerMasksDebate(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_masks_debate"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_masks_debate(reply)


class AnswerSeries(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_series"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_series(reply, resolve_day(reply.tracker))


class AnswerOrganisation(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_organisation"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_organisation(reply, resolve_organisation(reply.kb, reply.tracker), "organisation")


class AnswerOrganisationLeader(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_organisation_leader"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_organisation(
            reply, resolve_organisation(reply.kb, reply.tracker), "organisation_leader"
        )


class AnswerOrganisationCovid(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_organisation_covid"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_organisation(reply, resolve_organisation(reply.kb, reply.tracker), "organisation_covid")


class AnswerOrganisationThemes(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_organisation_themes"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_organisation(
            reply, resolve_organisation(reply.kb, reply.tracker), "organisation_themes"
        )


class AnswerPerson(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_person"

    def answer(self, reply: Reply) -> list[EventType]:
        return answer_person(reply)


class AnswerWithNotice(KnowledgeAction):
    """The notices this message calls for, then the answer its intent's rule would give.

    Predicted by the Rasa server's `ConversationLanguagePolicy` instead of the rule's action when
    a notice is due. Which answer that is comes from data/rules.yml itself (`rule_answers`).
    """

    def name(self) -> str:
        return "action_answer_with_notice"

    def answer(self, reply: Reply) -> list[EventType]:
        add_notices(reply.dispatcher, reply.tracker, reply.kb)
        answer = rule_answers().get(latest_intent(reply) or "")
        if answer and answer.startswith("utter_"):
            reply.say(answer)
            return []
        return _actions_by_name().get(answer, AnswerFallback)().answer(reply)


def latest_intent(reply: Reply) -> str | None:
    intent = (reply.tracker.latest_message or {}).get("intent")
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None


@lru_cache(maxsize=1)
def rule_answers() -> dict[str, str]:
    """intent -> the action or response its rule in data/rules.yml answers with (one rule per intent)."""
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")).get("rules") or []
    return {
        rule["steps"][0]["intent"]: rule["steps"][1]["action"]
        for rule in rules
        if len(rule.get("steps") or []) == 2 and "intent" in rule["steps"][0]
    }


@lru_cache(maxsize=1)
def _actions_by_name() -> dict[str, type[KnowledgeAction]]:
    return {
        action().name(): action
        for action in KnowledgeAction.__subclasses__()
        if action is not AnswerWithNotice
    }
