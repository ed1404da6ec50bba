"""Answers over a knowledge base of many pages, not one webinar summary.

The fixture is a copy of `knowledge/` in a temporary directory with what the other pages bring
(made up here, in their shape): a UIL city snapshot (measures with no webinar and no reporter),
a page that prints no date and is not official, a city known from pages only, and a published
summary for an earlier webinar. Each test reads the rendered text in English and French, as the
user would: no empty reporter, no date borrowed from the featured webinar, official pages first.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_harness import ROOT, all_text, entity, run, tracker_for

import actions.base
from actions.city import (
    AnswerCityOverview,
    AnswerCityRepresentative,
    AnswerCityTopic,
    AnswerCityWebinar,
)
from actions.facts import webinar_days
from actions.general import ListCities
from actions.sources import AnswerSource
from actions.topics import AnswerCitiesByTopic
from actions.webinar import AnswerSeries, AnswerWebinarAttendance
from citybot.kb import KnowledgeBase
from citybot.kb.loader import load_knowledge_base

SNAPSHOT = "uil-snapshot-test-2021"
BALTIC = "ubc-news-test"

SOURCES = {
    SNAPSHOT: f"""id: {SNAPSHOT}
url: "https://uil.unesco.org/example/snapshot-test"
title: "Learning city snapshot (test)"
publisher: uil
published: 2021-03-01
language: en
official: yes
""",
    BALTIC: f"""id: {BALTIC}
url: "https://www.ubc.net/example/news-test"
title: "Baltic cities and COVID-19 (test)"
publisher: Union of the Baltic Cities
language: en
official: no
""",
}

# Chefchaouen gains, on `exams`, a non-official measure written BEFORE an official snapshot one:
# the answer must still give the official one first.
CHEFCHAOUEN_EXTRA = f"""
  - id: chefchaouen-test-exam-tutoring
    sources: [{BALTIC}]
    topics: [exams]
    text:
      en: "Volunteers tutored pupils for the exams (test)."
      fr: "Des bénévoles ont aidé les élèves à préparer les examens (test)."
  - id: chefchaouen-test-exam-calendar
    sources: [{SNAPSHOT}]
    topics: [exams]
    text:
      en: "A new exam calendar was published (test)."
      fr: "Un nouveau calendrier des examens a été publié (test)."
"""

# A city known from a snapshot only: no webinar, no representative.
TESTVILLE = f"""id: testville
name: Testville
country: france
measures:
  - id: testville-radio-school
    sources: [{SNAPSHOT}]
    topics: [distance_learning]
    text:
      en: "Lessons were broadcast on the city radio (test)."
      fr: "Des cours ont été diffusés sur la radio de la ville (test)."
"""

# A city whose only fact a non-official, undated page states.
BALTICITY = f"""id: balticity
name: Balticity
country: poland
measures:
  - id: balticity-food-parcels
    sources: [{BALTIC}]
    topics: [food]
    text:
      en: "Food parcels were delivered to older people (test)."
      fr: "Des colis alimentaires ont été livrés aux personnes âgées (test)."
"""

# The webinar of 8 April (the one webinar no stored page reports on) gains a published summary, a theme
# and its attendance.
SUMMARY_8_APRIL = f"""theme:
  en: "Learning in families at home (test)."
  fr: "Apprendre en famille à la maison (test)."
attendance:
  en: "About 100 people took part (test)."
  fr: "Une centaine de personnes y ont participé (test)."
summary:
  published: 2021-03-01
  publisher: uil
  title: {{en: "Outcomes of webinar on 8 April (test)", fr: "Résultats du webinaire du 8 avril (test)"}}
  sources: [{SNAPSHOT}]
"""


@pytest.fixture(scope="module")
def many_pages_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The real knowledge base plus the pages above, loaded (and so validated) from a copy."""
    real = actions.base.get_kb()
    # The made-up records must not clash with (or silently replace) real ones as the knowledge base grows.
    assert not set(SOURCES) & set(real.sources), "a made-up page id is now a real one"
    assert not {"testville", "balticity"} & set(real.cities), "a made-up city id is now a real one"
    assert not any(m.id.startswith("chefchaouen-test-") for m in real.cities["chefchaouen"].measures)
    assert real.webinars["2020-04-08"].summary is None, "pick another webinar without a summary"
    assert real.webinars["2020-04-08"].theme is None and real.webinars["2020-04-08"].attendance is None
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(ROOT / "knowledge", root)
    for source_id, text in SOURCES.items():
        (root / "sources" / f"{source_id}.yml").write_text(text, encoding="utf-8")
    _append(root / "cities" / "chefchaouen.yml", CHEFCHAOUEN_EXTRA)
    (root / "cities" / "testville.yml").write_text(TESTVILLE, encoding="utf-8")
    (root / "cities" / "balticity.yml").write_text(BALTICITY, encoding="utf-8")
    _append(root / "webinars" / "2020-04-08.yml", SUMMARY_8_APRIL)
    return load_knowledge_base(root)


