"""Precise answers (issue 16): the facts that answer the question first, the rest one "more" away.

Against the real knowledge base, its real fact index and the real domain wording (rendered as the
Rasa server renders it, tests/action_harness.py), in both languages: a question about one aspect
of a city, "more", a city named in a message the classifier put out of scope or could not
classify, and "which cities …?" questions that say more than the topic.
"""

from __future__ import annotations

from typing import Any

import pytest
from action_harness import KB, Said, all_text, entity, run, slot_events, tracker_for
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.city import (
    AnswerCityCountry,
    AnswerCityOverview,
    AnswerCityRepresentative,
    AnswerCityTopic,
    AnswerCityWebinar,
)
from actions.facts import Reply
from actions.general import AnswerFallback, AnswerFollowUp, AnswerOutOfScope, ListCities
from actions.more import ShowMore
from actions.organisation import (
    AnswerOrganisation,
    AnswerOrganisationCovid,
    AnswerOrganisationLeader,
    AnswerPerson,
    AnswerSaid,
)
from actions.resolve import organisation_by_part
from actions.topics import AnswerCitiesByTopic
from actions.webinar import (
    AnswerDirectorClosing,
    AnswerDirectorOpening,
    AnswerSeries,
    AnswerWebinar,
    AnswerWebinarAttendance,
    AnswerWebinarHost,
    AnswerWebinarLanguage,
    AnswerWebinarModerator,
)
from citybot.language.typography import french_typography


def measure(measure_id: str) -> Any:
    """The real measure with this id (the test fails when the knowledge base drops it)."""
    found = [m for city in KB.cities.values() for m in city.measures if m.id == measure_id]
    assert found, f"{measure_id} is no longer in knowledge/"
    return found[0]


def read(measure_id: str, lang: str) -> str:
    """A measure's text as the reader sees it (French typography on French text)."""
    text = measure(measure_id).text.get(lang)
    return french_typography(text) if lang == "fr" else text


def first_fact(said: list[Said]) -> str:
    """The text of the first fact of a reply (its first bullet)."""
    lines = [line for s in said for line in s.text.splitlines() if line.startswith("• ")]
    assert lines, all_text(said)
    return lines[0][2:]


class Chat:
    """Slots carried from turn to turn, like the Rasa server's tracker, on one channel."""

    def __init__(self, lang: str = "en", channel: str = "rest"):
        self.slots: dict[str, Any] = {}
        self.lang, self.channel = lang, channel

    def ask(
        self,
        action: Any,
        text: str,
        intent: str = "ask_city_topic",
        ranking: list[dict[str, Any]] | None = None,
        **found: str,
    ) -> list[Said]:
        entities = [entity(name, value, text) for name, value in found.items()]
        latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": entities}
        if ranking is not None:
            latest["intent_ranking"] = ranking
        slots = {"language": self.lang, **self.slots, **found}
        events = [{"event": "user", "text": text, "input_channel": self.channel}]
        tracker = Tracker(f"{self.channel}:1", slots, latest, events, False, None, {}, "action_listen")
        said, answer_events = run(action, tracker)
        self.slots.update(found)
        self.slots.update(slot_events(answer_events))
        return said


# --- One aspect of a city.


def test_an_aspect_question_in_english_gets_the_matching_fact_first_and_the_rest_on_request():
    chat = Chat()
    said = chat.ask(AnswerCityTopic(), "How did Évry keep pupils motivated?", city="Évry", topic="pupils")
    best = "evry-regular-communication-with-families"
    assert first_fact(said) == read(best, "en"), all_text(said)
    assert said[0].response == "utter_city_topic"  # presented at a webinar by a named person: said so
    assert "Presented by Ms Danielle Valéro" in said[0].text and "23 April 2020" in said[0].text
    schooling = [m.id for m in KB.measures_for("evry-courcouronnes", "schooling")]
    assert (
        len(schooling) > 2 and sum(read(m, "en") in all_text(said) for m in schooling) <= 3
    )  # not the topic
    rest_line = next(s for s in said if s.response == "utter_city_rest_say_more")
    assert "Say “more” to see them" in rest_line.text
    assert chat.slots["list_pending"] == ["evry-courcouronnes"] and best not in chat.slots["list_facts"]
    assert said[-1].response == "utter_source_line"

    more = chat.ask(ShowMore(), "more", intent="ask_more")
    shown_now = all_text(more)
    assert all(read(m, "en") in shown_now for m in chat_rest(schooling, said)), shown_now
    assert read(best, "en") not in shown_now
    assert more[-1].response == "utter_source_line"
    assert chat.ask(ShowMore(), "more", intent="ask_more")[0].response == "utter_more_nothing"


def chat_rest(topic_ids: list[str], said: list[Said]) -> list[str]:
    """The topic's measures the first answer did not say."""
    text = all_text(said)
    return [m for m in topic_ids if read(m, "en") not in text]


def test_an_aspect_question_in_french_gets_the_debate_fact_first_with_its_provenance():
    chat = Chat(lang="fr", channel="socketio")
    text = "Est-ce qu'Évry a commandé des masques pour les soignants ?"
    said = chat.ask(AnswerCityTopic(), text, city="Évry", topic="masques")
    assert first_fact(said) == read("evry-masks-for-health-workers", "fr"), all_text(said)
    assert said[0].response == "utter_city_topic_debate"
    assert said[0].text.startswith("Lors du débat du webinaire du GNLC du 23 avril 2020")
    rest = next(s for s in said if s.response == "utter_city_rest_button")  # the web page: a button
    assert rest.buttons == [{"title": "Les voir", "payload": "/ask_more"}]
    label = KB.topics["masks"].label.fr
    assert f"Autres mesures sur le thème « {label} » à Évry-Courcouronnes : " in rest.text.replace(
        "\xa0", " "
    )

    more = chat.ask(ShowMore(), "la suite", intent="ask_more")
    for other in ("evry-handmade-masks", "evry-masks-priority-vulnerable"):
        assert read(other, "fr") in all_text(more)


def test_a_second_topic_narrows_the_first_one():
    text = "did Osan give masks to vulnerable groups?"  # masks, and among them the vulnerable's
    said = Chat().ask(AnswerCityTopic(), text, city="Osan", topic="masks")
    assert first_fact(said) == read("osan-masks-donated-vulnerable", "en"), all_text(said)
    assert read("osan-ttasum-funding", "en") not in all_text(said)  # the rest of masks: on "more"


def test_a_question_naming_only_a_city_and_a_topic_keeps_the_whole_topic():
    chat = Chat()
    said = chat.ask(AnswerCityTopic(), "What did Évry do about masks?", city="Évry", topic="masks")
    masks = KB.measures_for("evry-courcouronnes", "masks")
    assert all(m.text.en in all_text(said) for m in masks)
    assert all(s.response not in ("utter_city_rest_say_more", "utter_city_rest_button") for s in said)
    assert not chat.slots.get("list_pending")


def test_a_new_whole_topic_answer_drops_the_rest_of_the_previous_one():
    chat = Chat()
    chat.ask(AnswerCityTopic(), "How did Évry keep pupils motivated?", city="Évry", topic="pupils")
    assert chat.slots["list_pending"]
    chat.ask(AnswerCityTopic(), "What did Osan do about masks?", city="Osan", topic="masks")
    assert chat.slots["list_pending"] is None and chat.slots["list_facts"] is None
    assert chat.ask(ShowMore(), "more", intent="ask_more")[0].response == "utter_more_nothing"


# --- A question about one thing a city did, read by the classifier as another kind of question.


def test_a_question_read_as_an_overview_gets_the_fact_it_asks_for_in_both_languages():
    said = Chat().ask(
        AnswerCityOverview(), "Does Espoo have a coronavirus chatbot?", intent="ask_city_overview"
    )
    assert first_fact(said) == read("espoo-coronavirus-chatbot", "en"), all_text(said)
    said = Chat(lang="fr").ask(
        AnswerCityOverview(), "Le test covid est-il gratuit à New York ?", intent="ask_city_overview"
    )
    assert first_fact(said) == read("new-york-free-testing", "fr"), all_text(said)


def test_a_question_read_as_an_overview_naming_a_topic_gets_the_city_measures_on_it():
    said = Chat(lang="fr").ask(
        AnswerCityOverview(),
        "Gdynia aide les entreprises pendant le confinement ?",
        intent="ask_city_overview",
        city="Gdynia",
    )
    assert first_fact(said) == read("gdynia-free-business-support", "fr"), all_text(said)


def test_a_question_read_as_a_country_question_naming_a_topic_gets_the_city_measures_on_it():
    """ "Cameroonian" made it a country question; the masks are what it asks about."""
    for lang, text in (
        ("en", "Did they make their own masks in the Cameroonian town?"),
        ("fr", "Dans la commune camerounaise, ils ont fabriqué leurs propres masques ?"),
    ):
        said = Chat(lang=lang).ask(AnswerCityCountry(), text, intent="ask_city_country", topic="masks")
        assert first_fact(said) == read("mayo-baleo-artisanal-masks", lang), all_text(said)
    # asked without a topic, the question keeps its answer: the country
    said = Chat().ask(AnswerCityCountry(), "Which country is Mayo-Baléo in?", intent="ask_city_country")
    assert said[0].response == "utter_city_country", all_text(said)


def test_overview_questions_phrased_as_overviews_keep_the_overview():
    """Words an overview is asked with (its training examples': "situation", « pendant »,
    "summary") are not something specific, even where a fact happens to contain them."""
    for lang, text in (
        ("en", "Give me a summary of what Sidon did during the crisis"),
        ("en", "What was the situation in Gdynia?"),
        ("fr", "parle-moi de Saïda"),
        ("fr", "qu'a fait Évry pendant le confinement ?"),
        ("fr", "comment Bristol a réagi face au covid"),
    ):
        said = Chat(lang=lang).ask(AnswerCityOverview(), text, intent="ask_city_overview")
        assert said[0].response.startswith("utter_city_status"), (text, all_text(said))


def test_a_question_read_as_a_webinar_question_gets_the_city_fact_it_asks_for():
    said = Chat().ask(AnswerCityWebinar(), "What was Wuhan's community grid?", intent="ask_city_webinar")
    assert first_fact(said) == read("wuhan-citywide-community-grid", "en"), all_text(said)
    said = Chat().ask(AnswerWebinar(), "What is Milan's 15-minute city?", intent="ask_webinar")
    assert first_fact(said) == read("milan-15-minute-city", "en"), all_text(said)
    said = Chat().ask(AnswerCityWebinar(), "When did Sidon present?", intent="ask_city_webinar")
    assert "utter_city_topic" not in [s.response for s in said], all_text(said)  # what it asks: no fact


def test_a_topic_read_from_a_word_the_best_fact_says_does_not_keep_that_fact_out():
    """No topic entity: "municipalities" names governance, Project Hope's four municipalities are
    filed under health. The question's own word is in that fact, which answers it first."""
    said = Chat().ask(
        AnswerCityTopic(), "Which municipalities did Santiago's Project Hope work in?", city="santiago"
    )
    assert "Puente Alto" in first_fact(said), all_text(said)


def test_help_for_pupils_at_home_whose_parents_had_little_schooling_is_the_social_workers_roster():
    """The roster serves pupils studying at home (schooling, as the classifier reads « école »),
    and the fact calls them children too ("kids", « gamins »)."""
    said = Chat(lang="fr").ask(
        AnswerCityTopic(),
        "Qu'a prévu Évry pour les élèves confinés dont les parents ont eux-mêmes peu été à l'école ?",
        city="Évry",
        topic="école",
    )
    assert "travailleurs sociaux" in first_fact(said), all_text(said)
    said = Chat().ask(
        AnswerCityTopic(),
        "In Evry, what help was there for kids at home whose parents didn't get much schooling themselves?",
        city="Evry",
    )
    assert "social workers" in first_fact(said), all_text(said)


def test_what_kashans_tv_programme_taught_about_sick_relatives_is_the_departments_fact():
    """The question calls the programme a TV programme, as that fact does."""
    said = Chat().ask(
        AnswerCityTopic(),
        "Did Kashan's TV programme teach people how to look after a sick relative?",
        city="Kashan",
        topic="TV",
    )
    assert "education and health departments" in first_fact(said), all_text(said)


def test_a_city_list_asking_for_cities_that_did_something_lists_those_that_did():
    said = Chat().ask(ListCities(), "Which cities set up a coronavirus chatbot?", intent="list_cities")
    assert said[0].response == "utter_cities_matching" and "Espoo" in said[0].text, all_text(said)
    assert "Chefchaouen" not in all_text(said)
    said = Chat(lang="fr").ask(
        ListCities(), "donne-moi toutes les villes que tu connais", intent="list_cities"
    )
    assert said[0].response.startswith("utter_list_cities"), all_text(said)


def test_an_unclassified_city_question_is_answered_from_the_city_facts_before_any_other_reading():
    """Torn between a webinar and a city-topic reading, "the community grid of Wuhan"
    asks about one thing Wuhan did: its facts answer it, not its webinar."""
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "ask_city_webinar", "confidence": 0.42},
        {"name": "ask_city_topic", "confidence": 0.40},
    ]
    said = Chat().ask(AnswerFallback(), "the community grid of Wuhan", intent="nlu_fallback", ranking=ranking)
    assert first_fact(said) == read("wuhan-citywide-community-grid", "en"), all_text(said)


def test_a_fact_far_ahead_of_the_others_answers_before_a_weak_reading_or_out_of_scope():
    # torn toward "who leads an organisation?", it said an organisation had no facts
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ask_organisation_leader", "confidence": 0.23},
        {"name": "out_of_scope", "confidence": 0.21},
    ]
    text = "how long was CODAE going to last and who was it mainly aimed at"
    said = Chat().ask(AnswerFallback(), text, intent="nlu_fallback", ranking=ranking)
    assert first_fact(said) == read("sao-paulo-codae-duration-and-targets", "en"), all_text(said)
    # out of scope, the rare name it says (de Blasio) and three more of its words pick the fact
    said = Chat().ask(
        AnswerOutOfScope(), "Who was de Blasio's emergency relief fund meant to help?", intent="out_of_scope"
    )
    assert first_fact(said) == read("new-york-emergency-relief-fund", "en"), all_text(said)


# --- A known city in a message the classifier put out of scope or could not classify.


def test_out_of_scope_with_a_known_city_answers_from_its_matching_facts():
    said = Chat().ask(
        AnswerOutOfScope(), "what about the Akchour waterfalls in Chefchaouen?", intent="out_of_scope"
    )
    assert first_fact(said) == read("chefchaouen-akchour-waterfalls-prevention", "en"), all_text(said)
    assert "outside what I know" not in all_text(said)


