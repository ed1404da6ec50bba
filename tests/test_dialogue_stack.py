"""Issue 16's dialogue patterns through the real Rasa server, the trained model and the action
server, in both languages: a requested language holds against keywords, a greeting or thanks with
a question answers the question, a torn classifier answers the likelier reading and offers the
other as a button, nonsense still gets the fallback.

Which language a reply is in is judged by the bot's own detector (`citybot.language.detect`,
with the knowledge base's names removed), and the `language` slot is read from the tracker.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from action_harness import KB

from citybot.language.detect import detect
from citybot.language.kb_words import language_vocabulary, name_stripper

pytestmark = [pytest.mark.server, pytest.mark.model]

_STRIPPER, _VOCABULARY = name_stripper(KB), language_vocabulary(KB)
NOT_SURE = ("not sure what you mean", "pas sûr de comprendre")


def turn(stack, sender: str, text: str) -> list[dict[str, Any]]:
    """One REST turn: the bot's messages (text, buttons)."""
    from servers import http_post_json

    status, body = http_post_json(
        f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=120
    )
    assert status == 200, body
    return list(json.loads(body))


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def language_of(messages: list[dict[str, Any]]) -> str | None:
    return detect(text_of(messages), _STRIPPER, _VOCABULARY).code


def sender(name: str) -> str:
    return f"dialogue-{name}-{time.time_ns()}"


def slot(stack, sender_id: str, name: str) -> Any:
    return stack.tracker(f"rest:{sender_id}")["slots"].get(name)


# ----- a requested language holds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "other", "keywords", "sentence"),
    [
        ("fr", "en", ["Osan masks", "masks in Goyang?"], "What did Seoul do about schools?"),
        ("en", "fr", ["Osan masques", "écoles à Séoul"], "Qu'a fait Goyang pour les masques ?"),
    ],
)
def test_the_page_switch_holds_against_keywords_until_a_clear_sentence(
    stack, asked, other, keywords, sentence
):
    user = sender(f"hold-switch-{asked}")
    turn(stack, user, f'/switch_language{{"language": "{asked}"}}')
    for keyword in keywords:
        reply = turn(stack, user, keyword)
        assert language_of(reply) == asked, (keyword, text_of(reply))
        assert slot(stack, user, "language") == asked
    reply = turn(stack, user, sentence)
    assert language_of(reply) == other, text_of(reply)
    # the hold is over: the same keyword now follows the conversation's new language
    reply = turn(stack, user, keywords[0])
    assert slot(stack, user, "language") == other, text_of(reply)


def test_a_request_in_words_holds_too(stack):
    user = sender("hold-words")
    turn(stack, user, "What did Osan do about masks?")
    assert turn(stack, user, "réponds en français s'il te plaît")
    reply = turn(stack, user, "Seoul schools")
    assert language_of(reply) == "fr", text_of(reply)
    user = sender("hold-words-en")
    turn(stack, user, "Qu'a fait Osan pour les masques ?")
    turn(stack, user, "in English please")
    reply = turn(stack, user, "Goyang dépistage ?")
    assert slot(stack, user, "language") == "en", text_of(reply)
    assert language_of(reply) == "en", text_of(reply)


# ----- a greeting or thanks with a question ------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "text", "city", "topic", "lang"),
    [
        (None, "Hi! what did Osan do about masks?", "osan", "masks", "en"),
        (None, "Bonjour, que fait Chefchaouen pour l'école ?", "chefchaouen", "schooling", "fr"),
        ("What did Osan do about masks?", "thanks, and Goyang?", "goyang", "masks", "en"),
        ("Qu'a fait Goyang pour les masques ?", "merci ! et à Séoul ?", "seoul", None, "fr"),
        # read as `thank` by the model: GreetingWithQuestionPolicy answers the fragment
        ("tell me about Osan", "great thanks. and Puebla?", "puebla", None, "en"),
        ("parle-moi d'Osan", "super merci. et Puebla ?", "puebla", None, "fr"),
    ],
)
def test_a_greeting_or_thanks_with_a_question_answers_the_question(stack, first, text, city, topic, lang):
    user = sender("greet-question")
    if first:
        turn(stack, user, first)
    reply = turn(stack, user, text)
    said = text_of(reply)
    assert not any(words in said for words in NOT_SURE), said
    assert KB.cities[city].label(lang) in said, said
    if topic:
        measures = KB.measures_for(city, topic)
        assert any(m.text.get(lang) in said for m in measures), said
    assert language_of(reply) == lang, said


@pytest.mark.parametrize(
    ("text", "answer"),
    [("hello", "Hello!"), ("Bonjour", "Bonjour"), ("thanks", "welcome"), ("merci !", "Avec plaisir")],
)
def test_pure_greetings_and_thanks_keep_their_answers(stack, text, answer):
    said = text_of(turn(stack, sender("pure"), text))
    assert answer in said, said


# ----- a torn classifier ---------------------------------------------------------------------------


def buttons_of(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [b for m in messages for b in m.get("buttons") or []]


# A torn classifier is tested with realistic rankings in tests/test_ambiguity.py (the real actions,
# knowledge base and domain): which message a model is torn about changes with every training, and
# the two end-to-end tests written on 4 December found no torn message in the next model.


@pytest.mark.parametrize(("text", "lang"), [("blorp zzz", "en"), ("asdf qwerty", "en")])
def test_nonsense_keeps_the_fallback(stack, text, lang):
    """Nonsense gets "not sure what you mean", or "outside what I know" when the model reads it as
    out of scope (which it does depends on the training): never an answer or an offer."""
    reply = turn(stack, sender("nonsense"), text)
    said = text_of(reply)
    assert "not sure what you mean" in said or "outside what I know" in said, said
