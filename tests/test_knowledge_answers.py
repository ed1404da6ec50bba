"""The knowledge of UIL's pages, asked as users ask it, through the real Rasa server and model.

Issue 12's proof on the real knowledge base and the real model: a city that only the new pages
know answers in each language with its source, "where does this come from?" gives the page's
address, a long "which cities…?" list stops after 8 with a way to see the rest, and French
replies carry French spacing. The shared stack runs bot/endpoints.yml and the trained model
(REST channel: a messaging channel, so addresses are plain text and "more" is a word to type).
"""

from __future__ import annotations

import re
import time

import pytest
from action_harness import KB

N = "\u202f"  # the narrow no-break space French puts before ; ! ?
S = "\u00a0"  # the no-break space before : and inside « »

pytestmark = [pytest.mark.server, pytest.mark.model]


def rest(stack, sender: str, text: str) -> str:
    """One REST turn: the bot's messages as one text."""
    from servers import rest_text

    return rest_text(stack.rasa_url, sender, text)


def sender(name: str) -> str:
    return f"knowledge-{name}-{time.time_ns()}"


def test_a_city_only_the_snapshots_know_answers_in_english_with_its_source(stack):
    reply = rest(stack, sender("goyang-en"), "What did Goyang do about masks?")
    measures = KB.measures_for("goyang", "masks")
    assert measures and all(m.text.en in reply for m in measures), reply
    assert "Presented by" not in reply  # snapshot facts were not presented at a webinar
    assert "\nSource" in reply and KB.organisations["uil"].name.en in reply, reply


def test_a_city_only_the_snapshots_know_answers_in_french_with_its_source(stack):
    reply = rest(stack, sender("goyang-fr"), "Qu'a fait Goyang pour les masques ?")
    assert "masques" in reply and "70" in reply, reply
    assert f"Source{S}:" in reply or f"Sources{S}:" in reply, reply  # French spacing, added at render time
    assert "Presented" not in reply and "Source:" not in reply, reply


def test_where_does_this_come_from_gives_the_page_address_in_the_conversation_language(stack):
    english = sender("source-en")
    rest(stack, english, "How did Kashan use television?")
    reply = rest(stack, english, "where does this come from?")
    assert KB.sources["snapshot-kashan"].url in reply, reply
    assert "](" not in reply  # a messaging channel gets the plain address, not a markdown link

    french = sender("source-fr")
    rest(stack, french, "Qu'a fait Sidon pour informer les habitants ?")
    reply = rest(stack, french, "d'où vient cette information ?")
    assert KB.sources["unesco-arab-cities-leave-no-one-behind"].url in reply, reply
    assert f"{N}?" in reply or "UNESCO" in reply, reply


def test_a_long_reverse_list_shows_eight_cities_then_the_rest_on_request(stack):
    cities = KB.cities_for_topic("health")
    assert len(cities) > 8  # the real knowledge base: many cities acted on health
    user = sender("list-en")
    first = rest(stack, user, "Which cities did something about health?")
    shown = int(re.search(r"The first (\d+), in alphabetical order", first).group(1))
    assert 1 <= shown <= 8 and f"{len(cities)} cities have measures on health" in first, first
    assert f"and {len(cities) - shown} more" in first and "Say “more”" in first, first
    assert [c.name for c in cities[:shown]] == [c.name for c in cities if f"• {c.name}\n" in first], first
    rest_of_list = rest(stack, user, "more")
    assert "whole list" in rest_of_list or "more" in rest_of_list, rest_of_list
    assert any(c.name in rest_of_list and c.name not in first for c in cities), rest_of_list


def test_a_long_reverse_list_in_french(stack):
    cities = KB.cities_for_topic("health")
    user = sender("list-fr")
    first = rest(stack, user, "Quelles villes ont agi pour la santé ?")
    shown = int(re.search(r"Les (\d+) premières", first).group(1))
    assert f"et {len(cities) - shown} autres" in first, first
    assert "la suite" in first, first
    following = rest(stack, user, "la suite")
    assert any(c.name in following and c.name not in first for c in cities), following


def test_a_city_known_only_as_a_presenter_names_its_webinar(stack):
    reply = rest(stack, sender("lima"), "What did Lima do for schools?")
    webinar = KB.webinars_for_city("lima")[0]
    assert "9 April 2020" in reply and webinar.title.en in reply, reply