def test_out_of_scope_with_a_known_city_and_nothing_matching_says_so_honestly_in_both_languages():
    said = Chat().ask(AnswerOutOfScope(), "is there a casino in Chefchaouen?", intent="out_of_scope")
    assert said[0].response in ("utter_city_nothing_matches", "utter_city_nothing_about"), all_text(said)
    assert said[0].text.startswith("My sources on Chefchaouen (")
    assert "they cover:" in said[0].text and "travel restrictions" in said[0].text.lower()
    assert said[0].buttons and all(b["payload"].startswith("/ask_city_topic") for b in said[0].buttons)

    said = Chat(lang="fr").ask(
        AnswerOutOfScope(), "y a-t-il un casino à Chefchaouen ?", intent="out_of_scope"
    )
    assert said[0].text.startswith("Mes sources sur Chefchaouen ("), all_text(said)
    assert "ne disent rien" in said[0].text and "\u00a0: " in said[0].text  # French spacing


def test_out_of_scope_without_a_known_city_stays_out_of_scope():
    said = Chat().ask(AnswerOutOfScope(), "can you recommend a good restaurant?", intent="out_of_scope")
    assert [s.response for s in said] == ["utter_out_of_scope"]


def test_which_cities_did_something_read_as_out_of_scope_or_unclassified_lists_those_cities():
    # before, the one fact holding most of its words answered (Cork's calls to its learners)
    for action, intent in ((AnswerOutOfScope(), "out_of_scope"), (AnswerFallback(), "nlu_fallback")):
        said = Chat().ask(
            action, "Which cities had a phone hotline or helpline people could call?", intent=intent
        )
        assert said[0].response == "utter_cities_matching", all_text(said)
        assert {"Sidon", "Espoo", "Bristol"} <= {b["title"] for b in said[0].buttons}, all_text(said)
    # out of scope, unless measures hold every word it asks with
    said = Chat().ask(AnswerOutOfScope(), "which cities have the nicest weather?", intent="out_of_scope")
    assert "utter_cities_matching" not in [s.response for s in said], all_text(said)


def test_a_reverse_question_listing_examples_lists_the_cities_of_each_example():
    # no measure does all of "childcare, protective gear, money or a support line": before, the
    # whole health topic was listed
    text = (
        "which cities looked after their health workers, e.g. childcare, protective gear or a support line?"
    )
    said = Chat().ask(AnswerCitiesByTopic(), text, intent="ask_cities_by_topic")
    assert said[0].response == "utter_cities_matching", all_text(said)
    cities = {b["title"] for b in said[0].buttons}
    assert {"Évry-Courcouronnes", "Piraeus", "Gdynia"} <= cities and "Beijing" not in cities, all_text(said)


def test_a_question_read_as_a_list_of_cities_that_names_one_gets_its_fact():
    text = "le site coronavirus de la ville d'Espoo il existe en quelles langues ?"
    said = Chat(lang="fr").ask(ListCities(), text, intent="list_cities", city="Espoo")
    assert first_fact(said) == read("espoo-coronavirus-website", "fr"), all_text(said)


def test_what_an_organisation_brought_to_a_webinar_is_what_it_presented_there():
    said = Chat().ask(AnswerWebinar(), "what did c40 bring to the recovery webinar", intent="ask_webinar")
    assert said[0].response == "utter_organisation" and "taskforce of mayors" in all_text(said), all_text(
        said
    )
    # UIL ran the series: the webinar answers
    said = Chat().ask(AnswerWebinar(), "what did UIL bring to the recovery webinar?", intent="ask_webinar")
    assert said[0].response.startswith("utter_webinar"), all_text(said)


def test_a_series_of_webinars_an_organisation_ran_is_its_fact_not_one_webinar():
    for lang, text, intent in (
        ("en", "did uil run a follow up webinar series on recovery with PASCAL?", "ask_webinar"),
        (
            "fr",
            "Avec qui l'UIL a organisé la série de webinaires sur la relance à partir de juin 2020 ?",
            "ask_webinar_host",
        ),
    ):
        said = Chat(lang=lang).ask(
            AnswerWebinar() if intent == "ask_webinar" else AnswerWebinarHost(), text, intent=intent
        )
        assert "PASCAL" in all_text(said) and not said[0].response.startswith("utter_webinar"), all_text(said)


def test_who_spoke_at_a_webinar_named_by_its_theme_gets_the_webinar_not_a_quote():
    # "spoke" read as "who said…?": remarks about partnerships answered
    for lang, text in (
        ("en", "who spoke at the webinar on new partnerships in education governance"),
        ("fr", "qui est intervenu au webinaire sur les partenariats pour la gouvernance de l'éducation ?"),
    ):
        said = Chat(lang=lang).ask(AnswerWebinar(), text, intent="ask_webinar")
        assert said[0].response.startswith("utter_webinar"), all_text(said)
        assert "20 May 2020" in all_text(said) or "20 mai 2020" in all_text(said), all_text(said)


def test_which_cities_read_as_an_organisation_question_naming_none_lists_the_cities():
    # before, "which organisation do you mean?" with every organisation as a button
    text = "Dans quelles villes une université a-t-elle été partenaire de la réponse au covid ?"
    said = Chat(lang="fr").ask(
        AnswerOrganisationCovid(), text, intent="ask_organisation_covid", organisation="université"
    )
    assert said[0].response == "utter_cities_matching", all_text(said)
    assert {"Santiago", "Glasgow"} <= {b["title"] for b in said[0].buttons}, all_text(said)


def test_out_of_scope_with_a_webinar_date_goes_to_the_webinar():
    said = Chat().ask(AnswerOutOfScope(), "was there anything fun on 23 April 2020?", intent="out_of_scope")
    assert said[0].response == "utter_webinar", all_text(said)


def test_an_unclassified_message_naming_a_city_gets_its_matching_fact():
    said = Chat(lang="fr").ask(
        AnswerFallback(), "Chefchaouen médecins militaires mobilisés ?", intent="nlu_fallback"
    )
    assert first_fact(said) == read("chefchaouen-military-doctors", "fr"), all_text(said)


def test_a_question_about_a_city_situation_gets_its_overview_not_a_measure_in_both_languages():
    """Osan's award is said by its context, which the overview gives; no measure says it."""
    said = Chat().ask(
        AnswerFallback(), "Why did Osan win the UNESCO Learning City Award?", intent="nlu_fallback"
    )
    assert any(s.response.startswith("utter_city_overview") for s in said), all_text(said)
    assert KB.cities["osan"].context.en in all_text(said)
    said = Chat(lang="fr").ask(
        AnswerCityTopic(), "Osan a reçu un prix ? Pourquoi ?", intent="ask_city_topic", city="Osan"
    )
    assert any(s.response.startswith("utter_city_overview") for s in said), all_text(said)
    assert french_typography(KB.cities["osan"].context.fr) in all_text(said)


def test_a_country_named_before_the_question_leaves_it_asking_who():
    """ "In Lebanon, who sits on…?": the country only locates the city, and the clause after it
    still asks who."""
    said = Chat().ask(
        AnswerCityOverview(),
        "In Lebanon, who sits on Sidon's COVID crisis committee and what does it do?",
        intent="ask_city_overview",
        city="Sidon",
    )
    assert first_fact(said) == read("sidon-crisis-committee", "en"), all_text(said)


def test_an_unclassified_message_naming_a_webinar_by_its_order_gets_that_webinar():
    said = Chat().ask(AnswerFallback(), "and the second webinar?", intent="nlu_fallback")
    second = list(KB.webinars.values())[1]
    assert said[0].response != "utter_fallback" and second.title.en in all_text(said), all_text(said)


def test_chit_chat_sharing_a_word_with_a_webinar_stays_out_of_scope():
    text = "qui a gagné la coupe du monde ?"
    said = Chat(lang="fr").ask(AnswerOutOfScope(), text, intent="out_of_scope")
    assert [s.response for s in said] == ["utter_out_of_scope"], all_text(said)


def test_an_unclassified_message_with_a_webinar_date_goes_to_the_webinar():
    said = Chat(lang="fr").ask(AnswerFallback(), "et le 8 avril 2020 alors ?", intent="nlu_fallback")
    assert said[0].response != "utter_fallback" and "8 avril 2020" in all_text(said), all_text(said)


# --- Reverse questions filtered by what matches.


def listed(said: list[Said]) -> list[str]:
    return [line[2:] for s in said for line in s.text.splitlines() if line.startswith("• ")]


def test_a_reverse_question_in_english_lists_only_the_cities_whose_facts_match():
    said = Chat().ask(AnswerCitiesByTopic(), "Which cities gave masks to pregnant women?", topic="masks")
    assert said[0].response == "utter_cities_matching", all_text(said)
    assert "Goyang" in listed(said)
    assert read("goyang-masks-pregnant-women-underprivileged", "en") in said[0].text
    # cities that made, ordered or required masks gave none to anyone: the topic alone lists them
    assert not {"Chefchaouen", "Mayo-Baléo", "Évry-Courcouronnes"} & set(listed(said)), all_text(said)
    assert {"Chefchaouen", "Mayo-Baléo"} <= {c.name for c in KB.cities_for_topic("masks")}


def test_a_reverse_question_in_french_lists_only_the_cities_whose_facts_match():
    said = Chat(lang="fr").ask(
        AnswerCitiesByTopic(),
        "Quelles villes ont distribué des masques aux femmes enceintes ?",
        topic="masques",
    )
    assert listed(said) == ["Goyang"], all_text(said)
    assert said[0].text.startswith("Villes dont les mesures répondent à votre question\u00a0: Goyang.")


def test_a_reverse_question_whose_extra_words_no_measure_has_gets_the_topic_list_headed_as_such():
    said = Chat().ask(
        AnswerCitiesByTopic(), "Which cities sold masks to tourists on cruise ships?", topic="masks"
    )
    assert said[0].response == "utter_cities_by_topic", all_text(said)  # "Cities with measures on …"
    assert listed(said) == [c.name for c in KB.cities_for_topic("masks")]


def test_more_continues_a_list_filtered_by_the_question_with_its_matching_measures_only():
    chat = Chat()
    said = chat.ask(AnswerCitiesByTopic(), "Which cities gave masks to pregnant women?", topic="masks")
    assert chat.slots.get("list_facts") is None  # one page: nothing left for "more"
    chat.slots.update(
        last_question="cities_by_topic",
        list_pending=["goyang", "osan"],
        list_topic="masks",
        list_facts=["goyang-masks-pregnant-women-underprivileged"],
    )  # what a longer filtered list leaves after its first page
    more = chat.ask(ShowMore(), "more", intent="ask_more")
    assert more[0].response == "utter_cities_matching_last", all_text(more)
    assert listed(more) == ["Goyang"]  # Osan: none of its measures was among those that matched
    assert read("goyang-masks-pregnant-women-underprivileged", "en") in more[0].text
    assert read("goyang-masks-and-cleansers", "en") not in more[0].text
    assert said[0].response == "utter_cities_matching"


# --- A person named with words of what they said.


def test_a_person_named_with_words_of_their_remark_gets_the_remark_in_both_languages():
    remark = next(r for w in KB.webinars.values() for r in w.remarks if r.id == "lopes-19-march-second-wave")
    for lang, text in (("fr", "Henrique Lopes deuxième vague"), ("en", "Henrique Lopes and the second wave")):
        said = Chat(lang=lang).ask(AnswerPerson(), text, intent="ask_person")
        shown = french_typography(remark.text.fr) if lang == "fr" else remark.text.en
        assert shown in all_text(said), all_text(said)


def test_a_person_named_with_topic_words_one_remark_of_theirs_says_gets_the_remark():
    """ "Distance learning" and "vulnerable" are topics' words, which alone ask for a whole; one
    of Jonghwi Park's remarks says both, so they ask for her words."""
    for lang, text in (
        ("fr", "jonghwi park enseignement a distance pour les plus vulnerables"),
        ("en", "Jonghwi Park, distance learning for the most vulnerable"),
    ):
        said = Chat(lang=lang).ask(AnswerPerson(), text, intent="ask_person")
        assert remark_text("opening-6-may-vulnerable", lang) in all_text(said), all_text(said)


def test_asking_who_a_person_is_keeps_the_person_answer():
    for lang, text in (
        ("fr", "Pouvez-vous me dire qui est Henrique Lopes ?"),
        ("en", "Tell me who Henrique Lopes is"),
        ("en", "What is Henrique Lopes's role?"),
        ("fr", "quel est le poste de Henrique Lopes ?"),
    ):
        said = Chat(lang=lang).ask(AnswerPerson(), text, intent="ask_person")
        assert said[0].response in ("utter_person", "utter_person_role_unknown"), (text, all_text(said))


# --- "Who said…?" naming no one, and an organisation's facts under another reading.


def remark_text(remark_id: str, lang: str) -> str:
    found = [r for w in KB.webinars.values() for r in w.remarks if r.id == remark_id]
    assert found, f"{remark_id} is no longer in knowledge/"
    return french_typography(found[0].text.fr) if lang == "fr" else found[0].text.en


def test_who_said_names_the_speaker_with_the_words_whatever_the_reading_in_both_languages():
    for lang, action, intent, text in (
        ("en", AnswerFallback(), "nlu_fallback", "Who talked about refugees' living conditions?"),
        (
            "fr",
            AnswerOutOfScope(),
            "out_of_scope",
            "Qui a parlé de la barrière de la langue pour les migrants ?",
        ),
        (
            "fr",
            AnswerCitiesByTopic(),
            "ask_cities_by_topic",
            "qui a évoqué les logements surpeuplés des réfugiés ?",
        ),
    ):
        said = Chat(lang=lang).ask(action, text, intent=intent)
        assert said[0].response in ("utter_said", "utter_said_undated"), (text, all_text(said))
        assert remark_text("opening-22-april-living-conditions", lang) in said[0].text
        assert "Konstantinos Pagratis" in said[0].text


def test_someone_s_words_come_first_under_a_city_topic_reading_too():
    """ask_city_topic is the classifier's commonest reading of a question with a topic word:
    "suggested" and « selon » ask what someone said as "said" does."""
    for lang, text, words in (
        (
            "en",
            "Who suggested pupils take turns visiting museums?",
            remark_text("opening-3-june-schools-museums", "en"),
        ),
        (
            "en",
            "did lopes say adult education matters for health?",
            remark_text("lopes-19-march-education-for-health", "en"),
        ),
        ("fr", "Selon Marco Pironti, quel est le rôle de la ville ?", read("turin-city-as-ecosystem", "fr")),
    ):
        said = Chat(lang=lang).ask(AnswerCityTopic(), text, intent="ask_city_topic")
        assert said[0].response.startswith("utter_said"), (text, all_text(said))
        assert words in said[0].text, (text, all_text(said))


