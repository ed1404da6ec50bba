"""Each fact is written once (audit §2.3), and the audit's faithfulness slips stay fixed (§2.1).

A fact stated by another record refers to it with `see:`; the loader copies that record's text,
speaker and webinar, so answers read it as before while the YAML holds it once. The tests run
on the real knowledge base and, for the answers, on the real actions (tests/action_harness.py).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_harness import KB, entity, run, tracker_for

from actions.city import AnswerCityOverview, AnswerCityTopic
from actions.organisation import (
    AnswerOrganisation,
    AnswerOrganisationCovid,
    AnswerOrganisationLeader,
    AnswerOrganisationThemes,
    AnswerPerson,
)
from actions.webinar import AnswerDirectorClosing, AnswerDirectorOpening, AnswerSeries, AnswerWebinarModerator
from citybot.kb import Issue, KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from citybot.kb.model import Text
from citybot.kb.normalize import fold
from citybot.language.typography import french_typography

# ---------------------------------------------------------------------------------------------
# No text is written twice.


def _stored_texts(kb: KnowledgeBase) -> Iterator[tuple[str, Text]]:
    """Every text written in the YAML (facts with `see` hold no text of their own)."""
    for city in kb.cities.values():
        if city.context:
            yield f"{city.id}.context", city.context
        for person in city.representatives:
            if person.role:
                yield f"{person.id}.role", person.role
        for measure in city.measures:
            yield measure.id, measure.text
    for org in kb.organisations.values():
        if org.description:
            yield f"{org.id}.description", org.description
        for person in org.people:
            if person.role:
                yield f"{person.id}.role", person.role
        for fact in org.facts:
            if fact.see is None:
                yield fact.id, fact.text
    for webinar in kb.webinars.values():
        yield f"{webinar.id}.title", webinar.title
        for name in ("theme", "audience", "attendance"):
            if getattr(webinar, name):
                yield f"{webinar.id}.{name}", getattr(webinar, name)
        for remark in webinar.remarks:
            yield remark.id, remark.text
        if webinar.summary and webinar.summary.title:
            yield f"{webinar.id}.summary.title", webinar.summary.title
    for series in kb.series.values():
        yield f"{series.id}.title", series.title
        if series.description:
            yield f"{series.id}.description", series.description
        for index, link in enumerate(series.links):
            yield f"{series.id}.links[{index}]", link.label


def _sentences(text: str) -> list[str]:
    """The text's sentences, folded (case, accents, punctuation), the short ones left out."""
    parts = re.split(r"(?<=[.!?])\s+", text)
    return [folded for folded in (fold(p) for p in parts) if len(folded) > 15]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_sentence_is_written_in_two_places(kb, lang):
    where: dict[str, set[str]] = defaultdict(set)
    for record, text in _stored_texts(kb):
        for sentence in _sentences(text.get(lang)):
            where[sentence].add(record)
    assert len(where) > 60  # the walk really read the knowledge base (about 85 sentences)
    twice = {sentence: sorted(records) for sentence, records in where.items() if len(records) > 1}
    assert twice == {}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_text_is_contained_in_another(kb, lang):
    # Titles are names: a description may quote the series' title, which is a reference by name.
    texts = [(record, fold(text.get(lang))) for record, text in _stored_texts(kb)]
    inside = [
        (small, big)
        for small, small_text in texts
        for big, big_text in texts
        if small != big and not small.endswith("title") and len(small_text) > 30 and small_text in big_text
    ]
    assert inside == []


def test_the_sentence_checks_would_catch_the_audit_duplicates():
    # The AIMF's exchange-and-cooperation sentence, once a fact and also the description, and
    # the two copies of "lasting solutions" that had drifted apart in French.
    description = "The AIMF is a network for mayors. It encourages exchange and cooperation."
    assert set(_sentences(description)) & set(_sentences("It encourages exchange and cooperation."))


# ---------------------------------------------------------------------------------------------
# Facts that refer to the record stating them.