@pytest.fixture(autouse=True)
def use_many_pages(many_pages_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(actions.base, "get_kb", lambda: many_pages_kb)
    yield


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def ask_topic(city: str, topic: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    text = f"{city} {topic}"
    return run(
        AnswerCityTopic(),
        tracker_for(text, [entity("city", city, text), entity("topic", topic, text)], lang=lang),
    )


def no_empty_reporter_nor_date(text: str) -> None:
    for broken in ("Presented by  at", "Présenté par  au", "webinar of .", "webinaire du GNLC du .", "of )"):
        assert broken not in text


# --- A city's measures: webinar ones with their line, the others plainly, official first.


def test_mixed_measures_are_grouped_by_provenance_in_english():
    said, events = ask_topic("Chefchaouen", "exams")
    assert [s.response for s in said] == [
        "utter_city_topic",
        "utter_city_topic_plain_more",
        "utter_sources_line",
    ]
    presented, plain, sources = (s.text for s in said)
    assert "School exams have been cancelled" in presented
    assert (
        "(Presented by Mr Mohamed Sefiani (President of Chefchaouen) at the GNLC webinar of 23 April 2020.)"
        in presented
    )
    assert "(test)" not in presented, "pages' measures are not said to be presented at the webinar"
    assert "Presented" not in plain and "webinar" not in plain and "23 April" not in plain
    assert plain.index("A new exam calendar") < plain.index("Volunteers tutored"), "official page first"
    assert sources == (
        "Sources: UNESCO Institute for Lifelong Learning (UIL), 12 May 2020 and 1 March 2021; "
        "Union of the Baltic Cities"
    )
    no_empty_reporter_nor_date(all_text(said))
    sources_slot = [e["value"] for e in events if e.get("name") == "sources"][0]
    assert set(sources_slot) == {"uil-webinar-2020-04-23-en", SNAPSHOT, BALTIC}


def test_mixed_measures_in_french():
    said, _ = ask_topic("Chefchaouen", "examens", lang="fr")
    assert [s.response for s in said] == [
        "utter_city_topic",
        "utter_city_topic_plain_more",
        "utter_sources_line",
    ]
    assert (
        "(Présenté par M. Mohamed Sefiani (président de Chefchaouen) au webinaire du GNLC du 23 avril 2020.)"
        in said[0].text
    )
    assert "Présenté" not in said[1].text and "23 avril" not in said[1].text
    assert said[1].text.index("Un nouveau calendrier") < said[1].text.index("Des bénévoles")
    assert said[2].text.endswith("1er mars 2021 ; Union of the Baltic Cities".replace(" ;", "\u202f;"))
    no_empty_reporter_nor_date(all_text(said))


def test_lists_of_cities_give_each_citys_official_pages_first():
    for lang, text, calendar, tutoring in (
        ("en", "which cities did something about exams?", "A new exam calendar", "Volunteers tutored"),
        ("fr", "quelles villes ont agi sur les examens ?", "Un nouveau calendrier", "Des bénévoles"),
    ):
        said, _ = run(AnswerCitiesByTopic(), tracker_for(text, [entity("topic", "exams", text)], lang=lang))
        entry = said[0].text.split("• Chefchaouen", 1)[1].split("• ", 1)[0]
        assert entry.index(calendar) < entry.index(tutoring), "official page first"


def test_snapshot_city_measures_name_no_webinar_and_no_wrong_date():
    for lang, topic in (("en", "distance learning"), ("fr", "enseignement à distance")):
        said, _ = ask_topic("Testville", topic, lang)
        assert [s.response for s in said] == ["utter_city_topic_plain", "utter_source_line"]
        text = all_text(said)
        assert "(test)" in said[0].text
        assert "23 April" not in text and "23 avril" not in text
        assert "webinar" not in text.lower() and "webinaire" not in text.lower()
        no_empty_reporter_nor_date(text)


def test_webinar_days_has_no_fallback_to_the_featured_webinar(many_pages_kb: KnowledgeBase):
    assert webinar_days(many_pages_kb, [None, "no-such-webinar"], "en") == ""
    assert webinar_days(many_pages_kb, [None, "2020-04-23"], "fr") == "23 avril 2020"


# --- Unknowns stay honest and precise.


def test_nothing_on_a_topic_says_which_sources_cover_the_city():
    said, _ = ask_topic("Testville", "masks")
    assert said[0].response == "utter_city_topic_none"
    assert said[0].text.startswith(
        "My sources on Testville (UNESCO Institute for Lifelong Learning (UIL), 1 March 2021) "
        "mention nothing about protective masks."
    )
    assert "summary" not in said[0].text and "webinar" not in said[0].text
    said, _ = ask_topic("Testville", "masques", lang="fr")
    assert said[0].text.startswith("Mes sources sur Testville (Institut de l’UNESCO")
    assert "compte rendu" not in said[0].text


def test_series_only_city_names_its_webinar_in_both_languages():
    text = "Lima"  # Gdynia, once the example, now has measures from its snapshot and other pages
    for lang, expected in (
        ("en", "Lima (Peru) presented in the GNLC webinar series on 9 April 2020 (“The cases of Mexico City"),
        (
            "fr",
            "Lima (Pérou) a présenté ses actions dans la série de webinaires du GNLC le 9 avril 2020 («\xa0Les cas",
        ),
    ):
        said, _ = run(AnswerCityOverview(), tracker_for(text, [entity("city", text, text)], lang=lang))
        # the webinar of 9 April is stated by three pages (its outcome pages and the list of 23 April)
        assert [s.response for s in said] == ["utter_city_series_only", "utter_sources_line"]
        assert said[0].text.startswith(expected)
        assert "summarised in detail" not in said[0].text and "résumé en détail" not in said[0].text


def test_city_never_at_a_webinar_gets_an_overview_without_a_webinar():
    text = "Testville"
    tracker = tracker_for(text, [entity("city", text, text)], intent="ask_city_overview")
    said, _ = run(AnswerCityOverview(), tracker)
    assert [s.response for s in said] == [
        "utter_city_status_unknown",
        "utter_city_overview_plain",
        "utter_source_line",
    ]
    assert said[1].text == "About Testville, my sources cover: distance learning."
    assert "webinar" not in all_text(said[1:]).lower()
    said, _ = run(AnswerCityOverview(), tracker_for(text, [entity("city", text, text)], lang="fr"))
    assert said[1].text == "Sur Testville, mes sources couvrent\xa0: enseignement à distance."
    assert run(AnswerCityRepresentative(), tracker)[0][0].response == "utter_city_representative_none"
    assert run(AnswerCityWebinar(), tracker)[0][0].response == "utter_city_no_webinar"


def test_featured_city_overview_still_names_who_presented_it():
    text = "Évry"
    said, _ = run(
        AnswerCityOverview(), tracker_for(text, [entity("city", text, text)], intent="ask_city_overview")
    )
    assert said[1].response == "utter_city_overview"
    assert said[1].text.startswith(
        "At the GNLC webinar of 23 April 2020, Évry-Courcouronnes was presented by Ms"
    )
    assert "\n\n" not in said[1].text


# --- A non-official page is attributed; an undated page is named by its publisher alone.


def test_a_fact_only_a_non_official_page_states_names_that_publisher():
    said, _ = ask_topic("Balticity", "food")
    assert [s.response for s in said] == ["utter_city_topic_plain", "utter_source_line"]
    assert said[1].text == "Source: Union of the Baltic Cities"
    said, _ = ask_topic("Balticity", "alimentation", lang="fr")
    assert said[1].text == "Source\xa0: Union of the Baltic Cities"


def test_reference_of_an_undated_page_has_no_date():
    said, _ = run(
        AnswerSource(), tracker_for("source?", slots={"sources": [BALTIC, SNAPSHOT]}, intent="ask_source")
    )
    references = said[0].text.splitlines()[1:]
    assert references[0].startswith(
        "• Learning city snapshot (test), UNESCO Institute for Lifelong Learning (UIL), 1 March 2021"
    )
    assert (
        references[1]
        == "• Baltic cities and COVID-19 (test), Union of the Baltic Cities — https://www.ubc.net/example/news-test"
    )


# --- Webinars with a summary of their own; the list of cities.


def test_webinar_with_a_summary_is_answered_from_it():
    for lang, text, expected in (
        (
            "en",
            "what happened on 8 April?",
            "is summarised in “Outcomes of webinar on 8 April (test)” (UIL, 1 March 2021).",
        ),
        (
            "fr",
            "que s'est-il passé le 8 avril ?",
            "est résumé dans «\xa0Résultats du webinaire du 8 avril (test)\xa0» (UIL, 1er mars 2021).",
        ),
    ):
        said, _ = run(
            AnswerSeries(),
            tracker_for(text, [entity("webinar_date", text.split(" ", 3)[-1], text)], lang=lang),
        )
        assert [s.response for s in said] == [
            "utter_webinar_summarised",
            "utter_webinar_presenters",
            "utter_sources_line",
        ]
        assert expected in said[0].text
        assert "(test)." in said[0].text.splitlines()[1]  # the theme, on its own line
        assert "Gdynia" in said[1].text and "Cork" in said[1].text
        assert "summarised in detail" not in all_text(said) and "résumé en détail" not in all_text(said)


def test_attendance_of_the_dated_webinar():
    text = "how many people attended on 8 April?"
    said, _ = run(AnswerWebinarAttendance(), tracker_for(text, [entity("webinar_date", "8 April", text)]))
    assert said[0].text == "Webinar of 8 April 2020: About 100 people took part (test)."
    assert said[-1].response == "utter_source_line"  # the webinar's own page


def test_list_of_cities_says_which_are_detailed_and_which_only_presented():
    said, _ = run(ListCities(), tracker_for("which cities?", intent="list_cities"))
    detailed, others = said[0].text.splitlines()
    assert "Testville" in detailed and "Balticity" in detailed and "Lima" not in detailed
    assert "Lima" in others and "23 April" not in said[0].text
