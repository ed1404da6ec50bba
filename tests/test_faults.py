"""Faults while the bot runs, with the real servers: the action server dies and comes back,
staff save a broken and then a fixed knowledge-base file, the Rasa server restarts.

The reload logic of the shared knowledge base (`citybot.kb.shared`, `actions.knowledge.get_kb`)
is first tested alone (no server). Then the tests use the shared stack of tests/servers.py (an
action server reading a throw-away copy of knowledge/, a Rasa server with an SQLite tracker
store): they restart its servers as their scenario needs and leave them running. Restarting Rasa
takes 30-60 s.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from citybot.language.typography import french_typography

REPO_ROOT = Path(__file__).resolve().parents[1]
QUESTION_FR = "Qu'a fait Évry pour les familles vulnérables ?"
FOLLOW_UP_FR = "Et Chefchaouen ?"
SCHOOLS_EN = "What did Mayo-Baleo do about schools?"
TOPIC = "social_support"


def _server_marks(test):
    """The marks of tests that need the trained model and start servers."""
    return pytest.mark.server(pytest.mark.model(test))


server = _server_marks


# --- get_kb() reloads saved files, keeps the last valid knowledge base (no server) -----------


@pytest.fixture
def live_kb(kb_copy, monkeypatch):
    """`actions.knowledge` pointed at a fresh copy of the fixture KB, re-checking at every call."""
    from citybot import paths
    from citybot.kb import shared

    folder = kb_copy()
    monkeypatch.setenv(paths.KNOWLEDGE_ENV, str(folder))
    monkeypatch.setattr(shared, "RECHECK_SECONDS", 0.0)
    monkeypatch.setattr(shared, "_state", None)
    return folder


def rewrite(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in `path` and move its modification time forward."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new), encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        import os

        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def test_a_valid_save_is_picked_up_without_restart(live_kb):
    from actions.knowledge import get_kb

    assert get_kb().cities["chefchaouen"].measures[0].text.en.startswith("Educational shows")
    rewrite(live_kb / "cities" / "chefchaouen.yml", "Educational shows are", "Radio shows are")
    assert get_kb().cities["chefchaouen"].measures[0].text.en.startswith("Radio shows are")


def test_an_invalid_save_keeps_the_previous_kb_and_logs_file_and_field(live_kb, caplog):
    from actions.knowledge import get_kb

    before = get_kb()
    path = live_kb / "cities" / "chefchaouen.yml"
    rewrite(path, "      fr: Des émissions éducatives sont diffusées à la télévision.\n", "")
    with caplog.at_level("ERROR", logger="citybot.kb.shared"):
        assert get_kb() is before
        assert get_kb() is before  # the same broken files are not reloaded (or logged) again
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "chefchaouen.yml" in errors[0] and "measures[0].text" in errors[0], errors[0]
    rewrite(path, "Educational shows are", "Radio shows are")  # still no French: still invalid
    assert get_kb() is before
    rewrite(
        path,
        "      en: Radio shows are broadcast on television.\n",
        "      en: Radio shows are broadcast on television.\n"
        "      fr: Des émissions de radio sont diffusées.\n",
    )
    assert get_kb().cities["chefchaouen"].measures[0].text.fr == "Des émissions de radio sont diffusées."


def test_files_are_not_looked_at_again_within_the_recheck_interval(live_kb, monkeypatch):
    from actions import knowledge
    from citybot.kb import shared

    monkeypatch.setattr(shared, "RECHECK_SECONDS", 3600.0)
    first = knowledge.get_kb()
    rewrite(live_kb / "cities" / "chefchaouen.yml", "Educational shows are", "Radio shows are")
    assert knowledge.get_kb() is first


class Bot:
    """The shared stack (tests/servers.py), as this module's scenarios drive it."""

    def __init__(self, stack: Any) -> None:
        self.stack = stack

    @property
    def actions(self) -> Any:
        return self.stack.actions

    @property
    def knowledge(self) -> Path:
        return self.stack.knowledge

    def restart_actions(self) -> None:
        self.stack.restart_actions()

    def restart_rasa(self) -> None:
        self.stack.restart_rasa()

    def say(self, sender: str, text: str) -> list[str]:
        """One REST turn; the texts the bot answered (the request must succeed)."""
        from servers import http_post_json

        status, body = http_post_json(
            f"{self.stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=120
        )
        assert status == 200, body
        return [m.get("text") or "" for m in json.loads(body)]

    def slots(self, sender: str) -> dict[str, Any]:
        from citybot.channels.conversation_ids import conversation_id

        return self.stack.tracker(conversation_id("rest", sender))["slots"]


