"""The `citybot` command: exit codes and what staff see."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

import citybot.nlu
from citybot.cli import main
from citybot.kb import KnowledgeBase

REPO_ROOT = Path(__file__).resolve().parents[1]
VALID = str(REPO_ROOT / "tests" / "fixtures" / "kb" / "valid")


def test_validate_ok_prints_one_summary_line(capsys):
    assert main(["kb", "validate", "--path", VALID]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"OK: {VALID}: 5 cities (6 measures), 6 topics, 5 countries, 2 organisations (1 fact), "
        "6 people, 3 webinars, 1 series"]
    assert err == ""


def test_validate_real_knowledge_base(capsys):
    assert main(["kb", "validate", "--path", str(REPO_ROOT / "knowledge")]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


def test_validate_lists_every_problem_one_per_line(kb_copy, capsys):
    root = kb_copy("unknown_topic", "missing_french")
    assert main(["kb", "validate", "--path", str(root)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == ""
    assert lines[0] == (f"{root}/cities/chefchaouen.yml:9: measures[0].text.fr: "
                        "the French text is missing")
    assert lines[1].startswith(f"{root}/cities/kashan.yml:7: measures[0].topics[0]: "
                               "unknown topic id 'scool'")
    assert lines[2] == f"2 problems found in {root}"


def test_validate_missing_folder(tmp_path, capsys):
    assert main(["kb", "validate", "--path", str(tmp_path / "nope")]) == 1
    assert "knowledge base folder not found" in capsys.readouterr().err


@pytest.mark.parametrize("section, expected", [
    ("cities", "  evry-courcouronnes     Évry-Courcouronnes (France) - member, 3 measures, "
               "webinars: 2020-04-23"),
    ("cities", "  gdynia                 Gdynia (Poland) - status not stated, 0 measures, "
               "webinars: 2020-04-08"),
    ("topics", "  masks                  protective masks / masques de protection - 4 synonyms; "
               "cities: Évry-Courcouronnes"),
    ("webinars", "  2020-04-08  Family learning and community support - Gdynia, "
                 "experts from Germany"),
    ("organisations", "  aimf                   AIMF - International Association of "
                      "French-speaking Mayors; 1 people, 1 fact"),
    ("people", "  pierre-baillet         Mr Pierre Baillet - Permanent Secretary of the AIMF (AIMF)"),
])
def test_list_sections(capsys, section, expected):
    assert main(["kb", "list", "--path", VALID, section]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(section.capitalize() + " (")
    assert expected in out.splitlines()


def test_list_everything_by_default(capsys):
    assert main(["kb", "list", "--path", VALID]) == 0
    headings = [line for line in capsys.readouterr().out.splitlines() if line.endswith("):")]
    assert headings == ["Cities (5):", "Topics (6):", "Webinars (3):", "Organisations (2):",
                        "People (6):"]


def test_list_on_a_broken_kb_fails_with_the_problems(kb_copy, capsys):
    assert main(["kb", "list", "--path", str(kb_copy("empty_measure"))]) == 1
    assert "measure has empty text" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["kb"], ["kb", "list", "villages"], ["kb", "frobnicate"]])
def test_wrong_usage_exits_2(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    assert "usage: citybot" in capsys.readouterr().err


@pytest.fixture
def fake_generator(monkeypatch):
    """Stand-in for citybot.nlu.generate (written by another engineer) recording its calls."""
    calls = []
    module = types.ModuleType("citybot.nlu.generate")

    def generate(kb, out_dir):
        calls.append(("generate", kb, out_dir))
        return [out_dir / "cities.yml"]

    def check(kb, out_dir):
        calls.append(("check", kb, out_dir))
        return module.problems

    module.generate, module.check, module.problems = generate, check, []
    monkeypatch.setitem(sys.modules, "citybot.nlu.generate", module)
    monkeypatch.setattr(citybot.nlu, "generate", module, raising=False)
    return module, calls


def test_nlu_generate_calls_the_generator(fake_generator, tmp_path, capsys):
    _, calls = fake_generator
    assert main(["nlu", "generate", "--kb", VALID, "--out", str(tmp_path)]) == 0
    (name, kb, out_dir), = calls
    assert name == "generate" and isinstance(kb, KnowledgeBase) and out_dir == tmp_path
    assert capsys.readouterr().out == f"wrote {tmp_path / 'cities.yml'}\n"


def test_nlu_check_reports_stale_data(fake_generator, tmp_path, capsys):
    module, calls = fake_generator
    assert main(["nlu", "check", "--kb", VALID, "--out", str(tmp_path)]) == 0
    assert "up to date" in capsys.readouterr().out
    module.problems = ["cities.yml: 'Gdynia' is missing"]
    assert main(["nlu", "check", "--kb", VALID, "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "cities.yml: 'Gdynia' is missing" in err and "citybot nlu generate" in err


def test_nlu_commands_explain_when_the_generator_is_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "citybot.nlu.generate", None)
    monkeypatch.delattr(citybot.nlu, "generate", raising=False)
    assert main(["nlu", "generate", "--kb", VALID]) == 1
    assert "NLU generator (citybot/nlu/generate.py) is not available" in capsys.readouterr().err


def test_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "citybot.cli", "kb", "validate", "--path", VALID],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
