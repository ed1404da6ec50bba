"""Notices said before the answer: the message was shortened, or it is in another language.

`MessageLimit` (first NLU component) flags messages it cut (`truncated`); users should know
their message was not read to the end. A message clearly in a third language (German,
Spanish...) gets the conversation's language as always, plus a word saying which languages the
bot understands, instead of a confusing answer to a misunderstood question.

The Rasa server's language policy decides that a notice is due and predicts
`action_answer_with_notice`, which says them with `add_notices` and then answers as the rule for
the message's intent would (read from data/rules.yml), through `ANSWER_ACTIONS`. Both sides use
the same rules, `citybot.language.decision.notices`.

Why one action rather than a notices action followed by the usual answer: Rasa's rules
("intent -> answer") only match right after the user message, so after a separate notices
action something would still have to predict the rule's answer. What a second call would cost
(docs/benchmarks.md, "One action-server call per turn") is not the reason: notices are rare.
"""

from __future__ import annotations

from functools import lru_cache

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import KnowledgeAction
from actions.city import (
    AnswerCityCountry,
    AnswerCityOverview,
    AnswerCityRepresentative,
    AnswerCityStatus,
    AnswerCityTopic,
    AnswerCityWebinar,
)
from actions.compare import CompareCities
from actions.facts import Reply
from actions.general import AnswerFallback, AnswerFollowUp, AnswerOutOfScope, ExplainCapabilities, ListCities
from actions.more import ShowMore
from actions.organisation import (
    AnswerOrganisation,
    AnswerOrganisationCovid,
    AnswerOrganisationLeader,
    AnswerOrganisationThemes,
    AnswerPerson,
    AnswerSaid,
)
from actions.resolve import latest_intent
from actions.sources import AnswerSource
from actions.topics import AnswerCitiesByTopic
from actions.webinar import (
    AnswerDirectorClosing,
    AnswerDirectorOpening,
    AnswerMasksDebate,
    AnswerSeries,
    AnswerWebinar,
    AnswerWebinarAttendance,
    AnswerWebinarHost,
    AnswerWebinarLanguage,
    AnswerWebinarModerator,
)
from citybot.kb import KnowledgeBase
from citybot.language import decision
from citybot.paths import RULES_FILE

#: Every action a rule can answer with, by name. rasa-sdk finds the same classes by itself when
#: it imports this package; tests/test_actions_domain.py checks that both lists agree.
ANSWER_ACTIONS: dict[str, KnowledgeAction] = {
    action.name(): action
    for action in (
        AnswerCityTopic(),
        AnswerCityOverview(),
        AnswerCityCountry(),
        AnswerCityStatus(),
        AnswerCityRepresentative(),
        AnswerCityWebinar(),
        AnswerCitiesByTopic(),
        ShowMore(),
        CompareCities(),
        AnswerFollowUp(),
        ListCities(),
        ExplainCapabilities(),
        AnswerFallback(),
        AnswerOutOfScope(),
        AnswerWebinar(),
        AnswerWebinarHost(),
        AnswerWebinarLanguage(),
        AnswerWebinarModerator(),
        AnswerWebinarAttendance(),
        AnswerDirectorOpening(),
        AnswerDirectorClosing(),
        AnswerMasksDebate(),
        AnswerSeries(),
        AnswerOrganisation(),
        AnswerOrganisationLeader(),
        AnswerOrganisationCovid(),
        AnswerOrganisationThemes(),
        AnswerPerson(),
        AnswerSaid(),
        AnswerSource(),
    )
}


class AnswerWithNotice(KnowledgeAction):
    """The notices this message calls for, then the answer its intent's rule would give.

    Predicted by the Rasa server's language policy instead of the rule's action when a notice
    is due.
    """

    def name(self) -> str:
        return "action_answer_with_notice"

    def answer(self, reply: Reply) -> list[EventType]:
        add_notices(reply.dispatcher, reply.tracker, reply.kb)
        answer = rule_answers().get(latest_intent(reply.tracker) or "", "")
        if answer.startswith("utter_"):
            reply.say(answer)
            return []
        return ANSWER_ACTIONS.get(answer, ANSWER_ACTIONS["action_answer_fallback"]).answer_precisely(reply)


def add_notices(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase | None) -> None:
    """Utter the notices this message calls for (none for ordinary messages)."""
    names = kb.name_words if kb is not None else frozenset()
    for response in decision.notices(tracker.latest_message or {}, names):
        dispatcher.utter_message(response=response)


@lru_cache(maxsize=1)
def rule_answers() -> dict[str, str]:
    """intent -> the action or response its rule in data/rules.yml answers with (one rule per intent)."""
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")).get("rules") or []
    return {
        rule["steps"][0]["intent"]: rule["steps"][1]["action"]
        for rule in rules
        if len(rule.get("steps") or []) == 2 and "intent" in rule["steps"][0]
    }
