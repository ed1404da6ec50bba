"""The domain contract the actions rely on: every response they name exists, in English and in
French, with the same variables; every custom action in the domain is implemented."""

from __future__ import annotations

import re
import string

import pytest
from action_harness import DOMAIN, ROOT
from rasa_sdk.executor import ActionExecutor

from actions.notices import ANSWER_ACTIONS, AnswerWithNotice

FRENCH = [{"type": "slot", "name": "language", "value": "fr"}]
ACTION_SOURCES = sorted((ROOT / "actions").glob("*.py"))


def variables(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", sorted(DOMAIN.responses))
def test_each_response_has_one_english_and_one_french_variation_with_the_same_variables(name):
    variations = DOMAIN.responses[name]
    english = [v for v in variations if not v.get("condition")]
    french = [v for v in variations if v.get("condition") == FRENCH]
    assert len(english) == 1 and len(french) == 1 and len(variations) == 2
    assert not any(v.get("channel") for v in variations), (
        "channel variations would beat the language condition"
    )
    assert variables(english[0]["text"]) == variables(french[0]["text"])
    assert len(english[0].get("buttons", [])) == len(french[0].get("buttons", []))
    assert english[0]["text"] != french[0]["text"]


def response_names_used_by_actions() -> set[str]:
    used = set()
    for path in ACTION_SOURCES:
        used |= set(re.findall(r'"(utter_[a-z_]+)"', path.read_text(encoding="utf-8")))
    return used


def test_responses_named_in_the_actions_exist():
    used = response_names_used_by_actions()
    assert "utter_city_topic" in used
    assert used - set(DOMAIN.responses) == set()


def test_every_custom_action_of_the_domain_is_implemented_and_vice_versa():
    executor = ActionExecutor()
    executor.register_package("actions")
    implemented = set(executor.actions)
    declared = {name for name in DOMAIN.user_actions if not name.startswith("utter_")}
    assert declared == implemented


def test_the_table_of_answer_actions_holds_every_registered_action_but_the_notice_one():
    """`notices.ANSWER_ACTIONS`, which the notice action answers with, is what rasa-sdk registers."""
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(ANSWER_ACTIONS) == set(executor.actions) - {AnswerWithNotice().name()}
    assert all(name == action.name() for name, action in ANSWER_ACTIONS.items())


def test_language_slot_does_not_influence_the_dialogue():
    slots = {slot.name: slot for slot in DOMAIN.slots}
    assert slots["language"].influence_conversation is False
    assert DOMAIN.session_config.carry_over_slots is True