def test_who_described_or_suggested_is_a_question_about_words_under_any_reading():
    for action, intent, text, remark in (
        (
            AnswerOrganisationLeader(),
            "ask_organisation_leader",
            "who suggested half the class stays in school while the other half goes to museums?",
            "opening-3-june-schools-museums",
        ),
        (
            AnswerFallback(),
            "nlu_fallback",
            "Who described how language barriers and overcrowded housing put refugees at risk?",
            "opening-22-april-living-conditions",
        ),
    ):
        said = Chat().ask(action, text, intent=intent)
        assert said[0].response in ("utter_said", "utter_said_undated"), (text, all_text(said))
        assert remark_text(remark, "en") in said[0].text


def test_a_city_topic_question_keeps_its_own_words_for_the_ranking():
    """Only the words step runs before the city-topic answer: its ranking reads the whole
    message, "paid" included."""
    assert said_ids(AnswerCityTopic(), "who paid for Osan's cotton masks?", "ask_city_topic", city="Osan")[
        0
    ] == ("osan-ttasum-funding")


def test_who_said_looks_only_among_what_people_said():
    """A measure nobody reported can match the words better ("inequalities" of a city's
    platforms); the question is whose words they were."""
    said = Chat(lang="fr").ask(
        AnswerFallback(),
        "qui a dit que le covid a révélé des inégalités qui existaient déjà ?",
        intent="nlu_fallback",
    )
    assert said[0].response in ("utter_said", "utter_said_undated"), all_text(said)
    assert remark_text("moderator-1-april-inequalities", "fr") in said[0].text


def test_who_said_what_nobody_said_keeps_the_action_answer():
    said = Chat().ask(AnswerOutOfScope(), "who said the moon is made of cheese?", intent="out_of_scope")
    assert [s.response for s in said] == ["utter_out_of_scope"], all_text(said)


def test_an_organisation_question_read_as_a_series_question_gets_the_organisation_fact():
    text = "Did UIL run another webinar series with PASCAL?"
    said = Chat().ask(AnswerSeries(), text, intent="ask_series")
    fact = next(f for f in KB.organisations["uil"].facts if f.id == "uil-recovery-webinar-series")
    assert fact.text.en in all_text(said), all_text(said)
    said = Chat().ask(AnswerSeries(), "Tell me about the webinar series", intent="ask_series")
    assert said[0].response == "utter_series", all_text(said)


def test_an_unclassified_message_saying_webinar_gets_the_webinar_it_is_about_not_the_topic_cities():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "ask_cities_by_topic", "confidence": 0.45},
        {"name": "ask_webinar", "confidence": 0.40},
    ]
    said = Chat(lang="fr").ask(
        AnswerFallback(), "webinaire santé mentale et bien-être", intent="nlu_fallback", ranking=ranking
    )
    assert said[0].response.startswith("utter_webinar"), all_text(said)
    assert "29 avril 2020" in said[0].text, all_text(said)
    said = Chat(lang="fr").ask(AnswerFallback(), "santé mentale et bien-être", intent="nlu_fallback")
    assert not said[0].response.startswith("utter_webinar"), all_text(said)  # no "webinar": the topic


# --- A message naming nothing the bot knows: the one fact holding every word it asks with.


def test_an_unclassified_message_naming_only_a_thing_of_one_fact_gets_that_fact_in_both_languages():
    for lang, action, intent, text, fact in (
        ("en", AnswerFallback(), "nlu_fallback", "What is EMAPUR?", "mayo-baleo-emapur-partnership"),
        ("fr", AnswerFallback(), "nlu_fallback", "C'est quoi Merenda em Casa ?", "sao-paulo-merenda-em-casa"),
        (
            "fr",
            AnswerOutOfScope(),
            "out_of_scope",
            "cascades d'Akchour covid",
            "chefchaouen-akchour-waterfalls-prevention",
        ),
    ):
        said = Chat(lang=lang).ask(action, text, intent=intent)
        assert first_fact(said) == read(fact, lang), (text, all_text(said))


def test_chit_chat_sharing_common_words_with_the_facts_keeps_its_answer():
    """The message must name something the facts write capitalised, one fact must hold every word,
    and not every word may be one people ask this bot anything with:
    "thanks" (one fact says it), "what time is it?", "book me a taxi" (no fact has "taxi"), "English
    please" (every word one of the questions')."""
    for action, intent, text, response in (
        (AnswerFallback(), "nlu_fallback", "thanks for the info", "utter_fallback"),
        (AnswerOutOfScope(), "out_of_scope", "what time is it?", "utter_out_of_scope"),
        (AnswerOutOfScope(), "out_of_scope", "book me a taxi", "utter_out_of_scope"),
        (AnswerFallback(), "nlu_fallback", "English please", "utter_fallback"),
        (AnswerOutOfScope(), "out_of_scope", "quels sont les symptômes du covid ?", "utter_out_of_scope"),
    ):
        said = Chat().ask(action, text, intent=intent)
        assert [s.response for s in said] == [response], (text, all_text(said))


def test_a_person_named_under_another_reading_with_words_of_their_remark_gets_the_remark():
    said = Chat(lang="fr").ask(
        AnswerOutOfScope(),
        "Qu'a écrit Atchoarena dans sa tribune sur les villes en première ligne ?",
        intent="out_of_scope",
    )
    assert said[0].response in ("utter_said", "utter_said_undated"), all_text(said)
    assert "Atchoarena" in said[0].text


def said_ids(
    action: Any, text: str, intent: str, ranking: list[dict[str, Any]] | None = None, **slots: str
) -> list[str]:
    """The ids an answer is made of, in order (`Reply.said`: what the retrieval evaluation reads)."""
    entities = [entity(name, value, text) for name, value in slots.items()]
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities,
    }
    if ranking is not None:
        latest["intent_ranking"] = ranking
    tracker = Tracker("t", {"language": "en", **slots}, latest, [], False, None, {}, "action_listen")
    reply = Reply(CollectingDispatcher(), tracker, KB, "en")
    action.answer_precisely(reply)
    return list(reply.said)


def test_who_holds_a_role_names_that_person_first_and_who_leads_names_the_fact_first():
    leader = AnswerOrganisationLeader()
    asked = "Who is the permanent secretary of the AIMF?"
    assert said_ids(leader, asked, "ask_organisation_leader", organisation="AIMF")[0] == "pierre-baillet"
    asked = "Who presides over the AIMF?"
    first = said_ids(leader, asked, "ask_organisation_leader", organisation="AIMF")[0]
    assert first == "aimf-president-mayor-of-paris"


def test_who_moderated_names_the_moderator_first_unless_one_webinar_is_named():
    """ "Who was the moderator of the webinars?" asks for a person; "who moderated the webinar on
    equity and inclusion?" is answered by that webinar's record, which names its moderator."""
    ids = said_ids(
        AnswerWebinarModerator(), "Who was the moderator of the webinars?", "ask_webinar_moderator"
    )
    assert ids[0] in KB.people, ids
    for asked, webinar in [
        ("Who moderated the webinar on equity and inclusion?", "2020-04-01"),
        ("Qui animait le webinaire du 24 mars ?", "2020-03-24"),
        ("who moderated the latin america and caribbean webinar?", "2020-04-09"),
    ]:
        ids = said_ids(AnswerWebinarModerator(), asked, "ask_webinar_moderator")
        assert ids[:2] == [webinar, KB.webinars[webinar].moderator], (asked, ids)


def test_words_of_a_topic_are_what_is_asked_when_no_topic_was_resolved():
    said = Chat(lang="fr").ask(
        AnswerCityTopic(), "Bristol a cherché des familles d'accueil ?", city="Bristol"
    )
    assert first_fact(said) == read("bristol-emergency-foster-carers", "fr"), all_text(said)


def test_a_city_question_naming_two_topics_looks_at_the_city_measures_on_either():
    """Read as a schooling question, "will children have to wear masks?" is answered by a measure
    on masks alone: the topic the classifier picked does not hide it."""
    said = Chat(lang="fr").ask(
        AnswerCityTopic(),
        "Est-ce que les enfants devront porter un masque à Évry ?",
        city="Évry",
        topic="enfants",
    )
    assert first_fact(said) == read("evry-children-masks-guidance", "fr"), all_text(said)


def test_a_follow_up_naming_an_organisation_with_words_of_its_facts_gets_those_facts_first():
    text = "What did the UCCN say about culture and education?"
    ids = said_ids(AnswerFollowUp(), text, "inform", organisation="UCCN")
    assert ids[0] == "uccn-culture-education-covid", ids


def test_a_city_no_fact_answers_is_still_what_the_answer_is_about():
    ids = said_ids(AnswerOutOfScope(), "Osan a-t-elle un casino ?", "out_of_scope")
    assert ids == ["osan"], ids


def test_when_none_of_the_topic_measures_answers_the_city_other_measures_may():
    """« personnes âgées » reads as the elderly, but the fact that answers is on testing: the
    city's measures on any topic are searched before giving up."""
    said = Chat(lang="fr").ask(
        AnswerCityTopic(),
        "Goyang a testé les personnes âgées en maison de retraite ?",
        city="Goyang",
        topic="personnes âgées",
    )
    assert first_fact(said) == read("goyang-testing-elderly-care-admissions", "fr"), all_text(said)


def test_a_measure_off_the_topic_read_that_matches_far_better_is_the_answer():
    """ "social policy" reads as social support, but the question is whether staff could work
    from home: the city's measure that says so beats every social measure by far."""
    said = Chat().ask(
        AnswerCityTopic(),
        "could evry's staff running education and social policy keep working remotely",
        city="evry",
        topic="social",
    )
    assert first_fact(said) == read("evry-staff-working-from-home", "en"), all_text(said)
    # a topic question whose measures on the topic answer keeps them
    said = Chat().ask(
        AnswerCityTopic(), "did Évry give pupils free school supplies?", city="Évry", topic="school"
    )
    assert first_fact(said) == read("evry-free-school-supplies", "en"), all_text(said)


def test_the_city_s_country_locates_it_and_selects_no_fact():
    """ "Lebanon" is in one of Sidon's facts (its crisis committee): naming the country to say
    which Sidon is meant does not make that fact the answer about a phone line."""
    for lang, text in (
        ("en", "Did Sidon in Lebanon set up a phone line for residents?"),
        ("fr", "Saïda, au Liban, a ouvert une ligne pour les habitants ?"),
    ):
        said = Chat(lang=lang).ask(AnswerCityTopic(), text, city="Sidon")
        assert first_fact(said) == read("sidon-hotline", lang), all_text(said)


def test_a_city_named_in_a_question_on_the_network_asks_for_its_status_in_both_languages():
    for lang, text in (("fr", "Jubail fait partie du GNLC ?"), ("en", "Is Jubail in the GNLC?")):
        said = Chat(lang=lang).ask(AnswerOrganisation(), text, intent="ask_organisation", organisation="GNLC")
        assert said[0].response.startswith("utter_city_status"), (text, all_text(said))
    said = Chat().ask(
        AnswerOrganisation(), "What is the GNLC?", intent="ask_organisation", organisation="GNLC"
    )
    assert said[0].response == "utter_organisation", all_text(said)


def test_a_city_known_only_from_the_series_is_what_its_overview_is_about():
    """Lima's pages state no measure: its overview names its webinars, and it is Lima's answer."""
    said = said_ids(AnswerCityOverview(), "Tell me about Lima", "ask_city_overview", city="Lima")
    assert said[0] == "lima" and "2020-04-09" in said


def test_an_unclassified_message_naming_a_person_says_who_they_are():
    for text, person in (
        ("michal guc qui c'est", "michal-guc"),
        ("Harri Rinta-aho, il fait quoi ?", "harri-rinta-aho"),
    ):
        assert said_ids(AnswerFallback(), text, "nlu_fallback")[0] == person, text


def test_a_webinar_named_by_date_or_order_with_words_of_its_remarks_gets_them():
    for action, intent, lang, text, remark in (
        (
            AnswerWebinar(),
            "ask_webinar",
            "fr",
            "Quels effets de l'épidémie sur les étudiants ont été évoqués à l'ouverture du 15 avril ?",
            "welcome-15-april-impact",
        ),
        (
            AnswerFallback(),
            "nlu_fallback",
            "en",
            "How was the last webinar of the series opened?",
            "opening-10-june-recap",
        ),
    ):
        said = Chat(lang=lang).ask(action, text, intent=intent)
        assert said[0].response in ("utter_said", "utter_said_undated"), (text, all_text(said))
        assert remark_text(remark, lang) in said[0].text


def test_a_webinar_named_by_what_it_was_about_is_the_answer_not_its_remarks():
    for text, webinar in (("webinar about how universities help local communities", "2020-04-15"),):
        assert said_ids(AnswerFallback(), text, "nlu_fallback")[0] == webinar
    assert said_ids(AnswerWebinar(), "what was the 22 April webinar about?", "ask_webinar")[0] == "2020-04-22"


def test_a_reverse_question_whose_topic_was_read_from_its_own_words_searches_every_measure():
    """ "phone" is one of digital access's words, but phone lines are filed under health or
    social support: the list is of the cities whose measures say it, whatever their topic."""
    said = Chat().ask(
        AnswerCitiesByTopic(), "Which cities set up a phone hotline?", intent="ask_cities_by_topic"
    )
    assert said[0].response.startswith("utter_cities_matching"), all_text(said)
    assert all(city in said[0].text for city in ("Bristol", "Gdynia", "Sidon")), all_text(said)
    assert "Wilma" not in all_text(said)


def test_a_city_topic_question_naming_no_city_gets_the_fact_it_names_something_of():
    """ "SMART MOOC" names no city, but one organisation fact: that fact, not a topic's cities."""
    said = said_ids(AnswerCityTopic(), "What is SMART MOOC Lifelong Learning?", "ask_city_topic")
    assert said[0] == "ccdkm-smart-mooc-lifelong-learning", said


def test_an_unclassified_message_naming_a_person_and_their_city_says_who_they_are():
    assert said_ids(AnswerFallback(), "michal guc gdynia", "nlu_fallback")[0] == "michal-guc"


def test_which_webinars_a_person_moderated_are_the_webinars():
    said = said_ids(AnswerPerson(), "Quels webinaires Marie Macauley a-t-elle modérés ?", "ask_person")
    moderated = {w.id for w in KB.webinars.values() if w.moderator == "marie-macauley"}
    assert len(moderated) > 1 and set(said[: len(moderated)]) == moderated, said
    assert said_ids(AnswerPerson(), "Who is Marie Macauley?", "ask_person")[0] == "marie-macauley"


# --- What was said at a part of a webinar, by its moderator, by anyone.


def test_the_remarks_at_a_part_of_a_webinar_that_match_the_question_come_first():
    ids = said_ids(
        AnswerDirectorClosing(),
        "When Atchoarena closed the 23 April webinar, what did he say about solidarity?",
        "ask_director_closing",
    )
    assert ids[0] == "closing-uncertainty-resilience-solidarity", ids
    ids = said_ids(AnswerDirectorClosing(), "How did the 23 April webinar close?", "ask_director_closing")
    assert ids[0] == "closing-primary-obligations", ids  # nothing asked beyond: knowledge-base order


