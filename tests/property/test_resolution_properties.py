"""Property: whatever a message says and whatever its entities and slots hold, the action
server's name resolution (actions/resolve.py) and the knowledge base's name lookups never raise
and return a record of the right kind, or nothing.
"""

from __future__ import annotations

import datetime

import pytest
from hostile import hostile_text, json_value, property_settings
from hypothesis import example, given
from hypothesis import strategies as st
from rasa_sdk import Tracker

from actions import resolve
from actions.knowledge import get_kb
from citybot.kb.model import City, CityMatch, Organisation, Person, Topic

KB = get_kb()
ENTITIES = ["city", "topic", "organisation", "webinar_date", "language"]


@st.composite
def entities(draw, text: str):
    """Entities as the NLU reports them: often placed in `text`, sometimes anything at all."""
    found = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(-2, len(text) + 2))
        end = draw(st.integers(-2, len(text) + 2))
        found.append(
            draw(
                st.one_of(
                    st.fixed_dictionaries(
                        {
                            "entity": st.sampled_from(ENTITIES),
                            "value": st.one_of(st.just(text[max(start, 0) : max(end, 0)]), json_value),
                            "start": st.one_of(st.just(start), json_value),
                            "end": st.one_of(st.just(end), json_value),
                        }
                    ),
                    json_value,
                )
            )
        )
    return found


@st.composite
def trackers(draw):
    text = draw(st.one_of(hostile_text, json_value))
    slots = {
        name: draw(json_value) for name in ("city", "topic", "organisation", "language", "last_question")
    }
    latest = {
        "text": text,
        "intent": draw(st.one_of(st.fixed_dictionaries({"name": st.just("ask_city_topic")}), json_value)),
        # A list, as Rasa always sends (see test_entities_that_are_not_a_list below).
        "entities": draw(entities(text if isinstance(text, str) else "")),
        "language_guess": draw(json_value),
        "metadata": draw(json_value),
    }
    return Tracker("prop", slots, latest, [], False, None, {}, "action_listen")


def assert_found(found, kind) -> None:
    assert found.record is None or isinstance(found.record, kind)
    assert found.typed is None or isinstance(found.typed, str)
    assert isinstance(found.fresh, bool)


@property_settings(250)
@given(trackers())
@example(Tracker("prop", {}, {"text": "What did " + "Aaa " * 2000 + "do?"}, [], False, None, {}, "x"))
def test_resolvers_return_records_of_their_kind_or_nothing(tracker):
    for use_slot in (True, False):
        assert_found(resolve.resolve_city(KB, tracker, use_slot), City)
        assert_found(resolve.resolve_topic(KB, tracker, use_slot), Topic)
        assert_found(resolve.resolve_organisation(KB, tracker, use_slot), Organisation)
    person = resolve.resolve_person(KB, tracker)
    assert person is None or isinstance(person, Person)
    day = resolve.resolve_day(tracker)
    assert day.record is None or isinstance(day.record, datetime.date)
    assert resolve.reply_language(tracker) in ("en", "fr")
    for name in ENTITIES:
        assert all(
            isinstance(value, str) and 0 < len(value) <= resolve.MAX_ENTITY_CHARS
            for value in resolve.entity_texts(tracker, name)
        )


@property_settings(300)
@given(st.one_of(hostile_text, st.none()))
@example("Chefchaouen")
@example("chefchauen")  # a typo still finds the city
def test_name_lookups_return_records_or_nothing(text):
    match = KB.find_city(text)
    assert match is None or (isinstance(match, CityMatch) and isinstance(match.city, City))
    assert all(isinstance(city, City) for city in KB.find_cities_in(text))
    assert KB.find_topic(text) is None or isinstance(KB.find_topic(text), Topic)
    assert all(isinstance(topic, Topic) for topic in KB.find_topics_in(text))
    assert KB.find_organisation(text) is None or isinstance(KB.find_organisation(text), Organisation)
    assert KB.find_person(text) is None or isinstance(KB.find_person(text), Person)
    for lookup in (resolve.city_named, resolve.topic_named, resolve.organisation_named):
        lookup(KB, text)


def test_the_examples_above_find_what_they_name():
    """The lookups are not vacuous: real names are found (so "returns nothing" is a real answer)."""
    assert KB.find_city("chefchauen").city.name == "Chefchaouen"
    assert resolve.organisation_named(KB, "AIMF") is not None


@pytest.mark.parametrize("junk", [True, 7, 0.5])
def test_entities_that_are_not_a_list(junk):
    """Found by the property above: a direct caller of the action server may send any JSON as
    `entities` (Rasa always sends a list); such a message names no city."""
    tracker = Tracker("prop", {}, {"text": "Lagos", "entities": junk}, [], False, None, {}, "x")
    assert resolve.entity_texts(tracker, "city") == []
    assert resolve.joined_entity_text(tracker, "city") == []
    found = resolve.resolve_city(KB, tracker, guess_names=False, use_slot=False)
    assert found.record is None and found.typed is None
