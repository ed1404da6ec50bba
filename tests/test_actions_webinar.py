"""The webinar of 23 April 2020 and the series, in both languages, from the real knowledge base."""

from __future__ import annotations

import dataclasses

import pytest
from action_harness import KB, all_text, entity, kb_with, run, slot_events, tracker_for

import actions.base
from actions.webinar import (
    AnswerDirectorClosing,
    AnswerDirectorOpening,
    AnswerMasksDebate,
    AnswerSeries,
    AnswerWebinar,
    AnswerWebinarAttendance,
    AnswerWebinarHost,
    AnswerWebinarLanguage,
    AnswerWebinarModerator,
)
from citybot.language.typography import french_typography

MAIN = KB.webinars["2020-04-23"]


def remarks(part: str, lang: str) -> list[str]:
    """The remarks' texts as the reader sees them (French with its no-break spaces)."""
    texts = [r.text.get(lang) for r in MAIN.remarks if r.part == part]
    return [french_typography(t) for t in texts] if lang == "fr" else texts


def test_webinar_overview_gives_date_host_language_presenters_and_attendance():
    said, events = run(AnswerWebinar(), tracker_for("Tell me about the webinar", intent="ask_webinar"))
    text = said[0].text
    assert "23 April 2020" in text and "UIL" in text and "French" in text
    assert "Évry-Courcouronnes (France)" in text and "AIMF" in text
    assert MAIN.attendance.en in text
    # its English and French outcome pages both state it now
    assert slot_events(events) == {
        "last_question": "webinar",
        "sources": ["uil-webinar-2020-04-23-en", "uil-webinar-2020-04-23-fr"],
    }


def test_webinar_overview_in_french():
    said, _ = run(AnswerWebinar(), tracker_for("parle-moi du webinaire", lang="fr"))
    assert "23 avril 2020" in said[0].text and "français" in said[0].text
    assert french_typography(MAIN.attendance.fr) in said[0].text
    assert [b["title"] for b in said[0].buttons][:1] == ["Mots d’ouverture"]


def test_host_language_moderator_attendance():
    tracker = tracker_for("?")
    assert "UIL (UNESCO Institute for Lifelong Learning)" in all_text(run(AnswerWebinarHost(), tracker)[0])
    language = all_text(run(AnswerWebinarLanguage(), tracker)[0])
    assert "held in French" in language and "breaking linguistic borders" in language
    moderator = all_text(run(AnswerWebinarModerator(), tracker)[0])
    assert "Ms Marie Macauley (UIL)" in moderator
    assert "More than 70" in all_text(run(AnswerWebinarAttendance(), tracker)[0])


def test_director_opening_and_closing_in_french():
    tracker = tracker_for("?", lang="fr")
    opening = all_text(run(AnswerDirectorOpening(), tracker)[0])
    assert all(text in opening for text in remarks("opening", "fr"))
    assert "M. David Atchoarena (UIL)" in opening
    closing = all_text(run(AnswerDirectorClosing(), tracker)[0])
    assert all(text in closing for text in remarks("closing", "fr"))
    assert "obligations premières" in closing


def test_masks_debate_gives_the_question_and_each_city():
    said, _ = run(AnswerMasksDebate(), tracker_for("masks debate"))
    text = said[0].text
    assert remarks("debate", "en")[0] in text
    for name in ("Évry-Courcouronnes", "Chefchaouen", "Mayo-Baléo"):
        assert name in text
    assert "artisanal masks" in text and "export masks abroad" in text and "handmade masks" in text


def test_cities_that_presented_on_a_date():
    text = "Which cities presented on 8 April?"
    said, _ = run(AnswerSeries(), tracker_for(text, [entity("webinar_date", "8 April", text)]))
    assert said[0].response == "utter_series_webinar"
    assert "Gdynia (Poland)" in said[0].text and "Cork (Ireland)" in said[0].text
    assert "Of this webinar I know only its title and presenters" in said[0].text
    assert "summarised in detail" not in said[0].text


def test_date_found_in_the_words_in_french():
    said, _ = run(AnswerSeries(), tracker_for("qui a présenté le 19 mars ?", lang="fr"))
    assert "Kashan" in said[0].text and "19 mars 2020" in said[0].text


def test_date_of_the_main_webinar_gives_its_overview():
    text = "what happened at the webinar of 23 April?"
    said, _ = run(AnswerSeries(), tracker_for(text, [entity("webinar_date", "23 April", text)]))
    assert said[0].response == "utter_webinar"


