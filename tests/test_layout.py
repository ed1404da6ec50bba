"""The shape of the code around the conversation's language and the knowledge base, kept by tests:
the language package loads without Rasa, a process reads the knowledge base once, and reloading
it leaves nothing behind."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from citybot import paths
from citybot.kb import shared

REPO_ROOT = Path(__file__).resolve().parents[1]
LANGUAGE_MODULES = [
    "citybot.language",
    *(f"citybot.language.{p.stem}" for p in sorted((REPO_ROOT / "citybot" / "language").glob("[!_]*.py"))),
]


def test_the_language_package_and_the_action_server_modules_load_without_rasa():
    """The action server imports `citybot.language`: importing Rasa there would load TensorFlow."""
    modules = [*LANGUAGE_MODULES, "actions.notices", "actions.resolve", "actions.knowledge"]
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'tensorflow'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert len(LANGUAGE_MODULES) >= 9  # every module of the package was imported


def test_nothing_in_actions_reaches_into_the_rasa_policies():
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in sorted((REPO_ROOT / "actions").glob("*.py"))
        if "citybot.policies" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


# ----- one knowledge base per process ------------------------------------------------------------


@pytest.fixture
def counted_loads(monkeypatch):
    """Every `load_knowledge_base` call the shared loader makes, from a fresh start."""
    calls: list[Path] = []
    real = shared.load_knowledge_base

    def counting(folder):
        calls.append(Path(folder))
        return real(folder)

    monkeypatch.setattr(shared, "load_knowledge_base", counting)
    monkeypatch.setattr(shared, "_state", None)
    monkeypatch.delenv(paths.KNOWLEDGE_ENV, raising=False)
    return calls


def test_the_rasa_server_components_and_the_actions_share_one_load(counted_loads, tmp_path):
    from unittest.mock import Mock

    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from actions.knowledge import get_kb
    from citybot.nlu.components import LanguageDetector
    from citybot.policies import ConversationLanguagePolicy

    LanguageDetector.create(LanguageDetector.get_default_config(), Mock(), Mock(), Mock())
    ConversationLanguagePolicy.create(
        ConversationLanguagePolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("language"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    get_kb()
    assert counted_loads == [paths.DEFAULT_KNOWLEDGE_DIR]


def test_a_configured_folder_is_read_from_the_project_root_and_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.delenv(paths.KNOWLEDGE_ENV, raising=False)
    assert paths.knowledge_dir("knowledge") == paths.knowledge_dir() == REPO_ROOT / "knowledge"
    assert paths.knowledge_dir(str(tmp_path)) == tmp_path
    monkeypatch.setenv(paths.KNOWLEDGE_ENV, str(tmp_path))
    assert paths.knowledge_dir("knowledge") == paths.knowledge_dir() == tmp_path


# ----- reloading the knowledge base leaves no trace --------------------------------------------


def _module_containers() -> dict[tuple[str, str], int]:
    """Size of every dict, list or set held at module level by our modules."""
    sizes = {}
    for name, module in list(sys.modules.items()):
        if not isinstance(module, types.ModuleType) or name.split(".")[0] not in ("citybot", "actions"):
            continue
        for attribute, value in vars(module).items():
            if isinstance(value, (dict, list, set)):
                sizes[(name, attribute)] = len(value)
    return sizes


def _use(kb) -> None:
    """What the action server and the Rasa server do with a knowledge base on every turn."""
    from actions.resolve import topic_named
    from citybot.language.decision import is_third_language, message_language
    from citybot.language.detect import detect
    from citybot.language.kb_words import language_vocabulary, name_stripper

    is_third_language("Was hat Chefchaouen für die Schulen gemacht?", kb.name_words)
    topic_named(kb, "les familles")
    guess = detect("Qu'a fait Chefchaouen pour les écoles ?", name_stripper(kb), language_vocabulary(kb))
    message_language("en", {"text": "Et Chefchaouen ?", "language_guess": guess.as_dict()}, kb.name_words)


def test_reloading_the_knowledge_base_grows_no_module_cache(kb_copy, monkeypatch):
    folder = kb_copy()
    monkeypatch.setenv(paths.KNOWLEDGE_ENV, str(folder))
    monkeypatch.setattr(shared, "RECHECK_SECONDS", 0.0)
    monkeypatch.setattr(shared, "_state", None)
    from actions.knowledge import get_kb

    _use(get_kb())  # first use: lazy module-level set-ups happen here, once
    before = _module_containers()
    kbs = []
    for number in range(5):
        city = folder / "cities" / "chefchaouen.yml"
        city.write_text(city.read_text(encoding="utf-8") + f"# save {number}\n", encoding="utf-8")
        kbs.append(get_kb())
        _use(kbs[-1])
    assert len({id(kb) for kb in kbs}) == 5, "each save should have been reloaded"
    grown = {key: (size, _module_containers().get(key)) for key, size in before.items()}
    assert {key: sizes for key, sizes in grown.items() if sizes[1] != sizes[0]} == {}


# ----- the project root ----------------------------------------------------------------------------


def _root_seen_from(folder: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-c", "from citybot import paths; print(paths.PROJECT_ROOT)"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def test_the_project_root_is_the_project_you_are_in_else_this_checkout(tmp_path):
    """A copy of the project that uses this installation (tests/test_new_city.py) reads its own files."""
    copy = tmp_path / "copy"
    (copy / "bot").mkdir(parents=True)
    (copy / "bot" / "config.yml").write_text("recipe: default.v1\n")
    (copy / "knowledge" / "cities").mkdir(parents=True)
    assert _root_seen_from(copy) == copy.resolve()
    assert _root_seen_from(copy / "knowledge" / "cities") == copy.resolve()
    assert _root_seen_from(tmp_path) == REPO_ROOT
