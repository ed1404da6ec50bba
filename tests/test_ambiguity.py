"""Issue 16: a message the classifier is torn about gets the likelier reading's answer and a button
for the other one, instead of "I'm not sure what you mean" (actions/ambiguity.py).

Real actions, real knowledge base, real domain responses rendered as the Rasa server does
(tests/action_harness.py). The message arrives as `nlu_fallback`, as the FallbackClassifier
leaves it, with the ranking DIET gave.
"""

from __future__ import annotations

from typing import Any

import pytest
from action_harness import DOMAIN_DICT, KB, all_text, entity, run, tracker_for

from actions.ambiguity import OFFERED_READINGS, Readings, torn_readings
from actions.city import AnswerCityTopic, AnswerCityWebinar
from actions.general import AnswerFallback
from actions.notices import ANSWER_ACTIONS, rule_answers

FALLBACK = "I am not sure what you mean"
FALLBACK_FR = "je ne suis pas sûr de comprendre"


def ranking(*pairs: tuple[str, float]) -> dict[str, Any]:
    return {"intent_ranking": [{"name": name, "confidence": confidence} for name, confidence in pairs]}


def torn_tracker(text: str, lang: str, entities: list[dict[str, Any]], *pairs: tuple[str, float]) -> Any:
    return tracker_for(
        text,
        entities,
        lang=lang,
        intent="nlu_fallback",
        message_extra=ranking(("nlu_fallback", 0.5), *pairs),
    )


def test_a_torn_message_gets_the_likelier_answer_then_the_other_reading_as_a_button():
    text = "What did Osan do for the webinars about masks?"
    entities = [entity("city", "osan", text), entity("topic", "masks", text)]
    pairs = (("ask_city_webinar", 0.44), ("ask_city_topic", 0.41), ("greet", 0.05))
    said, events = run(AnswerFallback(), torn_tracker(text, "en", entities, *pairs))
    # exactly what the likelier intent's own action says about this message, first
    alone, alone_events = run(AnswerCityWebinar(), tracker_for(text, entities, intent="ask_city_webinar"))
    assert [s.text for s in said[:-1]] == [s.text for s in alone]  # its source line included
    assert alone[-1].response in ("utter_source_line", "utter_sources_line")
    assert events == alone_events
    offer = said[-1]
    assert offer.text == "Another reading of your question:"
    assert offer.buttons == [
        {
            "title": "Or did you mean: what Osan did about protective masks?",
            "payload": '/ask_city_topic{"city": "osan", "topic": "masks"}',
        }
    ]
    assert FALLBACK not in all_text(said)


def test_in_french_the_button_is_french_with_french_spacing():
    text = "Qu'a présenté Goyang aux webinaires sur les masques ?"
    entities = [entity("city", "goyang", text), entity("topic", "masks", text)]
    pairs = (("ask_city_topic", 0.46), ("ask_city_webinar", 0.43))
    said, _ = run(AnswerFallback(), torn_tracker(text, "fr", entities, *pairs))
    alone, _ = run(AnswerCityTopic(), tracker_for(text, entities, lang="fr", intent="ask_city_topic"))
    assert [s.text for s in said if s.response != "utter_other_reading_ask_city_webinar"] == [
        s.text for s in alone
    ]
    offer = next(s for s in said if s.response == "utter_other_reading_ask_city_webinar")
    assert offer.text == "Votre question peut aussi se lire autrement\u00a0:"
    assert [b["title"] for b in offer.buttons] == [
        "Ou vouliez-vous dire\u00a0: ce que Goyang a présenté aux webinaires\u202f?"
    ]
    assert offer.buttons[0]["payload"] == '/ask_city_webinar{"city": "goyang"}'
    assert FALLBACK_FR not in all_text(said)


def test_without_what_the_other_reading_names_the_likelier_answer_comes_alone():
    """ask_city_topic needs a topic for its title: none named, no button with a hole in it."""
    text = "what about Osan at the webinars"
    entities = [entity("city", "osan", text)]
    said, _ = run(
        AnswerFallback(),
        torn_tracker(text, "en", entities, ("ask_city_webinar", 0.45), ("ask_city_topic", 0.40)),
    )
    alone, _ = run(AnswerCityWebinar(), tracker_for(text, entities, intent="ask_city_webinar"))
    assert [s.text for s in said] == [s.text for s in alone]


