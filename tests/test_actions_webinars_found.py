"""Issue 16: webinars found by order, theme, presenter and date; remarks found by speaker and
content. Real actions, real knowledge base, real retrieval index, both languages."""

from __future__ import annotations

import pytest
from action_harness import KB, all_text, entity, run, tracker_for
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import KnowledgeAction
from actions.city import AnswerCityWebinar
from actions.facts import Reply
from actions.general import AnswerFallback
from actions.organisation import AnswerOrganisation, AnswerOrganisationLeader, AnswerPerson, AnswerSaid
from actions.webinar import (
    AnswerDirectorClosing,
    AnswerSeries,
    AnswerWebinar,
    AnswerWebinarAttendance,
    AnswerWebinarHost,
    AnswerWebinarModerator,
)
from actions.webinar_order import series_order


def said_ids(action: KnowledgeAction, tracker: Tracker) -> list[str]:
    """The ids of the records the answer cites, in the order said (what the evaluation reads)."""
    reply = Reply(CollectingDispatcher(), tracker, KB, tracker.get_slot("language") or "en")
    action.answer(reply)
    return reply.said


def first_webinar(action: Action, text: str, lang: str = "en", intent: str = "ask_webinar") -> str:
    """The id of the first record the answer about `text` cites."""
    assert isinstance(action, KnowledgeAction)
    ids = said_ids(action, tracker_for(text, lang=lang, intent=intent))
    assert ids, f"{text!r} cited nothing"
    return ids[0]


# --- order words


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("What was the first webinar?", "en", "2020-03-19"),
        ("quel a été le premier webinaire de la série ?", "fr", "2020-03-19"),
        ("the second webinar, what was it about?", "en", "2020-03-24"),
        ("le deuxième webinaire, c'était sur quoi ?", "fr", "2020-03-24"),
        ("what was the third session about?", "en", "2020-04-01"),
        ("what was the last webinar of the series?", "en", "2020-06-10"),
        ("quel était le dernier webinaire ?", "fr", "2020-06-10"),
        ("tell me about the latest webinar", "en", "2020-06-10"),
        ("c'était quoi le webinaire le plus récent ?", "fr", "2020-06-10"),
        ("tell me about the penultimate webinar", "en", "2020-06-03"),
        ("parle-moi de l'avant-dernier webinaire", "fr", "2020-06-03"),
        ("the previous webinar?", "en", "2020-04-22"),
        ("le webinaire précédent ?", "fr", "2020-04-22"),
        ("second gnlc webinar, which cities were in it", "en", "2020-03-24"),
        ("le troisième webinaire UIL ?", "fr", "2020-04-01"),
        ("Le webinaire qui a clos la série portait sur quoi ?", "fr", "2020-06-10"),
        ("what was the webinar that closed the series about?", "en", "2020-06-10"),
        ("which webinar opened the series?", "en", "2020-03-19"),
        # the webinar after or before the one named
        ("what came after the francophone webinar?", "en", "2020-04-29"),
        ("which webinar came before the francophone webinar?", "en", "2020-04-22"),
        ("the session after the one on 8 April?", "en", "2020-04-09"),
        ("quel webinaire a eu lieu après celui du 8 avril ?", "fr", "2020-04-09"),
        # a misspelt "webinar" still names the series' webinars (FactIndex.spelled)
        ("What was the topic of the last webniar in the series?", "en", "2020-06-10"),
        ("What was the third webniar about?", "en", "2020-04-01"),
        ("le dernier webniaire c'était quoi ?", "fr", "2020-06-10"),
    ],
)
def test_order_words_pick_the_webinar_in_date_order(text: str, lang: str, expected: str) -> None:
    assert first_webinar(AnswerWebinar(), text, lang) == expected


def test_the_series_order_counts_one_webinar_per_date_and_the_last_names_the_regional_one() -> None:
    order = [w.id for w in series_order(KB)]
    assert len(order) == len({w.date for w in KB.webinars.values()}) == len(KB.webinars) - 1
    assert "2020-06-10-arab-countries" not in order and order[-1] == "2020-06-10"
    said, _ = run(AnswerWebinar(), tracker_for("what was the last webinar?", intent="ask_webinar"))
    text = all_text(said)
    assert "Human and civic rights" in text and "General response to COVID-19 in Arab countries" in text