def test_an_opening_asked_by_the_webinar_s_theme_and_month_is_said_in_its_own_order():
    # "recovery" and "late" ranked the second remark first: they name the webinar, they ask nothing
    text = "how did macauley open the webinar on recovery strategies in late may"
    ids = said_ids(AnswerDirectorOpening(), text, "ask_director_opening")
    assert ids[:2] == ["opening-27-may-swift-response", "opening-27-may-adaptation"], ids


@pytest.mark.parametrize(
    ("action", "intent"), [(AnswerWebinarLanguage, "ask_webinar_language"), (AnswerFallback, "nlu_fallback")]
)
def test_what_was_said_about_something_is_whoever_said_it(action, intent):
    """ "what was said about…?" asks for anyone's words, as "who said…?" does: not the language
    of the webinar on refugees, which "language barriers" made the classifier read."""
    text = "what was said about refugees living in crowded housing and language barriers?"
    assert said_ids(action(), text, intent)[:1] == ["opening-22-april-living-conditions"]


def test_why_the_series_was_created_is_the_remark_on_why_it_was_developed():
    text = "According to UIL's director, why was the webinar series created?"
    assert said_ids(AnswerDirectorOpening(), text, "ask_director_opening")[:1] == ["opening-series-purpose"]


def test_a_person_named_at_a_part_of_a_webinar_is_whose_words_at_that_part_answer():
    """Not their words anywhere (the facts-first step for a person's words), nor the opening of the
    featured webinar: the opening they made, the one the question names by its order first."""
    ids = said_ids(
        AnswerDirectorOpening(),
        "What did Jonghwi Park say when she opened the webinar?",
        "ask_director_opening",
    )
    assert ids and all(i.startswith("opening-6-may") for i in ids), ids
    ids = said_ids(
        AnswerDirectorOpening(),
        "Qu'a dit Henrique Lopes en ouvrant le premier webinaire ?",
        "ask_director_opening",
    )
    assert ids and all(i.startswith("lopes-19-march") for i in ids), ids
    # a webinar named by its theme that they did not open: one they did, whose words match
    ids = said_ids(
        AnswerDirectorOpening(),
        "Atchoarena's welcome at the webinar on social services for those in need",
        "ask_director_opening",
    )
    assert ids[0] == "opening-purpose", ids


def test_what_was_said_at_a_webinar_named_by_its_theme_read_as_a_city_question_gets_the_remark():
    """Read as a city-topic question naming no city: the words said there, not the webinar."""
    for lang, text in (
        ("en", "does social distancing hurt mental health? what was said about that at the webinar"),
        (
            "fr",
            "la distanciation sociale nuit-elle à la santé mentale ? qu'est-ce qui a été dit au webinaire là-dessus",
        ),
    ):
        said = Chat(lang=lang).ask(AnswerCityTopic(), text, intent="ask_city_topic", topic="mental_health")
        assert remark_text("opening-29-april-distancing-anxiety", lang) in all_text(said), all_text(said)


def test_a_webinar_named_by_its_theme_is_the_one_even_when_the_person_named_moderated_others():
    ids = said_ids(
        AnswerDirectorOpening(),
        "What did Marie Macauley say at the opening of the recovery strategies webinar?",
        "ask_director_opening",
    )
    assert ids and all(i.startswith("opening-27-may") for i in ids), ids


def test_what_the_moderator_said_is_their_words_not_who_they_are():
    ids = said_ids(
        AnswerWebinarModerator(),
        "What did the moderator of the 1 April webinar say about inequalities?",
        "ask_webinar_moderator",
    )
    assert ids == ["moderator-1-april-inequalities"], ids
    ids = said_ids(AnswerWebinarModerator(), "Who moderated the 1 April webinar?", "ask_webinar_moderator")
    assert ids[:2] == ["2020-04-01", "marie-macauley"], ids


def test_what_they_said_naming_no_one_gets_the_words_of_whoever_said_it():
    ids = said_ids(AnswerSaid(), "what did they say about preparing for a second wave at home?", "ask_said")
    assert ids[0] == "lopes-19-march-second-wave", ids


def test_a_name_alone_says_who_they_are_even_when_the_classifier_is_torn():
    torn = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_said", "confidence": 0.47}]
    ids = said_ids(AnswerFallback(), "Dionysia Ampatzidi ?", "nlu_fallback", ranking=torn)
    assert ids[0] == "dionysia-ampatzidi", ids
    # with words of what they said, the torn reading still answers
    ids = said_ids(AnswerFallback(), "Lopes, second wave?", "nlu_fallback", ranking=torn)
    assert ids[0] == "lopes-19-march-second-wave", ids


@pytest.mark.parametrize(
    "action, intent",
    [
        (AnswerWebinarAttendance(), "ask_webinar_attendance"),
        (AnswerWebinarLanguage(), "ask_webinar_language"),
        (AnswerWebinarModerator(), "ask_webinar_moderator"),
    ],
)
def test_what_was_said_at_a_webinar_misread_as_one_side_of_it_gets_the_words(action, intent):
    """Read as a question on the webinar's attendance, language or moderator, a message that
    says none of their words asks what was said there."""
    text = "Au webinaire sur l'Amérique latine, pourquoi disait-on que la région pouvait apprendre de l'Asie et de l'Europe ?"
    assert said_ids(action, text, intent)[:1] == ["opening-9-april-learn-from-asia-europe"]


def test_why_a_webinar_in_a_language_is_the_one_held_in_it_whoever_is_named():
    """Atchoarena opened several webinars; the one held in French is the one asked about (the
    action's own answer, which his words come before when the message asks for them)."""
    text = "Pourquoi organiser un webinaire en français, d'après Atchoarena ?"
    latest = {"text": text, "intent": {"name": "ask_webinar_language", "confidence": 1.0}, "entities": []}
    tracker = Tracker("t", {"language": "fr"}, latest, [], False, None, {}, "action_listen")
    reply = Reply(CollectingDispatcher(), tracker, KB, "fr")
    AnswerWebinarLanguage().answer(reply)
    assert reply.said == ["opening-hosting-in-french", "2020-04-23"], reply.said


def test_one_side_of_a_webinar_asked_why_is_still_that_side():
    """ "Why was the webinar held in French?" says a word of its language: its answer."""
    ids = said_ids(
        AnswerWebinarLanguage(),
        "Pourquoi le webinaire du 23 avril était-il en français ?",
        "ask_webinar_language",
    )
    assert ids == ["opening-hosting-in-french", "2020-04-23"], ids


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "what two reasons did valdes-cotera give for why the latin america webinar mattered?",
            "opening-9-april-health-education-dialogue",
        ),
        (
            "What did Christina Drews connect the pandemic to when she opened the mental health webinar?",
            "opening-29-april-health-sdgs",
        ),
        # the theme's words are all it asks: they stay
        ("why hold a webinar in french at all, according to the UIL director?", "opening-hosting-in-french"),
    ],
)
def test_a_speaker_s_words_at_a_webinar_named_by_its_theme_are_ranked_without_the_theme(text, expected):
    """ "the Latin America webinar" says where he spoke, not what: the remark that says "Latin
    America" is no better answer to "what two reasons did he give?"."""
    assert said_ids(AnswerSaid(), text, "ask_said")[:1] == [expected]


def test_what_someone_said_read_as_a_list_of_cities_is_their_words():
    text = "Qu'a dit Pagratis sur les conditions de vie des réfugiés dans les grandes villes ?"
    assert said_ids(ListCities(), text, "list_cities")[:1] == ["opening-22-april-living-conditions"]


def test_which_cities_presented_at_a_webinar_named_read_as_a_list_of_cities_is_that_webinar():
    text = "Quelles villes ont présenté leurs stratégies de relance au webinaire du 27 mai ?"
    assert said_ids(ListCities(), text, "list_cities")[:1] == ["2020-05-27"]
    said, _ = run(ListCities(), tracker_for("which cities do you know?", intent="list_cities"))
    assert said[0].response == "utter_list_cities", all_text(said)


def test_a_webinar_asked_for_by_its_attendance_is_the_one_that_many_attended():
    ids = said_ids(
        AnswerWebinarAttendance(), "Which webinar had over 180 participants?", "ask_webinar_attendance"
    )
    assert ids == ["2020-03-19"], ids
    ids = said_ids(
        AnswerWebinarAttendance(), "How many people attended on 23 April?", "ask_webinar_attendance"
    )
    assert ids == ["2020-04-23"], ids
    # read as a question about the webinar, with the number tagged as a date: still that webinar
    ids = said_ids(
        AnswerWebinar(), "Quel webinaire a réuni 180 participants ?", "ask_webinar", webinar_date="180"
    )
    assert ids[0] == "2020-03-19", ids


def test_why_a_webinar_was_in_a_language_gives_the_reason_first():
    ids = said_ids(
        AnswerWebinarLanguage(), "For what reason was the 23 April webinar in French?", "ask_webinar_language"
    )
    assert ids[0] == "opening-hosting-in-french", ids
    ids = said_ids(
        AnswerWebinarLanguage(), "In which language was the 23 April webinar?", "ask_webinar_language"
    )
    assert ids[0] == "2020-04-23", ids


def test_a_reverse_question_lists_the_cities_whose_facts_hold_its_qualifier():
    """ "free" is what is asked: cities whose tests say nothing of it are not listed."""
    ids = said_ids(AnswerCitiesByTopic(), "which cities gave free tests?", "ask_cities_by_topic")
    assert ids == ["new-york-free-testing"], ids


def test_an_organisation_named_in_part_is_found_when_the_part_tells_it():
    for text, organisation in (
        ("What did the creative cities network say about culture?", "uccn"),
        ("Qu'ont fait les villes créatives de l'UNESCO face au covid ?", "uccn"),
        ("did the association of francophone mayors publish a bulletin?", "aimf"),
        ("the two main themes behind the francophone mayors' association's work?", "aimf"),
        ("what did the world health organization say?", "who"),
    ):
        found = organisation_by_part(KB, text)
        assert found is not None and found.id == organisation, text
    for text in (
        "which learning cities presented?",
        "the open university",
        "lifelong learning in Osan",
        "How many people came to the French-speaking webinar?",  # its words, not where its name ends
    ):
        assert organisation_by_part(KB, text) is None, text
    # and the answer is that organisation's fact
    ids = said_ids(
        AnswerFallback(), "creative cities network, how did culture and education meet?", "nlu_fallback"
    )
    assert ids[0] == "uccn-culture-education-covid", ids


def test_a_person_named_by_their_role_at_a_city_or_organisation_is_that_person():
    for text, person in (
        ("Who is UIL's director?", "david-atchoarena"),
        ("Qui est l'adjoint au maire de Turin ?", "marco-pironti"),
        ("who is the UNHCR speaker?", "jacqueline-strecker"),  # its one person
        ("who is the mayor of Osan?", "sangwook-kwak"),
    ):
        assert said_ids(AnswerPerson(), text, "ask_person")[0] == person, text
    # a role several people of it could hold, or none of theirs: no one in particular
    assert said_ids(AnswerPerson(), "who is the UIL speaker?", "ask_person") == []
    # and what they said, by their role
    ids = said_ids(
        AnswerSaid(), "What did the UNHCR representative say about reaching every learner?", "ask_said"
    )
    assert ids[0].startswith("unhcr-22-april"), ids


def test_the_webinar_where_every_city_named_presented_comes_first():
    ids = said_ids(
        AnswerCityWebinar(), "At which webinar did Swansea and Manizales both present?", "ask_city_webinar"
    )
    assert ids[0] == "2020-04-29", ids
    ids = said_ids(AnswerCityWebinar(), "When did Swansea present?", "ask_city_webinar")
    assert ids == ["2020-04-01", "2020-04-29"], ids  # oldest first


def test_someone_said_or_who_saying_asks_for_whoever_said_it():
    ids = said_ids(
        AnswerOutOfScope(),
        "someone said culture is not seen as essential in many countries, who?",
        "out_of_scope",
    )
    assert ids[0] == "opening-3-june-culture-hit", ids
    ids = said_ids(
        AnswerFallback(),
        "Who tied the pandemic to the 2030 Agenda, saying health comes first?",
        "nlu_fallback",
    )
    assert ids[0] == "opening-29-april-health-sdgs", ids


def test_an_unclassified_message_asking_which_cities_did_something_lists_those_that_did():
    for text in (
        "quelles mairies ont demandé aux gens de rester chez eux ?",
        "any city that told residents to stay home",
    ):
        ids = said_ids(AnswerFallback(), text, "nlu_fallback")
        assert set(ids) == {"gdynia-stay-home-appeal", "sidon-police-stay-home-awareness"}, (text, ids)


def test_what_s_a_thing_of_a_city_read_as_an_overview_gets_the_fact_that_introduces_it():
    ids = said_ids(AnswerCityOverview(), "What's TTASUM in Osan?", "ask_city_overview", city="Osan")
    assert ids[0] == "osan-ttasum-mask-sharing", ids


@pytest.mark.parametrize(
    ("action", "text", "intent", "slots", "said"),
    [
        (AnswerCityTopic, "culture and education webinar Puebla Wyndham Pécs", "ask_city_topic", {"city": "Puebla"}, ["2020-06-03"]),
        (AnswerWebinar, "the recovery strategies webinar where Milan and Goyang presented", "ask_webinar", {}, ["2020-05-27"]),
        # presenting is at a webinar, even unsaid: when they presented is when it was
        (AnswerCityWebinar, "when did Milan and Goyang present their recovery strategies?", "ask_city_webinar", {"city": "Milan"}, ["2020-05-27"]),
        # "held in French" is how it was held, nothing asked beyond it
        (AnswerCityTopic, "Tell me about the webinar held in French with Évry-Courcouronnes, Chefchaouen and Mayo-Baléo.", "ask_city_topic", {"city": "mayo-baleo"}, ["2020-04-23"]),
        # what an organisation presented at the webinar named: its facts reported there
        (AnswerCityWebinar, "What did C40 Cities present at the recovery webinar in May?", "ask_city_webinar", {}, ["c40-mayoral-recovery-taskforce", "c40-cities"]),
    ],
)  # fmt: skip
def test_a_webinar_named_by_who_presented_there_is_the_answer_unless_it_asks_what_they_presented(
    action, text, intent, slots, said
):
    ids = said_ids(action(), text, intent, **slots)
    assert ids == said, ids