@pytest.mark.parametrize(
    "pairs",
    [
        (("ask_city_topic", 0.15), ("ask_city_webinar", 0.12)),  # low-confidence nonsense
        (("greet", 0.46), ("ask_city_topic", 0.44)),  # a greeting is not a second question
        (("ask_city_topic", 0.9),),  # one reading only
        (),
    ],
)
def test_nonsense_and_non_questions_keep_the_fallback(pairs):
    said, _ = run(AnswerFallback(), torn_tracker("blorp zzz", "en", [], *pairs))
    assert said[0].response == "utter_fallback"
    assert FALLBACK in said[0].text


def test_a_junk_ranking_keeps_the_fallback():
    for junk in ("junk", [42, {"name": None}, {"name": "ask_city_topic", "confidence": "high"}], None):
        tracker = tracker_for("blorp", [], intent="nlu_fallback", message_extra={"intent_ranking": junk})
        said, _ = run(AnswerFallback(), tracker)
        assert said[0].response == "utter_fallback"


def test_the_readings_come_from_the_rules_and_skip_the_fallback_intent():
    answers, actions = rule_answers(), set(ANSWER_ACTIONS)
    message = ranking(("nlu_fallback", 0.6), ("ask_series", 0.3), ("ask_webinar", 0.28))
    assert torn_readings(message, answers, actions) == Readings("ask_series", "ask_webinar")
    assert torn_readings(ranking(("ask_series", 0.3), ("thank", 0.28)), answers, actions) is None


def test_every_offered_reading_is_a_rule_with_a_response_in_both_languages():
    responses = DOMAIN_DICT["responses"]
    for intent in OFFERED_READINGS:
        assert rule_answers()[intent] in ANSWER_ACTIONS
        variations = responses[f"utter_other_reading_{intent}"]
        assert len(variations) == 2 and all(
            v["buttons"][0]["payload"] == "{reading_payload}" for v in variations
        )
    assert KB.cities["osan"] and KB.cities["goyang"]  # the cities these tests ask about


def test_a_reading_that_names_nothing_is_offered_too():
    """ "who ran the Q&A" (held-out NLU set): the model hesitates between host and moderator."""
    tracker = torn_tracker(
        "who ran the Q&A", "en", [], ("ask_webinar_host", 0.45), ("ask_webinar_moderator", 0.39)
    )
    said, _ = run(AnswerFallback(), tracker)
    alone, _ = run(
        ANSWER_ACTIONS[rule_answers()["ask_webinar_host"]],
        tracker_for("who ran the Q&A", intent="ask_webinar_host"),
    )
    assert [s.text for s in said[:-1]] == [s.text for s in alone]
    assert said[-1].buttons == [
        {"title": "Or did you mean: who moderated the webinar?", "payload": "/ask_webinar_moderator"}
    ]


@pytest.mark.parametrize(
    ("text", "lang", "pairs", "response"),
    [
        ("bonjour", "fr", [("nlu_fallback", 0.5), ("greet", 0.48), ("inform", 0.05)], "utter_greet"),
        ("merci bien", "fr", [("nlu_fallback", 0.5), ("thank", 0.45), ("greet", 0.3)], "utter_thank"),
        ("bye then", "en", [("nlu_fallback", 0.5), ("goodbye", 0.41), ("thank", 0.3)], "utter_goodbye"),
    ],
)
def test_small_talk_the_classifier_is_unsure_of_gets_its_answer(text, lang, pairs, response):
    said = run(AnswerFallback(), torn_tracker(text, lang, [], *pairs))[0]
    assert [s.response for s in said] == [response]


def test_unsure_small_talk_naming_a_city_or_too_unsure_keeps_the_fallbacks_answer():
    text = "bonjour Osan"
    said = run(
        AnswerFallback(),
        torn_tracker(text, "fr", [entity("city", "Osan", text)], ("nlu_fallback", 0.5), ("greet", 0.48)),
    )[0]
    assert "utter_greet" not in [s.response for s in said]
    said = run(AnswerFallback(), torn_tracker("zzz", "en", [], ("nlu_fallback", 0.5), ("greet", 0.2)))[0]
    assert [s.response for s in said] == ["utter_fallback"]
