"""Notices said before the answer: a shortened message, a message in a third language (the
language slot itself does not change). The Rasa server decides that a notice is due
(`ConversationLanguagePolicy`, tests/test_policies.py) and predicts `action_answer_with_notice`,
which says the notices and then answers as the rule for the message's intent would."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from action_harness import KB, run, tracker_for

from actions.notices import ANSWER_ACTIONS, AnswerWithNotice, rule_answers
from citybot.language.decision import is_third_language, message_language, notices

ROOT = Path(__file__).resolve().parent.parent
UNSURE = {"code": None, "confidence": 0.5, "explicit": False}
NAMES = KB.name_words


def answer_with_notice(text: str, lang: str = "en", intent: str = "ask_city_topic", **extra):
    tracker = tracker_for(text, lang=lang, intent=intent, message_extra={"language_guess": UNSURE, **extra})
    return run(AnswerWithNotice(), tracker)


@pytest.mark.parametrize(
    "text",
    [
        "Was hat Chefchaouen für die Schulen gemacht?",
        "¿Qué hizo Chefchaouen por las escuelas?",
        "Wat heeft Évry gedaan voor de scholen?",
    ],
)
def test_third_languages_are_recognised(text):
    assert is_third_language(text, NAMES)


@pytest.mark.parametrize(
    "text",
    [
        "What did Évry do for schools?",
        "c koi la situation a evry pr les familles",
        "schools evry",
        "mayo baleo information campaign",
        "radio ?",
        "Qu'a fait Chefchaouen pour les plus démunis ?",
        "who is Pierre Baillet?",
    ],
)
def test_english_and_french_are_not_taken_for_another_language(text):
    assert not is_third_language(text, NAMES)


def test_a_german_question_gets_the_notice_in_the_conversation_language_which_is_kept():
    text = "Was hat Chefchaouen für die Schulen gemacht?"
    said, _ = answer_with_notice(text, lang="fr")
    assert said[0].response == "utter_languages_supported"
    assert said[0].text.startswith("Je ne comprends que le français")
    assert len(said) > 1 and said[1].response != "utter_languages_supported"  # then the answer
    assert message_language("fr", {"text": text, "language_guess": UNSURE}) == "fr"


def test_a_shortened_message_is_announced_then_answered():
    said, _ = answer_with_notice("What did Évry do for families? blah blah", truncated=True)
    assert said[0].response == "utter_message_shortened"
    assert len(said) > 1 and "Évry" in said[1].text  # then the answer
    assert notices({"text": "What did Évry do for families?", "truncated": False}) == []


def test_small_talk_with_a_notice_gets_its_rule_response_after_the_notice():
    said, events = answer_with_notice("Hello " * 500, intent="greet", truncated=True)
    assert [s.response for s in said] == ["utter_message_shortened", "utter_greet"]
    assert events == []


def test_the_notice_action_answers_each_intent_as_its_rule_does():
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    answers = rule_answers()
    assert len(answers) == len(rules)  # every rule is "this intent -> this answer"
    for intent, answer in answers.items():
        if answer.startswith("utter_"):
            assert answer in domain["responses"], intent
        else:
            assert answer in ANSWER_ACTIONS, f"{intent}: no action named {answer}"