@pytest.mark.parametrize(
    ("action", "text", "intent", "said"),
    [
        # a town described by its country, the only one of it: Espoo; read as a closing question
        (AnswerDirectorClosing, "Which session did the Finnish city present at?", "ask_director_closing", "2020-04-01"),
        (AnswerFallback, "which webinar did the Polish city present at?", "nlu_fallback", "2020-04-08"),
        (AnswerFallback, "à quel webinaire la ville finlandaise a-t-elle présenté ?", "nlu_fallback", "2020-04-01"),
        (AnswerFallback, "the one where Limerick presented", "nlu_fallback", "2020-05-06"),
        (AnswerFallback, "and the one where Cork presented?", "nlu_fallback", "2020-04-08"),
    ],
)  # fmt: skip
def test_the_webinar_a_city_presented_at_is_found_however_the_city_and_the_webinar_are_said(
    action, text, intent, said
):
    assert said_ids(action(), text, intent)[:1] == [said]


@pytest.mark.parametrize(
    ("action", "text", "intent", "said"),
    [
        # several countries' towns: the webinars a town of each presented at
        (AnswerCityWebinar, "When did the Greek cities present?", "ask_city_webinar", ["2020-04-22", "2020-06-10"]),
        (AnswerCityWebinar, "In which webinars did South Korean cities speak?", "ask_city_webinar", ["2020-03-24", "2020-05-20", "2020-05-27"]),
        (ListCities, "à quels webinaires les villes chinoises ont-elles présenté ?", "list_cities", ["2020-03-19", "2020-03-24", "2020-04-01"]),
        # one webinar had a town of each country described
        (AnswerCityCountry, "which webinar had the Polish and Irish cities together", "ask_city_country", ["2020-04-08"]),
        (AnswerFallback, "quand les villes polonaise et irlandaise ont-elles présenté ?", "nlu_fallback", ["2020-04-08"]),
        (AnswerFallback, "When did the Colombian and Peruvian capitals present their responses?", "nlu_fallback", ["2020-04-09"]),
        # the only town of its country, read as a question on the series
        (AnswerFallback, "When did the Finnish city present in the series?", "nlu_fallback", ["2020-04-01"]),
        (AnswerCitiesByTopic, "I remember a session where a Polish and an Irish city talked about learning within families. Which one was it?", "ask_cities_by_topic", ["2020-04-08"]),
        # among a country's towns' webinars, the one it asks about
        (AnswerFallback, "Did an Irish city present on open and distance learning at one of the sessions?", "nlu_fallback", ["2020-05-06"]),
    ],
)  # fmt: skip
def test_the_webinars_of_towns_described_by_their_country_are_the_answer(action, text, intent, said):
    assert said_ids(action(), text, intent)[: len(said)] == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # an organisation named by part of its name
        ("Which webinar did the association of French-speaking mayors present at?", "2020-04-23"),
        ("la SAQA a-t-elle présenté à l'un des webinaires ?", "2020-05-20"),
        # how people describe it without its name: an alias of the knowledge base
        ("At which webinar did the Thai open university present?", "2020-05-06"),
        ("Dans quel webinaire l'université ouverte thaïlandaise est intervenue ?", "2020-05-06"),
    ],
)
def test_whether_an_organisation_presented_at_one_of_the_webinars_is_answered_with_it(text, said):
    assert said_ids(AnswerFallback(), text, "nlu_fallback")[:1] == [said]


@pytest.mark.parametrize(
    "text",
    [
        "which webinar was on higher education?",  # words of IESALC's name and of 15 April's title
        "Did the Thai education ministry speak at the webinars?",  # "ministry": the Philippines' only
        "Did any South African city present?",  # "African": SAQA's only
    ],
)
def test_words_of_a_name_in_another_order_name_no_organisation(text):
    assert organisation_by_part(KB, text) is None


@pytest.mark.parametrize(
    ("action", "text", "intent", "not_first"),
    [
        # what was said at one of them asks for words, not which webinar
        (AnswerFallback, "What did the Chinese cities say at one of the webinars about schools?", "nlu_fallback", "2020-03-19"),
        (AnswerFallback, "When the Korean cities presented at the webinar, what did they say about masks?", "nlu_fallback", "2020-03-24"),
        (AnswerFallback, "What did SAQA say at one of the webinars about exams?", "nlu_fallback", "2020-05-20"),
    ],
)  # fmt: skip
def test_words_said_at_one_of_the_webinars_are_no_question_of_which_webinar(action, text, intent, not_first):
    assert said_ids(action(), text, intent)[:1] != [not_first]


def test_two_countries_towns_are_said_with_two_adjectives():
    assert KB.countries_described_in("the Polish and Irish cities") == ["poland", "ireland"]
    assert KB.countries_described_in("Was the webinar in English and which cities took part?") == []


def test_the_webinars_of_a_country_s_towns_say_which_town_presented_when():
    tracker = tracker_for("When did the Greek cities present?", intent="ask_city_webinar")
    said, _ = run(AnswerCityWebinar(), tracker)
    lines = said[0].text.splitlines()
    assert [line for line in lines if "Larissa" in line] == [
        next(line for line in lines if "22 April 2020" in line)
    ]
    assert any("Ioannina" in line and "10 June 2020" in line for line in lines), lines
    tracker = tracker_for(
        "à quels webinaires les villes chinoises ont-elles présenté ?", lang="fr", intent="list_cities"
    )
    said, _ = run(ListCities(), tracker)
    assert any(line.startswith("• Wuhan\xa0: 24 mars 2020") for line in said[0].text.splitlines()), said[
        0
    ].text


@pytest.mark.parametrize(
    ("action", "text", "intent", "said"),
    [
        # a part of a month, read as a webinar's closing or opening
        (AnswerDirectorClosing, "Which webinar took place at the end of May?", "ask_director_closing", "2020-05-27"),
        (AnswerDirectorOpening, "De quoi parlait le webinaire du début du mois de mai ?", "ask_director_opening", "2020-05-06"),
        # how a webinar closed, read as a question on the webinar
        (AnswerWebinar, "Sur quoi David Atchoarena a-t-il conclu le webinaire du 23 avril ?", "ask_webinar", "closing-primary-obligations"),
        # "open" is a word of its theme, not its opening
        (AnswerWebinar, "open distance learning webinar, what was it about", "ask_webinar", "2020-05-06"),
        # said with its verb beside the webinar
        (AnswerWebinar, "how did he close the 23 April webinar?", "ask_webinar", "closing-primary-obligations"),
        # her words where she opened one: not the first webinar's opening
        (AnswerWebinar, "What did Marie Macauley recall about the first response to the pandemic when she opened the recovery webinar?", "ask_webinar", "opening-27-may-swift-response"),
        # the webinars someone moderated, asked as a question about them
        (AnswerPerson, "Quel webinaire a été animé par Sergio Cardenas ?", "ask_person", "2020-04-09"),
    ],
)  # fmt: skip
def test_a_webinar_s_opening_or_closing_is_asked_only_when_said(action, text, intent, said):
    assert said_ids(action(), text, intent)[:1] == [said]


def test_how_a_webinar_closed_is_no_question_of_which_webinar():
    ids = said_ids(
        AnswerDirectorClosing(),
        "which session did Évry present at, and how did it close?",
        "ask_director_closing",
    )
    assert ids and all(i.startswith("closing-") for i in ids), ids


def test_a_shared_webinar_asked_how_many_took_part_or_something_beyond_it():
    # how many took part in it, not one city's overview
    said, _ = run(
        AnswerCityTopic(),
        Tracker(
            "t",
            {"language": "fr", "city": "Évry"},
            {
                "text": "ils étaient combien au webinaire francophone avec Évry, Chefchaouen et Mayo-Baléo ?",
                "intent": {"name": "ask_city_topic", "confidence": 1.0},
                "entities": [],
            },
            [],
            False,
            None,
            {},
            "action_listen",
        ),
    )
    assert said[0].response == "utter_webinar_attendance", all_text(said)
    # something asked beyond the webinar: the city's fact
    ids = said_ids(
        AnswerWebinar(),
        "what did Milan say at the webinar with Goyang about the 15-minute city?",
        "ask_webinar",
    )
    assert ids[0] in {"milan-15-minute-city", "milan-15-minute-background"}, ids  # both name it


def test_a_message_the_bot_would_not_answer_gets_the_one_fact_holding_what_it_asks():
    ids = said_ids(AnswerFallback(), "are there video interviews with mayors?", "nlu_fallback")
    assert ids[0] == "uil-video-interviews", ids
    ids = said_ids(AnswerFollowUp(), "what could latin america learn from asia and europe?", "inform")
    assert ids[0] == "opening-9-april-learn-from-asia-europe", ids
    # "which cities…?": every city whose facts hold it
    ids = said_ids(
        AnswerOutOfScope(), "Which cities had a phone line or hotline people could call?", "out_of_scope"
    )
    assert {"bristol-hardship-phone-line", "sidon-hotline"} <= set(ids), ids
    # small talk and questions outside the sources stay unanswered
    for text in ("how do I cook pasta?", "raconte moi un conte pour enfants", "Until next time, take care."):
        said, _ = run(AnswerOutOfScope(), tracker_for(text, intent="out_of_scope"))
        assert [s.response for s in said] == ["utter_out_of_scope"], (text, all_text(said))


def test_a_topic_list_says_each_city_s_measures_closest_to_the_question_first():
    """Cities stay in the list's order; within Goyang, its tests come before its thermal cameras,
    both filed under testing, when the question says "testing"."""
    for text in ("Quelles villes ont fait du dépistage ?", "Which cities did testing?"):
        ids = said_ids(AnswerCitiesByTopic(), text, "ask_cities_by_topic", topic="testing")
        goyang = [i for i in ids if i.startswith("goyang-")]
        assert goyang[0] == "goyang-testing-elderly-care-admissions", (text, ids)


def test_which_cities_read_as_another_question_lists_the_cities_whose_measures_match():
    ids = said_ids(AnswerSeries(), "Which cities put videos on YouTube or Vimeo?", "ask_series")
    assert "gdynia-daily-culture-videos" in ids, ids
    ids = said_ids(AnswerSeries(), "villes qui ont organisé des concerts en ligne", "ask_series")
    assert "goyang-buskers-staying-at-home-concert" in ids, ids


@pytest.mark.parametrize(
    "text, expected",
    [
        ("who helped vulnerable people get their medicines?", "bristol-shielded-people-support"),
        (
            "qui a fait passer des messages sur la distanciation sociale ?",
            "chicago-social-distancing-digital-ads",
        ),
        (
            "where could you watch concerts or theatre online during lockdown",
            "gdynia-familial-online-activities",
        ),
    ],
)
def test_who_did_it_or_where_one_could_naming_no_city_lists_the_cities_that_did(text, expected):
    """Not understood, a question asking who did something, or where one could, of no city,
    person nor organisation asks which cities did: the last resort lists those whose measures match."""
    ids = said_ids(AnswerFallback(), text, "nlu_fallback")
    assert ids[:1] == [expected], ids


def test_who_moderated_or_presented_is_no_question_of_which_cities_did():
    from actions.retrieved import asks_who_or_where

    assert asks_who_or_where("qui a fait passer des messages ?")
    for text in ("qui a animé le webinaire ?", "who has presented at the webinar?", "qui est le maire ?"):
        assert not asks_who_or_where(text), text


@pytest.mark.parametrize(
    "text",
    ["qui a gagné le match hier ?", "where can i get vaccinated near me", "who painted the Mona Lisa?"],
)
def test_who_or_where_out_of_scope_stays_out_of_scope(text):
    said, _ = run(AnswerOutOfScope(), tracker_for(text, intent="out_of_scope"))
    assert [s.response for s in said] == ["utter_out_of_scope"], (text, all_text(said))


def test_the_last_resort_never_replaces_an_honest_none_nor_answers_for_an_unknown_city():
    # "Lagos" is no city of the knowledge base: not Wuhan's or Glasgow's free art courses
    said, _ = run(
        AnswerCityTopic(),
        tracker_for(
            "What did Lagos do about free art courses?",
            [entity("city", "Lagos", "What did Lagos do about free art courses?")],
        ),
    )
    assert said[0].response == "utter_unknown_city", all_text(said)


def test_the_city_s_best_ranked_measure_comes_first_when_list_thresholds_left_it_out():
    """The number of cards is in a fact that says "cards", not "grocery cards": `matching` (set
    for lists) leaves it out, but it is the best answer for the one city."""
    for text in (
        "How many grocery cards did São Paulo hand out?",
        "Combien de cartes alimentaires São Paulo a-t-elle remises ?",
    ):
        ids = said_ids(AnswerCityTopic(), text, "ask_city_topic", city="São Paulo")
        assert ids[0] == "sao-paulo-grocery-cards-figures", (text, ids)
    ids = said_ids(
        AnswerCityTopic(),
        "did Osan give masks to schoolchildren?",
        "ask_city_topic",
        city="Osan",
        topic="masks",
    )
    assert ids[0] == "osan-ttasum-students-and-public", ids


def test_cities_that_asked_something_is_no_question_about_who_said_it():
    """« qui » after « villes » is a relative pronoun, not "who?"."""
    for text in (
        "villes qui ont demandé aux habitants de rester chez eux",
        "cities that asked residents to stay home",
    ):
        ids = said_ids(AnswerFallback(), text, "nlu_fallback")
        assert set(ids[:2]) == {"gdynia-stay-home-appeal", "sidon-police-stay-home-awareness"}, (text, ids)


def test_an_unclassified_message_asking_a_person_s_name_by_role_gets_who_they_are():
    for text in ("Le maire d'Osan, il s'appelle comment ?", "Osan's mayor, what is his name?"):
        ids = said_ids(AnswerFallback(), text, "nlu_fallback", city="Osan")
        assert ids[0] == "sangwook-kwak", (text, ids)
    # a role and something asked: the city's facts
    ids = said_ids(AnswerFallback(), "le maire d'Osan et les masques ?", "nlu_fallback", city="Osan")
    assert ids[0] != "sangwook-kwak", ids


def test_which_cities_that_no_measure_matches_in_full_gets_the_closest_said_as_such():
    """No measure says "exercise" with "encouraged": those that come closest, and the reply says
    they are the closest, not that the cities did it. With nothing close, which topic."""
    text = "which cities encouraged exercise or sport?"
    said, _ = run(AnswerCitiesByTopic(), tracker_for(text, intent="ask_cities_by_topic"))
    assert said[0].response == "utter_cities_closest", all_text(said)
    assert (
        said_ids(AnswerCitiesByTopic(), text, "ask_cities_by_topic")[0] == "gdynia-free-online-offer-all-ages"
    )
    said, _ = run(AnswerCitiesByTopic(), tracker_for("which cities have pets?", intent="ask_cities_by_topic"))
    assert said[0].response == "utter_ask_topic", all_text(said)


def test_calling_on_the_army_and_its_feminine_participle_find_the_military_doctors():
    """« faire appel à » is to mobilise, no phone call; « mobilisée » typed without its accent
    still meets « mobilisés »."""
    for text in (
        "Dans quelles villes a-t-on fait appel à l'armée ?",
        "Dans quelles villes l'armee a ete mobilisee ?",
    ):
        ids = said_ids(AnswerCitiesByTopic(), text, "ask_cities_by_topic")
        assert ids[:1] == ["chefchaouen-military-doctors"], (text, ids)


