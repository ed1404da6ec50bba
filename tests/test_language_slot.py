"""The `language` slot follows an explicit switch, also when it comes as a button payload.

The Rasa server decides it with `citybot.language.decision.message_language` on the message's parse
data (`ConversationLanguagePolicy`, tests/test_policies.py); here, the decision alone.
"""

from citybot.language.decision import message_language


def extract(message: dict, language: str = "en") -> str:
    return message_language(language, message)


def test_the_page_switch_payload_switches_without_any_nlu_guess():
    payload = {
        "text": '/switch_language{"language":"fr"}',
        "intent": {"name": "switch_language"},
        "entities": [{"entity": "language", "value": "fr"}],
    }
    assert extract(payload) == "fr"
    back = dict(payload, entities=[{"entity": "language", "value": "en"}])
    assert extract(back, language="fr") == "en"


def test_a_switch_without_a_usable_language_keeps_the_conversation_language():
    payload = {
        "text": "/switch_language",
        "intent": {"name": "switch_language"},
        "entities": [{"entity": "language", "value": "klingon"}],
    }
    assert extract(payload, language="fr") == "fr"


def test_another_intent_with_a_language_entity_does_not_switch():
    message = {
        "text": "was the webinar in French?",
        "intent": {"name": "ask_webinar_language"},
        "entities": [{"entity": "language", "value": "French"}],
        "language_guess": {"code": "en", "confidence": 0.95, "explicit": False},
    }
    assert extract(message) == "en"
