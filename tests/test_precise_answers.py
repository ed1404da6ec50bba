"""Precise answers (issue 16) through the real Rasa server, the real model and the action server.

Questions nobody wrote into the training data, as a user types them, on the REST channel (a
messaging channel: "more" is a word to type): an aspect of a city gets the fact that answers it
first and the rest on "more"; a city in a question that looks out of scope gets its matching
facts or an honest "my sources say nothing"; a "which cities …?" question that says more than
the topic lists only the cities whose facts match. Both languages.
"""

from __future__ import annotations

import time

import pytest
from action_harness import KB

from citybot.language.typography import french_typography

pytestmark = [pytest.mark.server, pytest.mark.model]


def rest(stack, sender: str, text: str) -> str:
    """One REST turn: the bot's messages as one text."""
    from servers import rest_text

    return rest_text(stack.rasa_url, sender, text)


def sender(name: str) -> str:
    return f"precise-{name}-{time.time_ns()}"


def text_of(measure_id: str, lang: str) -> str:
    found = [m for c in KB.cities.values() for m in c.measures if m.id == measure_id]
    assert found, f"{measure_id} is no longer in knowledge/"
    text = found[0].text.get(lang)
    return french_typography(text) if lang == "fr" else text


def first_fact(reply: str) -> str:
    bullets = [line[2:] for line in reply.splitlines() if line.startswith("• ")]
    assert bullets, reply
    return bullets[0]


def bulleted(reply: str) -> list[str]:
    return [line[2:] for line in reply.splitlines() if line.startswith("• ")]


def test_an_aspect_question_gets_the_matching_fact_first_then_the_rest_on_more_in_english(stack):
    user = sender("aspect-en")
    reply = rest(stack, user, "how did evry keep the pupils motivated during lockdown?")
    assert first_fact(reply) == text_of("evry-regular-communication-with-families", "en"), reply
    assert "Say “more” to see them" in reply and "\nSource" in reply, reply
    more = rest(stack, user, "more")
    others = [m for m in KB.measures_for("evry-courcouronnes", "schooling") if m.text.en not in reply]
    assert others and all(m.text.en in more for m in others), more


def test_an_aspect_question_gets_the_matching_fact_first_in_french(stack):
    user = sender("aspect-fr")
    reply = rest(stack, user, "Est-ce qu'Évry a commandé des masques pour les soignants ?")
    assert first_fact(reply) == text_of("evry-masks-for-health-workers", "fr"), reply
    assert "Lors du débat du webinaire du GNLC" in reply, reply
    more = rest(stack, user, "la suite")
    assert text_of("evry-handmade-masks", "fr") in more, more


def test_a_known_city_in_an_out_of_scope_looking_question_is_answered_honestly(stack):
    reply = rest(stack, sender("scope-en"), "what is the weather like in Chefchaouen?")
    assert "outside what I know" not in reply and "not sure what you mean" not in reply, reply
    assert reply.startswith("My sources on Chefchaouen ("), reply
    reply = rest(stack, sender("scope-fr"), "raconte-moi une blague sur Osan")
    assert "sort de ce que je sais" not in reply and reply.startswith("Mes sources sur Osan ("), reply


def test_a_known_city_with_a_matching_fact_in_an_unclassified_question_gets_that_fact(stack):
    reply = rest(stack, sender("scope-match"), "Chefchaouen waterfalls?")
    assert first_fact(reply) == text_of("chefchaouen-akchour-waterfalls-prevention", "en"), reply


def test_a_reverse_question_lists_only_the_cities_whose_facts_match_in_both_languages(stack):
    reply = rest(stack, sender("reverse-en"), "which cities handed out masks to pregnant women?")
    assert [b.split("\n")[0] for b in bulleted(reply)] == ["Goyang"], reply
    reply = rest(
        stack, sender("reverse-fr"), "quelles villes ont distribué des masques aux femmes enceintes ?"
    )
    assert [b.split("\n")[0] for b in bulleted(reply)] == ["Goyang"], reply
