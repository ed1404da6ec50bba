"""Issue 16 on the real model and servers: webinars by theme and order, and what a speaker said,
asked as users ask, in both languages (REST channel, the shared stack of tests/conftest.py)."""

from __future__ import annotations

import pytest
from action_harness import KB
from test_knowledge_answers import rest, sender

pytestmark = [pytest.mark.server, pytest.mark.model]


def test_a_webinar_by_theme_in_english(stack):
    reply = rest(stack, sender("theme-en"), "Which webinar was about culture?")
    assert "3 June 2020" in reply and KB.webinars["2020-06-03"].title.en in reply, reply
    assert "23 April 2020" not in reply, reply


def test_the_last_webinar_in_french(stack):
    reply = rest(stack, sender("last-fr"), "Quel était le dernier webinaire ?")
    assert "10 juin 2020" in reply and "droits" in reply, reply
    assert "23 avril" not in reply, reply


def test_the_first_webinar_in_english(stack):
    reply = rest(stack, sender("first-en"), "What was the first webinar of the series?")
    assert "19 March 2020" in reply, reply


def test_a_theme_in_french(stack):
    reply = rest(stack, sender("theme-fr"), "Quel webinaire portait sur la santé mentale ?")
    assert "29 avril 2020" in reply, reply


def test_what_a_city_representative_said_in_english(stack):
    text = "What did Évry's representative say a crisis shows about learning cities?"
    reply = rest(stack, sender("said-en"), text)
    assert KB.people["danielle-valero"].name in reply, reply
    assert "full potential in a time of crisis" in reply, reply
    assert reply.index("full potential") < reply.index("\nSource"), reply


def test_what_a_speaker_said_in_french(stack):
    text = "Qu'a dit la représentante d'Évry sur ce qu'une crise montre des villes apprenantes ?"
    reply = rest(stack, sender("said-fr"), text)
    assert "révèle tout son potentiel en temps de crise" in reply, reply


def test_who_is_keeps_the_role(stack):
    reply = rest(stack, sender("person-en"), "Who is Danielle Valéro?")
    assert "First Deputy Mayor of Évry" in reply, reply
    assert "potential" not in reply, reply
