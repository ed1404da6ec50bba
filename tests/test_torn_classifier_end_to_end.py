"""Issue 16, pattern 6 on the real servers, whatever the training: a message the classifier is torn
about gets the likelier reading's answer and the other reading as a button, in both languages.

No message stays torn from one training to the next, so the NLU's parse is given, not guessed:
through Rasa's HTTP API the test logs a user message whose parse data has the shape the
FallbackClassifier (bot/config.yml) leaves, `nlu_fallback` with DIET's ranking torn between two
question intents (`POST /conversations/<id>/messages`, which also runs Rasa's slot extraction);
then, as Rasa's own loop does, it asks the real policies for the next action (`/predict`) and
runs it (`/execute`: the real action server and the real response generator) up to and including
`action_listen`, which Rasa logs too before the next message. What is checked is what the user sees: the messages' text and buttons, and that
pressing the button (a REST message, its payload) answers the other reading.

`/execute` does not apply the events a policy returns with its prediction, so the language slot
that ConversationLanguagePolicy would set is set the way users set it: the conversation starts
with the page's language switch, through the REST channel.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from action_harness import KB
from test_dialogue_stack import NOT_SURE, buttons_of, text_of, turn

from citybot.language.detect import detect
from citybot.language.kb_words import language_vocabulary, name_stripper
from citybot.language.typography import french_typography

pytestmark = [pytest.mark.server, pytest.mark.model]

_STRIPPER, _VOCABULARY = name_stripper(KB), language_vocabulary(KB)
#: A loop that neither listens nor stops after this many actions is a bug, not a slow answer.
MAX_ACTIONS = 5


def sender(name: str) -> str:
    return f"torn-{name}-{time.time_ns()}"


def api(stack, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST to Rasa's HTTP API (token-protected) and return its JSON answer."""
    from servers import http_post_json

    status, answer = http_post_json(f"{stack.rasa_url}{path}?token={stack.auth_token}", body, timeout=120)
    assert status == 200, answer
    result: dict[str, Any] = json.loads(answer)
    return result