def test_an_organisation_question_naming_a_city_and_no_organisation_gets_the_city_s_facts():
    for text in (
        "Did Gdynia give companies free advice in the lockdown?",
        "Gdynia, des conseils gratuits pour les entreprises ?",
    ):
        ids = said_ids(AnswerOrganisationCovid(), text, "ask_organisation_covid", city="Gdynia")
        assert ids[0] == "gdynia-free-business-support", (text, ids)
    # an organisation named: its own answer, whatever city the message names
    ids = said_ids(
        AnswerOrganisationCovid(), "what did C40 do with Milan?", "ask_organisation_covid", city="Milan"
    )
    assert ids[0].startswith("c40-"), ids


def test_a_city_question_naming_a_webinar_and_no_city_is_about_the_webinar():
    """Read as questions about a city or which cities, they name no city but one webinar, by its
    theme or by a month and its theme: the webinar (who presented), or how many took part."""
    for action, text, intent in (
        (
            AnswerCitiesByTopic(),
            "Which cities spoke at the webinar on mental health and well-being?",
            "ask_cities_by_topic",
        ),
        (
            AnswerCityRepresentative(),
            "Qui est intervenu au webinaire sur l'enseignement supérieur ?",
            "ask_city_representative",
        ),
        (
            AnswerCityWebinar(),
            "the May webinar about governance partnerships: who presented?",
            "ask_city_webinar",
        ),
    ):
        said, _ = run(action, tracker_for(text, intent=intent))
        assert said[0].response in {"utter_webinar", "utter_webinar_summarised"}, (text, all_text(said))
    ids = said_ids(
        AnswerCityWebinar(),
        "How many took part in the April webinar on higher education?",
        "ask_city_webinar",
        webinar_date="April",
    )
    assert ids == ["2020-04-15"], ids
    # webinars some cities held are their measures, not a webinar of the series
    ids = said_ids(
        AnswerCitiesByTopic(),
        "Which cities held webinars on mental health?",
        "ask_cities_by_topic",
        topic="mental health",
    )
    assert not any(i.startswith("2020-") for i in ids), ids


def test_a_country_named_is_no_unknown_city_for_the_last_resort():
    """ "in Thailand" locates the thing asked about; it is no city the bot does not know, so the
    fact that names the MOOC answers. A city the bot does not know still gets no one's facts."""
    for text in ("what is the SMART MOOC in Thailand?", "c'est quoi le SMART MOOC en Thaïlande ?"):
        ids = said_ids(AnswerCityTopic(), text, "ask_city_topic")
        assert ids[:1] == ["ccdkm-smart-mooc-lifelong-learning"], (text, ids)
    text = "what is the SMART MOOC in Lagos?"  # the model marks Lagos as a city
    said, _ = run(AnswerCityTopic(), tracker_for(text, entities=[entity("city", "Lagos", text)]))
    assert said[0].response == "utter_unknown_city", all_text(said)


def test_a_city_described_by_its_country_gets_its_fact():
    """People describe a city they cannot name: the bot's one city of that country, or of several
    the one whose measure answers, is the city asked about, whatever the classifier read."""
    for action, intent, text, fact in (
        (AnswerOutOfScope(), "out_of_scope", "the Polish city, who paid for all the online stuff?", None),
        (AnswerFallback(), "nlu_fallback", "au Maroc ils fabriquent leurs propres masques ?", None),
        (
            AnswerOutOfScope(),
            "out_of_scope",
            "les vélos en libre-service de la ville coréenne, le prix a baissé de combien ?",
            "goyang-bicycle-map-fifteen",
        ),
        (
            AnswerCityTopic(),
            "ask_city_topic",
            "what did the Greek port city do with 3D printers?",
            "piraeus-blue-lab-3d-face-shields",
        ),
    ):
        ids = said_ids(action, text, intent)
        city = "gdynia" if "Polish" in text else "chefchaouen" if "Maroc" in text else None
        if fact:
            assert ids[:1] == [fact], (text, ids)
        else:
            assert ids and all(i.startswith(f"{city}-") for i in ids), (text, ids)


def test_which_cities_of_a_country_is_a_list_not_one_city():
    """ "which Korean cities…?" asks for a list: no one city is picked for it."""
    from actions.resolve import described_city

    assert described_city(KB, "which Korean cities lent bicycles?") is None
    assert described_city(KB, "quelles villes coréennes ont prêté des vélos ?") is None
    assert described_city(KB, "la ville coréenne qui a prêté des vélos") is not None


def test_a_question_about_a_country_itself_is_about_no_city():
    """ "How many people died in France?" shares a word with some Évry measure: a country named
    without a word for a town must match better than that to mean its city; a town word with no
    matching measure names none either (« la capitale du Cameroun »)."""
    from actions.resolve import described_city

    for text in (
        "How many people died of COVID-19 in France in 2020?",
        "what's the population of China?",
        "Could you give me the number of COVID-19 cases in Morocco as of today?",
        "What is the capital of Cameroon?",
        "combien d'habitants en Chine ?",
    ):
        assert described_city(KB, text) is None, text
    assert described_city(KB, "did Morocco make its own masks?") == KB.cities["chefchaouen"]


def test_words_of_a_fact_taken_for_a_city_are_no_unknown_city():
    """The model marks "Casa" of « Merenda em Casa » as a city: the bot answers the fact, not "I
    have no information about Casa"; a city it does not know still gets that answer."""
    text = "Merenda em Casa, ça devait nourrir combien d'élèves ?"
    ids = said_ids(AnswerCityTopic(), text, "ask_city_topic", city="Casa")
    assert ids[:1] == ["sao-paulo-merenda-em-casa"], ids
    text = "what did Lagos do about masks?"
    said, _ = run(
        AnswerCityTopic(),
        tracker_for(text, intent="ask_city_topic", entities=[entity("city", "Lagos", text)]),
    )
    assert said[0].response == "utter_unknown_city", all_text(said)


def test_a_fact_far_ahead_of_every_other_answers_a_message_the_bot_had_nothing_for():
    """Naming no one and read as nothing the bot knows, a message whose words one fact holds far
    better than any other gets it; small talk sharing one rare word with a fact does not."""
    from actions.retrieved import dominant_fact

    for text in (
        "what was that idea about half the class going to museums while the other half stays in school?",
        "c'est quoi cette idée de mettre la moitié des élèves au musée pendant que l'autre moitié reste en classe ?",
    ):
        assert getattr(dominant_fact(KB, text), "id", None) == "opening-3-june-schools-museums", text
    text = "Il y a une ville qui projetait des films sur les façades des immeubles, c'était laquelle ?"
    assert said_ids(AnswerOutOfScope(), text, "out_of_scope")[:1] == ["rome-cinema-da-casa"]
    for text in (
        "what is this chatbot?",
        "tu peux faire mes devoirs de maths ?",
        "what is your knowledge about?",
    ):
        assert dominant_fact(KB, text) is None, text


def test_the_last_resort_s_answer_is_what_the_user_reads():
    """The last resort replaces "I don't know" with its own answer: its messages are kept (a
    rescued answer once reached users as a sources line alone)."""
    text = "are there video interviews with mayors of learning cities?"
    said, _ = run(AnswerFallback(), tracker_for(text, intent="nlu_fallback"))
    assert [s.response for s in said if s.response != "utter_sources_line"], all_text(said)
    assert "interview" in all_text(said).lower(), all_text(said)


def test_who_presented_a_city_at_a_webinar_gets_its_representative():
    """ "who presented Espoo at the 1 April webinar?" asks for a person, not the webinar; "who
    spoke for Ioannina…?" quotes no one's words. What they said, or which cities presented, is
    another question."""
    from actions.webinar import AnswerWebinar

    for action, intent, text, person in (
        (AnswerWebinar(), "ask_webinar", "who presented Espoo at the 1 April webinar?", "harri-rinta-aho"),
        (AnswerWebinar(), "ask_webinar", "jubail presenter arab countries webinar", "anwer-al-zahrani"),
        (
            AnswerCityRepresentative(),
            "ask_city_representative",
            "who spoke for Ioannina at the human rights webinar?",
            "dionysia-ampatzidi",
        ),
        (AnswerWebinar(), "ask_webinar", "qui a présenté Évry au webinaire francophone ?", "danielle-valero"),
        # a city described by its country, and its mayor asked with what he did
        (AnswerFallback(), "nlu_fallback", "Qui représentait la commune camerounaise ?", "emmanual-fecwa"),
        (
            AnswerCityRepresentative(),
            "ask_city_representative",
            "who spoke for the cameroonian learning city",
            "emmanual-fecwa",
        ),
        (
            AnswerCityRepresentative(),
            "ask_city_representative",
            "Who was the mayor of Seoul who held the video conference with other mayors?",
            "park-won-soon",
        ),
        # an organisation's one person who spoke at the webinar named
        (
            AnswerCityRepresentative(),
            "ask_city_representative",
            "qui représentait l'AIMF au webinaire ?",
            "pierre-baillet",
        ),
    ):
        ids = said_ids(action, text, intent)
        assert ids[:1] == [person], (text, ids)
    ids = said_ids(AnswerWebinar(), "which cities presented at the 1 April webinar?", "ask_webinar")
    assert ids[:1] == ["2020-04-01"], ids


def test_how_many_attended_the_webinar_where_cities_presented_gets_its_attendance():
    """ "how many people attended the webinar where Shanghai, Beijing… presented?" names the
    webinar by its presenters and asks how many took part: that webinar's attendance, in either
    language, not a measure of the first city named."""
    for text, webinar in (
        (
            "How many people attended the webinar where Shanghai, Beijing, Fermo and Kashan presented?",
            "2020-03-19",
        ),
        (
            "Combien de personnes ont assisté au webinaire où Osan, Wuhan, Turin et São Paulo présentaient ?",
            "2020-03-24",
        ),
    ):
        said, _ = run(AnswerFallback(), tracker_for(text, intent="nlu_fallback"))
        assert said[0].response == "utter_webinar_attendance", (text, all_text(said))
        assert said_ids(AnswerFallback(), text, "nlu_fallback")[:1] == [webinar], text


def test_who_said_something_in_a_city_it_names_looks_among_that_city_s_words():
    """ "whose idea was it, in Rome?" and "what did the person who presented Espoo say…?" ask
    about the words of that city's people, not the best match among everyone's."""
    for action, intent, text, fact in (
        (
            AnswerOutOfScope(),
            "out_of_scope",
            "des films projetés sur les façades des immeubles à Rome, c'est qui qui a eu l'idée ?",
            "rome-cinema-da-casa",
        ),
        (
            AnswerCityRepresentative(),
            "ask_city_representative",
            "what did the person who presented Espoo say about schools?",
            "espoo-wilma-home-school-dialogue",
        ),
    ):
        assert said_ids(action, text, intent)[:1] == [fact], text


def test_who_did_what_a_role_says_and_a_name_asked_by_role_get_the_person():
    """ "founded" asks for the founder; « comment s'appelle… ? » read as a question on what someone
    said asks who they are, not what they said."""
    for text in ("who founded the CCDKM research centre?", "Qui a fondé le CCDKM ?"):
        ids = said_ids(AnswerFallback(), text, "nlu_fallback")
        assert ids[:1] == ["kamolrat-intaratat"], (text, ids)
    for text in (
        "Comment s'appelle l'adjointe au maire de San José ?",
        "What is the name of San José's deputy mayor?",
    ):
        ids = said_ids(AnswerSaid(), text, "ask_said", city="San José")
        assert ids[:1] == ["paula-vargas"], (text, ids)
    # what she said stays what she said
    ids = said_ids(
        AnswerSaid(),
        "what did San José's deputy mayor say about homeless people?",
        "ask_said",
        city="San José",
    )
    assert ids[:1] != ["paula-vargas"], ids


def test_a_webinar_named_by_the_organisations_that_presented_at_it_is_the_answer():
    """Organisations count as presenters as cities do; one is enough when the message asks which
    webinar. A city in an organisation's name ("University of Glasgow") is no presenting city."""
    cases = (
        (
            AnswerOrganisation(),
            "Which webinar brought together the University of Glasgow and the American University in Cairo?",
            "ask_organisation",
            "2020-04-15",
        ),
        (AnswerFallback(), "À quel webinaire l'OMS a-t-elle participé ?", "nlu_fallback", "2020-04-29"),
        (
            AnswerOrganisation(),
            "Tataj Innovation et l'université de Sienne, c'était quel webinaire ?",
            "ask_organisation",
            "2020-05-27",
        ),
    )
    for action, text, intent, expected in cases:
        assert said_ids(action, text, intent)[:1] == [expected], text
    # the organisation asked about, not a webinar, when no webinar is asked
    assert said_ids(AnswerOrganisation(), "What is the University of Glasgow?", "ask_organisation")[:1] == [
        "university-of-glasgow"
    ]


def test_what_an_organisation_presented_is_what_it_reported_at_a_webinar():
    for action, text, intent in (
        (AnswerOrganisation(), "What did C40 talk about, what did they present?", "ask_organisation"),
        (AnswerOrganisation(), "Le C40 a présenté quoi ?", "ask_organisation"),
        (AnswerFallback(), "what did C40 present at the webinar?", "nlu_fallback"),
    ):
        assert said_ids(action, text, intent)[:1] == ["c40-mayoral-recovery-taskforce"], text
    # what it is: the organisation; when a city presented: not the organisation's facts
    assert said_ids(AnswerOrganisation(), "What is C40?", "ask_organisation")[:1] == ["c40-cities"]
    assert said_ids(AnswerFallback(), "Quand est-ce que Pécs a présenté au GNLC ?", "nlu_fallback")[:1] != [
        "gnlc-french-webinar"
    ]


def test_a_bare_phrase_naming_a_city_s_thing_gets_the_fact_that_introduces_it():
    """No question, no verb: "Sidon comité de crise" asks what the committee is (the fact that
    introduces it), not the hotline set up "through the crisis committee"."""
    for text in ("Sidon comité de crise", "Sidon crisis committee"):
        ids = said_ids(AnswerCityOverview(), text, "ask_city_overview", city="Sidon")
        assert ids[:1] == ["sidon-crisis-committee"], (text, ids)


