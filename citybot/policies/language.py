"""A dialogue policy that decides the conversation's language in the Rasa server, every turn.

Static responses (`utter_greet`...) pick their French or English variation from the `language`
slot, so the slot must be set before the answer, without a call to the action server (what such a
call costs: see docs/benchmarks.md). On the first prediction after a user message this policy
abstains (all probabilities zero) but returns `SlotSet("language", code)` as its prediction's
events: Rasa's ensemble keeps the events of every policy, and Rasa applies them to the tracker,
and logs them, before it runs the predicted action, so that action already answers in the new
language. The decision is `citybot.language.decision.message_language`; a language the user
explicitly asked for holds (`citybot.language.hold`), read back from the tracker's events each
turn, so nothing but the slot is stored and the action server reads the same events the same way.

When the message calls for a notice (it was shortened, or it is in a third language), the policy
predicts `action_answer_with_notice` instead of abstaining: that one action says the notices,
then answers the message as the rule for its intent would. After it, the policy predicts
listening (no rule covers that action). One call to the action server per turn, at most.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from citybot.kb import KnowledgeBaseError
from citybot.kb.shared import shared_knowledge_base
from citybot.language import LANGUAGE_SLOT
from citybot.language.decision import is_third_language, message_language, notices
from citybot.language.hold import HELD_SLOT, Step, held_language
from citybot.paths import knowledge_dir

logger = logging.getLogger(__name__)

NOTICE_ACTION = "action_answer_with_notice"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class ConversationLanguagePolicy(Policy):
    """Sets `language` before each answer; hands messages that need a notice to one action."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above RulePolicy (6), GreetingWithQuestionPolicy (7) and ActionServerDownPolicy (8):
        # wins when a notice is due. It never
        # predicts when ActionServerDownPolicy does (that one acts after a failed custom action).
        # `knowledge_base`: the folder, from the project root ($CITYBOT_KNOWLEDGE wins).
        return {"priority": 9, "knowledge_base": "knowledge", "notice_action": NOTICE_ACTION}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self._names = _name_words(config.get("knowledge_base"))

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        events = []
        notice_action = self.config["notice_action"]
        if answer_pending(tracker):
            message = tracker.latest_message.parse_data if tracker.latest_message else {}
            current = tracker.get_slot(LANGUAGE_SLOT)
            third = is_third_language(message.get("text"), self._names)  # langdetect: once
            held = held_language(_history(tracker))
            code = message_language(current, message, self._names, third, held)
            if code != current:
                events.append(SlotSet(LANGUAGE_SLOT, code))
            if notices(message, self._names, third) and notice_action in domain.action_names_or_texts:
                probabilities[domain.index_for_action(notice_action)] = 1.0
        elif tracker.latest_action_name == notice_action and not isinstance(
            tracker.events[-1], ActionExecuted
        ):
            # It answered (a failed call leaves its ActionExecuted last: ActionServerDownPolicy's case).
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities, events=events)


def answer_pending(tracker: DialogueStateTracker) -> bool:
    """The latest user message has no action yet: this is the first prediction for it."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


def _history(tracker: DialogueStateTracker) -> Iterator[Step]:
    """The hold's history (newest first) from Rasa's events, read only as far back as needed."""
    for event in reversed(tracker.events):
        if isinstance(event, SlotSet) and event.key == LANGUAGE_SLOT:
            yield "slot", event.value
        elif isinstance(event, SlotSet) and event.key == HELD_SLOT:
            yield "held", event.value  # a hold carried into this session (actions/session.py)
        elif isinstance(event, UserUttered):
            yield "message", event.parse_data


def _name_words(configured: str | None) -> frozenset[str]:
    """The knowledge base's name words, or none if it cannot be read (detection still works,
    only less well on messages full of names; the action server reports the KB problem)."""
    folder = knowledge_dir(configured)
    try:
        return shared_knowledge_base(folder).name_words
    except (KnowledgeBaseError, OSError) as error:
        logger.warning(
            "ConversationLanguagePolicy: knowledge base %r not loaded, judging without its names: %s",
            str(folder),
            error,
        )
        return frozenset()
