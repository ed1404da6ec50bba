"""Follow-up fragments keep the conversation's context ("And Chefchaouen?" -> "And for schools there?").

The conversation is replayed turn by turn: slots are updated from the events the actions return,
as the Rasa server does, so the test exercises the real hand-over of context between turns.
"""

from __future__ import annotations

from action_harness import KB, all_text, entity, run, slot_events, tracker_for

from actions.city import AnswerCityTopic
from actions.general import AnswerFollowUp
from actions.organisation import AnswerOrganisationLeader
from actions.topics import AnswerCitiesByTopic
from citybot.language.typography import french_typography


class Conversation:
    """Slots carried from turn to turn, like the tracker on the Rasa server."""

    def __init__(self, lang: str = "en"):
        self.slots = {"language": lang}

    def ask(self, action, text: str, **entities: str):
        found = [entity(name, value, text) for name, value in entities.items()]
        for name, value in entities.items():  # from_entity slot mappings
            self.slots[name] = value
        said, events = run(
            action, tracker_for(text, found, slots=dict(self.slots), lang=self.slots["language"])
        )
        self.slots.update(slot_events(events))
        return said


def measure_texts(city_id: str, topic: str, lang: str = "en") -> list[str]:
    texts = [m.text.get(lang) for m in KB.measures_for(city_id, topic)]
    return [french_typography(t) for t in texts] if lang == "fr" else texts  # as the reader sees them


def test_city_then_topic_follow_ups_answer_about_the_right_city_and_topic():
    chat = Conversation()
    first = chat.ask(
        AnswerCityTopic(),
        "What has Évry done for vulnerable families?",
        city="Évry",
        topic="vulnerable families",
    )
    # "families" is a word of the topic few of its measures say: those measures first
    assert "Évry-Courcouronnes" in first[0].text and "The most vulnerable families" in first[0].text

    second = chat.ask(AnswerFollowUp(), "And Chefchaouen?", city="Chefchaouen")
    # the webinar's measures, then those of UCLG-MEWA's page without the webinar's line
    assert [s.response for s in second] == [
        "utter_city_topic",
        "utter_city_topic_plain_more",
        "utter_sources_line",
    ]
    assert second[0].text.startswith("Chefchaouen, social support")
    assert all(fact in all_text(second[:2]) for fact in measure_texts("chefchaouen", "social_support"))

    third = chat.ask(AnswerFollowUp(), "And for schools there?", topic="schools")
    assert third[0].text.startswith("Chefchaouen, schooling")
    assert "Schools, colleges and universities were closed" in third[0].text
    assert chat.slots["city"] == "chefchaouen" and chat.slots["topic"] == "schooling"


def test_french_follow_ups():
    chat = Conversation("fr")
    chat.ask(AnswerCityTopic(), "Qu'a fait Mayo-Baléo pour les écoles ?", city="Mayo-Baléo", topic="écoles")
    said = chat.ask(AnswerFollowUp(), "et Évry ?", city="Évry")
    assert said[0].text.startswith("Évry-Courcouronnes, scolarité")
    assert "Présenté par Mme Danielle Valéro" in said[0].text


def test_reverse_question_then_a_city_narrows_it_down():
    chat = Conversation()
    chat.ask(AnswerCitiesByTopic(), "Which cities gave out meals?", topic="meals")
    said = chat.ask(AnswerFollowUp(), "and in Évry?", city="Évry")
    assert said[0].text.startswith("Évry-Courcouronnes, food and meals")


def test_reverse_question_then_another_topic():
    chat = Conversation("fr")
    chat.ask(AnswerCitiesByTopic(), "Quelles villes ont distribué des repas ?", topic="repas")
    said = chat.ask(AnswerFollowUp(), "et les masques ?", topic="masques")
    assert said[0].response == "utter_cities_by_topic"
    assert "Mayo-Baléo" in said[0].text and "masques de protection" in said[0].text


def test_follow_up_repeats_the_last_kind_of_question():
    chat = Conversation()
    chat.slots.update(city="chefchaouen", last_question="city_representative")
    said = chat.ask(AnswerFollowUp(), "and Mayo-Baléo?", city="Mayo-Baléo")
    assert said[0].response == "utter_city_representative" and "Mr Emmanual Fecwa" in said[0].text


def test_follow_up_on_an_organisation():
    chat = Conversation()
    chat.ask(AnswerOrganisationLeader(), "Who leads the AIMF?", organisation="AIMF")
    said = chat.ask(AnswerFollowUp(), "and the UIL?", organisation="UIL")
    # UIL has no leadership fact: its people, with their roles, answer
    assert said[0].response == "utter_organisation_people"
    assert "David Atchoarena (Director of the UNESCO Institute for Lifelong Learning (UIL))" in said[0].text


def test_fragment_without_context_gets_the_help_message():
    said, events = run(AnswerFollowUp(), tracker_for("and?", intent="inform"))
    assert said[0].response == "utter_fallback"