@pytest.mark.parametrize(
    "org_id, fact_id, record_text, speaker",
    [
        ("gnlc", "gnlc-french-webinar", KB.webinars["2020-04-23"].remarks[3].text, "david-atchoarena"),
        ("gnlc", "gnlc-lasting-solutions", KB.webinars["2020-04-23"].remarks[5].text, "david-atchoarena"),
        ("gnlc", "gnlc-webinar-series", KB.series["gnlc-covid-19"].description, None),
        ("uil", "uil-webinar-series", KB.series["gnlc-covid-19"].description, None),
        ("uil", "uil-summary-23-april", KB.webinars["2020-04-23"].summary.title, None),
    ],
)
def test_a_see_fact_reads_the_record_it_names(kb, org_id, fact_id, record_text, speaker):
    fact = next(f for f in kb.organisation(org_id).facts if f.id == fact_id)
    assert fact.see and fact.text == record_text and fact.reported_by == speaker


def test_the_video_interviews_fact_reads_the_series_link(kb):
    fact = next(f for f in kb.organisation("uil").facts if f.id == "uil-video-interviews")
    link = next(link for link in kb.series["gnlc-covid-19"].links if link.id == "video-interviews")
    assert fact.text.en == f"{link.label.en} — {link.url}"
    assert fact.text.fr.startswith("Entretiens vidéo") and link.url in fact.text.fr


def test_the_hosting_in_french_remark_and_the_gnlc_fact_agree_in_french(kb):
    remark = next(r for r in kb.webinars["2020-04-23"].remarks if r.id == "opening-local-democracy-networks")
    fact = next(f for f in kb.organisation("gnlc").facts if f.id == "gnlc-lasting-solutions")
    assert fact.text.fr == remark.text.fr and "devraient" in fact.text.fr


FACT_HEAD = """id: aimf
sources: [uil-webinar-2020-04-23-en]
acronym: AIMF
name: {en: International Association of French-speaking Mayors, fr: Association internationale des maires francophones}
people:
  - id: pierre-baillet
    name: Pierre Baillet
facts:
  - id: aimf-welcome
    aspect: aims
"""


def _issues(kb_copy, fact_lines: str) -> list[Issue]:
    root: Path = kb_copy(files={"organisations/aimf.yml": FACT_HEAD + fact_lines})
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(root)
    return caught.value.issues


@pytest.mark.parametrize(
    "fact_lines, field, words",
    [
        ("    see: no-such-record\n", "facts[0].see", "is not the id of a remark, a series"),
        ("    see: 2020-03-19\n", "facts[0].see", "or a webinar with a summary title"),
        (
            "    see: uil-director-purpose\n    text: {en: Hello., fr: Bonjour.}\n    sources: [uil-webinar-2020-04-23-en]\n",
            "facts[0].see",
            "not both",
        ),
        ("    reported_by: pierre-baillet\n", "facts[0]", "a fact needs a text (en and fr) or see"),
        (
            "    see: uil-director-purpose\n    reported_by: pierre-baillet\n",
            "facts[0].reported_by",
            "comes from the record named by see",
        ),
    ],
)
def test_bad_see_is_rejected_with_its_line(kb_copy, fact_lines, field, words):
    issues = _issues(kb_copy, fact_lines)
    assert any(i.field == field and words in i.message for i in issues), issues
    assert all(i.file.endswith("organisations/aimf.yml") and i.line is not None for i in issues)


def test_a_good_see_loads(kb_copy):
    root = kb_copy(files={"organisations/aimf.yml": FACT_HEAD + "    see: uil-director-purpose\n"})
    fact = load_knowledge_base(root).organisation("aimf").facts[0]
    assert fact.text.en and fact.reported_by == "david-atchoarena" and fact.webinar == "2020-04-23"


# ---------------------------------------------------------------------------------------------
# The answers about the duplicated facts still say them, and no sentence twice.


def _ask(action, text: str, lang: str, **entities: str):
    found = [entity(name, value, text) for name, value in entities.items()]
    said, _ = run(action, tracker_for(text, found, lang=lang))
    return said


def _repeated_sentences(said) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for message in said:
        for line in message.text.splitlines():
            for sentence in _sentences(line.lstrip("• ")):
                if sentence in seen:
                    repeated.append(sentence)
                seen.add(sentence)
    return repeated


