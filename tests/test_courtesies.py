"""The courtesies around a question: what is left out of the question, and what is not
(citybot.courtesies), and the tokenizer that leaves them out of what the classifier reads."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from citybot.courtesies import without_courtesies
from citybot.nlu.tokenizer import CourtesyTokenizer


@pytest.mark.parametrize(
    ("typed", "question"),
    [
        ("Hi! which cities cancelled exams?", "which cities cancelled exams?"),
        ("Good morning, what did Osan do?", "what did Osan do?"),
        ("Hi! project hope chile how many pcr tests a day", "project hope chile how many pcr tests a day"),
        ("Hi, how are you? which cities cancelled exams?", "which cities cancelled exams?"),
        ("salut, ça va ? quelles villes ont fermé les écoles ?", "quelles villes ont fermé les écoles ?"),
        ("Thanks! and Puebla?", "and Puebla?"),
        ("ok thanks, what about Seoul", "what about Seoul"),
        ("Hi! Hi! What is Familial Gdynia?", "What is Familial Gdynia?"),
        ("Bonjour ! Quelles villes ont fermé les écoles ?", "Quelles villes ont fermé les écoles ?"),
        ("Salut à tous, quoi de neuf ?", "quoi de neuf ?"),
        ("ok merci, et Séoul ?", "et Séoul ?"),
        ("Merci beaucoup. Et Goyang ?", "Et Goyang ?"),
        ("Can you tell me which webinar was held in French?", "which webinar was held in French?"),
        ("Hi, could you please tell me who leads the AIMF?", "who leads the AIMF?"),
        ("do you know if Osan gave masks to children", "if Osan gave masks to children"),
        (
            "Tu peux me dire qui siège au comité de crise de Saïda ?",
            "qui siège au comité de crise de Saïda ?",
        ),
        (
            "Bonjour, est-ce que vous savez combien de masques Osan a donnés ?",
            "combien de masques Osan a donnés ?",
        ),
        ("which cities cancelled exams, thanks!", "which cities cancelled exams"),
        ("what did Osan do please", "what did Osan do"),
        ("Hi! Can you tell me who paid for the masks? Thank you very much.", "who paid for the masks"),
        ("quelles villes ont fermé les écoles, merci !", "quelles villes ont fermé les écoles"),
        ("c'est qui le maire d'Osan svp", "c'est qui le maire d'Osan"),
        ("Et Séoul, s'il vous plaît ?", "Et Séoul"),
    ],
)
def test_the_courtesies_around_a_question_are_left_out(typed, question):
    assert without_courtesies(typed) == question


@pytest.mark.parametrize(
    "typed",
    [
        "hi",
        "Hello",
        "Hi there!",
        "hello bot",
        "Merci beaucoup.",
        "hi :)",
        "hey there, quick question",  # small talk after a greeting: no question to read alone
        "thanks mate",
        "merci, c'est très clair",
        "Merci de votre réponse rapide.",
        "hey, how are you?",  # how the greeting goes on
        "Bonsoir, vous allez bien ?",
        "how are you helping cities?",  # asks something: "how are you" opens no greeting here
        "Hi! michal guc gdynia",  # keywords: read whole, as before
        "thanks to the lockdown, who lost their job?",  # thanks nobody
        "morning classes in Espoo?",  # a bare "morning" may be asked about
        "highlights of Osan",  # "hi" begins a word
        "Salutations distinguées",
        "merci !",
        "tell me about Osan",  # asks about Osan: no question word follows
        "Tu peux me dire tout sur Goyang ?",
        "please",
    ],
)
def test_a_message_of_courtesies_only_or_of_none_is_kept(typed):
    assert without_courtesies(typed) == typed


def _tokens(message: Message) -> list[str]:
    return [token.text for token in message.get(TOKENS_NAMES[TEXT])]


def test_a_parsed_message_is_tokenized_without_its_courtesies_at_its_places_in_the_text():
    tokenizer = CourtesyTokenizer(CourtesyTokenizer.get_default_config())
    typed = "Hi! can you tell me which cities cancelled exams, thanks!"
    message = Message({TEXT: typed})
    tokenizer.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["which", "cities", "cancelled", "exams"]
    assert tokens[0].start == typed.index("which")  # entities still point at the words typed
    assert message.get(TEXT) == typed  # stored as typed


def test_a_greeting_alone_keeps_its_tokens_and_training_examples_keep_theirs():
    tokenizer = CourtesyTokenizer(CourtesyTokenizer.get_default_config())
    alone = Message({TEXT: "Hello there!"})
    tokenizer.process([alone])
    assert _tokens(alone) == ["Hello", "there"]
    example = Message({TEXT: "Hi! what did Osan do about masks?", "intent": "ask_city_topic"})
    tokenizer.process_training_data(TrainingData([example]))
    assert _tokens(example)[:2] == ["Hi", "what"]
