"""The policy that tells the user when the action server could not answer."""
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from citybot.policies import ActionServerDownPolicy

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain.yml"))


@pytest.fixture()
def policy(tmp_path) -> ActionServerDownPolicy:
    return ActionServerDownPolicy.create(
        ActionServerDownPolicy.get_default_config(), LocalModelStorage(tmp_path),
        Resource("down"), ExecutionContext(GraphSchema({}), "test"))


def custom_action(domain: Domain) -> str:
    return next(a for a in domain.user_actions if a != "action_validate_slot_mappings")


def tracker(domain: Domain, *events) -> DialogueStateTracker:
    start = [ActionExecuted(ACTION_LISTEN_NAME), UserUttered("what about schools in Evry?")]
    return DialogueStateTracker.from_events("someone", start + list(events), slots=domain.slots)


def predicted(policy, domain, tracker_) -> str:
    prediction = policy.predict_action_probabilities(tracker_, domain)
    if max(prediction.probabilities) == 0:
        return None
    return domain.action_names_or_texts[prediction.probabilities.index(1.0)]


def test_a_live_custom_action_without_any_event_is_answered_with_the_apology(policy, domain):
    failed = tracker(domain, ActionExecuted(custom_action(domain), policy="RulePolicy", confidence=1.0))
    assert predicted(policy, domain, failed) == "utter_technical_problem"


def test_after_the_apology_the_bot_listens(policy, domain):
    apologised = tracker(domain,
                         ActionExecuted(custom_action(domain), policy="RulePolicy", confidence=1.0),
                         ActionExecuted("utter_technical_problem", policy="ActionServerDownPolicy", confidence=1.0),
                         BotUttered("Sorry"))
    assert predicted(policy, domain, apologised) == ACTION_LISTEN_NAME


def test_a_custom_action_that_answered_is_left_alone(policy, domain):
    answered = tracker(domain, ActionExecuted(custom_action(domain), policy="RulePolicy", confidence=1.0),
                       BotUttered("In Évry-Courcouronnes…"))
    assert predicted(policy, domain, answered) is None


def test_story_replay_without_policy_names_is_left_alone(policy, domain):
    """rasa test and training replay stories whose actions carry no policy: not a failure."""
    replayed = tracker(domain, ActionExecuted(custom_action(domain)))
    assert predicted(policy, domain, replayed) is None


def test_responses_and_listening_are_left_alone(policy, domain):
    assert predicted(policy, domain, tracker(domain)) is None
    greeted = tracker(domain, ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0))
    assert predicted(policy, domain, greeted) is None


def test_make_test_stories_switches_the_policy_off(policy, domain, monkeypatch):
    monkeypatch.setenv("CITYBOT_STORY_REPLAY", "1")
    failed = tracker(domain, ActionExecuted(custom_action(domain), policy="RulePolicy", confidence=1.0))
    assert predicted(policy, domain, failed) is None