CLUSTER_QUESTIONS = [
    # (action, question, entities, English words, French words): words of the fact written once
    (
        AnswerOrganisation,
        "What is the AIMF?",
        {"organisation": "AIMF"},
        ["exchange and cooperation", "Mayor of Paris"],
        ["échanges et la coopération", "maire de Paris"],
    ),
    (
        AnswerOrganisationLeader,
        "Who leads the AIMF?",
        {"organisation": "AIMF"},
        ["Mayor of Paris", "Permanent Secretary of the AIMF"],
        ["maire de Paris", "secrétaire permanent de l'AIMF"],
    ),
    (
        AnswerOrganisationLeader,
        "Who leads the UIL?",
        {"organisation": "UIL"},
        ["Director of the UNESCO Institute"],
        ["directeur de l'Institut de l'UNESCO"],
    ),
    (
        AnswerOrganisation,
        "What is the UIL?",
        {"organisation": "UIL"},
        [
            "Outcomes of webinar on 23 April",
            "youtube.com/playlist",
            "12 May 2020",
        ],
        [
            "résultats du webinaire du 23 avril",
            "youtube.com/playlist",
            "12 mai 2020",
        ],
    ),
    (
        AnswerOrganisationCovid,
        "What did the UIL do about COVID?",
        {"organisation": "UIL"},
        ["hundreds of city representatives"],
        ["centaines de représentants"],
    ),
    (
        AnswerOrganisation,
        "What is the GNLC?",
        {"organisation": "GNLC"},
        [
            "linguistic borders",
            "lasting solutions",
            "Évry-Courcouronnes (France)",
            "Mayo-Baléo (Cameroon)",
            "prospective",
            "Chefchaouen (Morocco)",
        ],
        [
            "frontières linguistiques",
            "solutions durables",
            "Évry-Courcouronnes (France)",
            "Mayo-Baléo (Cameroun)",
            "« villes prospectives »",
            "Chefchaouen (Maroc)",
        ],
    ),
    (
        AnswerOrganisationCovid,
        "What did the GNLC do about COVID?",
        {"organisation": "GNLC"},
        ["share successful local initiatives"],
        ["partager des initiatives locales réussies"],
    ),
    (
        AnswerOrganisationThemes,
        "AIMF themes",
        {"organisation": "AIMF"},
        ["digitalisation of governance"],
        ["transformation numérique de la gouvernance"],
    ),
    (
        AnswerSeries,
        "What is the webinar series?",
        {},
        ["share successful local initiatives", "youtube.com/playlist"],
        ["partager des initiatives locales réussies", "youtube.com/playlist"],
    ),
    (
        AnswerDirectorOpening,
        "What did the director say at the opening?",
        {},
        ["global overview of priority areas", "linguistic borders", "lasting solutions"],
        ["domaines prioritaires", "frontières linguistiques", "solutions durables"],
    ),
    (AnswerDirectorClosing, "And at the closing?", {}, ["next steps"], ["prochaines étapes"]),
    (AnswerWebinarModerator, "Who moderated?", {}, ["Marie Macauley (UIL)"], ["Marie Macauley (UIL)"]),
    (
        AnswerPerson,
        "Who is Marie Macauley?",
        {"person": "Marie Macauley"},
        ["moderator, UIL"],
        ["modératrice, UIL"],
    ),
    (AnswerCityOverview, "Tell me about Mayo-Baléo", {"city": "Mayo-Baléo"}, ["phone"], ["téléphone"]),
    (
        AnswerCityTopic,
        "What did Mayo-Baléo do about health?",
        {"city": "Mayo-Baléo", "topic": "health"},
        ["preventive", "at the time of the webinar"],
        ["préventives", "au moment du webinaire"],
    ),
]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    "action, question, entities, en_words, fr_words",
    CLUSTER_QUESTIONS,
    ids=[q[1] for q in CLUSTER_QUESTIONS],
)
def test_cluster_answer_says_the_fact_once(action, question, entities, en_words, fr_words, lang):
    said = _ask(action(), question, lang, **entities)
    text = "\n".join(s.text for s in said)
    for words in en_words if lang == "en" else [french_typography(w) for w in fr_words]:  # as shown
        assert words in text, (words, text)
    assert _repeated_sentences(said) == [], text


def test_what_is_the_aimf_no_longer_credits_the_aim_to_mr_baillet():
    said = _ask(AnswerOrganisation(), "What is the AIMF?", "en", organisation="AIMF")
    assert said[0].text.count("exchange and cooperation") == 1
    assert "exchange and cooperation" in KB.organisation("aimf").description.en


# ---------------------------------------------------------------------------------------------
# The audit's slips (§2.1) stay fixed: the corrected wording's key words, not the old ones.


def _measure(city: str, measure_id: str) -> Text:
    return next(m.text for m in KB.city(city).measures if m.id == measure_id)


