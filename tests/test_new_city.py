"""Staff add a city file, run ONE command (`make train`), and the bot answers about the city.

The test does exactly what docs/knowledge-base.md tells staff: on a copy of the project (every
file git lists, tracked or new, plus the generated NLU data), it adds a fictional city with an
accented name and two measures, lists it in its webinar, runs `make train` there, starts the
servers on the copy's model and knowledge base, and asks about the city in English and French,
with the name misspelt and without accents. The answers must carry the new measures.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from citybot.kb import load_knowledge_base

pytestmark = [pytest.mark.model, pytest.mark.trains]  # the module trains its own model (2 min)

REPO_ROOT = Path(__file__).resolve().parents[1]
MAKE_TIMEOUT_S = 1200  # training takes 1-2 min alone; more when the machine is shared

NEW_CITY = """\
# A fictional city, made up for this test only.
id: saint-etienne-des-tests
name: Saint-Étienne-des-Tests
country: france
network_status: member
sources: [saint-etienne-des-tests-news-2020-05-04]
representatives:
  - id: camille-essai
    name: Camille Essai
    title: {en: Ms, fr: Mme}
    role: {en: Mayor of Saint-Étienne-des-Tests, fr: maire de Saint-Étienne-des-Tests}
measures:
  - id: saint-etienne-des-tests-soup-kitchen
    topics: [food]
    text:
      en: "A soup kitchen in the old test factory served 4242 hot meals."
      fr: "Une soupe populaire dans l'ancienne usine d'essais a servi 4242 repas chauds."
    sources: [saint-etienne-des-tests-news-2020-05-04]
    reported_by: camille-essai
    webinar: 2020-04-23
    part: presentation
  - id: saint-etienne-des-tests-radio-lessons
    topics: [schooling, distance_learning]
    text:
      en: "Teachers read lessons on the municipal test radio every morning."
      fr: "Des enseignants lisent les leçons chaque matin sur la radio municipale d'essai."
    sources: [saint-etienne-des-tests-news-2020-05-04]
    reported_by: camille-essai
    webinar: 2020-04-23
    part: presentation
"""
#: The page the facts above come from: staff add one file per source (docs/knowledge-base.md).
NEW_SOURCE = """\
# A fictional page, made up for this test only.
id: saint-etienne-des-tests-news-2020-05-04
url: "https://www.example.org/saint-etienne-des-tests/news/covid-19"
title: "Saint-Étienne-des-Tests : la ville solidaire"
publisher: Ville de Saint-Étienne-des-Tests
published: 2020-05-04
language: fr
official: yes
"""
FOOD = {"en": "4242 hot meals", "fr": "4242 repas chauds"}
# as the reader sees them: the French reply shows the file's "d'essai" with a typographic apostrophe
SCHOOL = {"en": "municipal test radio", "fr": "radio municipale d’essai"}

#: (language hint, question, words the answer must contain)
QUESTIONS: list[tuple[str, str, str]] = [
    ("en", "What did Saint-Etienne-des-Tests do about food?", FOOD["en"]),  # no accents
    ("en", "What did Saint-Etiene-des-Tests do for schools?", SCHOOL["en"]),  # misspelt
    ("fr", "Qu'a fait Saint Etienne des Tests pour l'alimentation ?", FOOD["fr"]),  # no accents, spaces
    ("fr", "Qu'a fait Saint-Ettienne-des-Tests pour les écoles ?", SCHOOL["fr"]),  # misspelt
]


def project_files() -> list[str]:
    """What `git` sees as the project: tracked files and new files it does not ignore."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO_ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    generated = [str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "data/nlu/generated").glob("*")]
    return sorted({name for name in listed + generated if name and (REPO_ROOT / name).is_file()})


def copy_project(target: Path) -> Path:
    """Copy the project to `target`, keeping modification times (make compares them), and
    give it a `.venv` whose `bin` is the real virtualenv's, already set up for make."""
    for name in project_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, destination)
    venv = target / ".venv"
    venv.mkdir()
    (venv / "bin").symlink_to(REPO_ROOT / ".venv" / "bin", target_is_directory=True)
    (venv / ".installed").touch()  # newer than pyproject.toml: `make setup` has nothing to do
    return target


