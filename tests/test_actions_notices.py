"""Notices uttered by action_validate_slot_mappings before the answer: a shortened message,
a message in a third language (the language slot itself does not change)."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.notices import is_third_language
from actions.slot_validation import ValidateSlotMappings
from test_actions_support import DOMAIN_DICT, KB, render, tracker_for


def validate(text: str, lang: str = "en", **extra):
    dispatcher = CollectingDispatcher()
    guess = {"code": None, "confidence": 0.5, "explicit": False}
    tracker = tracker_for(text, lang=lang, message_extra={"language_guess": guess, **extra})
    events = asyncio.run(ValidateSlotMappings().run(dispatcher, tracker, DOMAIN_DICT))
    return [render(m, lang) for m in dispatcher.messages], {e["name"]: e["value"] for e in events}


@pytest.mark.parametrize("text", ["Was hat Chefchaouen für die Schulen gemacht?",
                                  "¿Qué hizo Chefchaouen por las escuelas?",
                                  "Wat heeft Évry gedaan voor de scholen?"])
def test_third_languages_are_recognised(text):
    assert is_third_language(text, KB)


@pytest.mark.parametrize("text", ["What did Évry do for schools?", "c koi la situation a evry pr les familles",
                                  "schools evry", "mayo baleo information campaign", "radio ?",
                                  "Qu'a fait Chefchaouen pour les plus démunis ?", "who is Pierre Baillet?"])
def test_english_and_french_are_not_taken_for_another_language(text):
    assert not is_third_language(text, KB)


def test_a_german_question_gets_the_notice_in_the_conversation_language_which_is_kept():
    said, slots = validate("Was hat Chefchaouen für die Schulen gemacht?", lang="fr")
    assert [s.response for s in said] == ["utter_languages_supported"]
    assert said[0].text.startswith("Je ne comprends que le français")
    assert slots["language"] == "fr"


def test_a_shortened_message_is_announced():
    said, _ = validate("What did Évry do for families? blah blah", truncated=True)
    assert [s.response for s in said] == ["utter_message_shortened"]
    said, _ = validate("What did Évry do for families?", truncated=False)
    assert said == []