def test_what_an_organisation_said_is_its_people_s_words():
    """An organisation named with a saying verb ("according to UIL", « l'UIL a dit ») asks for
    what its people said, whatever question the classifier read; what it is stays its answer."""
    cases = (
        (
            AnswerOrganisationCovid(),
            "According to UIL, what can universities offer communities?",
            "ask_organisation_covid",
            "welcome-15-april-resources",
        ),
        (
            AnswerOrganisationCovid(),
            "Qu'est-ce que l'UIL a dit du secteur culturel frappé par le virus ?",
            "ask_organisation_covid",
            "opening-3-june-culture-hit",
        ),
        (
            AnswerFallback(),
            "selon l'UIL, pourquoi l'Amérique latine devait-elle s'inspirer de l'Asie ?",
            "nlu_fallback",
            "opening-9-april-learn-from-asia-europe",
        ),
    )
    for action, text, intent, expected in cases:
        assert said_ids(action, text, intent)[:1] == [expected], text
    assert said_ids(AnswerOrganisation(), "What is the UIL?", "ask_organisation")[:1] == ["uil"]


def test_an_organisation_named_alone_in_an_unclassified_message_is_what_it_is():
    """« le HCR c'est quoi déjà ? » names an organisation and asks nothing else: what it is, not
    the webinar at which it presented."""
    for text in ("le HCR c'est quoi déjà ?", "who is UNHCR", "C40 ?"):
        ids = said_ids(AnswerFallback(), text, "nlu_fallback")
        assert ids[:1] in (["unhcr"], ["c40-cities"]), (text, ids)
    # something asked beyond the name: its facts or its webinar, not what it is
    ids = said_ids(AnswerFallback(), "À quel webinaire l'OMS a-t-elle participé ?", "nlu_fallback")
    assert ids[:1] == ["2020-04-29"], ids


def test_where_did_people_do_something_is_a_question_for_cities():
    """« où a-t-on… ? » and "where did people…?" ask which cities did it."""
    ids = said_ids(AnswerFallback(), "Où a-t-on organisé des concerts en ligne ?", "nlu_fallback")
    assert "goyang-buskers-staying-at-home-concert" in ids, ids
    assert "2020-04-23" not in ids, ids


def test_what_was_said_at_a_webinar_named_by_its_theme_is_the_remarks():
    """A webinar named by its theme, with a question about why or who opened it, gets the
    remarks made there; a message that only describes a webinar still gets the webinar."""
    cases = (
        (AnswerFallback(), "Why did the host think the Latin America webinar mattered?", "nlu_fallback"),
        (AnswerFallback(), "who opened the francophone webinar", "nlu_fallback"),
        (AnswerWebinar(), "qui a ouvert le webinaire francophone ?", "ask_webinar"),
    )
    expected = (
        "opening-9-april-health-education-dialogue",
        "opening-global-overview",
        "opening-global-overview",
    )
    for (action, text, intent), fact in zip(cases, expected, strict=True):
        assert said_ids(action, text, intent)[:1] == [fact], text
    for text in (
        "webinar about how universities and colleges support local communities",
        "Which webinar was about higher education, and who opened it?",
    ):
        assert said_ids(AnswerFallback(), text, "nlu_fallback")[:1] == ["2020-04-15"], text


def test_an_organisation_named_in_a_question_read_as_another_kind_gets_the_organisation():
    """The last resort: a message naming one organisation and no city, read as a question on a
    city or on sources, gets the organisation rather than nothing; a name said in part ("the
    association of francophone mayors") asks nothing, so its facts are ranked by the rest."""
    from actions.sources import AnswerSource

    assert said_ids(AnswerCityCountry(), "where is ACIJ based?", "ask_city_country")[:1] == ["acij"]
    assert said_ids(AnswerSource(), "l'ACIJ c'est basé où ?", "ask_source")[:1] == ["acij"]
    ids = said_ids(
        AnswerCityOverview(),
        "Did the association of francophone mayors publish anything weekly on covid?",
        "ask_city_overview",
    )
    assert ids[:1] == ["aimf-weekly-covid-bulletin"], ids
    ids = said_ids(
        AnswerOrganisation(),
        "l'association des maires francophones publie des rapports sur quoi ?",
        "ask_organisation",
    )
    assert set(ids[:2]) == {"aimf-smart-cities-urban-development", "aimf-good-governance-reports"}, ids


def test_a_name_that_dates_something_is_not_the_person_asked_about():
    """ "before Lopes opened it" says when: who introduced the webinar is someone else."""
    for action, text, intent in (
        (
            AnswerDirectorOpening(),
            "who introduced the 24 march webinar before lopes opened it?",
            "ask_director_opening",
        ),
        (AnswerWebinar(), "qui a présenté le webinaire du 24 mars avant que Lopes l'ouvre ?", "ask_webinar"),
    ):
        assert said_ids(action, text, intent)[:1] == ["introductions-24-march"], text
    # named as the speaker, he still is: his words
    ids = said_ids(AnswerSaid(), "what did Lopes say on 24 March after the introductions?", "ask_said")
    assert ids[:1] and ids[0].startswith("lopes-24-march"), ids
    # « d'après X » is "according to X": whose words are asked about
    for action, intent in ((AnswerPerson(), "ask_person"), (AnswerSaid(), "ask_said")):
        ids = said_ids(action, "Qu'est-ce que les universités ont à offrir d'après Edith Hammer ?", intent)
        assert ids[:1] == ["welcome-15-april-resources"], ids


def test_a_question_read_as_goodbye_gets_the_cities_that_did_it():
    """ "where could you see a doctor…?" (read as "see you"): the policy sends it to the follow-up
    action, which lists the cities whose measures match, not the whole health topic."""
    ids = said_ids(AnswerFollowUp(), "where could you see a doctor or nurse by video or online", "goodbye")
    assert ids[:1] == ["espoo-health-centre-appointments"], ids
    assert "beijing-wedoctor-free-consultations" in ids, ids


def test_someone_who_never_opened_nor_closed_a_webinar_asked_at_a_part_gets_their_words():
    """Read as a question on a closing, a question naming Évry's first deputy mayor asks for her
    words; the director's closing words stay the answer when he is named."""
    ids = said_ids(
        AnswerDirectorClosing(),
        "selon la première adjointe au maire d'Évry, c'est quoi la clé pour s'en sortir ?",
        "ask_director_closing",
    )
    assert ids[:1] == ["evry-solidarity-is-key"], ids
    ids = said_ids(
        AnswerDirectorClosing(), "how did Atchoarena close the francophone webinar?", "ask_director_closing"
    )
    assert ids[:1] == ["closing-primary-obligations"], ids


def test_faire_en_sorte_is_to_ensure():
    from citybot.retrieval.analysis import terms

    assert terms("la ville a fait en sorte que") == terms("la ville assure que")
    assert not set(terms("s'en sortir")) & set(terms("a fait en sorte"))


def test_whose_idea_it_was_is_who_said_it():
    for action, text, intent in (
        (
            AnswerFallback(),
            "l'idée d'envoyer la moitié des élèves au musée pendant que l'autre reste en classe, ça vient de qui ?",
            "nlu_fallback",
        ),
        (AnswerOutOfScope(), "whose idea was it to send half the class to a museum?", "out_of_scope"),
    ):
        assert said_ids(action, text, intent)[:1] == ["opening-3-june-schools-museums"], text


def test_an_organisation_s_words_asked_at_the_part_where_it_did_not_speak_are_its_words():
    """Read as a question on a closing, "the UNHCR woman said…" gets the UNHCR's words (said at an
    opening); "how did UIL's director kick off the 10 June session?" gets that opening, not what
    UIL is or wrote."""
    ids = said_ids(
        AnswerDirectorClosing(),
        "the unhcr woman said learners of different ages need different tech? what was her point",
        "ask_director_closing",
    )
    assert ids[:1] == ["unhcr-22-april-multimodal"], ids
    ids = said_ids(
        AnswerDirectorOpening(),
        "how did UIL's director kick off the 10 june session?",
        "ask_director_opening",
    )
    assert ids[:1] == ["opening-10-june-recap"], ids


def test_a_session_is_a_webinar():
    ids = said_ids(
        AnswerFallback(), "Was there a session on mental health and well-being? When?", "nlu_fallback"
    )
    assert ids[:1] == ["2020-04-29"], ids


def test_a_thing_of_the_facts_named_in_a_question_read_as_another_kind_gets_its_fact():
    """ "CanDoBristol" read as a question on a webinar's attendance, "de Blasio's fund" on its
    moderator: the fact that says the name, when it holds something else the question asks."""
    cases = (
        (
            AnswerWebinarAttendance(),
            "Les bénévoles inscrits sur CanDoBristol ont été envoyés vers combien d'associations ?",
            "ask_webinar_attendance",
            "bristol-candobristol-volunteers",
        ),
        (
            AnswerWebinarModerator(),
            "le fonds d'urgence de de Blasio, il aidait qui ?",
            "ask_webinar_moderator",
            "new-york-emergency-relief-fund",
        ),
    )
    for action, text, intent, expected in cases:
        assert said_ids(action, text, intent)[:1] == [expected], text
    # a name and nothing else of the fact, or a message out of scope: no fact
    assert said_ids(AnswerOutOfScope(), "what's the weather in Paris today?", "out_of_scope") == []
    assert said_ids(AnswerFallback(), "is it raining in Paris?", "nlu_fallback") == []


def test_a_question_about_one_part_of_a_dated_webinar_gets_that_part_s_remarks():
    """ "What question from the audience opened the debate on 23 April?" says "opened", which the
    opening remarks say too: the debate is what it asks about."""
    from actions.webinar import AnswerMasksDebate

    ids = said_ids(
        AnswerMasksDebate(),
        "What question from the audience opened the debate on 23 April?",
        "ask_masks_debate",
    )
    assert ids[:1] == ["debate-masks-question"], ids


def test_a_fact_saying_the_words_a_topic_was_read_from_is_on_that_topic():
    """« télé » names distance learning too, but Kashan's daily broadcast, filed under health,
    says « l'émission… diffusée » and "TV programme": for « l'émission Every Home passait à la
    télé tous les jours ? » it is the answer, not the programme filed under distance learning."""
    text = "L'émission Every Home à Kachan, elle passait à la télé tous les jours ?"
    start = text.index("télé")
    latest = {
        "text": text,
        "intent": {"name": "ask_city_topic", "confidence": 1.0},
        "entities": [
            {
                "entity": "city",
                "value": "kashan",
                "start": text.index("Kachan"),
                "end": text.index("Kachan") + 6,
            },
            {"entity": "topic", "value": "distance_learning", "start": start, "end": start + 4},
        ],
    }
    tracker = Tracker("t", {"language": "fr"}, latest, [], False, None, {}, "action_listen")
    reply = Reply(CollectingDispatcher(), tracker, KB, "fr")
    AnswerCityTopic().answer_precisely(reply)
    assert list(reply.said)[:1] == ["kashan-every-home-daily-broadcast"], reply.said


def test_a_message_put_out_of_scope_asking_what_a_named_thing_is_gets_its_fact():
    """ "What is SMART MOOC Lifelong Learning…?" taken for out of scope is answered by the one
    fact that names it; out-of-scope questions naming nothing the facts name still get nothing."""
    text = "What is SMART MOOC Lifelong Learning and how is it different from Thai MOOC?"
    assert said_ids(AnswerOutOfScope(), text, "out_of_scope")[:1] == ["ccdkm-smart-mooc-lifelong-learning"]
    for text in ("what is the contact email of the UNESCO press office?", "What is the Eiffel Tower?"):
        assert said_ids(AnswerOutOfScope(), text, "out_of_scope") == [], text


def test_a_view_asked_of_a_person_is_what_they_said_not_who_they_are():
    """ "How does Turin's deputy mayor see…?", « quel est l'avis de… ? »: his view as the page
    reports it (`reported_by`), not his title; "can you see who he is?" still asks who he is."""
    for text in (
        "How does Turin's deputy mayor see the city's role in getting through the crisis?",
        "Quel est l'avis de l'adjoint au maire de Turin sur le rôle de la ville ?",
    ):
        assert said_ids(AnswerPerson(), text, "ask_person")[:1] == ["turin-city-as-ecosystem"], text
    assert said_ids(AnswerPerson(), "Can you see who Marco Pironti is?", "ask_person")[:1] == [
        "marco-pironti"
    ]


def test_a_webinar_named_with_its_organiser_is_the_answer_not_the_organiser_facts():
    """UIL ran the whole series: naming it beside a webinar's order or theme picks no fact of its own."""
    for text, webinar in (
        ("C'était quand le tout premier webinaire de la série de l'UIL ?", "2020-03-19"),
        ("When did UIL hold the webinar on new partnerships in education governance?", "2020-05-20"),
    ):
        assert said_ids(AnswerWebinar(), text, "ask_webinar")[:1] == [webinar], text


def test_moving_around_is_movement_in_both_languages():
    """ "moving around", « circulation »: the fact says "restricting residents' movement"."""
    for lang, text in (
        ("en", "did seoul stop people from moving around the city"),
        ("fr", "Séoul a-t-elle limité la circulation des habitants ?"),
    ):
        said = Chat(lang=lang).ask(AnswerCityTopic(), text, city="Seoul")
        assert first_fact(said) == read("seoul-no-movement-restrictions", lang), all_text(said)


def test_a_bare_phrase_naming_one_presenter_is_that_presenters_webinar():
    """ "webinar with SAQA and the Philippine education ministry": a keyword message naming the
    webinar by who presented at it (the ministry by its name in English, an alias of ours)."""
    for text in ("webinar with SAQA and the Philippine education ministry", "webinaire avec la SAQA"):
        assert said_ids(AnswerFallback(), text, "nlu_fallback")[:1] == ["2020-05-20"], text


def test_how_many_turned_up_to_a_webinar_named_by_its_presenters_is_its_attendance():
    """ "turned up", "city reps", "session": ways of asking a webinar's attendance, not things
    the webinar's presenters did."""
    text = "How many city reps turned up to the session with Shanghai, Beijing, Fermo and Kashan?"
    assert said_ids(AnswerFallback(), text, "nlu_fallback")[:1] == ["2020-03-19"]


def test_a_language_named_picks_the_webinar_held_in_it():
    """« le webinaire en langue française » is the one webinar held in French, whatever else
    the message's words share with other webinars (« du monde » with an audience "worldwide");
    asked how many came, its attendance."""
    text = "Le webinaire en langue française, il y avait combien de monde ?"
    for action, intent in (
        (AnswerWebinarLanguage(), "ask_webinar_language"),
        (AnswerWebinarAttendance(), "ask_webinar_attendance"),
    ):
        said = Chat(lang="fr").ask(action, text, intent=intent)
        expected = french_typography(KB.webinars["2020-04-23"].attendance.fr)
        assert expected in all_text(said), all_text(said)


