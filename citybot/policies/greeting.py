"""A dialogue policy for a greeting or thanks that carries a question ("great thanks. and Puebla?").

The training data teaches the model such messages (the NLU generator starts a share of its
examples with a greeting or thanks), but a short fragment after "thanks" can still be read as
`thank`, and the rule for `thank` would then answer "You're welcome!" and drop the question
(issue 16). A greeting or thanks that names a city, topic or organisation is a question, and so is
a "goodbye" that opens with a question word ("where could you see a doctor online?"): this
policy answers it as a follow-up fragment (`action_answer_follow_up`, the action of `inform`),
which completes it from the conversation's last question, then listens. Pure greetings and
thanks name nothing and keep their rule's answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from citybot.courtesies import without_courtesies
from citybot.policies.language import answer_pending

#: Intents whose rule answers with small talk.
SMALL_TALK = ("greet", "thank")
#: Entities that make a message a question about something the knowledge base knows.
SUBJECTS = ("city", "topic", "organisation")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class GreetingWithQuestionPolicy(Policy):
    """Answers a greeting or thanks that names a subject as the question it carries."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above RulePolicy (6), whose `greet`/`thank` rules it overrides; below
        # ActionServerDownPolicy (8) and ConversationLanguagePolicy (9), whose notice action
        # answers by the rules.
        return {"priority": 7, "answer_action": "action_answer_follow_up"}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

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
        action = self.config["answer_action"]
        message = tracker.latest_message.parse_data if tracker.latest_message else {}
        if not carries_question(message) or action not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        if answer_pending(tracker):
            probabilities[domain.index_for_action(action)] = 1.0
        elif tracker.latest_action_name == action:
            # After a failed call ActionServerDownPolicy predicts its apology too: its higher
            # priority wins, and it listens after the apology.
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)


def carries_question(message: Mapping[str, Any]) -> bool:
    """A greeting or thanks that names a city, topic or organisation; a "goodbye" that opens
    with a question word ("where could you see a doctor online?" is no "see you")."""
    intent = message.get("intent")
    name = intent.get("name") if isinstance(intent, Mapping) else None
    if name == "goodbye":
        return _opens_with_question(without_courtesies(str(message.get("text") or "")))
    if name not in SMALL_TALK:
        return False
    entities = message.get("entities")
    return any(
        isinstance(entity, Mapping) and entity.get("entity") in SUBJECTS
        for entity in (entities if isinstance(entities, list) else [])
    )


#: Words a question opens with, in either language (lower case, accents as typed or not).
_QUESTION_OPENERS = re.compile(
    r"^\W*(?:where|which|what|when|who|how|why|ou|où|quel|quels|quelle|quelles|quand|qui|comment|pourquoi)\b",
    re.IGNORECASE,
)


def _opens_with_question(text: str) -> bool:
    return bool(_QUESTION_OPENERS.match(text))
