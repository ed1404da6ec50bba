"""Bad input gets a clear answer, never a crash: junk entities, missing slots, odd payloads,
a broken knowledge base. Also the turn's bookkeeping: the language decision (made in the Rasa
server by `citybot.language.decision.message_language`) and names turned into ids by the answers."""

from __future__ import annotations

import pytest
from action_harness import all_text, entity, run, slot_events, tracker_for

import actions.base
from actions.city import AnswerCityOverview, AnswerCityTopic
from actions.general import AnswerFallback, AnswerFollowUp
from actions.notices import ANSWER_ACTIONS, AnswerWithNotice
from actions.organisation import AnswerOrganisation
from actions.topics import AnswerCitiesByTopic
from actions.webinar import AnswerSeries, AnswerWebinar, AnswerWebinarHost
from citybot.kb import KnowledgeBaseError
from citybot.kb.errors import Issue
from citybot.language.decision import message_language

ALL_ACTIONS = [*ANSWER_ACTIONS.values(), AnswerWithNotice()]


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda a: a.name())
@pytest.mark.parametrize("junk", [42, None, "", ["Évry", "Chefchaouen"], {"x": 1}, "🙂" * 300])
def test_every_action_answers_junk_entities_and_slots(action, junk):
    tracker = tracker_for(
        "🙂",
        [{"entity": name, "value": junk} for name in ("city", "topic", "organisation", "webinar_date")],
        slots={"city": junk, "topic": junk, "organisation": junk, "last_question": junk},
        lang=None,
        message_extra={"language_guess": junk, "metadata": junk},
    )
    said, events = run(action, tracker)
    assert said, "every custom action utters something"
    assert all(s.text and "{" not in s.text for s in said), "no unfilled template variables"
    assert "utter_technical_problem" not in [s.response for s in said]
    assert all(isinstance(e, dict) for e in events)


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda a: a.name())
def test_every_action_answers_an_empty_tracker(action):
    tracker = tracker_for("", slots={}, lang=None)
    said, _ = run(action, tracker)
    assert said and all(s.text for s in said)


def test_payload_with_ids_from_a_button():
    said, events = run(
        AnswerCityTopic(),
        tracker_for(
            '/ask_city_topic{"city":"mayo-baleo","topic":"exams"}',
            [entity("city", "mayo-baleo"), entity("topic", "exams")],
        ),
    )
    assert said[0].response == "utter_city_topic_none"
    assert slot_events(events)["city"] == "mayo-baleo"


def test_unknown_topic_words_are_named():
    text = "what did Évry do about tourism"
    said, _ = run(
        AnswerCityTopic(), tracker_for(text, [entity("city", "Évry", text), entity("topic", "tourism", text)])
    )
    assert said[0].response == "utter_unknown_topic" and "“tourism”" in said[0].text


def test_reverse_question_without_topic_asks_for_one():
    said, _ = run(AnswerCitiesByTopic(), tracker_for("which cities did something?", lang="fr"))
    assert said[0].response == "utter_ask_topic" and said[0].text.startswith("Sur quel thème")


def test_impossible_date_is_answered():
    text = "who presented on 31 February?"
    said, _ = run(AnswerSeries(), tracker_for(text, [entity("webinar_date", "31 February", text)]))
    assert said[0].response == "utter_no_webinar_on" and "31 February" in said[0].text


def test_broken_knowledge_base_gives_a_clear_apology(monkeypatch):
    def broken():
        raise KnowledgeBaseError([Issue("knowledge/cities/x.yml", 3, "name", "missing")])

    monkeypatch.setattr(actions.base, "get_kb", broken)
    said, events = run(AnswerWebinar(), tracker_for("the webinar?", lang="fr"))
    assert [s.response for s in said] == ["utter_technical_problem"]
    assert said[0].text.startswith("Désolé")
    assert events == []


def test_fallback_with_a_known_city_still_answers():
    said, _ = run(AnswerFallback(), tracker_for("mayo baleo radio", intent="nlu_fallback", lang="fr"))
    assert said[0].response == "utter_city_topic" and "émissions de radio" in said[0].text


def test_fallback_with_an_unknown_city_names_it():
    text = "Nairobi ???"
    said, _ = run(
        AnswerFallback(), tracker_for(text, [entity("city", "Nairobi", text)], intent="nlu_fallback")
    )
    assert said[0].response == "utter_unknown_city" and "Nairobi" in said[0].text


def test_fallback_without_anything_says_what_can_be_asked():
    said, _ = run(AnswerFallback(), tracker_for("blah blah", intent="nlu_fallback", lang="fr"))
    assert said[0].response == "utter_fallback"
    assert "Évry-Courcouronnes" in said[0].text and "série de webinaires" in said[0].text