@pytest.mark.parametrize("text", ["what were his last words?", "who spoke first at the webinar?"])
def test_an_order_word_not_about_the_series_is_no_order(text: str) -> None:
    """ "his last words", "spoke first" name no webinar of the series: the featured one answers."""
    assert first_webinar(AnswerWebinar(), text) == "2020-04-23"


def test_a_series_question_naming_an_order_answers_that_webinar() -> None:
    assert (
        first_webinar(AnswerSeries(), "quel était le dernier webinaire ?", "fr", "ask_series") == "2020-06-10"
    )
    said, _ = run(AnswerSeries(), tracker_for("how many webinars were there?", intent="ask_series"))
    assert said[0].response == "utter_series"


# --- theme and title words


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Which webinar was about culture?", "en", "2020-06-03"),
        ("quel webinaire portait sur la culture ?", "fr", "2020-06-03"),
        ("which session was on mental health?", "en", "2020-04-29"),
        ("quel webinaire traitait de la santé mentale ?", "fr", "2020-04-29"),
        ("which webinar dealt with migrants and refugees?", "en", "2020-04-22"),
        ("le webinaire sur les droits humains, c'était quoi ?", "fr", "2020-06-10"),
        ("which one was about higher education?", "en", "2020-04-15"),
        ("the webinar for the Arab countries?", "en", "2020-06-10-arab-countries"),
    ],
)
def test_theme_and_title_words_pick_the_webinar(text: str, lang: str, expected: str) -> None:
    assert first_webinar(AnswerWebinar(), text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Which webinar dealt with online learning for adults?", "en", "2020-05-06"),
        ("quel webinaire parlait de l'éducation des adultes à distance ?", "fr", "2020-05-06"),
        ("webinaire sur ce que font les universités pour aider les habitants", "fr", "2020-04-15"),
    ],
)
def test_what_the_opening_said_the_webinar_was_for_picks_it(text: str, lang: str, expected: str) -> None:
    """The 6 May webinar's title says "open distance learning"; its opening says adults."""
    assert first_webinar(AnswerWebinar(), text, lang) == expected


def test_which_webinars_lists_every_match_best_first() -> None:
    said, _ = run(AnswerWebinar(), tracker_for("which webinars were about education?", intent="ask_webinar"))
    assert said[0].response == "utter_webinars_matching"
    lines = said[0].text.splitlines()[1:]
    assert len(lines) >= 2 and "Culture and education" in said[0].text
    ids = said_ids(AnswerWebinar(), tracker_for("quels webinaires portaient sur l'éducation ?", lang="fr"))
    assert len(ids) >= 2 and all(i in KB.webinars for i in ids)


def test_a_question_without_clue_keeps_the_featured_webinar() -> None:
    for text, lang in (("Tell me about the webinar", "en"), ("de quoi parlait le webinaire ?", "fr")):
        assert first_webinar(AnswerWebinar(), text, lang) == "2020-04-23"


# --- presenting city or organisation


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("what was the webinar where Milan presented?", "en", "2020-05-27"),
        ("le webinaire où Milan a présenté ?", "fr", "2020-05-27"),
        ("the webinar with the UNHCR?", "en", "2020-04-22"),
        ("le webinaire avec le HCR ?", "fr", "2020-04-22"),
        ("which webinar did the UCCN present at?", "en", "2020-06-03"),
    ],
)
def test_a_presenting_city_or_organisation_picks_its_webinar(text: str, lang: str, expected: str) -> None:
    assert first_webinar(AnswerWebinar(), text, lang) == expected


def test_a_city_that_presented_twice_is_narrowed_by_the_question() -> None:
    swansea = [w.id for w in KB.webinars_for_city("swansea")]
    assert swansea == ["2020-04-01", "2020-04-29"]
    assert (
        first_webinar(AnswerWebinar(), "the webinar on mental health where Swansea presented") == "2020-04-29"
    )


# --- dates, two webinars on one date


