"""Organisations (AIMF, UIL, GNLC) and people, from the real knowledge base."""

from __future__ import annotations

from action_harness import KB, entity, run, slot_events, tracker_for

from actions.general import AnswerFallback
from actions.organisation import (
    AnswerOrganisation,
    AnswerOrganisationCovid,
    AnswerOrganisationLeader,
    AnswerOrganisationThemes,
    AnswerPerson,
)
from citybot.language.typography import french_typography

AIMF = KB.organisations["aimf"]


def ask(action, text: str, name: str, lang: str = "en"):
    return run(action, tracker_for(text, [entity("organisation", name, text)], lang=lang))


def facts(aspect: str, lang: str) -> list[str]:
    return [f.text.get(lang) for f in AIMF.facts if f.aspect == aspect]


def test_what_is_the_aimf():
    said, events = ask(AnswerOrganisation(), "What is the AIMF?", "AIMF")
    assert said[0].response == "utter_organisation"
    assert AIMF.description.en in said[0].text
    assert all(fact in said[0].text for fact in facts("publications", "en"))
    assert said[1].response == "utter_source_speaker" and "Mr Pierre Baillet" in said[1].text
    assert slot_events(events) == {
        "organisation": "aimf",
        "last_question": "organisation",
        "sources": ["uil-webinar-2020-04-23-en"],
    }


def test_who_leads_the_aimf_in_french():
    said, _ = ask(AnswerOrganisationLeader(), "Qui dirige l'AIMF ?", "AIMF", "fr")
    assert "L’AIMF est présidée par le maire de Paris." in said[0].text
    assert "secrétaire permanent" in said[0].text


def test_aimf_covid_response_and_themes():
    covid, _ = ask(AnswerOrganisationCovid(), "what did the AIMF do about COVID-19?", "AIMF")
    assert "weekly bulletin" in covid[0].text
    themes, _ = ask(AnswerOrganisationThemes(), "AIMF themes", "AIMF")
    assert all(fact in themes[0].text for fact in facts("themes", "en"))
    assert "Resilience" in themes[0].text and "digitalisation of governance" in themes[0].text


def test_uil_and_gnlc():
    uil, _ = ask(AnswerOrganisation(), "c'est quoi l'UIL ?", "UIL", "fr")
    assert french_typography(KB.organisations["uil"].description.fr) in uil[0].text
    # the UIL is now known from many of its pages (outcome pages, news, the snapshots' announcement)
    assert uil[-1].response == "utter_sources_line" and uil[-1].text.startswith(
        french_typography("Sources :")
    )
    assert (
        french_typography("Institut de l'UNESCO pour l'apprentissage tout au long de la vie (UIL)")
        in uil[-1].text
    )
    gnlc, _ = ask(AnswerOrganisation(), "what is the GNLC?", "GNLC")
    assert "Global Network of Learning Cities" in gnlc[0].text
    # who said the facts comes right after them, not after the lists of the network's cities
    assert [s.response for s in gnlc] == [
        "utter_organisation",
        "utter_source_speaker",
        "utter_network_members",
        "utter_network_prospective",
        "utter_sources_line",
    ]
    assert "Mr David Atchoarena" in gnlc[1].text


def test_organisation_without_that_kind_of_fact():
    said, _ = ask(AnswerOrganisationLeader(), "who leads the GNLC?", "GNLC")
    assert said[0].response == "utter_organisation_no_facts"


def test_unknown_organisation_is_named():
    said, _ = ask(AnswerOrganisation(), "what is UNICEF?", "UNICEF")
    assert said[0].response == "utter_unknown_organisation"
    assert "UNICEF" in said[0].text and "AIMF" in said[0].text


def test_organisation_found_in_the_words():
    said, _ = run(AnswerOrganisationCovid(), tracker_for("what did aimf do against covid"))
    assert "weekly bulletin" in said[0].text


def test_who_is_a_person():
    said, _ = run(AnswerPerson(), tracker_for("who is Valero?"))
    assert "Ms Danielle Valéro" in said[0].text and "First Deputy Mayor of Évry" in said[0].text
    said, _ = run(AnswerPerson(), tracker_for("qui est Pierre Baillet ?", lang="fr"))
    assert "secrétaire permanent de l’AIMF" in said[0].text


def test_unknown_person():
    said, _ = run(AnswerPerson(), tracker_for("who is John Smith?"))
    assert said[0].response == "utter_unknown_person" and "Mr David Atchoarena" in said[0].text


def test_an_organisation_s_words_at_a_dated_webinar_answer_what_it_said_there():
    """ "What two reasons did UIL give for why the 9 April webinar mattered?" names UIL, but what
    UIL's speaker said on 9 April answers it, not what UIL is."""
    text = "What two reasons did UIL give for why the 9 April webinar mattered?"
    tracker = tracker_for(text, [entity("organisation", "UIL", text)], intent="nlu_fallback")
    said, events = run(AnswerFallback(), tracker)
    remark = next(
        r for r in KB.webinars["2020-04-09"].remarks if r.id == "opening-9-april-health-education-dialogue"
    )
    assert remark.text.en in " ".join(s.text for s in said)
    assert "uil-webinar-2020-04-09-en" in slot_events(events)["sources"]


def test_an_organisation_the_sources_only_list_is_answered_by_its_city_s_facts():
    """The University of Glasgow has no facts of its own: its talks are Glasgow's measures, which
    answer « les conférences de l'université de Glasgow, on peut les regarder où ? » instead of
    "the sources say nothing of it"."""
    assert not KB.organisations["university-of-glasgow"].facts
    text = "les conférences de l'université de glasgow on peut les regarder où ?"
    tracker = tracker_for(text, [entity("organisation", "université de glasgow", text)], lang="fr")
    said, events = run(AnswerOrganisationThemes(), tracker)
    assert said[0].response != "utter_organisation_no_facts"
    assert "snapshot-glasgow" in slot_events(events)["sources"]
