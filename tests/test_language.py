"""Language detection and the conversation-language rule, on the real knowledge base's names."""

from __future__ import annotations

import pytest

from citybot.kb import load_knowledge_base
from citybot.language import normalise_code
from citybot.language.decision import choose_language
from citybot.language.detect import (
    MAX_CHARS,
    LanguageGuess,
    coerce_guess,
    detect,
    explicit_request,
    vocabulary_from_phrases,
)
from citybot.language.kb_words import language_vocabulary, name_stripper


@pytest.fixture(scope="module")
def kb_words():
    kb = load_knowledge_base("knowledge")
    return name_stripper(kb), language_vocabulary(kb)


def guess(text, kb_words):
    names, vocabulary = kb_words
    return detect(text, names, vocabulary)


@pytest.mark.parametrize(
    "text, code",
    [
        ("What did Évry-Courcouronnes do about schools?", "en"),
        ("Qu'a fait Chefchaouen pour les écoles ?", "fr"),
        ("schools evry", "en"),
        ("ecoles evry", "fr"),
        ("ok merci", "fr"),
        ("salut", "fr"),
        ("merci", "fr"),
        ("thanks", "en"),
        ("hello", "en"),
        ("c koi l'AIMF", "fr"),
        ("Chefchaouen's masks", "en"),
        ("chefchauen masques", "fr"),
        ("tell me about mayo baleo", "en"),
        ("And Chefchaouen?", "en"),
        ("Et Chefchaouen ?", "fr"),
        ("et pour les écoles ?", "fr"),
        ("Was the webinar in French?", "en"),
        ("Le webinaire était en français ?", "fr"),
    ],
)
def test_clear_messages_get_their_language(text, code, kb_words):
    result = guess(text, kb_words)
    assert (result.code, result.explicit) == (code, False), result


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "Chefchaouen ?",
        "radio ?",
        "covid",
        "AIMF",
        "Mayo-Baléo",
        "???",
        "2020",
        "https://uil.unesco.org",
        "😷",
        "",
        "   ",
    ],
)
def test_messages_without_language_are_not_judged(text, kb_words):
    assert guess(text, kb_words).code is None


def test_names_are_what_makes_short_messages_unjudgeable(kb_words):
    """Without the KB names, "Gdynia" is a word like any other; with them, nothing is left."""
    assert guess("Gdynia", kb_words).code is None
    assert detect("Gdynia").confidence > 0


@pytest.mark.parametrize(
    "text, code",
    [
        ("in English please", "en"),
        ("english", "en"),
        ("English?", "en"),
        ("can you speak english", "en"),
        ("Could you answer in English?", "en"),
        ("switch to French", "fr"),
        ("do you speak french?", "fr"),
        ("en français svp", "fr"),
        ("parle français", "fr"),
        ("tu parles anglais ?", "en"),
        ("français", "fr"),
        ("Vous parlez anglais ?", "en"),
        ("je préfère le français", "fr"),
        ("Qu'a fait Évry pour les écoles ? in English please", "en"),
        ("version française", "fr"),
        ("peux-tu répondre en anglais ?", "en"),
        ("FR", "fr"),
    ],
)
def test_explicit_switches(text, code, kb_words):
    assert guess(text, kb_words) == LanguageGuess(code, 1.0, True)


@pytest.mark.parametrize(
    "text",
    [
        "Was the webinar in French?",
        "Le webinaire était en français ?",
        "Which French city presented?",
        "quelles villes francophones ?",
        "what language was the webinar in",
        "Did they speak English?",
        "the French-speaking mayors network",
    ],
)
def test_questions_about_languages_are_not_switches(text):
    assert explicit_request(text) is None


def test_long_input_is_cut_and_junk_is_harmless(kb_words):
    assert guess("Les écoles d'Évry. " * 10000, kb_words).code == "fr"
    assert guess("x" * 100_000, kb_words).code is None
    assert detect(None) == detect(42) == LanguageGuess(None, 0.0, False)
    assert MAX_CHARS <= 1000