def test_a_date_still_comes_first_and_names_the_other_webinar_of_that_day() -> None:
    said, _ = run(AnswerWebinar(), tracker_for("what was on 10 June?", [entity("webinar_date", "10 June")]))
    assert said[0].response == "utter_webinar_same_day"
    assert first_webinar(AnswerWebinar(), "le dernier webinaire du 10 juin", "fr") == "2020-06-10"


def test_a_date_without_webinar_is_said_so() -> None:
    said, _ = run(AnswerWebinar(), tracker_for("the webinar of 2 May?", intent="ask_webinar"))
    assert said[0].response == "utter_no_webinar_on" and "2 May 2020" in said[0].text


def test_a_month_alone_picks_its_webinar_by_what_it_was_about() -> None:
    """A month is no date: among its webinars, the one the rest of the message is about; the
    month's name, which every one of them says, does not count. None matching: still no date."""
    for text, lang in (
        ("the May webinar on partnerships in education governance", "en"),
        ("le webinaire de mai sur les partenariats et la gouvernance de l'éducation", "fr"),
    ):
        month = "May" if lang == "en" else "mai"
        tracker = tracker_for(text, [entity("webinar_date", month, text)], lang=lang, intent="ask_webinar")
        assert said_ids(AnswerWebinar(), tracker)[:1] == ["2020-05-20"], text
    tracker = tracker_for(
        "the April webinar?", [entity("webinar_date", "April", "the April webinar?")], intent="ask_webinar"
    )
    said, _ = run(AnswerWebinar(), tracker)  # several webinars in April: none picked, each offered
    assert said[0].response == "utter_webinars_in_month", said


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("the mid-March webinar with the Chinese and Iranian cities", "en", "2020-03-19"),
        ("the late March webinar", "en", "2020-03-24"),
        ("le webinaire de mi-mars", "fr", "2020-03-19"),
        ("le webinaire de fin mars", "fr", "2020-03-24"),
        # what it was about comes first: the webinar on universities was in mid-April
        ("the late April webinar on universities", "en", "2020-04-15"),
    ],
)
def test_a_part_of_a_month_picks_the_webinar_held_then(text: str, lang: str, expected: str) -> None:
    """ "mid-March" is no date the model finds, and March had two webinars: the 19th is the one
    held in the middle of it."""
    assert first_webinar(AnswerWebinar(), text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # an order word inside a month: its place among that month's webinars
        ("What was the last webinar in April about?", "en", "2020-04-29"),
        ("first webinar in may?", "en", "2020-05-06"),  # "may", which the model does not tag
        ("the second webinar in april", "en", "2020-04-08"),
        ("quel était le dernier webinaire d'avril ?", "fr", "2020-04-29"),
        ("le premier webinaire de mai", "fr", "2020-05-06"),
        # a week of a month
        ("Was there a webinar in the first week of May?", "en", "2020-05-06"),
        ("le webinaire de la troisième semaine d'avril", "fr", "2020-04-15"),
        ("Which webinar was in the last week of April?", "en", "2020-04-29"),
    ],
)
def test_an_order_word_or_a_week_inside_a_month_picks_that_month_s_webinar(
    text: str, lang: str, expected: str
) -> None:
    assert first_webinar(AnswerWebinar(), text, lang) == expected


def test_what_a_webinar_was_about_comes_before_an_order_word_in_its_month() -> None:
    """ "the first presenter" is no first webinar of April: the April webinar on higher education is."""
    text = "What did the first presenter say at the April webinar on higher education?"
    tracker = tracker_for(text, [entity("webinar_date", "April", text)], intent="ask_webinar")
    assert said_ids(AnswerWebinar(), tracker)[:1] == ["2020-04-15"]


def test_a_month_of_several_webinars_offers_those_of_the_part_of_it_said() -> None:
    text = "which webinar was in early April?"
    tracker = tracker_for(text, [entity("webinar_date", "April", text)], intent="ask_webinar")
    assert said_ids(AnswerWebinar(), tracker) == ["2020-04-01", "2020-04-08", "2020-04-09"]