def test_reply_language_falls_back_to_the_message_guess():
    tracker = tracker_for(
        "",
        slots={},
        lang=None,
        message_extra={"language_guess": {"code": "fr", "confidence": 0.95, "explicit": False}},
    )
    said, _ = run(AnswerCityOverview(), tracker)
    assert said[0].response == "utter_ask_city" and said[0].values["cities"].endswith("et Mayo-Baléo")


def language(tracker) -> str:
    """The language the Rasa server sets for the tracker's latest message."""
    return message_language(tracker.get_slot("language"), tracker.latest_message)


def test_the_language_follows_the_guess_and_is_kept_on_unclear_messages():
    french = {"language_guess": {"code": "fr", "confidence": 0.97, "explicit": False}}
    assert language(tracker_for("Bonjour", slots={}, lang=None, message_extra=french)) == "fr"
    unclear = {"language_guess": {"code": None, "confidence": 0.5, "explicit": False}}
    assert language(tracker_for("Chefchaouen ?", lang="fr", message_extra=unclear)) == "fr"


def test_the_language_follows_an_explicit_switch_and_the_channel_hint():
    explicit = {"language_guess": {"code": "en", "confidence": 1.0, "explicit": True}}
    assert language(tracker_for("in English please", lang="fr", message_extra=explicit)) == "en"
    hint = {"metadata": {"language": "fr-FR"}, "language_guess": {"code": None, "confidence": 0.0}}
    assert language(tracker_for("ok", slots={}, lang=None, message_extra=hint)) == "fr"


def test_answers_turn_names_into_ids_and_keep_unknown_names():
    """The slots Rasa filled from this message's entities come back as ids from the answer."""
    tracker = tracker_for(
        "x",
        slots={"city": "chefchauen", "topic": "écoles", "organisation": "aimf"},
        intent="ask_webinar_host",
    )
    tracker.events.extend(
        [
            {"event": "user", "text": "x"},
            {"event": "slot", "name": "city", "value": "chefchauen"},
            {"event": "slot", "name": "topic", "value": "écoles"},
            {"event": "slot", "name": "organisation", "value": "aimf"},
            {"event": "user_featurization", "use_text_for_featurization": False},
        ]
    )
    _, events = run(AnswerWebinarHost(), tracker)
    values = slot_events(events)
    assert values["city"] == "chefchaouen" and values["topic"] == "schooling"
    assert "organisation" not in values  # already the id
    tracker = tracker_for("x", slots={"city": "Lagos"}, intent="ask_webinar_host")
    tracker.events.extend(
        [{"event": "user", "text": "x"}, {"event": "slot", "name": "city", "value": "Lagos"}]
    )
    _, events = run(AnswerWebinarHost(), tracker)
    assert "city" not in slot_events(events)  # kept as typed


def test_the_answer_s_own_slot_values_win():
    text = "What did Chefchaouen do?"
    tracker = tracker_for(
        text, [entity("city", "Chefchaouen", text)], slots={"city": "Chefchaouen"}, intent="ask_city_overview"
    )
    tracker.events.extend(
        [{"event": "user", "text": text}, {"event": "slot", "name": "city", "value": "Chefchaouen"}]
    )
    _, events = run(AnswerCityOverview(), tracker)
    assert [e["value"] for e in events if e.get("name") == "city"] == ["chefchaouen"]


def test_follow_up_with_junk_slots():
    said, _ = run(AnswerFollowUp(), tracker_for("and?", slots={"last_question": "no_such_kind", "city": 3}))
    assert said and said[0].response == "utter_fallback"


def test_organisation_with_junk_name():
    said, _ = run(AnswerOrganisation(), tracker_for("?", [entity("organisation", 12)]))
    assert said[0].response == "utter_unknown_organisation" and "12" in all_text(said)


def test_fallback_with_only_a_topic_lists_the_cities_or_uses_the_conversation_city():
    text = "radio ?"
    said, _ = run(
        AnswerFallback(), tracker_for(text, [entity("topic", "radio", text)], intent="nlu_fallback")
    )
    # the cities whose measures say "radio", not every city of distance learning
    assert said[0].response == "utter_cities_matching" and "Mayo-Baléo" in said[0].text
    assert "Évry" not in said[0].text
    said, _ = run(
        AnswerFallback(),
        tracker_for(
            text, [entity("topic", "radio", text)], intent="nlu_fallback", slots={"city": "chefchaouen"}
        ),
    )
    assert said[0].text.startswith("Chefchaouen, distance learning")


def test_fallback_does_not_take_capitalised_words_for_a_city():
    said, _ = run(AnswerFallback(), tracker_for("Sorry Wrong Button", intent="nlu_fallback"))
    assert said[0].response == "utter_fallback"