def test_detection_is_deterministic(kb_words):
    texts = ["radio ?", "ok merci", "Quelles villes ont distribué des masques ?", "food bank evry"]
    assert [guess(t, kb_words) for t in texts] == [guess(t, kb_words) for t in texts]


def test_vocabulary_keeps_words_of_one_language_only():
    vocabulary = vocabulary_from_phrases(
        {"en": ["school", "radio", "education"], "fr": ["école", "radio", "éducation"]}
    )
    # "éducation" is also French typed with accents stripped, which reads as English "education"
    assert vocabulary == {"school": "en", "école": "fr"}


# ----- the conversation's language ---------------------------------------------------------

CLEAR_FR = {"code": "fr", "confidence": 0.99, "explicit": False}
CLEAR_EN = {"code": "en", "confidence": 0.99, "explicit": False}
WEAK_FR = {"code": "fr", "confidence": 0.65, "explicit": False}
NONE = {"code": None, "confidence": 0.0, "explicit": False}


@pytest.mark.parametrize(
    "current, guess_, hint, expected",
    [
        ("en", {"code": "fr", "confidence": 1.0, "explicit": True}, "en", "fr"),  # explicit wins
        ("fr", {"code": "en", "confidence": 1.0, "explicit": True}, None, "en"),
        ("en", CLEAR_FR, None, "fr"),  # clear message switches
        ("en", WEAK_FR, None, "en"),  # weak one keeps
        ("fr", NONE, "en", "fr"),  # current beats hint
        (None, NONE, "fr-FR", "fr"),  # hint when nothing yet
        (None, WEAK_FR, "en-GB", "en"),
        (None, CLEAR_EN, "fr", "en"),  # clear message beats hint
        (None, WEAK_FR, None, "fr"),  # then the guess
        (None, NONE, None, "en"),  # then English
        (None, None, None, "en"),
    ],
)
def test_choose_language(current, guess_, hint, expected):
    assert choose_language(current, guess_, hint) == expected


@pytest.mark.parametrize(
    "junk",
    [
        None,
        42,
        "yes",
        [],
        {"code": 7},
        {"confidence": "high"},
        {"code": "de", "confidence": 1.0, "explicit": True},
    ],
)
def test_choose_language_tolerates_junk(junk):
    assert choose_language("fr", junk, None) == "fr"
    assert choose_language(junk if isinstance(junk, str) else None, junk, junk) == "en"


def test_a_guess_with_a_broken_confidence_does_not_switch():
    broken = {"code": "fr", "confidence": float("nan"), "explicit": "yes"}
    assert choose_language("en", broken, None) == "en"


def test_guess_objects_and_dicts_agree():
    assert coerce_guess(LanguageGuess("fr", 0.9, False).as_dict()) == LanguageGuess("fr", 0.9, False)
    assert normalise_code("fr_CA") == normalise_code("Français") == "fr"
    assert normalise_code("de-DE") is None


# ----- the benchmark's figures hold (scripts/evaluate_language.py, docs/benchmarks.md) --------


def _evaluation_script():
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "evaluate_language.py"
    spec = importlib.util.spec_from_file_location("evaluate_language", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses need their module registered
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("case_file", ["language_cases.yml", "language_holdout.yml"])
def test_reply_language_is_right_on_realistic_conversations(case_file):
    script = _evaluation_script()
    cases = script.load_cases(script.ROOT / "tests" / "nlu" / case_file)
    ours = script._cached(script.kb_detector())
    *_, (_, total, _, right) = script.message_table(cases, ours)
    assert right / total >= 0.97
    assert all(ours(t).code is None for t in cases.neutral)
    score = script.simulate(cases, ours, conversations=1000, seed=7)
    assert score["right"] / score["turns"] >= script.TARGET
