"""Two webinars on one date (10 June 2020): the answer about "the webinar of 10 June" names the other.

On the real knowledge base: the series' own webinar (id 2020-06-10) and the one for Arab countries
(2020-06-10-arab-countries, from UIL's overview of the series), in both languages.
"""

from __future__ import annotations

from action_harness import KB, all_text, entity, run, tracker_for

from actions.city import AnswerCityOverview
from actions.webinar import AnswerWebinar


def ask(text: str, date_words: str, lang: str):
    return run(AnswerWebinar(), tracker_for(text, [entity("webinar_date", date_words, text)], lang=lang))[0]


def test_the_webinar_of_10_june_is_the_series_one_and_names_the_other_in_english():
    said = ask("What was the webinar of 10 June 2020 about?", "10 June 2020", "en")
    assert said[0].response == "utter_webinar_same_day", [s.response for s in said]
    text = all_text(said)
    assert KB.webinars["2020-06-10"].title.en in text
    assert KB.webinars["2020-06-10-arab-countries"].title.en in text and "Aswan" in text


def test_the_webinar_of_10_june_in_french():
    said = ask("C'était quoi le webinaire du 10 juin 2020 ?", "10 juin 2020", "fr")
    text = all_text(said)
    assert said[0].response == "utter_webinar_same_day"
    assert "2 webinaires ont eu lieu le 10 juin 2020" in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert KB.webinars["2020-06-10-arab-countries"].title.fr in text


def test_a_date_with_one_webinar_has_no_same_day_line():
    said = ask("What was the webinar of 3 June 2020 about?", "3 June 2020", "en")
    assert "utter_webinar_same_day" not in [s.response for s in said]


def test_french_replies_use_the_french_name_of_a_city():
    for lang, name, other in (("fr", "Pékin", "Beijing"), ("en", "Beijing", "Pékin")):
        said = run(
            AnswerCityOverview(), tracker_for("Pékin ?", [entity("city", "Pékin", "Pékin ?")], lang=lang)
        )[0]
        text = all_text(
            [s for s in said if not s.response.startswith("utter_source")]
        )  # publishers keep their names
        assert name in text and other not in text, text
