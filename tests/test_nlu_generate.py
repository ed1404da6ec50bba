"""The NLU data generated from the real knowledge base and bot/nlu_templates.yml."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from citybot.kb import load_knowledge_base
from citybot.kb.index import allowed_typos
from citybot.kb.normalize import fold
from citybot.nlu_data.generate import HEADER, TYPO_EVERY, check, generate, misspelt, render, with_opener
from citybot.nlu_data.templates import TemplateError, load_templates

REPO_ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = REPO_ROOT / "bot" / "nlu_templates.yml"
ANNOTATION = re.compile(r'\[([^\]]+)\]\{"entity": "(\w+)", "value": "([^"]+)"\}')


@pytest.fixture(scope="module")
def files(kb) -> dict[str, str]:
    return render(kb, TEMPLATES)


def parsed(text: str) -> list[dict]:
    return yaml.safe_load(text)["nlu"]


def examples(text: str) -> list[str]:
    return [line[2:] for item in parsed(text) if "intent" in item for line in item["examples"].splitlines()]


def test_output_is_deterministic(kb, tmp_path):
    first = {p.name: p.read_bytes() for p in generate(kb, tmp_path / "a", TEMPLATES)}
    again = {
        p.name: p.read_bytes()
        for p in generate(load_knowledge_base(REPO_ROOT / "knowledge"), tmp_path / "b", TEMPLATES)
    }
    assert first == again
    assert sorted(first) == ["examples_en.yml", "examples_fr.yml", "lookups.yml", "synonyms.yml"]


def test_unchanged_files_are_not_rewritten(kb, tmp_path):
    """Rewriting identical files would change their dates and make `make train` retrain."""
    out = tmp_path / "generated"
    generate(kb, out, TEMPLATES)
    (out / "synonyms.yml").write_text("stale\n", encoding="utf-8")
    dates = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert generate(kb, out, TEMPLATES) == [out / "synonyms.yml"]
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != "synonyms.yml"} == {
        name: date for name, date in dates.items() if name != "synonyms.yml"
    }
    assert check(kb, out, TEMPLATES) == []


def test_files_are_rasa_yaml_with_the_do_not_edit_header(files):
    for name, text in files.items():
        assert text.startswith(HEADER), name
        assert yaml.safe_load(text)["version"] == "3.1"


def test_every_city_topic_and_organisation_name_is_in_the_lookups(kb, files):
    lookups = {
        item["lookup"]: set(
            item["examples"]
            .replace(
                "- ",
                "",
            )
            .splitlines()
        )
        for item in parsed(files["lookups.yml"])
    }
    assert set(kb.city_names()) <= lookups["city"]
    assert {"Mayo-Baléo", "Mayo Baleo", "Evry", "Chefchaouen", "Sao Paulo"} <= lookups["city"]
    for topic in kb.topics.values():
        assert {topic.label.en, topic.label.fr, *topic.synonyms.all()} <= lookups["topic"], topic.id
    assert {"AIMF", "UIL"} <= lookups["organisation"]


def test_synonyms_map_names_to_kb_ids(kb, files):
    synonyms = {
        name.casefold(): item["synonym"]
        for item in parsed(files["synonyms.yml"])
        for name in item["examples"].replace("- ", "").splitlines()
    }
    assert synonyms["mayo baleo"] == "mayo-baleo"
    assert synonyms["écoles"] == "schooling"
    assert synonyms["association internationale des maires francophones"] == "aimf"
    for name, city_id in kb.city_names().items():
        assert synonyms.get(name.casefold(), city_id) == city_id


def test_every_city_and_topic_appears_in_examples_of_both_languages(kb, files):
    for lang in ("en", "fr"):
        values = {
            (entity, value)
            for line in examples(files[f"examples_{lang}.yml"])
            for _, entity, value in ANNOTATION.findall(line)
        }
        assert {("city", c) for c in kb.cities} <= values, lang
        assert {("topic", t) for t in kb.topics} <= values, lang


def test_examples_are_capped_per_intent(files):
    cap = load_templates(TEMPLATES).max_examples_per_intent
    for lang in ("en", "fr"):
        for item in parsed(files[f"examples_{lang}.yml"]):
            lines = item["examples"].splitlines()
            assert 0 < len(lines) <= cap
            assert len({line.casefold() for line in lines}) == len(lines), item["intent"]


def test_organisation_full_names_are_one_entity_with_the_kb_id(kb, files):
    """ "Association internationale des maires francophones" is ONE `aimf`, not words of a sentence."""
    for lang in ("en", "fr"):
        values = {
            (text, value)
            for line in examples(files[f"examples_{lang}.yml"])
            for text, entity, value in ANNOTATION.findall(line)
            if entity == "organisation"
        }
        assert {value for _, value in values} == set(kb.organisations), lang  # each one is learnt
        names = {
            fold(name): org.id
            for org in kb.organisations.values()
            for name in (org.name.en, org.name.fr, *org.aliases)
        }
        long_ones = [(text, value) for text, value in values if len(text.split()) >= 4]
        # a long name is annotated whole, with its own organisation's id
        assert long_ones and all(names.get(fold(text)) == value for text, value in long_ones), lang


def test_french_articles_before_organisation_names(files):
    text = files["examples_fr.yml"]
    assert "l'[" in text and "le [GNLC]" in text
    assert not re.search(r"\b(le|du|au) \[[AEIOUaeiouÉé]", text)


def test_person_examples_name_people_of_the_kb_without_entity(kb, files):
    person_lines = [
        line
        for item in parsed(files["examples_en.yml"])
        if item["intent"] == "ask_person"
        for line in item["examples"].splitlines()
    ]
    assert person_lines and not any("[" in line for line in person_lines)
    names = [fold(name) for person in kb.people.values() for name in (person.name, person.last_name)]
    assert all(any(name in fold(line) for name in names) for line in person_lines)


def test_french_elides_before_a_vowel(files):
    text = files["examples_fr.yml"]
    assert "d'[Évry" in text or "d'[Espoo" in text or "d'[Osan" in text
    assert not re.search(r"\bde \[[ÉEeéOoAaIiUu]", text)


def test_check_is_silent_when_up_to_date_and_reports_stale_missing_and_extra_files(kb, tmp_path):
    out = tmp_path / "generated"
    generate(kb, out, TEMPLATES)
    assert check(kb, out, TEMPLATES) == []
    (out / "lookups.yml").write_text((out / "lookups.yml").read_text() + "    - Atlantis\n")
    (out / "synonyms.yml").unlink()
    (out / "old.yml").write_text("nlu: []\n")
    problems = check(kb, out, TEMPLATES)
    assert f"{out / 'lookups.yml'} is out of date: run `make nlu`" in problems
    assert f"{out / 'synonyms.yml'} is missing: run `make nlu`" in problems
    assert any("old.yml" in p and "remove it" in p for p in problems)
    assert len(problems) == 3


def test_committed_generated_data_is_up_to_date(kb):
    assert check(kb, REPO_ROOT / "data" / "nlu" / "generated", TEMPLATES) == []


def test_a_city_added_to_the_kb_is_in_the_output(kb, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO_ROOT / "knowledge", knowledge)
    (knowledge / "cities" / "ouagadougou.yml").write_text(
        "id: ouagadougou\nname: Ouagadougou\naliases: [Ouaga]\ncountry: france\n", encoding="utf-8"
    )
    bigger = load_knowledge_base(knowledge)
    out = tmp_path / "generated"
    generate(kb, out, TEMPLATES)
    assert any("out of date" in p for p in check(bigger, out, TEMPLATES))
    files = render(bigger, TEMPLATES)
    assert "    - Ouagadougou\n" in files["lookups.yml"] and "    - Ouaga\n" in files["lookups.yml"]
    assert '- synonym: "ouagadougou"\n  examples: |\n    - Ouaga\n' in files["synonyms.yml"]
    for lang in ("en", "fr"):
        assert '"value": "ouagadougou"' in files[f"examples_{lang}.yml"]


def test_entity_annotations_align_with_rasa_tokens(files):
    """A misaligned annotation (entity inside a token) is silently useless to DIET."""
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    for lang in ("en", "fr"):
        data = RasaYAMLReader().reads(files[f"examples_{lang}.yml"])
        tokenizer.process_training_data(data)
        for message in data.training_examples:
            tokens = message.get("text_tokens")
            starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
            for entity in message.get("entities") or []:  # ask_person examples have none
                assert entity["start"] in starts and entity["end"] in ends, (message.get("text"), entity)


@pytest.mark.parametrize(
    "content, message",
    [
        (
            "intents:\n  ask_city_topic:\n    en: ['what about {cty}']\n    fr: ['et {city}']\n",
            "unknown placeholder",
        ),
        (
            "intents:\n  ask_weather:\n    en: ['{city}']\n    fr: ['{city}']\n",
            "not an intent the generator feeds",
        ),
        ("intents:\n  inform:\n    en: ['and then?']\n    fr: ['{city}']\n", "no {city} or {topic}"),
        ("intents:\n  inform:\n    en: ['{city}']\n", "exactly the languages en and fr"),
        ("intents: [1, 2\n", "not valid YAML"),
        (
            "opener_every: 5\nintents:\n  inform:\n    en: ['{city}']\n    fr: ['{city}']\n",
            "openers: expected exactly the languages en and fr",
        ),
        (
            "openers: {en: ['hi {city}'], fr: []}\nintents:\n  inform:\n    en: ['{city}']\n    fr: ['{city}']\n",
            "openers.en[0]: expected a plain text without brackets or braces",
        ),
    ],
)
def test_bad_templates_give_clear_errors(tmp_path, content, message):
    path = tmp_path / "nlu_templates.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TemplateError, match=re.escape(message)):
        load_templates(path)


def test_missing_templates_file_is_a_clear_error(kb, tmp_path):
    with pytest.raises(TemplateError, match="templates file not found"):
        render(kb, tmp_path / "nope.yml")


@pytest.mark.parametrize(
    "name", ["Goyang", "Montevideo", "Villa María", "Seodaemun-gu", "Évry-Courcouronnes"]
)
def test_misspelt_names_are_one_edit_away_and_resolvable(kb, name):
    from rapidfuzz.distance import OSA

    for seed in range(40):
        typo = misspelt(name, seed)
        assert typo is not None and typo != name
        assert typo[0] == name[0]  # never the first letter
        assert OSA.distance(fold(typo), fold(name)) == 1 <= allowed_typos(fold(name))


@pytest.mark.parametrize("name", ["Pécs", "Milan", "Rome", "Seoul", "Lima", "Cork"])
def test_names_too_short_for_the_fuzzy_index_are_never_misspelt(name):
    assert all(misspelt(name, seed) is None for seed in range(40))


def test_some_examples_misspell_their_city_with_the_right_id(kb, files):
    """The model must learn that a city stands there whatever its spelling; the annotation keeps the id,
    and the KB's fuzzy index finds the city from the misspelt words."""
    known = {fold(name) for name in kb.city_names()}
    for lang in ("en", "fr"):
        cities = [
            (text, value)
            for line in examples(files[f"examples_{lang}.yml"])
            for text, entity, value in ANNOTATION.findall(line)
            if entity == "city"
        ]
        typos = [(text, value) for text, value in cities if fold(text) not in known]
        assert len(cities) // (2 * TYPO_EVERY) <= len(typos) <= len(cities) // TYPO_EVERY + 1, lang
        for text, value in typos:
            match = kb.find_city(text)
            assert match is not None and match.city.id == value, (lang, text, value)