def test_why_a_webinar_was_in_french_is_the_reason_given_at_its_opening():
    """The language names the webinar and is what the question asks about: the remark giving
    the reason comes first, in an opening and in someone's words."""
    text = "Why did UIL's director say the network put on a webinar in French?"
    assert said_ids(AnswerDirectorOpening(), text, "ask_director_opening")[:1] == [
        "opening-hosting-in-french"
    ]
    text = "Pourquoi le réseau a-t-il tenu un webinaire en français, d'après le directeur de l'UIL ?"
    assert said_ids(AnswerSaid(), text, "ask_said")[:1] == ["opening-hosting-in-french"]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Which Korean cities gave out masks?", "republic-of-korea"),
        ("which chinese cities offered courses online", "china"),
        ("quelles villes chinoises ont fait cours en ligne ?", "china"),
        ("which cities in Ireland did something for libraries?", "ireland"),
    ],
)
def test_which_cities_of_a_country_lists_only_that_country_s_cities(text: str, country: str):
    ids = said_ids(AnswerCitiesByTopic(), text, "ask_cities_by_topic")
    cities = {measure(i).city for i in ids}
    assert len(cities) > 1 or country == "ireland", ids
    assert {KB.cities[c].country for c in cities} == {country}, ids


def test_which_cities_read_as_another_question_lists_the_cities_that_did_it():
    """ "did any city create a crisis committee…?" read as a webinar's attendance: the cities
    whose measures match, not the featured webinar; a message naming a webinar keeps its answer."""
    text = "did any city create a crisis committee or emergency task force"
    assert said_ids(AnswerWebinarAttendance(), text, "ask_webinar_attendance")[:1] == [
        "sidon-crisis-committee"
    ]
    text = "how many cities attended the webinar of 23 April?"
    assert said_ids(AnswerWebinarAttendance(), text, "ask_webinar_attendance")[:1] == ["2020-04-23"]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "was there a city that kept going without restricting people's movements at all",
            "seoul-no-movement-restrictions",
        ),
        (
            "were there any councils that held their meetings online and streamed them so the public could follow",
            "bristol-online-council-meetings",
        ),
        (
            "Y a-t-il une ville qui a suspendu ses liaisons aériennes et maritimes ?",
            "chefchaouen-air-sea-links-suspended",
        ),
    ],
)
def test_a_city_that_did_something_is_asked_as_which_cities(text: str, first: str) -> None:
    """ "was there a city that…?", "any councils that…", « une ville qui… » ask which cities did
    it as "which cities…?" does, whatever the classifier read (here a webinar's attendance)."""
    assert said_ids(AnswerWebinarAttendance(), text, "ask_webinar_attendance")[:1] == [first]


def test_a_number_counting_minutes_is_no_webinar_date():
    """ "45 minutes" taken by the model for a date is a length of time: the message is not
    about a webinar of the 45th; the fact far ahead of the others is of the mayor it names
    (« le maire Park » is Mayor Park Won-soon, not UIL's Jonghwi Park)."""
    text = (
        "La visioconférence du maire Park avec les autres maires, elle devait durer 45 minutes, "
        "elle a duré combien au final ?"
    )
    said = said_ids(AnswerOutOfScope(), text, "out_of_scope", webinar_date="45")
    assert said[:1] == ["seoul-video-conference-45-mayors"]


def test_a_role_said_picks_the_namesake_who_holds_it():
    """Two people are called Park: the role said beside the name picks one; the name alone keeps
    the usual reading."""
    from actions.resolve import resolve_person

    def person(text: str) -> str | None:
        tracker = Tracker(
            "t",
            {},
            {"text": text, "intent": {"name": "ask_person"}, "entities": []},
            [],
            False,
            None,
            {},
            "action_listen",
        )
        found = resolve_person(KB, tracker)
        return found.id if found else None

    assert person("qui est le maire Park ?") == "park-won-soon"
    assert person("What did Mayor Park present to the other mayors?") == "park-won-soon"
    assert person("who is Jonghwi Park?") == "jonghwi-park"
    assert person("what did Park say at the opening on 6 May?") == "jonghwi-park"


def test_who_is_she_asks_who_the_person_is_whatever_else_is_said():
    """ "I keep seeing her in the notes on the refugee webinar. Who is she?": who she is, not
    her words at that webinar; "what did she say there?" still gets her words."""
    text = "I keep seeing Jacqueline Strecker in the notes on the refugee webinar. Who is she?"
    assert said_ids(AnswerPerson(), text, "ask_person")[:1] == ["jacqueline-strecker"]
    text = "What did Jacqueline Strecker say at the refugee webinar?"
    assert said_ids(AnswerPerson(), text, "ask_person")[:1] != ["jacqueline-strecker"]


def test_one_of_the_webinars_named_by_its_theme_is_that_webinar():
    """A city question naming no city but "one of the webinars" by what it was about: that
    webinar, not the cities with measures on its theme."""
    for text, webinar in (
        (
            "I'm a psychology student: was one of the webinars about mental health and well-being? When?",
            "2020-04-29",
        ),
        ("Was one of the webinars held in French? Which cities took part?", "2020-04-23"),
    ):
        assert said_ids(AnswerCityTopic(), text, "ask_city_topic")[:1] == [webinar], text


def test_a_topic_that_answers_nothing_gives_no_margin_to_what_it_left_out():
    """ "tests" read as COVID testing, on which Beijing has no measure: its measure on exams
    supervised at home, first in the ranking, comes first ("supervised" is "invigilating",
    related_words.yml), not a measure the topic's fallback kept."""
    text = "How were tests supervised in Beijing when pupils sat them at home? Who watched them?"
    said = said_ids(AnswerCityTopic(), text, "ask_city_topic", city="Beijing", topic="tests")
    assert said[:1] == ["beijing-online-exams-invigilators"]


def test_a_city_webinar_question_naming_a_session_by_its_theme_gets_that_webinar() -> None:
    """ "which UN agency took part in the april session on refugees" read as a city's webinars,
    naming no city: the session on refugees, not "which city?"."""
    text = "which UN agency took part in the april session on refugees"
    assert said_ids(AnswerCityWebinar(), text, "ask_city_webinar", webinar_date="april")[:1] == ["2020-04-22"]


def test_a_city_described_by_its_country_is_not_asked_about_its_country() -> None:
    """ "the Korean city" is Goyang: "Korean" asks nothing of its facts (one says "Korean
    national music"), and "price" and "ride" are the facts' "fee" and "bicycles"
    (related_words.yml), whatever the classifier read."""
    text = "by how much did the korean city cut the price of its public bikes, and did people actually ride them more"
    assert said_ids(AnswerWebinarAttendance(), text, "ask_webinar_attendance")[:1] == [
        "goyang-bicycle-map-fifteen"
    ]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Who moderated the 24 March 2020 webinar?", "ask_webinar"),
        ("qui animait le webinaire du 24 mars ?", "ask_webinar"),
    ],
)
def test_who_moderated_a_dated_webinar_gets_its_moderator_not_a_remark(text: str, intent: str) -> None:
    """The 24 March introductions name the moderator in passing; the webinar's own answer says who
    moderated it."""
    assert said_ids(AnswerWebinar(), text, intent, webinar_date="24 March" if "March" in text else "24 mars")[
        :2
    ] == [
        "2020-03-24",
        "marie-macauley",
    ]


def test_more_with_nothing_pending_answers_a_question_it_carries() -> None:
    """A question the classifier read as "more" on a first message answers the question; "more"
    alone still says nothing is pending."""
    text = "L'idée des 15 minutes à Milan, elle est née avec le covid ou c'est plus ancien ?"
    assert said_ids(ShowMore(), text, "ask_more")[:1] == ["milan-15-minute-background"]
    assert said_ids(ShowMore(), "more please", "ask_more") == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Qui a demandé aux habitants de rester à la maison ?", "out_of_scope"),
        ("who told people to stay at home?", "out_of_scope"),
        ("who asked residents to stay home?", "nlu_fallback"),
    ],
)
def test_who_did_what_measures_did_gets_the_cities_that_did_it(text: str, intent: str) -> None:
    """ "who asked residents to stay home?" asks who did it, as "which cities…?": not the words of
    whoever said something about homes (Évry's handmade masks) nor the moderator who "asked" a
    question at the debate. Out of scope, only when the measures hold every word it asks."""
    action = AnswerOutOfScope() if intent == "out_of_scope" else AnswerFallback()
    assert said_ids(action, text, intent)[0] in {
        "gdynia-stay-home-appeal",
        "sidon-police-stay-home-awareness",
    }
    assert said_ids(AnswerOutOfScope(), "who won the match?", "out_of_scope") == []


def test_working_hand_in_hand_is_working_with() -> None:
    text = "Quelles villes ont travaillé main dans la main avec une université ?"
    assert said_ids(AnswerCitiesByTopic(), text, "ask_cities_by_topic")[:1] == ["kashan-every-home-partners"]


def test_the_webinar_named_by_its_presenters_and_followed_by_so_many_gets_its_attendance() -> None:
    """« ont suivi » asks how many attended, « consacré à » names what the webinar was given to."""
    text = "Combien de représentants de villes ont suivi le webinaire consacré à Pékin, Shanghai, Fermo et Kashan ?"
    assert said_ids(AnswerFallback(), text, "nlu_fallback")[:1] == ["2020-03-19"]


def test_which_language_a_dated_webinar_was_held_in_is_the_webinar_s_answer() -> None:
    text = "Le webinaire du 23 avril se tenait dans quelle langue ?"
    assert said_ids(AnswerWebinar(), text, "ask_webinar", webinar_date="23 avril")[:1] == ["2020-04-23"]


@pytest.mark.parametrize(
    "text",
    ["Le C40, qu'est-ce qu'il a présenté pour la sortie de crise ?", "What did C40 present about recovery?"],
)
def test_what_an_organisation_with_nobody_named_said_is_its_facts(text: str) -> None:
    """Nobody of C40 is named in the sources: what it presented is its own facts, not anyone's remarks."""
    assert said_ids(AnswerSaid(), text, "ask_said")[:1] == ["c40-mayoral-recovery-taskforce"]


@pytest.mark.parametrize(
    ("action", "text", "intent", "person"),
    [
        (
            AnswerFallback(),
            "Mme Intaratat, elle dirige quoi exactement ?",
            "nlu_fallback",
            "kamolrat-intaratat",
        ),
        (
            AnswerPerson(),
            "Henrique Lopes, qui ouvrait les premiers webinaires, il vient de quelle institution ?",
            "ask_person",
            "henrique-lopes",
        ),
        (AnswerPerson(), "which institution is Henrique Lopes from?", "ask_person", "henrique-lopes"),
    ],
)
def test_where_someone_works_or_what_they_head_is_who_they_are(
    action: Any, text: str, intent: str, person: str
) -> None:
    assert said_ids(action, text, intent)[:1] == [person]


def test_towns_said_in_the_plural_beside_a_country_are_asked_about() -> None:
    """« communes chiliennes » places the question in Santiago's facts and asks which communes:
    the plural town word stays, the country goes."""
    text = "Dans quelles communes chiliennes intervenait le projet Hope ?"
    assert said_ids(AnswerCitiesByTopic(), text, "ask_cities_by_topic")[:1] == [
        "santiago-project-hope-four-municipalities"
    ]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Pour Marco Pironti, quel est le rôle de la ville ?", "turin-city-as-ecosystem"),
        ("Pour Marco Pironti, c'est qui ?", "marco-pironti"),
    ],
)
def test_in_someone_s_view_asks_their_words_unless_it_asks_who_they_are(text: str, first: str) -> None:
    """« Pour Marco Pironti, … » asks what he thinks, as « selon Marco Pironti » does."""
    assert said_ids(AnswerPerson(), text, "ask_person")[:1] == [first]


def test_prevented_from_moving_is_stopped() -> None:
    """« empêché » is one of the words for stopping (related_words.yml)."""
    text = "Séoul a-t-elle empêché les gens de se déplacer ?"
    assert said_ids(AnswerCityTopic(), text, "ask_city_topic", city="Séoul")[:1] == [
        "seoul-no-movement-restrictions"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Was there a webinar for Latin American cities?",
        "Y a-t-il eu un webinaire sur les villes d'Amérique latine ?",
    ],
)
def test_was_there_a_webinar_about_something_names_that_webinar(text: str) -> None:
    assert said_ids(ListCities(), text, "list_cities")[:1] == ["2020-04-09"]


def test_a_thing_the_facts_name_taken_for_a_city_is_no_unknown_city() -> None:
    """The model took "Vimeo" for a city: it is a thing Glasgow's facts name, so the question is
    still which cities put videos there, not one about a city the bot does not know."""
    said = said_ids(AnswerSeries(), "Which cities put videos on Vimeo?", "ask_series", city="Vimeo")
    assert "glasgow-talks-on-vimeo" in said


def test_a_city_saying_it_did_not_do_it_is_not_listed_as_doing_it() -> None:
    said = said_ids(
        AnswerCitiesByTopic(), "Which cities restricted travel into the city?", "ask_cities_by_topic"
    )
    assert said[:1] == ["chefchaouen-town-access-restricted"] and "seoul-no-movement-restrictions" not in said


def test_someone_described_by_what_their_role_alone_says_is_that_person() -> None:
    """ "the Portuguese health expert": of everyone's roles, only Henrique Lopes's says
    "Portuguese"; "right now" is no word of a human rights institute's role; "the expert" alone
    describes no one."""
    from actions.resolve import resolve_person

    def person(text: str) -> str | None:
        found = resolve_person(
            KB,
            Tracker(
                "t", {}, {"text": text, "intent": {"name": "ask_said"}}, [], False, None, {}, "action_listen"
            ),
        )
        return found.id if found else None

    assert (
        person(
            "According to the Portuguese health expert, why does education for health matter so much right now?"
        )
        == "henrique-lopes"
    )
    assert person("what did the expert say about schools?") is None
    text = (
        "According to the Portuguese health expert, why does education for health matter so much right now?"
    )
    assert said_ids(AnswerCityTopic(), text, "ask_city_topic")[:1] == ["lopes-19-march-education-for-health"]


@pytest.mark.parametrize(
    ("text", "intent", "slots", "fact"),
    [
        # the city entity's offsets point into the text as typed, greeting included
        (
            "Hi! How many students was Merenda em Casa supposed to feed?",
            "ask_city_topic",
            {"city": "Casa", "topic": "schooling"},
            "sao-paulo-merenda-em-casa",
        ),
        # « Bonjour » ranks nothing (« tous les jours »)
        (
            "Bonjour ! L'émission Every Home à Kachan, elle passait à la télé tous les jours ?",
            "ask_city_topic",
            {"city": "Kachan"},
            "kashan-every-home-daily-broadcast",
        ),
    ],
)
def test_a_question_after_a_greeting_is_answered_as_the_question_alone(text, intent, slots, fact):
    assert said_ids(AnswerCityTopic(), text, intent, **slots)[:1] == [fact]


def test_the_greeting_is_no_word_of_the_question():
    """« Bonjour ! » before "who are Project Hope's partners?" used to give Santiago's overview."""
    text = "Bonjour ! Qui sont les partenaires du projet Hope au Chili ?"
    assert said_ids(AnswerFallback(), text, "nlu_fallback")[:1] == ["santiago-project-hope-alliance"]