def _remark(remark_id: str) -> Text:
    return next(r.text for r in KB.webinars["2020-04-23"].remarks if r.id == remark_id)


def test_slip_1_the_aimf_aim_is_uil_wording_not_mr_baillet():
    aimf = KB.organisation("aimf")
    assert "exchange and cooperation" in aimf.description.en
    assert not any("exchange and cooperation" in f.text.en for f in aimf.facts)


def test_slip_2_cities_which_have_been_hit_hardest_is_not_restrictive():
    text = _remark("opening-purpose")
    assert "cities, which have been hit hardest" in text.en
    assert "les villes, qui ont été les plus durement touchées" in text.fr


def test_slip_3_the_french_keeps_the_may():
    for text in (
        KB.city("evry-courcouronnes").context,
        _measure("evry-courcouronnes", "evry-social-workers-roster"),
    ):
        assert re.search(r"may (themselves )?have had", text.en), text.en
        assert re.search(r"parents (ont )?parfois (eux-mêmes été )?peu scolarisés", text.fr), text.fr


def test_slip_4_prospective_city_without_gloss():
    gnlc = KB.organisation("gnlc")
    texts = [gnlc.description, *(f.text for f in gnlc.facts)]
    assert not any("future member" in t.en or "futur membre" in t.fr for t in texts)
    said = _ask(AnswerOrganisation(), "Qu'est-ce que le GNLC ?", "fr", organisation="GNLC")
    assert french_typography("« villes prospectives »") in "\n".join(s.text for s in said)


def test_slip_5_the_special_fund_is_for_covid_not_needs():
    text = _measure("chefchaouen", "chefchaouen-special-fund")
    assert "COVID-19-related issues" in text.en
    assert "pour faire face à la COVID-19" in text.fr and "besoins" not in text.fr


def test_slip_6_local_youth_is_of_the_locality():
    text = _measure("mayo-baleo", "mayo-baleo-local-youth-volunteers")
    assert "local youth" in text.en and "jeunes de la localité" in text.fr and "région" not in text.fr


def test_slip_7_learning_cities_should_not_must():
    text = _remark("opening-local-democracy-networks")
    assert "should work to find" in text.en
    assert "devraient" in text.fr and "doivent" not in text.fr


def test_slip_8_the_permanent_secretary_title_is_not_credited_to_him():
    aimf = KB.organisation("aimf")
    assert not any("Permanent Secretary" in f.text.en for f in aimf.facts)
    assert aimf.people[0].role is not None and aimf.people[0].role.en == "Permanent Secretary of the AIMF"


# ---------------------------------------------------------------------------------------------
# The staff guide's examples of "Each fact is written once" are valid and real.

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "knowledge-base.md").read_text("utf-8")


def _guide_block(starts_with: str) -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE, flags=re.S)
    found = [b for b in blocks if b.startswith(starts_with)]
    assert len(found) == 1, starts_with
    return found[0]


def test_the_guide_organisation_and_webinar_examples_load_with_the_real_knowledge(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", root)
    files = {
        "cities/villeneuve.yml": GUIDE.split("Create `knowledge/cities/villeneuve.yml`:\n\n```yaml\n")[
            1
        ].split("```")[0],
        "sources/villeneuve-news-2020-05-20.yml": _guide_block(
            "# knowledge/sources/villeneuve-news-2020-05-20.yml"
        ),
        "organisations/rvm.yml": _guide_block("id: rvm\n"),
        "webinars/2020-05-07.yml": _guide_block("id: 2020-05-07\n"),
    }
    for relative, content in files.items():
        (root / relative).write_text(content, encoding="utf-8")
    kb = load_knowledge_base(root)
    rvm = kb.organisation("rvm")
    assert rvm.facts[1].see == "gnlc-covid-19" and rvm.facts[1].text == kb.series["gnlc-covid-19"].description
    assert rvm.people[0].role is not None and rvm.people[0].role.en == "President of the RVM"
    webinar = kb.webinars["2020-05-07"]
    assert webinar.presenting_cities == ("villeneuve",) and webinar.moderator == "marie-macauley"


def test_the_guide_see_example_is_the_real_gnlc_fact():
    block = _guide_block("# knowledge/organisations/gnlc.yml (real)\n")
    real = (ROOT / "knowledge" / "organisations" / "gnlc.yml").read_text("utf-8")
    assert "\n".join(block.splitlines()[2:]) in real