@pytest.mark.parametrize(
    "text",
    [
        "what was the webinar on bouncing back after the pandemic?",
        "the webinar on recovering from the pandemic",
    ],
)
def test_the_recovery_webinar_is_found_by_other_words_for_recovery(text: str) -> None:
    assert first_webinar(AnswerWebinar(), text) == "2020-05-27"


def test_a_year_the_model_took_for_the_date_is_read_with_its_month() -> None:
    """ "in May 2020": the model took "2020" alone for the date; the message says the month, whose
    webinars the rest of it picks from. The series' year alone names no webinar: all were in 2020."""
    text = "Which cities presented at the webinar on recovery strategies in May 2020?"
    tracker = tracker_for(text, [entity("webinar_date", "2020", text)], intent="ask_webinar")
    assert said_ids(AnswerWebinar(), tracker)[:1] == ["2020-05-27"]
    text = "which 2020 webinar was about culture?"
    tracker = tracker_for(text, [entity("webinar_date", "2020", text)], intent="ask_webinar")
    assert said_ids(AnswerWebinar(), tracker)[:1] == ["2020-06-03"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("There was a second webinar on 10 June, for Arab countries. Who presented at it?", "en"),
        ("le webinaire du 10 juin pour les pays arabes, qui a présenté ?", "fr"),
    ],
)
def test_of_two_webinars_on_one_date_the_message_picks_the_one_it_is_about(text: str, lang: str) -> None:
    assert first_webinar(AnswerWebinar(), text, lang) == "2020-06-10-arab-countries"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("how many people joined the very first learning cities covid webinar", "en", "2020-03-19"),
        ("le tout premier webinaire, il portait sur quoi ?", "fr", "2020-03-19"),
    ],
)
def test_a_stressed_order_word_is_still_the_order(text: str, lang: str, expected: str) -> None:
    assert first_webinar(AnswerWebinar(), text, lang) == expected


# --- detail questions read the same resolver


def test_detail_questions_follow_order_and_presenter() -> None:
    said, _ = run(
        AnswerWebinarModerator(),
        tracker_for("who moderated the second webinar?", intent="ask_webinar_moderator"),
    )
    assert "Marie Macauley" in all_text(said) and "24 March 2020" in all_text(said)
    said, _ = run(
        AnswerWebinarHost(), tracker_for("who hosted the webinar with the UNHCR?", intent="ask_webinar_host")
    )
    assert "22 April 2020" in all_text(said)


def test_a_webinar_asked_by_its_moderator_is_the_answer() -> None:
    """ "which webinar did he moderate?" asks for the webinar: it comes first."""
    ids = said_ids(AnswerWebinarModerator(), tracker_for("Which webinar was moderated by Sergio Cardenas?"))
    assert ids[0] == "2020-04-09"
    ids = said_ids(AnswerWebinarModerator(), tracker_for("who moderated the webinar of 9 April?"))
    assert ids[:2] == ["2020-04-09", "sergio-cardenas"]


def test_detail_questions_without_clue_stay_on_the_featured_webinar() -> None:
    """ "who" is no WHO, and "people" shared by chance with a summary picks no webinar."""
    said, _ = run(AnswerWebinarHost(), tracker_for("who hosted the webinar?"))
    assert "23 April 2020" in all_text(said)
    said, _ = run(AnswerWebinarAttendance(), tracker_for("how many people attended the webinar?"))
    assert "More than 70" in all_text(said)


# --- what someone said


def test_what_a_city_representative_said_is_ranked_by_the_question() -> None:
    text = "What did Évry's representative say a crisis shows about learning cities?"
    ids = said_ids(AnswerSaid(), tracker_for(text, intent="ask_said"))
    assert ids[0] == "evry-learning-city-paradigm"
    said, _ = run(AnswerSaid(), tracker_for(text, intent="ask_said"))
    assert said[0].response == "utter_said" and "Danielle Valéro" in said[0].text
    assert "full potential in a time of crisis" in said[0].text


