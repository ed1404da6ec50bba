"""The words each intent is asked with (actions/phrasing.py), read from the real training data."""

from __future__ import annotations

from actions.phrasing import beyond_phrasing, intent_phrasing
from citybot.kb.normalize import fold


def test_each_intent_has_its_own_phrasing_without_the_names_annotated_in_its_examples():
    phrasing = intent_phrasing()
    assert {"ask_city_overview", "ask_city_webinar", "list_cities", "ask_person"} <= set(phrasing)
    assert "present" in phrasing["ask_city_webinar"] and "present" not in phrasing["ask_city_topic"]
    for name in ("chefchaouen", "evry", "mayo"):  # annotated [Chefchaouen](city): a name, not phrasing
        assert name not in phrasing["ask_city_overview"]


def test_what_a_message_asks_beyond_its_intent_phrasing():
    assert beyond_phrasing("When did Sidon present?", "ask_city_webinar") == "sidon"
    assert beyond_phrasing("What was Wuhan's community grid?", "ask_city_webinar") == "wuhan community grid"
    assert beyond_phrasing("list all the cities", "list_cities") == ""
    assert beyond_phrasing("Dans quel pays est Évry ?", None) == fold("dans quel pays est évry")