@pytest.fixture(scope="module")
def bot(stack) -> Bot:
    """The shared stack: its action server reads a throw-away copy of knowledge/ and its Rasa
    server keeps conversations in an SQLite file. The tests leave both running, and the copy
    as they found it."""
    return Bot(stack)


@pytest.fixture(scope="module")
def responses() -> dict[str, dict[str, str]]:
    """Each domain response's English and French text, by name (French as the reader sees it)."""
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text())
    found: dict[str, dict[str, str]] = {}
    for name, variations in domain["responses"].items():
        for variation in variations:
            lang = "fr" if variation.get("condition") else "en"
            text = variation.get("text")
            found.setdefault(name, {}).setdefault(
                lang, french_typography(text) if lang == "fr" and text else text
            )
    return found


def measure_texts(kb, city: str, topic: str, lang: str) -> list[str]:
    texts = [m.text.get(lang) for m in kb.measures_for(city, topic)]
    assert texts, f"the knowledge base lost {city}'s {topic} measures"
    return [french_typography(t) for t in texts] if lang == "fr" else texts  # as the reader sees them


def mentions_any(replies: list[str], texts: list[str]) -> bool:
    said = "\n".join(replies)
    return any(text in said for text in texts)


def unique(prefix: str) -> str:
    return f"fault-{prefix}-{time.time_ns()}"


# --- the action server dies mid-conversation ------------------------------------------------


@server
def test_user_is_told_when_the_action_server_is_down_and_the_conversation_goes_on(bot, kb, responses):
    sender = unique("actions-down")
    assert mentions_any(bot.say(sender, QUESTION_FR), measure_texts(kb, "evry-courcouronnes", TOPIC, "fr"))
    bot.actions.stop()
    try:
        replies = bot.say(sender, FOLLOW_UP_FR)
        assert replies == [responses["utter_technical_problem"]["fr"]], replies
    finally:
        bot.restart_actions()
    replies = bot.say(sender, FOLLOW_UP_FR)
    assert mentions_any(replies, measure_texts(kb, "chefchaouen", TOPIC, "fr")), replies
    assert bot.slots(sender)["language"] == "fr"


@server
def test_a_new_english_user_is_told_in_english_while_the_action_server_is_down(bot, responses):
    bot.actions.stop()
    try:
        replies = bot.say(unique("actions-down-en"), SCHOOLS_EN)
        assert replies == [responses["utter_technical_problem"]["en"]], replies
    finally:
        bot.restart_actions()


# --- staff save the knowledge base while the bot runs ----------------------------------------


def city_file(bot: Bot, city: str) -> tuple[Path, dict[str, Any]]:
    path = bot.knowledge / "cities" / f"{city}.yml"
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))


def save(path: Path, data: Any) -> None:
    """Write like an editor would, and make sure the modification time moves."""
    before = path.stat().st_mtime_ns
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if path.stat().st_mtime_ns == before:  # coarse file-system clock
        time.sleep(0.01)
        path.touch()


