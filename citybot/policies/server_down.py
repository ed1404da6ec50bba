"""A dialogue policy that speaks up when the action server could not answer.

Rasa 3.6 logs a custom action whose call to the action server fails (server down, killed, timing
out) as executed, drops its events and goes back to listening: the user is left in silence. Every
custom action of ours utters at least one message, so a custom action that is the very last event
of a live conversation can only mean the call failed. This policy then predicts a response that
says the answer is unavailable right now (in the conversation's language, like every response),
and listening after it. Once the action server is back, the next question is answered as usual:
nothing else in the conversation changed.
"""

from __future__ import annotations

import os
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

# `rasa test` replays stories without running custom actions, so every custom action there looks
# like a failed one; `make test-stories` sets this to switch the policy off while replaying.
REPLAY_ENV = "CITYBOT_STORY_REPLAY"
_LISTEN: str = ACTION_LISTEN_NAME  # typed here: Rasa ships no type information


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class ActionServerDownPolicy(Policy):
    """Predicts `response` right after a custom action that produced no event at all."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above RulePolicy (6): rules would otherwise predict listening after the failed action;
        # above GreetingWithQuestionPolicy (7), which abstains after a failed action anyway.
        return {"priority": 8, "response": "utter_technical_problem"}

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
        action = self.recovery_action(tracker, domain)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    def recovery_action(self, tracker: DialogueStateTracker, domain: Domain) -> str | None:
        """The action to take now, or None to leave the decision to the other policies."""
        response: str = self.config["response"]
        if os.environ.get(REPLAY_ENV) == "1":
            return None
        if tracker.latest_action_name == response:
            return _LISTEN  # the apology was said (its BotUttered follows it)
        last = tracker.events[-1] if tracker.events else None
        if not isinstance(last, ActionExecuted) or last.policy is None:
            # Story replay (rasa test, training) logs actions without a policy: not live.
            return None
        if _is_custom_action(last.action_name, domain) and response in domain.action_names_or_texts:
            return response
        return None


def _is_custom_action(name: str | None, domain: Domain) -> bool:
    """Runs on the action server (Rasa's `user_actions` also lists the responses)."""
    return name in domain.user_actions and name not in domain.responses