def test_what_a_city_representative_said_in_french() -> None:
    text = "Qu'a dit la représentante d'Évry sur ce qu'une crise montre des villes apprenantes ?"
    assert (
        said_ids(AnswerSaid(), tracker_for(text, lang="fr", intent="ask_said"))[0]
        == "evry-learning-city-paradigm"
    )
    said, _ = run(AnswerSaid(), tracker_for(text, lang="fr", intent="ask_said"))
    assert said[0].text.startswith("Ce qu’a dit Mme Danielle Valéro")


@pytest.mark.parametrize(
    ("text", "lang", "speaker"),
    [
        ("what did Pierre Baillet say about good governance?", "en", "pierre-baillet"),
        ("qu'a dit Pierre Baillet sur la bonne gouvernance ?", "fr", "pierre-baillet"),
        ("what did the AIMF say about mayors?", "en", "pierre-baillet"),
        ("what did Emmanual Fecwa say about radio lessons?", "en", "emmanual-fecwa"),
        ("qu'a dit David Atchoarena sur le développement durable ?", "fr", "david-atchoarena"),
    ],
)
def test_what_a_person_or_organisation_said_is_their_own_words(text: str, lang: str, speaker: str) -> None:
    ids = said_ids(AnswerSaid(), tracker_for(text, lang=lang, intent="ask_said"))
    spoken = {fact.id for fact in KB.fact_index.facts(speaker=speaker)}
    assert ids and ids[0] in spoken
    best = KB.fact_index.rank(text, speaker=speaker)
    assert best and ids[0] == best[0].fact.id


def test_what_someone_said_about_nothing_they_spoke_of_is_said_so() -> None:
    said, _ = run(AnswerSaid(), tracker_for("what did Chefchaouen's representative say about tourism?"))
    assert said[0].response == "utter_said_unmatched" and "Mohamed Sefiani" in said[0].text
    assert said[1].response == "utter_said"


def test_what_someone_said_without_a_speaker_asks_whose_words() -> None:
    said, _ = run(AnswerSaid(), tracker_for("qu'ont-ils dit ?", lang="fr"))
    assert said[0].response == "utter_said_whom" and "Danielle Valéro" in said[0].text


def test_who_is_keeps_its_answer_and_who_said_goes_to_the_words() -> None:
    said, _ = run(AnswerPerson(), tracker_for("Who is Danielle Valéro?", intent="ask_person"))
    assert said[0].response == "utter_person" and "First Deputy Mayor of Évry" in said[0].text
    said, _ = run(AnswerPerson(), tracker_for("qui est Danielle Valéro ?", lang="fr", intent="ask_person"))
    assert said[0].response == "utter_person"
    said, _ = run(
        AnswerPerson(), tracker_for("what did Danielle Valéro say about masks?", intent="ask_person")
    )
    assert said[0].response == "utter_said" and "masks" in said[0].text


def test_a_person_answer_is_about_the_person() -> None:
    """The evaluation reads the records an answer is about: a person first (`Reply.mention`)."""
    assert said_ids(AnswerPerson(), tracker_for("Who is David Atchoarena?", intent="ask_person"))[0] == (
        "david-atchoarena"
    )
    ids = said_ids(AnswerPerson(), tracker_for("qui est Mohamed Sefiani ?", lang="fr", intent="ask_person"))
    assert ids[0] == "mohamed-sefiani"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("What did Osan's mayor say about lifelong learning and gardens?", "en", "osan-civic-garden-culture"),
        ("qu'a dit le maire d'Osan sur le jardinage ?", "fr", "osan-civic-garden-culture"),
    ],
)
def test_a_representative_without_words_of_their_own_gets_the_city_s(
    text: str, lang: str, expected: str
) -> None:
    """Osan's mayor is reported by no fact of his own; the page gives his words as the city's."""
    assert not KB.fact_index.facts(speaker="sangwook-kwak")
    assert said_ids(AnswerSaid(), tracker_for(text, lang=lang, intent="ask_said"))[0] == expected
    said, _ = run(AnswerSaid(), tracker_for(text, lang=lang, intent="ask_said"))
    assert said[0].response == "utter_said_by_city" and "Sangwook Kwak" in said[0].text


