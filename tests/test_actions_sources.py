"""Where answers' facts come from: the closing source line, and "where does this come from?".

Against the real knowledge base (its source registry) and the real domain wording, in both
languages, on the web page (markdown links) and on a messaging channel (plain addresses).
"""

from __future__ import annotations

from typing import Any

from action_harness import KB, entity, run, slot_events, tracker_for
from rasa_sdk import Tracker

from actions.city import AnswerCityTopic
from actions.facts import SOURCES_SLOT, day, publisher_name
from actions.general import ListCities
from actions.sources import AnswerSource, is_web_page
from citybot.language.typography import french_typography

SUMMARY_EN = KB.organisations["uil"].name.en  # the publisher of the 23 April summary


def ask_city_topic(city: str, topic: str, lang: str) -> tuple[list[Any], dict[str, Any]]:
    text = f"{city} {topic}"
    said, events = run(
        AnswerCityTopic(),
        tracker_for(text, [entity("city", city, text), entity("topic", topic, text)], lang=lang),
    )
    return said, slot_events(events)


def sources_of(city_id: str, topic: str) -> list[str]:
    return list(dict.fromkeys(s for m in KB.measures_for(city_id, topic) for s in m.sources))


def ask_source(sources: list[str] | None, lang: str, channel: str | None) -> str:
    """ "source?" after an answer that stored `sources`, on `channel` (None: no channel recorded)."""
    sender = f"{channel}:abc" if channel else "test-user"
    events = [{"event": "user", "text": "source?", "input_channel": channel}] if channel else []
    latest = {"text": "source?", "intent": {"name": "ask_source", "confidence": 1.0}, "entities": []}
    tracker = Tracker(
        sender, {"language": lang, SOURCES_SLOT: sources}, latest, events, False, None, {}, "action_listen"
    )
    said, result = run(AnswerSource(), tracker)
    assert len(said) == 1
    assert slot_events(result)[SOURCES_SLOT] == (sources or None)  # "source?" twice answers the same
    return said[0].text


def test_a_fact_answer_ends_with_its_source_in_english():
    said, slots = ask_city_topic("Mayo-Baléo", "schooling", "en")
    ids = sources_of("mayo-baleo", "schooling")
    assert ids and slots[SOURCES_SLOT] == ids
    line = said[-1]
    assert line.response == ("utter_source_line" if len(ids) == 1 else "utter_sources_line")
    source = KB.sources[ids[0]]
    assert line.text.startswith("Source")
    assert publisher_name(KB, source, "en") in line.text and day(source.published, "en") in line.text
    assert "\n" not in line.text  # one short line


def test_a_fact_answer_ends_with_its_source_in_french():
    said, slots = ask_city_topic("Chefchaouen", "food", "fr")
    ids = sources_of("chefchaouen", "food")
    assert ids and slots[SOURCES_SLOT] == ids
    source = KB.sources[ids[0]]
    assert said[-1].text.startswith("Source")
    assert "\u00a0: " in said[-1].text  # French spacing, added when the reply is rendered
    assert french_typography(publisher_name(KB, source, "fr")) in said[-1].text
    assert day(source.published, "fr") in said[-1].text  # "12 mai 2020", not the English date


def test_the_uil_summary_is_named_by_the_organisation_records_own_name():
    uil = next(s for s in KB.sources.values() if s.publisher == "uil")
    assert publisher_name(KB, uil, "en") == f"{SUMMARY_EN} (UIL)"
    assert (
        publisher_name(KB, uil, "fr")
        == "Institut de l'UNESCO pour l'apprentissage tout au long de la vie (UIL)"
    )


def test_an_answer_without_facts_clears_the_remembered_sources():
    said, events = run(
        ListCities(), tracker_for("which cities?", slots={SOURCES_SLOT: ["x"]}, intent="list_cities")
    )
    assert not said[-1].text.startswith("Source")
    assert slot_events(events)[SOURCES_SLOT] is None


def test_where_does_this_come_from_on_the_web_page_gives_a_link():
    ids = sources_of("mayo-baleo", "schooling")
    text = ask_source(ids, "en", "socketio")
    for source_id in ids:
        source = KB.sources[source_id]
        assert f"]({source.url})" in text
        assert publisher_name(KB, source, "en") in text and day(source.published, "en") in text
    assert text.startswith("The facts of my last answer come from:")


def test_where_does_this_come_from_on_a_messaging_channel_writes_the_address():
    ids = sources_of("chefchaouen", "food")
    text = ask_source(ids, "fr", "telegram")
    for source_id in ids:
        source = KB.sources[source_id]
        # the whole French reply is set in French typography, the quoted English title included
        assert french_typography(source.title) in text and source.url in text
        assert f"]({source.url})" not in text
        assert day(source.published, "fr") in text
    assert text.startswith(french_typography("Les faits de ma dernière réponse viennent de :"))


def test_where_does_this_come_from_without_a_previous_fact_answer():
    assert ask_source(None, "en", "rest").startswith("My last answer gave no facts from a source")
    assert ask_source([], "fr", "socketio").startswith("Ma dernière réponse ne citait aucun fait")
    assert ask_source(["no-such-source"], "en", None).startswith("My last answer gave no facts")


def test_the_channel_is_read_from_the_message_else_from_the_conversation_id():
    def tracker(sender: str, channel: str | None) -> Tracker:
        events = [{"event": "user", "input_channel": channel}] if channel else []
        return Tracker(sender, {}, {}, events, False, None, {}, "action_listen")

    assert is_web_page(tracker("socketio:x", "socketio"))
    assert is_web_page(tracker("socketio:x", None))
    assert not is_web_page(tracker("telegram:1", "telegram"))
    assert not is_web_page(tracker("rest:socketio:x", "rest"))
    assert not is_web_page(tracker("test-user", None))
