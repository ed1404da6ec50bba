"""The NLU evaluation sets (held-out and blind) stay usable: every intent covered, annotations
valid, never trained on."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from citybot.kb.normalize import fold

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _script():
    spec = importlib.util.spec_from_file_location("evaluate_nlu", ROOT / "scripts" / "evaluate_nlu.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


evaluate_nlu = _script()
# Every evaluation file: (set, language) -> path.
EVALUATION_FILES = {
    (name, lang): folder / f"{lang}.yml"
    for name, folder in evaluate_nlu.SETS.items()
    for lang in ("en", "fr")
}


def architecture_intents() -> set[str]:
    """Intent names listed under "Intent names" in docs/architecture.md (nlu_fallback excluded)."""
    section = ARCHITECTURE.read_text(encoding="utf-8").split("## Intent names", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([a-z_]+)`", section)) - {"nlu_fallback"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_intent_has_at_least_ten_held_out_examples(lang):
    counts = Counter(intent for intent, _ in evaluate_nlu.nlu_examples(EVALUATION_FILES["held-out", lang]))
    assert set(counts) == architecture_intents()
    assert min(counts.values()) >= 10, counts.most_common()[-3:]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_blind_set_covers_every_intent(lang):
    """Smaller (what it shared with the training data was dropped), but no intent is missing."""
    counts = Counter(intent for intent, _ in evaluate_nlu.nlu_examples(EVALUATION_FILES["blind", lang]))
    assert set(counts) == architecture_intents()
    assert sum(counts.values()) >= 100


@pytest.mark.parametrize("set_and_lang", EVALUATION_FILES)
def test_city_and_topic_annotations_use_kb_ids(set_and_lang, kb):
    """KB cities and topics carry their KB id; other cities are marked without one."""
    text = EVALUATION_FILES[set_and_lang].read_text(encoding="utf-8")
    yaml.safe_load(text)
    for name, entity, value in re.findall(
        r'\[([^\]]+)\]\{"entity": "(city|topic)", "value": "([^"]+)"\}', text
    ):
        if entity == "city":
            match = kb.find_city(name)
            if match is None:  # a misspelling past the name index's tolerance: the set measures those too
                assert set_and_lang[0] == "new-cities" and value in kb.cities, name
                continue
            assert match.city.id == value, name
        else:
            assert value in kb.topics, (name, value)
    # a city the KB does not know ("weather in Paris") is still a city, marked without a KB id
    for name in re.findall(r"\[([^\]]+)\]\(city\)", text):
        assert kb.find_city(name) is None, name


def test_no_evaluation_example_is_in_the_training_data():
    leaks = evaluate_nlu.leaks(list(EVALUATION_FILES.values()), ROOT / "data")
    # A new-city question the generator also writes from its templates and the KB's names ("Who
    # represented Seoul?") is left out of the new-cities score by the script, which counts them;
    # no other overlap is allowed.
    generated = [
        leak for leak in leaks if leak.startswith("tests/nlu/new_cities/") and "data/nlu/generated/" in leak
    ]
    assert [leak for leak in leaks if leak not in generated] == []
    assert len(generated) <= 10, generated


def test_leak_check_catches_a_copied_example(tmp_path):
    data = tmp_path / "data" / "nlu"
    data.mkdir(parents=True)
    (data / "x.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - Hiya!!\n', encoding="utf-8"
    )
    held_out = ROOT / "tests" / "nlu" / "en.yml"
    assert any("'hiya!!'" in leak for leak in evaluate_nlu.leaks([held_out], tmp_path / "data"))


def test_plain_text_strips_entity_markup():
    assert (
        evaluate_nlu.plain_text(
            'what about [Évry]{"entity": "city", "value": "evry-courcouronnes"} and [masks](topic)?'
        )
        == "what about Évry and masks?"
    )


# Words that look like a KB name but are not used in that sense ("book" the verb is not `culture`).
NOT_A_MENTION = {
    "book me a taxi",
    # "job" here is a person's role, not the topic of jobs and support for businesses
    "what's Mme Valero's job",
    "Who presented Mayo-Baléo and what is his job?",
}


@pytest.mark.parametrize("set_and_lang", EVALUATION_FILES)
def test_every_city_topic_and_organisation_mention_is_annotated(set_and_lang, kb):
    """The annotation rule of the evaluation files, applied uniformly (no cherry-picking)."""
    data = yaml.safe_load(EVALUATION_FILES[set_and_lang].read_text(encoding="utf-8"))
    for item in data["nlu"]:
        for line in item["examples"].splitlines():
            unannotated = re.sub(r"\[[^\]]+\]\{[^}]*\}", " ## ", line[2:])
            if evaluate_nlu.plain_text(line[2:]) in NOT_A_MENTION:
                continue
            assert not kb.find_cities_in(unannotated), line
            assert not kb.find_topics_in(unannotated), line
            folded = f" {fold(unannotated)} "
            assert not any(f" {fold(name)} " in folded for name in kb.organisation_names()), line
