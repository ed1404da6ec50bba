"""The `citybot` command: exit codes and what staff see."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

import citybot.nlu_data
from citybot.cli import main
from citybot.kb import KnowledgeBase

REPO_ROOT = Path(__file__).resolve().parents[1]
VALID = str(REPO_ROOT / "tests" / "fixtures" / "kb" / "valid")


def test_validate_ok_prints_one_summary_line(capsys):
    assert main(["kb", "validate", "--path", VALID]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"OK: {VALID}: 5 cities (6 measures), 6 topics, 5 countries, 2 organisations (1 fact), "
        "6 people, 3 webinars, 1 series, 1 source (1 official)",
        "  uil-webinar-2020-04-23-en (uil, 2020-05-12, en, official): cited by 18 facts",
    ]
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
    assert lines[0] == (f"{root}/cities/chefchaouen.yml:11: measures[0].text.fr: the French text is missing")
    assert lines[1].startswith(f"{root}/cities/kashan.yml:8: measures[0].topics[0]: unknown topic id 'scool'")
    assert lines[2] == f"2 problems found in {root}"
    assert lines[3] == (
        f'fix each line above (docs/knowledge-base.md, "Common error messages", '
        f"says what they mean), then run `citybot kb validate --path {root}` again"
    )


def test_validate_missing_folder(tmp_path, capsys):
    assert main(["kb", "validate", "--path", str(tmp_path / "nope")]) == 1
    assert "knowledge base folder not found" in capsys.readouterr().err


@pytest.mark.parametrize(
    "section, expected",
    [
        (
            "cities",
            "  evry-courcouronnes     Évry-Courcouronnes (France) - member, 3 measures, webinars: 2020-04-23",
        ),
        (
            "cities",
            "  gdynia                 Gdynia (Poland) - status not stated, 0 measures, webinars: 2020-04-08",
        ),
        (
            "topics",
            "  masks                  protective masks / masques de protection - 4 synonyms; "
            "cities: Évry-Courcouronnes",
        ),
        ("webinars", "  2020-04-08  Family learning and community support - Gdynia, experts from Germany"),
        (
            "organisations",
            "  aimf                   AIMF - International Association of "
            "French-speaking Mayors; 1 people, 1 fact",
        ),
        ("people", "  pierre-baillet         Mr Pierre Baillet - Permanent Secretary of the AIMF (AIMF)"),
        (
            "sources",
            "  uil-webinar-2020-04-23-en      uil, 2020-05-12, en, official, cited by 18 facts - UNESCO "
            "learning cities’ responses to COVID-19: Outcomes of webinar on 23 April <https://uil.unesco.org/"
            "lifelong-learning/learning-cities/unesco-learning-cities-responses-covid-19-outcomes-webinar-23>",
        ),
    ],
)
def test_list_sections(capsys, section, expected):
    assert main(["kb", "list", "--path", VALID, section]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(section.capitalize() + " (")
    assert expected in out.splitlines()


def test_list_everything_by_default(capsys):
    assert main(["kb", "list", "--path", VALID]) == 0
    headings = [line for line in capsys.readouterr().out.splitlines() if line.endswith("):")]
    assert headings == [
        "Cities (5):",
        "Topics (6):",
        "Webinars (3):",
        "Organisations (2):",
        "People (6):",
        "Sources (1):",
    ]


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
    """Stand-in for citybot.nlu_data.generate recording its calls."""
    calls = []
    module = types.ModuleType("citybot.nlu_data.generate")

    def generate(kb, out_dir):
        calls.append(("generate", kb, out_dir))
        return [out_dir / "cities.yml"]

    def check(kb, out_dir):
        calls.append(("check", kb, out_dir))
        return module.problems

    module.generate, module.check, module.problems = generate, check, []
    monkeypatch.setitem(sys.modules, "citybot.nlu_data.generate", module)
    monkeypatch.setattr(citybot.nlu_data, "generate", module, raising=False)
    return module, calls


def test_nlu_generate_calls_the_generator(fake_generator, tmp_path, capsys):
    module, calls = fake_generator
    module.problems = ["cities.yml is out of date"]
    assert main(["nlu", "generate", "--kb", VALID, "--out", str(tmp_path)]) == 0
    assert [call[0] for call in calls] == ["check", "generate"]
    name, kb, out_dir = calls[1]
    assert name == "generate" and isinstance(kb, KnowledgeBase) and out_dir == tmp_path
    assert capsys.readouterr().out == f"wrote {tmp_path / 'cities.yml'}\n"


def test_nlu_generate_leaves_up_to_date_files_alone(fake_generator, tmp_path, capsys):
    """Rewriting identical files would change their dates, and `make train` would retrain."""
    _, calls = fake_generator
    assert main(["nlu", "generate", "--kb", VALID, "--out", str(tmp_path)]) == 0
    assert [call[0] for call in calls] == ["check"]
    assert "already up to date" in capsys.readouterr().out


def test_nlu_check_reports_stale_data(fake_generator, tmp_path, capsys):
    module, calls = fake_generator
    assert main(["nlu", "check", "--kb", VALID, "--out", str(tmp_path)]) == 0
    assert "up to date" in capsys.readouterr().out
    module.problems = ["cities.yml: 'Gdynia' is missing"]
    assert main(["nlu", "check", "--kb", VALID, "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "cities.yml: 'Gdynia' is missing" in err and "citybot nlu generate" in err
    assert "run `make train`" in err


def test_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "citybot.cli", "kb", "validate", "--path", VALID],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")


# ----- `citybot nlu check` with the real generator (citybot/nlu_data/generate.py) -----------------


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """NLU data freshly generated from the fixture knowledge base into a temporary folder."""
    monkeypatch.chdir(REPO_ROOT)  # the generator reads bot/nlu_templates.yml from the project root
    out = tmp_path / "generated"
    assert main(["nlu", "generate", "--kb", VALID, "--out", str(out)]) == 0
    return out


def test_nlu_check_passes_on_fresh_data_and_names_a_stale_file(generated, capsys):
    assert main(["nlu", "check", "--kb", VALID, "--out", str(generated)]) == 0
    assert capsys.readouterr().out == f"OK: {generated} is up to date with the knowledge base\n"

    stale = generated / "lookups.yml"
    stale.write_text(stale.read_text(encoding="utf-8").replace("Gdynia", "Gdinya"), encoding="utf-8")
    assert main(["nlu", "check", "--kb", VALID, "--out", str(generated)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{stale} is out of date: run `make nlu`"
    assert err[-1].startswith(
        f"the generated NLU data in {generated} does not match the knowledge base: run `make train`"
    )


def test_nlu_check_fails_after_a_city_is_added_until_regenerated(generated, kb_copy, capsys):
    city = (REPO_ROOT / "tests/fixtures/kb/valid/cities/gdynia.yml").read_text(encoding="utf-8")
    knowledge = kb_copy(
        files={
            "cities/gdynya-nova.yml": city.replace("gdynia", "gdynya-nova").replace("Gdynia", "Gdynya Nova")
        }
    )
    assert main(["kb", "validate", "--path", str(knowledge)]) == 0
    capsys.readouterr()
    assert main(["nlu", "check", "--kb", str(knowledge), "--out", str(generated)]) == 1
    assert f"{generated / 'lookups.yml'} is out of date" in capsys.readouterr().err
    assert main(["nlu", "generate", "--kb", str(knowledge), "--out", str(generated)]) == 0
    assert main(["nlu", "check", "--kb", str(knowledge), "--out", str(generated)]) == 0


def test_nlu_generate_twice_keeps_the_files_dates(generated, capsys):
    before = {p.name: p.stat().st_mtime_ns for p in generated.iterdir()}
    assert main(["nlu", "generate", "--kb", VALID, "--out", str(generated)]) == 0
    assert "nothing written" in capsys.readouterr().out
    assert {p.name: p.stat().st_mtime_ns for p in generated.iterdir()} == before