def ask_until(bot: Bot, question: str, wanted, timeout: float = 20.0) -> list[str]:
    """Ask (fresh conversation each time) until `wanted(replies)`; bounded by `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        replies = bot.say(unique("kb"), question)
        if wanted(replies) or time.monotonic() > deadline:
            return replies
        time.sleep(0.5)


def log_text(server) -> str:
    return server.log_path.read_text(errors="replace")


def poke_until_logged(bot: Bot, wanted, timeout: float = 30.0) -> str:
    """Ask questions (the action server looks at the files when an action reads the KB) until
    its log satisfies `wanted`; bounded by `timeout`. Returns the log."""
    deadline = time.monotonic() + timeout
    log = log_text(bot.actions)
    while not wanted(log) and time.monotonic() < deadline:
        bot.say(unique("kb"), SCHOOLS_EN)
        time.sleep(0.5)
        log = log_text(bot.actions)
    return log


@server
def test_an_invalid_save_keeps_the_last_valid_knowledge_base_and_a_valid_one_goes_live(bot, kb):
    path, data = city_file(bot, "mayo-baleo")
    original = path.read_text(encoding="utf-8")
    old_texts = measure_texts(kb, "mayo-baleo", "schooling", "en")
    index = next(i for i, m in enumerate(data["measures"]) if "schooling" in m["topics"])
    assert mentions_any(bot.say(unique("kb"), SCHOOLS_EN), old_texts)
    try:
        broken = copy.deepcopy(data)
        broken["measures"][index]["text"] = {"en": "A broken save that must never be shown."}
        save(path, broken)
        log = poke_until_logged(bot, lambda text: f"measures[{index}].text" in text)
        assert "mayo-baleo.yml" in log and f"measures[{index}].text" in log, bot.actions.log_tail()
        replies = bot.say(unique("kb"), SCHOOLS_EN)
        assert mentions_any(replies, old_texts) and "broken save" not in "\n".join(replies), replies

        mentions = log.count("mayo-baleo.yml")
        path.write_text(original[: len(original) // 2], encoding="utf-8")  # a half-written file
        poke_until_logged(bot, lambda text: text.count("mayo-baleo.yml") > mentions)
        assert log_text(bot.actions).count("mayo-baleo.yml") > mentions, bot.actions.log_tail()
        assert mentions_any(bot.say(unique("kb"), SCHOOLS_EN), old_texts)

        fixed = copy.deepcopy(data)
        new_text = {
            "en": "Radio lessons reached every village (edited while the bot ran).",
            "fr": "Les cours à la radio ont touché chaque village (modifié pendant que le bot tournait).",
        }
        fixed["measures"][index]["text"] = new_text
        save(path, fixed)
        replies = ask_until(bot, SCHOOLS_EN, lambda r: new_text["en"] in "\n".join(r), timeout=30)
        assert new_text["en"] in "\n".join(replies), replies
    finally:
        path.write_text(original, encoding="utf-8")
    ask_until(bot, SCHOOLS_EN, lambda r: mentions_any(r, old_texts), timeout=30)


# --- the Rasa server restarts ------------------------------------------------------------------


@server
def test_conversations_keep_their_language_and_context_across_a_rasa_restart(bot, kb):
    sender_fr, sender_en = unique("restart-fr"), unique("restart-en")
    assert mentions_any(bot.say(sender_fr, QUESTION_FR), measure_texts(kb, "evry-courcouronnes", TOPIC, "fr"))
    assert mentions_any(bot.say(sender_en, SCHOOLS_EN), measure_texts(kb, "mayo-baleo", "schooling", "en"))
    bot.restart_rasa()
    replies = bot.say(sender_fr, FOLLOW_UP_FR)
    assert mentions_any(replies, measure_texts(kb, "chefchaouen", TOPIC, "fr")), replies
    replies = bot.say(sender_en, "And Chefchaouen?")
    assert mentions_any(replies, measure_texts(kb, "chefchaouen", "schooling", "en")), replies
    assert bot.slots(sender_fr)["language"] == "fr"
    assert bot.slots(sender_en)["language"] == "en"