def test_date_without_webinar_lists_the_dates():
    text = "who presented on 2 April?"
    said, _ = run(AnswerWebinar(), tracker_for(text, [entity("webinar_date", "2 April", text)]))
    assert said[0].response == "utter_no_webinar_on"
    assert "2 April 2020" in said[0].text and "19 March 2020" in said[0].text


@pytest.mark.parametrize(
    "text, month, lang",
    [
        ("who moderated the webinar in April?", "April", "en"),
        ("qui a animé le webinaire d'avril ?", "avril", "fr"),
    ],
)
def test_a_month_of_several_webinars_lists_them_to_choose(text, month, lang):
    """April held four webinars: the answer names them, each a button, not "no webinar in April"."""
    april = [w for w in KB.webinars.values() if w.date.month == 4]
    tracker = tracker_for(text, [entity("webinar_date", month, text)], intent="ask_webinar_moderator")
    tracker.slots["language"] = lang
    said, _ = run(AnswerWebinarModerator(), tracker)
    assert said[0].response == "utter_webinars_in_month", all_text(said)
    assert len(april) > 1 and len(said[0].buttons) == len(april)
    assert [b["payload"] for b in said[0].buttons] == [
        f'/ask_webinar{{"webinar_date": "{w.date.isoformat()}"}}' for w in april
    ]
    assert said[0].text.count("\n•") == len(april), said[0].text


def test_webinar_without_named_presenters(monkeypatch: pytest.MonkeyPatch):
    # 15 April now has its outcome page (summary, presenting organisations): the real knowledge base
    # has no webinar left without presenters, so take them and the summary away from that one.
    said, _ = run(AnswerSeries(), tracker_for("and on 15 April?"))
    assert said[0].response == "utter_webinar_summarised"
    assert [s.response for s in said][1] == "utter_webinar_presenters" and "UNESCO-IESALC" in said[1].text
    bare = dataclasses.replace(
        KB.webinars["2020-04-15"],
        summary=None,
        presenting_cities=(),
        presenting_organisations=(),
        other_presenters=(),
    )
    kb = kb_with(webinars=[bare if w.id == bare.id else w for w in KB.webinars.values()])
    monkeypatch.setattr(actions.base, "get_kb", lambda: kb)
    said, _ = run(AnswerSeries(), tracker_for("and on 15 April?"))
    assert said[0].response == "utter_series_webinar_no_presenters"
    assert "Higher education institutions" in said[0].text


def test_series_overview_lists_all_webinars_and_links():
    said, _ = run(AnswerSeries(), tracker_for("tell me about the series"))
    text = said[0].text
    assert text.count("• ") == len(KB.webinars) + len(KB.series["gnlc-covid-19"].links)
    assert len(KB.series["gnlc-covid-19"].links) == 3
    assert text.startswith(
        "The series “UNESCO learning cities' responses to COVID-19” is organised by UIL. A GNLC"
    )
    assert text.count("GNLC webinar series") == 1, "what kind of series it is is said once"
    assert "https://uil.unesco.org/event/gnlc-webinars-unesco-learning-cities-response-covid-19" in text
    assert "youtube.com/playlist" in text


@pytest.mark.parametrize(
    "text, lang, moderator",
    [
        ("qui a animé le webinaire du 9 avril sur l'amérique latine ?", "fr", "Sergio Cardenas"),
        ("who chaired the 9 April webinar?", "en", "Sergio Cardenas"),
        ("who was the moderator of the francophone webinar?", "en", "Marie Macauley"),
    ],
)
def test_who_moderated_read_as_a_question_about_the_webinar_names_the_moderator(text, lang, moderator):
    """The classifier may read "who moderated the webinar?" as a question about the webinar: its
    answer is still who moderated it, not the webinar's overview."""
    said, events = run(AnswerWebinar(), tracker_for(text, lang=lang, intent="ask_webinar"))
    assert moderator in all_text(said), all_text(said)
    assert slot_events(events)["last_question"] == "webinar_moderator"


def test_which_webinar_someone_moderated_is_no_question_about_the_moderator():
    said, _ = run(
        AnswerWebinar(), tracker_for("which webinar did Sergio Cárdenas moderate?", intent="ask_webinar")
    )
    assert "9 April 2020" in all_text(said)
