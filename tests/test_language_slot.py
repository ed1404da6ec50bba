"""The `language` slot follows an explicit switch, also when it comes as a button payload."""
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.slot_validation import ValidateSlotMappings


def tracker(latest_message: dict, language: str = "en") -> Tracker:
    return Tracker("someone", {"language": language}, latest_message, [], False, None, {}, "action_listen")


def extract(message: dict, language: str = "en") -> str:
    return ValidateSlotMappings().extract_language(CollectingDispatcher(), tracker(message, language), {})["language"]


def test_the_page_switch_payload_switches_without_any_nlu_guess():
    payload = {"text": '/switch_language{"language":"fr"}', "intent": {"name": "switch_language"},
               "entities": [{"entity": "language", "value": "fr"}]}
    assert extract(payload) == "fr"
    back = dict(payload, entities=[{"entity": "language", "value": "en"}])
    assert extract(back, language="fr") == "en"


def test_a_switch_without_a_usable_language_keeps_the_conversation_language():
    payload = {"text": "/switch_language", "intent": {"name": "switch_language"},
               "entities": [{"entity": "language", "value": "klingon"}]}
    assert extract(payload, language="fr") == "fr"


def test_another_intent_with_a_language_entity_does_not_switch():
    message = {"text": "was the webinar in French?", "intent": {"name": "ask_webinar_language"},
               "entities": [{"entity": "language", "value": "French"}],
               "language_guess": {"code": "en", "confidence": 0.95, "explicit": False}}
    assert extract(message) == "en"