def add_city(project: Path) -> None:
    """What the guide says: the source's file, the city file, and the city in its webinar's
    presenting_cities."""
    (project / "knowledge/sources/saint-etienne-des-tests-news-2020-05-04.yml").write_text(
        NEW_SOURCE, encoding="utf-8"
    )
    (project / "knowledge/cities/saint-etienne-des-tests.yml").write_text(NEW_CITY, encoding="utf-8")
    webinar = project / "knowledge/webinars/2020-04-23.yml"
    text, count = re.subn(
        r"^presenting_cities: \[",
        "presenting_cities: [saint-etienne-des-tests, ",
        webinar.read_text(encoding="utf-8"),
        count=1,
        flags=re.MULTILINE,
    )
    assert count == 1, "knowledge/webinars/2020-04-23.yml has no one-line presenting_cities list"
    webinar.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def trained_copy(tmp_path_factory) -> Iterator[Path]:
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed (apt-get install make)")
    project = copy_project(tmp_path_factory.mktemp("project"))
    add_city(project)
    result = subprocess.run(
        ["make", "train"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=MAKE_TIMEOUT_S,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, f"make train failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    cities = len(load_knowledge_base(REPO_ROOT / "knowledge").cities) + 1
    assert f"OK: knowledge: {cities} cities" in result.stdout, result.stdout[-3000:]
    assert (project / "models/citybot.tar.gz").is_file(), result.stdout[-3000:]
    yield project


def test_make_train_learns_the_new_names(trained_copy):
    """The generated NLU data of the copy now holds the new city's name and spellings."""
    lookups = (trained_copy / "data/nlu/generated/lookups.yml").read_text(encoding="utf-8")
    assert "- Saint-Étienne-des-Tests\n" in lookups
    assert "- Saint-Etienne-des-Tests\n" in lookups  # the accent-free spelling, derived
    synonyms = (trained_copy / "data/nlu/generated/synonyms.yml").read_text(encoding="utf-8")
    assert '- synonym: "saint-etienne-des-tests"' in synonyms
    check = subprocess.run(
        [str(REPO_ROOT / ".venv/bin/citybot"), "nlu", "check"],
        cwd=trained_copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.server
def test_bot_answers_about_the_new_city_in_both_languages(trained_copy, tmp_path, monkeypatch):
    from servers import action_endpoint, http_post_json, nlg_endpoint, start_action_server, start_rasa_server

    # The action server answers from the copy's knowledge base (actions/knowledge.py reads it).
    monkeypatch.setenv("CITYBOT_KNOWLEDGE", str(trained_copy / "knowledge"))
    actions = start_action_server(tmp_path)
    try:
        endpoints = tmp_path / "endpoints.yml"
        endpoints.write_text(
            json.dumps({"action_endpoint": action_endpoint(f"{actions.url}/webhook"), "nlg": nlg_endpoint()})
        )  # YAML, configured like bot/endpoints.yml (French typography included)
        credentials = tmp_path / "credentials.yml"
        credentials.write_text("rest: {}\n")
        rasa = start_rasa_server(
            trained_copy / "models/citybot.tar.gz",
            credentials,
            endpoints,
            tmp_path,
            cors=[],
            env={},
            auth_token=secrets.token_hex(8),
        )
        try:
            failures = []
            for number, (hint, question, expected) in enumerate(QUESTIONS):
                status, body = http_post_json(
                    f"{rasa.url}/webhooks/rest/webhook",
                    {"sender": f"new-city-{number}", "message": question, "metadata": {"language": hint}},
                )
                answer = " ".join(m.get("text") or "" for m in json.loads(body)) if status == 200 else body
                if expected not in str(answer):
                    failures.append(f"{question!r} -> {answer!r} (expected {expected!r})")
            assert not failures, "\n".join(failures)
        finally:
            rasa.stop()
    finally:
        actions.stop()


def test_a_fact_change_needs_no_retraining(trained_copy):
    """Facts live only in knowledge/: `make train` after changing one has nothing to train."""
    model = trained_copy / "models/citybot.tar.gz"
    before = model.stat().st_mtime_ns
    city_file = trained_copy / "knowledge/cities/saint-etienne-des-tests.yml"
    city_file.write_text(
        city_file.read_text(encoding="utf-8").replace("4242 hot", "4243 hot"), encoding="utf-8"
    )
    result = subprocess.run(
        ["make", "train"],
        cwd=trained_copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "already up to date" in result.stdout
    assert "rasa train" not in result.stdout
    assert model.stat().st_mtime_ns == before
