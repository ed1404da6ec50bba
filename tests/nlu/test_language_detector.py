"""The Rasa NLU component: it adds `language_guess` to parsed messages and never crashes."""

from __future__ import annotations

from unittest.mock import Mock

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from citybot.nlu.components import LANGUAGE_GUESS, LanguageDetector


def make_detector(knowledge_base: str = "knowledge") -> LanguageDetector:
    return LanguageDetector.create(
        {**LanguageDetector.get_default_config(), "knowledge_base": knowledge_base}, Mock(), Mock(), Mock()
    )


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return make_detector()


def parse(detector: LanguageDetector, *texts) -> list[dict]:
    messages = [Message(data={"text": t} if t is not None else {}) for t in texts]
    return [m.get(LANGUAGE_GUESS) for m in detector.process(messages)]


def test_adds_the_guess_as_an_output_property(detector):
    [message] = detector.process([Message(data={"text": "Qu'a fait Mayo-Baléo pour les écoles ?"})])
    output = message.as_dict(only_output_properties=True)
    assert output[LANGUAGE_GUESS]["code"] == "fr"
    assert set(output[LANGUAGE_GUESS]) == {"code", "confidence", "explicit"}


def test_uses_the_knowledge_base_names(detector):
    """ "Gdynia" alone is a city, not a word: no language. Without the KB it would get one."""
    assert (
        parse(detector, "Gdynia ?", "Chefchaouen", "AIMF")
        == [{"code": None, "confidence": 0.0, "explicit": False}] * 3
    )
    assert parse(make_detector("/nonexistent/knowledge"), "Gdynia ?")[0]["confidence"] > 0


def test_explicit_switch_and_clear_messages(detector):
    guesses = parse(detector, "in English please", "schools evry", "ok merci")
    assert guesses[0] == {"code": "en", "confidence": 1.0, "explicit": True}
    assert [g["code"] for g in guesses[1:]] == ["en", "fr"]


def test_empty_missing_and_huge_texts_do_not_crash(detector):
    guesses = parse(detector, "", None, "   ", "Les écoles. " * 10_000, "x" * 100_000)
    assert [g["code"] for g in guesses] == [None, None, None, "fr", None]


def test_missing_knowledge_base_is_a_warning_not_a_crash(caplog):
    detector = make_detector("/nonexistent/knowledge")
    assert "not loaded" in caplog.text
    assert parse(detector, "Qu'a fait Évry pour les écoles ?")[0]["code"] == "fr"


def test_runs_only_at_prediction_time():
    """Registered so that Rasa 3.6 puts it in the prediction graph and not in the training graph."""
    config = {
        "recipe": "default.v1",
        "language": "en",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "citybot.nlu.components.LanguageDetector"},
            {"name": "DIETClassifier", "epochs": 1},
        ],
        "policies": [],
    }
    graphs = DefaultV1Recipe().graph_config_for_recipe(config, {})
    uses = lambda schema: {node.uses for node in schema.nodes.values()}  # noqa: E731
    assert LanguageDetector in uses(graphs.predict_schema)
    assert LanguageDetector not in uses(graphs.train_schema)