def test_a_share_of_examples_starts_with_a_greeting_or_thanks_in_its_language(files):
    """Issue 16: "Hi! what did Osan do…" is a question; the model learns it from these examples."""
    templates = load_templates(TEMPLATES)
    assert templates.opener_every == 10  # every 5th diluted "bonjour" alone below the fallback threshold
    for lang in ("en", "fr"):
        generated = examples(files[f"examples_{lang}.yml"])
        opened = [
            e
            for e in generated
            if any(e.casefold().startswith(o.casefold() + " ") for o in templates.openers[lang])
        ]
        assert 0.07 <= len(opened) / len(generated) <= 0.13, (lang, len(opened), len(generated))
        others = templates.openers["fr" if lang == "en" else "en"]
        assert not any(
            e.casefold().startswith(o.casefold() + " ")
            for e in generated
            for o in others
            if o not in templates.openers[lang]
        )


def test_the_question_after_an_opener_starts_lower_case_unless_a_name_starts_it():
    assert with_opener("What did Osan do?", "Hi!") == "Hi! what did Osan do?"
    assert with_opener("Qu'a fait Osan ?", "Merci,") == "Merci, qu'a fait Osan ?"
    assert with_opener("I'd like to know about Osan", "hello,") == "hello, I'd like to know about Osan"
    assert with_opener("UIL: who leads it?", "hey") == "hey UIL: who leads it?"
    annotated = '[Osan]{"entity": "city", "value": "osan"}?'
    assert with_opener(annotated, "thanks!") == "thanks! " + annotated
