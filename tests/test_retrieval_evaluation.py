"""The scoring of scripts/evaluate_retrieval.py: precision@1, recall@3, list scores, percentiles,
and what it reads from data/rules.yml and bot/domain.yml (no model needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    path = ROOT / "scripts" / "evaluate_retrieval.py"
    spec = importlib.util.spec_from_file_location("evaluate_retrieval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses need their module registered
    spec.loader.exec_module(module)
    return module


evaluation = _script()


def test_precision_at_1_is_the_first_id_said_only() -> None:
    assert evaluation.precision_at_1(["a", "b"], ["a"]) == 1.0
    assert evaluation.precision_at_1(["b", "a"], ["a"]) == 0.0  # right fact, but second
    assert evaluation.precision_at_1([], ["a"]) == 0.0


def test_recall_at_3_counts_at_most_three_facts_among_the_first_three_said() -> None:
    assert evaluation.recall_at_3(["x", "a", "y", "b"], ["a", "b"]) == pytest.approx(0.5)  # b is 4th
    assert evaluation.recall_at_3(["a", "b", "c"], ["a", "b", "c", "d", "e"]) == 1.0  # 3 of 5 is all
    assert evaluation.recall_at_3(["a", "x", "y"], ["a", "b", "c", "d"]) == pytest.approx(1 / 3)
    assert evaluation.recall_at_3(["a", "a", "a"], ["a", "b"]) == pytest.approx(0.5)
    assert evaluation.recall_at_3([], ["a"]) == 0.0


def test_list_scores_are_precision_and_recall_of_the_cities_named() -> None:
    assert evaluation.list_scores(["osan", "goyang", "lima"], ["osan", "goyang"]) == pytest.approx(
        (2 / 3, 1.0)
    )
    assert evaluation.list_scores(["osan"], ["osan", "goyang"]) == pytest.approx((1.0, 0.5))
    assert evaluation.list_scores([], ["osan"]) == (0.0, 0.0)


def test_figures_average_per_question_and_per_pattern() -> None:
    question = evaluation.Question
    outcomes = [
        evaluation.Outcome(question("q1", ("a",), "aspect"), "i", "x", ["a"], [], 1.0),
        evaluation.Outcome(question("q2", ("b",), "aspect"), "i", "x", ["c", "b"], [], 3.0),
        evaluation.Outcome(
            question("q3", ("m",), "reverse", ("osan",)), "i", "x", ["m"], ["osan", "lima"], 2.0
        ),
    ]
    result = evaluation.figures(outcomes)
    assert result.questions == 3
    assert result.precision_at_1 == pytest.approx(2 / 3)
    assert result.recall_at_3 == pytest.approx(1.0)
    assert (result.list_precision, result.list_recall) == pytest.approx((0.5, 1.0))
    assert result.by_pattern["aspect"].precision_at_1 == pytest.approx(0.5)
    assert result.by_pattern["reverse"].reverse_questions == 1
    assert (result.p50_ms, result.p95_ms) == (2.0, 3.0)


def test_questions_are_read_and_malformed_ones_named(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text(
        'questions:\n  - q: "Which cities cancelled exams?"\n    facts: [x]\n    pattern: reverse\n    cities: [c]\n'
    )
    assert evaluation.load_questions(good) == [
        evaluation.Question("Which cities cancelled exams?", ("x",), "reverse", ("c",))
    ]
    bad = tmp_path / "bad.yml"
    bad.write_text('questions:\n  - q: "no facts"\n')
    with pytest.raises(ValueError, match="no facts"):
        evaluation.load_questions(bad)


def test_the_actions_and_slots_come_from_the_bot_files() -> None:
    rules = evaluation.rule_actions(ROOT / "data" / "rules.yml")
    assert rules["nlu_fallback"] == "action_answer_fallback"
    assert rules["ask_city_topic"] == "action_answer_city_topic"
    assert evaluation.entity_slots(ROOT / "bot" / "domain.yml") == {
        "city": "city",
        "topic": "topic",
        "organisation": "organisation",
    }


def _knowledge_ids(node: object) -> set[str]:
    """Every `id:` anywhere in a parsed knowledge file (cities, measures, people, remarks...)."""
    if isinstance(node, dict):
        found = {str(node["id"])} if "id" in node else set()
        return found.union(*(_knowledge_ids(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_knowledge_ids(item) for item in node))
    return set()


def test_every_question_names_ids_the_knowledge_base_has() -> None:
    """A renamed or removed fact would otherwise count as a miss in the figures, silently."""
    import yaml

    known = set().union(
        *(
            _knowledge_ids(yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in (ROOT / "knowledge").rglob("*.yml")
        )
    )
    for folder in evaluation.PARTS.values():
        for path in sorted(folder.glob("*.yml")):
            for question in evaluation.load_questions(path):
                unknown = set(question.facts) - known | set(question.cities) - known
                shown = (
                    "a question" if folder.name == "blind" else repr(question.q)
                )  # blind texts stay unread
                assert not unknown, f"{path.relative_to(ROOT)}: {shown} names {sorted(unknown)}"
