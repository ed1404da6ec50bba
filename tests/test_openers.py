"""A greeting or thanks before a question: what is left out of the question, and what is not
(citybot.openers), and the tokenizer that leaves it out of what the classifier reads."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from citybot.nlu.tokenizer import OpeningTokenizer
from citybot.openers import without_opening


@pytest.mark.parametrize(
    ("typed", "question"),
    [
        ("Hi! which cities cancelled exams?", "which cities cancelled exams?"),
        ("hey there, quick question", "quick question"),
        ("Good morning, what did Osan do?", "what did Osan do?"),
        ("Thanks! and Puebla?", "and Puebla?"),
        ("ok thanks, what about Seoul", "what about Seoul"),
        ("Hi! Hi! What is Familial Gdynia?", "What is Familial Gdynia?"),
        ("Bonjour ! Quelles villes ont fermé les écoles ?", "Quelles villes ont fermé les écoles ?"),
        ("Salut à tous, quoi de neuf ?", "quoi de neuf ?"),
        ("ok merci, et Séoul ?", "et Séoul ?"),
        ("Merci beaucoup. Et Goyang ?", "Et Goyang ?"),
    ],
)
def test_the_greeting_or_thanks_a_question_opens_with_is_left_out(typed, question):
    assert without_opening(typed) == question


@pytest.mark.parametrize(
    "typed",
    [
        "hi",
        "Hello",
        "Hi there!",
        "hello bot",
        "Merci beaucoup.",
        "hi :)",
        "thanks to the lockdown, who lost their job?",  # thanks nobody
        "morning classes in Espoo?",  # a bare "morning" may be asked about
        "highlights of Osan",  # "hi" begins a word
        "Salutations distinguées",
    ],
)
def test_a_message_that_is_only_a_greeting_or_opens_with_none_is_kept(typed):
    assert without_opening(typed) == typed


def _tokens(message: Message) -> list[str]:
    return [token.text for token in message.get(TOKENS_NAMES[TEXT])]


def test_a_parsed_message_is_tokenized_without_its_opening_at_its_places_in_the_text():
    tokenizer = OpeningTokenizer(OpeningTokenizer.get_default_config())
    message = Message({TEXT: "Hi! which cities cancelled exams?"})
    tokenizer.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["which", "cities", "cancelled", "exams"]
    assert tokens[0].start == len("Hi! ")  # entities still point at the words typed
    assert message.get(TEXT) == "Hi! which cities cancelled exams?"  # stored as typed


def test_a_greeting_alone_keeps_its_tokens_and_training_examples_keep_theirs():
    tokenizer = OpeningTokenizer(OpeningTokenizer.get_default_config())
    alone = Message({TEXT: "Hello there!"})
    tokenizer.process([alone])
    assert _tokens(alone) == ["Hello", "there"]
    example = Message({TEXT: "Hi! what did Osan do about masks?", "intent": "ask_city_topic"})
    tokenizer.process_training_data(TrainingData([example]))
    assert _tokens(example)[:2] == ["Hi", "what"]