def test_a_representative_without_words_and_nothing_matching_is_said_so() -> None:
    said, _ = run(AnswerSaid(), tracker_for("what did Osan's mayor say?", intent="ask_said"))
    assert said[0].response == "utter_said_nothing" and "Sangwook Kwak" in said[0].text


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Which webinar did C40 present at?", "en", "2020-05-27"),
        ("When did the WHO present at a webinar?", "en", "2020-04-29"),
        ("à quel webinaire l'AIMF a-t-elle participé ?", "fr", "2020-04-23"),
    ],
)
def test_a_city_webinar_question_naming_an_organisation_gets_its_webinar(
    text: str, lang: str, expected: str
) -> None:
    assert first_webinar(AnswerCityWebinar(), text, lang, "ask_city_webinar") == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("What is C40's taskforce?", "en", "c40-mayoral-recovery-taskforce"),
        ("What is the AIMF's objective?", "en", "aimf-objective-good-governance"),
        ("quel est l'objectif de l'AIMF ?", "fr", "aimf-objective-good-governance"),
    ],
)
def test_a_specific_organisation_question_gets_the_matching_fact_first(
    text: str, lang: str, expected: str
) -> None:
    tracker = tracker_for(text, lang=lang, intent="ask_organisation")
    assert said_ids(AnswerOrganisation(), tracker)[0] == expected


def test_a_general_organisation_question_keeps_its_answer() -> None:
    assert (
        said_ids(AnswerOrganisation(), tracker_for("what is the AIMF?", intent="ask_organisation"))[0]
        == "aimf"
    )
    said, _ = run(
        AnswerOrganisationLeader(), tracker_for("who leads the AIMF?", intent="ask_organisation_leader")
    )
    assert "AIMF" in said[0].text and "World Health" not in all_text(said)


def test_a_leader_question_is_about_the_people() -> None:
    tracker = tracker_for("Who is the permanent secretary of the AIMF?", intent="ask_organisation_leader")
    assert said_ids(AnswerOrganisationLeader(), tracker)[0] == "pierre-baillet"


# --- the series' links: where its webinars can be found again


@pytest.mark.parametrize(
    ("text", "lang", "intent"),
    [
        ("Where can I find the recordings of the webinars?", "en", "ask_director_closing"),
        ("is there somewhere with the slides and recordings from the sessions?", "en", "nlu_fallback"),
        ("Où trouver les enregistrements des webinaires ?", "fr", "ask_series"),
        ("on peut revoir les présentations des webinaires quelque part ?", "fr", "nlu_fallback"),
    ],
)
def test_the_recordings_of_the_webinars_are_on_the_series_page(text: str, lang: str, intent: str) -> None:
    """Read as the closing remarks, as the series or not understood, it got neither the page
    nor any link."""
    actions = {"nlu_fallback": AnswerFallback(), "ask_series": AnswerSeries()}
    action = actions.get(intent, AnswerDirectorClosing())
    tracker = tracker_for(text, lang=lang, intent=intent)
    reply = Reply(CollectingDispatcher(), tracker, KB, lang)
    action.answer_precisely(reply)
    assert reply.said[:2] == ["presentations-recordings-summaries", "gnlc-covid-19"]
    said, _ = run(action, tracker_for(text, lang=lang, intent=intent))
    page = "https://uil.unesco.org/lifelong-learning/learning-cities/gnlc-webinars-unesco-learning-cities-response-covid-19"
    assert page in all_text(said)


@pytest.mark.parametrize(
    "text",
    ["what did Gdynia present at the webinars?", "what was the second webinar about?"],
)
def test_a_question_about_a_city_or_one_webinar_gets_no_series_link(text: str) -> None:
    tracker = tracker_for(text, lang="en", intent="ask_webinar")
    reply = Reply(CollectingDispatcher(), tracker, KB, "en")
    AnswerWebinar().answer_precisely(reply)
    assert "presentations-recordings-summaries" not in reply.said


def test_before_or_after_something_else_steps_from_no_webinar() -> None:
    from actions.webinar_order import step_asked

    assert step_asked("what did Osan do before the pandemic?") == 0
    assert step_asked("after the lockdown, which webinar was first?") == 0
    assert step_asked("the webinar after the 23 April one") == 1
    assert step_asked("le webinaire avant celui sur la culture") == -1
