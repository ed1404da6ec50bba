"""Conversations survive a Rasa server restart with the project's own bot/endpoints.yml, on both
tracker stores it supports: the default SQLite file (the shared stack of tests/servers.py, which
is configured like `make run`) and PostgreSQL (TRACKER_STORE_URL, servers started for the test).

PostgreSQL is read from POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test); on a
machine without it the PostgreSQL case is skipped with how to run it (CI requires it).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from servers import REPO_ROOT, find_model, free_port, http_post_json, start_action_server, start_rasa_server
from test_scaling import POSTGRES_URL, postgres_connection

from citybot.channels import credentials as channel_credentials
from citybot.channels.conversation_ids import conversation_id
from citybot.language.typography import french_typography

pytestmark = [pytest.mark.server, pytest.mark.model]

FAMILIES_FR = "Qu'a fait Évry pour les familles vulnérables ?"
SCHOOLS_EN = "What did Mayo-Baleo do about schools?"


def _say(rasa, sender: str, text: str) -> list[str]:
    status, body = http_post_json(
        f"{rasa.url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=120
    )
    assert status == 200, body
    return [m.get("text") or "" for m in json.loads(body)]


def _measures(kb, city: str, topic: str, lang: str) -> list[str]:
    texts = [m.text.get(lang) for m in kb.measures_for(city, topic)]
    assert texts
    return [french_typography(t) for t in texts] if lang == "fr" else texts  # as the reader sees them


def _mentions(replies: list[str], texts: list[str]) -> bool:
    said = "\n".join(replies)
    return any(text in said for text in texts)


def _store_url(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'conversations.db'}"
    postgres_connection().close()  # skips (or fails under CITYBOT_REQUIRE_SERVICES=1) when unreachable
    return POSTGRES_URL


def _stored_senders(kind: str, url: str, senders: list[str]) -> dict[str, int]:
    """How many events the database itself holds for each sender."""
    if kind == "sqlite":
        connection = sqlite3.connect(url[len("sqlite:///") :])
        placeholder = "?"
    else:
        connection = postgres_connection()
        placeholder = "%s"
    try:
        cursor = connection.cursor()
        counts = {}
        for sender in senders:
            stored_id = conversation_id("rest", sender)  # what the REST channel files it under
            cursor.execute(f"SELECT count(*) FROM events WHERE sender_id = {placeholder}", (stored_id,))
            counts[sender] = cursor.fetchone()[0]
        return counts
    finally:
        connection.close()


class OwnServers:
    """An action server and a Rasa server on bot/endpoints.yml, started for one test."""

    def __init__(self, model: Path, store_url: str, log_dir: Path) -> None:
        self.model, self.log_dir = model, log_dir
        self.actions = start_action_server(log_dir)
        self.env = {"ACTIONS_PORT": str(self.actions.port), "TRACKER_STORE_URL": store_url}
        self.credentials = channel_credentials.write_credentials({}, log_dir / "credentials.yml")
        self.token, self.port = f"persist{time.time_ns()}", free_port()
        try:
            self.rasa = self._start_rasa()
        except BaseException:
            self.actions.stop()
            raise

    def _start_rasa(self):
        endpoints = REPO_ROOT / "bot" / "endpoints.yml"
        return start_rasa_server(
            self.model, self.credentials, endpoints, self.log_dir, [], self.env, self.token, port=self.port
        )

    def restart_rasa(self) -> None:
        self.rasa.stop()
        self.rasa = self._start_rasa()

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()


@pytest.mark.parametrize(
    "kind",
    [
        # The shared stack is configured like `make run`: bot/endpoints.yml on an SQLite file.
        pytest.param("sqlite", marks=pytest.mark.shared_stack),
        "postgresql",
    ],
)
def test_a_restart_keeps_each_conversations_language_and_context(
    kind: str, tmp_path: Path, kb, request
) -> None:
    model = find_model()
    if model is None:
        pytest.skip("no trained model in models/: run `make train` (or set CITYBOT_MODEL)")
    if kind == "sqlite":
        servers, own = request.getfixturevalue("stack"), None
        url = servers.tracker_store_url
    else:
        url = _store_url(kind, tmp_path)
        servers = own = OwnServers(model, url, tmp_path)
    sender_fr, sender_en = f"persist-fr-{time.time_ns()}", f"persist-en-{time.time_ns()}"
    try:
        assert _mentions(
            _say(servers.rasa, sender_fr, FAMILIES_FR),
            _measures(kb, "evry-courcouronnes", "social_support", "fr"),
        )
        assert _mentions(
            _say(servers.rasa, sender_en, SCHOOLS_EN), _measures(kb, "mayo-baleo", "schooling", "en")
        )
        servers.restart_rasa()
        replies = _say(servers.rasa, sender_fr, "Et Chefchaouen ?")
        assert _mentions(replies, _measures(kb, "chefchaouen", "social_support", "fr")), replies
        replies = _say(servers.rasa, sender_en, "And Chefchaouen?")
        assert _mentions(replies, _measures(kb, "chefchaouen", "schooling", "en")), replies
    finally:
        if own is not None:
            own.stop()
    stored = _stored_senders(kind, url, [sender_fr, sender_en])
    assert all(count >= 8 for count in stored.values()), stored