def torn_parse(
    text: str, entities: list[tuple[str, str, str]], *ranking: tuple[str, float]
) -> dict[str, Any]:
    """The parse data the NLU leaves for a torn message: `nlu_fallback` first, then DIET's ranking;
    entities as (name, value, the words of `text` they were found in); the real language guess."""
    found = []
    for name, value, words in entities:
        start = text.index(words)
        found.append({"entity": name, "value": value, "start": start, "end": start + len(words)})
    intents = [{"name": "nlu_fallback", "confidence": 0.5}] + [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    return {
        "text": text,
        "intent": intents[0],
        "intent_ranking": intents,
        "entities": found,
        "language_guess": detect(text, _STRIPPER, _VOCABULARY).as_dict(),
    }


def torn_turn(stack, user: str, lang: str, parse: dict[str, Any]) -> list[dict[str, Any]]:
    """One turn of a conversation in `lang` whose message the classifier was torn about: the bot's
    messages (text, buttons), as the real policies and actions produce them."""
    turn(stack, user, f'/switch_language{{"language": "{lang}"}}')
    conversation = f"rest:{user}"
    api(
        stack,
        f"/conversations/{conversation}/messages",
        {"text": parse["text"], "sender": "user", "parse_data": parse},
    )
    messages: list[dict[str, Any]] = []
    for _ in range(MAX_ACTIONS):
        prediction = api(stack, f"/conversations/{conversation}/predict", {})
        action = prediction["scores"][0]["action"]
        executed = api(
            stack,
            f"/conversations/{conversation}/execute",
            {"name": action, "policy": prediction["policy"], "confidence": prediction["confidence"]},
        )
        messages += executed["messages"]
        if action == "action_listen":  # logged too, as Rasa's loop does: the next message follows it
            return messages
    raise AssertionError(f"no action_listen after {MAX_ACTIONS} actions: {messages}")


def in_lang(text: str, lang: str) -> str:
    """A knowledge-base text as a reply in `lang` shows it (French typography added)."""
    return french_typography(text) if lang == "fr" else text


def measures_said(reply: str, city: str, topic: str, lang: str) -> list[str]:
    return [m.id for m in KB.measures_for(city, topic) if in_lang(m.text.get(lang), lang) in reply]


OSAN_EN = "What did Osan do for the webinars about masks?"
OSAN_ENTITIES = [("city", "Osan", "Osan"), ("topic", "masks", "masks")]
GOYANG_FR = "Qu'a présenté Goyang aux webinaires sur les masques ?"
GOYANG_ENTITIES = [("city", "Goyang", "Goyang"), ("topic", "masks", "masques")]


def test_english_torn_between_webinar_and_topic_answers_the_webinar_and_offers_the_topic(stack):
    user = sender("osan-en")
    parse = torn_parse(OSAN_EN, OSAN_ENTITIES, ("ask_city_webinar", 0.44), ("ask_city_topic", 0.41))
    reply = torn_turn(stack, user, "en", parse)
    said = text_of(reply)
    webinar = KB.webinars["2020-03-24"]
    assert "24 March 2020" in said and webinar.title.en in said, said
    assert not measures_said(said, "osan", "masks", "en") and not any(n in said for n in NOT_SURE), said
    offers = buttons_of(reply)
    assert len(offers) == 1 and "Osan" in offers[0]["title"] and "masks" in offers[0]["title"], offers
    assert reply[-1].get("buttons") == offers, reply  # the offer comes after the answer
    pressed = text_of(turn(stack, user, offers[0]["payload"]))
    assert measures_said(pressed, "osan", "masks", "en"), pressed


def test_french_torn_between_topic_and_webinar_answers_the_topic_and_offers_the_webinar(stack):
    user = sender("goyang-fr")
    parse = torn_parse(GOYANG_FR, GOYANG_ENTITIES, ("ask_city_topic", 0.46), ("ask_city_webinar", 0.43))
    reply = torn_turn(stack, user, "fr", parse)
    said = text_of(reply)
    assert measures_said(said, "goyang", "masks", "fr"), said
    assert "27 mai 2020" not in said and not any(n in said for n in NOT_SURE), said
    offers = buttons_of(reply)
    assert len(offers) == 1 and offers[0]["title"].startswith("Ou vouliez-vous dire"), offers
    assert "Goyang" in offers[0]["title"] and "webinaire" in offers[0]["title"], offers
    pressed = text_of(turn(stack, user, offers[0]["payload"]))
    assert "27 mai 2020" in pressed and french_typography(KB.webinars["2020-05-27"].title.fr) in pressed, (
        pressed
    )


@pytest.mark.parametrize(
    ("lang", "text", "entities", "city"),
    [("en", OSAN_EN, OSAN_ENTITIES, "osan"), ("fr", GOYANG_FR, GOYANG_ENTITIES, "goyang")],
)
def test_the_ranking_decides_which_reading_is_answered_and_which_offered(stack, lang, text, entities, city):
    """The same words, the ranking the other way round: the answer and the offer swap."""
    topic_first = torn_parse(text, entities, ("ask_city_topic", 0.45), ("ask_city_webinar", 0.42))
    webinar_first = torn_parse(text, entities, ("ask_city_webinar", 0.45), ("ask_city_topic", 0.42))
    topic_reply = torn_turn(stack, sender(f"topic-{lang}"), lang, topic_first)
    webinar_reply = torn_turn(stack, sender(f"webinar-{lang}"), lang, webinar_first)
    assert measures_said(text_of(topic_reply), city, "masks", lang), text_of(topic_reply)
    assert not measures_said(text_of(webinar_reply), city, "masks", lang), text_of(webinar_reply)
    assert [b["payload"].split("{")[0] for b in buttons_of(topic_reply)] == ["/ask_city_webinar"]
    assert [b["payload"].split("{")[0] for b in buttons_of(webinar_reply)] == ["/ask_city_topic"]


@pytest.mark.parametrize(
    ("lang", "text", "host", "offer"),
    [
        ("en", "who ran the Q&A", "was hosted by UIL", "Or did you mean: who moderated the webinar?"),
        (
            "fr",
            "qui animait les questions-réponses ?",
            "était organisé par l’UIL",
            "Ou vouliez-vous dire\u00a0: qui a animé le webinaire\u202f?",
        ),
    ],
)
def test_a_reading_that_names_nothing_is_answered_and_offered_too(stack, lang, text, host, offer):
    user = sender(f"host-{lang}")
    parse = torn_parse(text, [], ("ask_webinar_host", 0.45), ("ask_webinar_moderator", 0.39))
    reply = torn_turn(stack, user, lang, parse)
    assert host in text_of(reply), text_of(reply)
    assert [(b["title"], b["payload"]) for b in buttons_of(reply)] == [(offer, "/ask_webinar_moderator")]
    pressed = text_of(turn(stack, user, "/ask_webinar_moderator"))
    assert KB.people["marie-macauley"].name in pressed, pressed


@pytest.mark.parametrize(("lang", "words"), [("en", NOT_SURE[0]), ("fr", NOT_SURE[1])])
def test_a_classifier_lost_rather_than_torn_keeps_the_fallback_without_an_offer(stack, lang, words):
    """Both readings far below the fallback's threshold: nonsense, not two questions."""
    parse = torn_parse("blorp zzz", [], ("ask_city_topic", 0.15), ("ask_city_webinar", 0.12))
    reply = torn_turn(stack, sender(f"lost-{lang}"), lang, parse)
    assert words in text_of(reply), text_of(reply)
    assert not any(b["title"].startswith(("Or did you mean", "Ou vouliez-vous")) for b in buttons_of(reply))
