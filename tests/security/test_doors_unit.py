"""The doors' rules without servers (fast): bind-address variables, the action-server token and
its header in Rasa's endpoints, each child's environment, the private run-time folder, and the
actions' input caps (H1 fix 3, M1, L6, L7)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from action_harness import run, tracker_for

from actions.notices import ANSWER_ACTIONS, AnswerWithNotice
from actions.resolve import MAX_ENTITY_CHARS, MAX_MESSAGE_CHARS, message_text, slot_text
from citybot import launcher
from citybot.action_server import MAX_BODY_BYTES, install
from citybot.doors import Door, DoorError, bind_host, checked_action_token
from citybot.isolation import child_environments, private_run_time_folder

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "a-token-for-the-unit-tests-0123456789"


def test_every_door_is_loopback_unless_its_variable_names_an_address():
    assert bind_host({}, "RASA_HOST") == "127.0.0.1"
    assert bind_host({"RASA_HOST": " 0.0.0.0 "}, "RASA_HOST") == "0.0.0.0"
    assert bind_host({"RASA_HOST": "::1"}, "RASA_HOST") == "::1"
    for junk in ("localhost", "example.org", "0.0.0.0:5005", "127.0.0.1 10.0.0.1"):
        with pytest.raises(DoorError, match="RASA_HOST"):
            bind_host({"RASA_HOST": junk}, "RASA_HOST")


def test_the_summary_says_which_doors_are_open():
    opened = {
        launcher.WEBCHAT_PAGE: Door(launcher.WEBCHAT_PAGE, "WEBCHAT_HOST", "0.0.0.0", 8080),
        launcher.RASA_SERVER: Door(launcher.RASA_SERVER, "RASA_HOST", "127.0.0.1", 5005),
        launcher.ACTION_SERVER: Door(launcher.ACTION_SERVER, "ACTIONS_HOST", "::1", 5055),
    }
    text = launcher.ready_message(opened, 12)
    assert "port 8080: OPEN to the network on every interface (WEBCHAT_HOST)" in text
    assert "port 5005: this machine only (RASA_HOST=127.0.0.1)" in text
    assert "port 5055: this machine only (ACTIONS_HOST=::1)" in text
    assert "cannot chat until RASA_HOST opens Rasa too" in text
    assert text.rstrip().endswith("Press Ctrl-C to stop.")
    assert opened[launcher.ACTION_SERVER].url("/health") == "http://[::1]:5055/health"
    assert opened[launcher.WEBCHAT_PAGE].url() == "http://127.0.0.1:8080/"


@pytest.mark.parametrize(
    "token", ["", "short", "with a space in it, long", "é" * 20, "tab\there-and-long-enough"]
)
def test_unusable_tokens_are_refused_with_the_variable_named(token):
    with pytest.raises(DoorError, match="ACTION_SERVER_TOKEN"):
        checked_action_token(token)


def test_rasa_3_6_sends_the_token_header_from_the_environment(monkeypatch):
    """bot/endpoints.yml's ${ACTION_SERVER_TOKEN} is expanded in `headers` (unquoted), and a
    Rasa server without the variable refuses to start rather than call without it."""
    from rasa.utils.endpoints import read_endpoint_config

    path = str(REPO_ROOT / "bot" / "endpoints.yml")
    monkeypatch.setenv("ACTIONS_PORT", "5055")
    monkeypatch.setenv("TRACKER_STORE_URL", "sqlite:///var/conversations.db")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", TOKEN)
    endpoint = read_endpoint_config(path, "action_endpoint")
    assert endpoint.headers == {"X-Citybot-Action-Token": TOKEN}
    monkeypatch.delenv("ACTION_SERVER_TOKEN")
    with pytest.raises(Exception, match="ACTION_SERVER_TOKEN"):
        read_endpoint_config(path, "action_endpoint")


def test_each_child_gets_only_the_secrets_it_needs():
    base = {
        "PATH": "/usr/bin",
        "CITYBOT_KNOWLEDGE": "/kb",
        "TRACKER_STORE_URL": "postgresql://u:pw@db/citybot",
        "LOCK_STORE_HOST": "redis",
        "SLACK_TOKEN": "xoxb",
        "SLACK_SIGNING_SECRET": "s",
        "TELEGRAM_ACCESS_TOKEN": "t",
        "CALLBACK_URL": "http://cb",
        "GITHUB_TOKEN": "ghp",
        "DATABASE_PASSWORD": "pw",
        "ACTION_SERVER_TOKEN": "from-the-caller",
    }
    envs = child_environments(base, TOKEN, "127.0.0.1")
    rasa, actions, page = envs.rasa, envs.actions, envs.page
    assert rasa["SLACK_TOKEN"] == "xoxb" and rasa["TRACKER_STORE_URL"].startswith("postgresql")
    assert rasa["ACTION_SERVER_TOKEN"] == actions["ACTION_SERVER_TOKEN"] == TOKEN
    assert rasa["SANIC_REQUEST_MAX_SIZE"] == str(256 * 1024)
    for env in (actions, page):
        assert env["PATH"] == "/usr/bin" and env["CITYBOT_KNOWLEDGE"] == "/kb"
        assert not {"TRACKER_STORE_URL", "LOCK_STORE_HOST", "SLACK_TOKEN", "SLACK_SIGNING_SECRET"} & set(env)
        assert not {"TELEGRAM_ACCESS_TOKEN", "CALLBACK_URL", "GITHUB_TOKEN", "DATABASE_PASSWORD"} & set(env)
    assert "ACTION_SERVER_TOKEN" not in page
    assert actions["ACTIONS_HOST"] == "127.0.0.1"


def test_the_run_time_folder_is_made_private(tmp_path):
    folder = tmp_path / "var"
    folder.mkdir()
    folder.chmod(0o755)
    previous = os.umask(0o022)
    try:
        note = private_run_time_folder(folder)
        created = folder / "conversations.db"
        created.write_text("")
        assert stat.S_IMODE(created.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert note and "was 755" in note
        assert private_run_time_folder(folder) is None  # nothing to say the next time
    finally:
        os.umask(previous)


def test_the_actions_read_a_bounded_text_and_bounded_slots():
    huge = "Mayo-Baléo " * 200_000
    tracker = tracker_for(huge, slots={"city": huge, "organisation": huge, "last_question": huge})
    assert len(message_text(tracker)) == MAX_MESSAGE_CHARS
    assert len(slot_text(tracker, "city") or "") == MAX_ENTITY_CHARS


@pytest.mark.parametrize("action", [*ANSWER_ACTIONS.values(), AnswerWithNotice()], ids=lambda a: a.name())
def test_a_2_mb_message_sent_straight_to_an_action_is_answered_at_once(action):
    """A caller other than Rasa (the token leaked, a test) sends what Rasa would have cut: the
    answer costs what a short message costs (uncut, the name scan alone took about 30 s)."""
    huge = "the ministry of education of the city " * 50_000
    tracker = tracker_for(huge, slots={"city": huge, "topic": huge, "organisation": huge}, lang="en")
    started = time.monotonic()
    said, _ = run(action, tracker)
    assert said and "utter_technical_problem" not in [s.response for s in said]
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("env", "host"),
    [
        ({}, "127.0.0.1"),
        ({"SANIC_HOST": "0.0.0.0"}, "0.0.0.0"),  # rasa-sdk's own variable, alone
        ({"SANIC_HOST": "0.0.0.0", "ACTIONS_HOST": "127.0.0.1"}, "127.0.0.1"),  # ours wins
        ({"ACTIONS_HOST": "::"}, "::"),
    ],
)
def test_the_guard_sets_the_address_and_limit_rasa_sdk_starts_with(env, host):
    from sanic import Sanic

    app = Sanic(f"doors_{len(Sanic._app_registry)}")
    env = {"ACTION_SERVER_TOKEN": TOKEN, **env}
    install(app, env)
    assert env["SANIC_HOST"] == host
    assert app.config.REQUEST_MAX_SIZE == MAX_BODY_BYTES
    assert len(app.request_middleware) == 1


def test_the_guard_refuses_to_serve_without_a_token():
    from sanic import Sanic

    with pytest.raises(DoorError, match="ACTION_SERVER_TOKEN is not set"):
        install(Sanic(f"doors_{len(Sanic._app_registry)}"), {"SANIC_HOST": "0.0.0.0"})
