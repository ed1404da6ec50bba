"""Property: any text through the language rules and the two NLU components the project adds
(`MessageLimit`, `LanguageDetector`), as the Rasa server runs them on every message, never
raises and gives well-formed results.
"""

from __future__ import annotations

import json
import re
from unittest.mock import Mock

import pytest
from hostile import HUGE_TEXTS, hostile_text, json_value, property_settings
from hypothesis import example, given
from hypothesis import strategies as st
from rasa.shared.nlu.training_data.message import Message

from citybot.language import LANGUAGES, normalise_code
from citybot.language.decision import (
    OTHER_LANGUAGE,
    SHORTENED,
    choose_language,
    is_third_language,
    message_language,
    notices,
    requested_language,
)
from citybot.language.detect import detect
from citybot.language.hint import channel_hint, metadata_with_language
from citybot.nlu.components import LANGUAGE_GUESS, LanguageDetector
from citybot.nlu.message_limit import DEFAULT_MAX_CHARS, TRUNCATED, MessageLimit

#: What MessageLimit removes: control characters but tab and newline, lone surrogates.
CLEANED_AWAY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    """The component as the model loads it: with the real knowledge base's names and words."""
    return LanguageDetector.create(LanguageDetector.get_default_config(), Mock(), Mock(), Mock())


def assert_guess(guess: object) -> None:
    assert isinstance(guess, dict) and set(guess) == {"code", "confidence", "explicit"}
    assert guess["code"] in (None, *LANGUAGES)
    assert 0.0 <= guess["confidence"] <= 1.0 and isinstance(guess["explicit"], bool)
    json.dumps(guess)  # stored in the tracker as JSON


@property_settings(300)
@given(text=hostile_text)
@example(text=HUGE_TEXTS[0])
@example(text=HUGE_TEXTS[2])
def test_message_limit_leaves_a_clean_bounded_text(text):
    limit = MessageLimit(DEFAULT_MAX_CHARS)
    [message] = limit.process([Message(data={"text": text})])
    cut = message.get("text")
    assert isinstance(cut, str) and len(cut) <= DEFAULT_MAX_CHARS
    assert not CLEANED_AWAY.search(cut)
    assert isinstance(message.get(TRUNCATED), bool)
    [again] = limit.process([Message(data={"text": cut})])
    assert again.get("text") == cut and again.get(TRUNCATED) is False  # a second pass changes nothing


@property_settings(300)
@given(text=st.one_of(hostile_text, json_value))
@example(text=HUGE_TEXTS[0])
@example(text=HUGE_TEXTS[1])
def test_language_detector_always_attaches_a_well_formed_guess(detector, text):
    [message] = detector.process([Message(data={"text": text})])
    assert_guess(message.get(LANGUAGE_GUESS))
    assert_guess(detect(text).as_dict())  # and without the knowledge base's names


@property_settings(200)
@given(
    current=json_value,
    text=hostile_text,
    guess=st.one_of(json_value, st.fixed_dictionaries({"code": json_value, "confidence": json_value})),
    metadata=st.one_of(json_value, st.fixed_dictionaries({"language": json_value})),
    intent=st.one_of(json_value, st.fixed_dictionaries({"name": st.just("switch_language")})),
    entities=st.lists(json_value, max_size=3),  # a list, as Rasa sends (and junk, below)
    truncated=json_value,
)
def test_the_language_decision_is_always_english_or_french(
    kb, current, text, guess, metadata, intent, entities, truncated
):
    message = {
        "text": text,
        "language_guess": guess,
        "metadata": metadata,
        "intent": intent,
        "entities": entities,
        "truncated": truncated,
    }
    assert message_language(current, message, kb.name_words) in LANGUAGES
    assert choose_language(current, guess, channel_hint(message)) in LANGUAGES
    assert set(notices(message, kb.name_words)) <= {SHORTENED, OTHER_LANGUAGE}
    assert isinstance(is_third_language(text, kb.name_words), bool)


@property_settings(200)
@given(value=json_value, metadata=json_value)
def test_language_codes_and_hints_are_read_the_one_way(value, metadata):
    assert normalise_code(value) in (None, *LANGUAGES)
    cleaned = metadata_with_language(metadata, value)
    raw = value if value is not None else (metadata.get("language") if isinstance(metadata, dict) else None)
    assert isinstance(cleaned, dict) and cleaned.get("language") == normalise_code(raw)
    assert ("language" in cleaned) == (normalise_code(raw) is not None)


@pytest.mark.parametrize("junk", [True, 7])
def test_a_switch_request_whose_entities_are_not_a_list(junk):
    """Found by the property above: a switch request without a usable entity keeps the language."""
    message = {"intent": {"name": "switch_language"}, "entities": junk}
    assert requested_language(message) is None
    assert message_language("en", message) == "en"
