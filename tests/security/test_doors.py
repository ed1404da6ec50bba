"""The doors of a default `make run` (the launcher, every channel on): each server listens on
loopback only and the launcher says so, the Rasa server refuses a 2 MB message but takes the
longest real one, each child sees only the secrets it needs, the stores are private, and a
French question still gets its answer through the token-guarded action server.

Findings H1 (bind), M1, M2 (Rasa server's request size), L6 (per-service environments), L7.
"""

from __future__ import annotations

import ipaddress
import json
import stat
import subprocess

import pytest
from servers import http_post_json

from security.processes import announce_body, environ, listener, listening_addresses

pytestmark = [pytest.mark.model, pytest.mark.server]

DOORS = {"WEBCHAT_PORT": "WEBCHAT_HOST", "RASA_PORT": "RASA_HOST", "ACTIONS_PORT": "ACTIONS_HOST"}
#: What only the Rasa server may see (conftest's `channel_env` sets every channel).
RASA_ONLY = (
    "TELEGRAM_ACCESS_TOKEN",
    "TELEGRAM_SECRET_TOKEN",
    "SLACK_TOKEN",
    "SLACK_SIGNING_SECRET",
    "CALLBACK_URL",
    "CALLBACK_SECRET",
    "TRACKER_STORE_URL",
)


def test_every_server_listens_on_loopback_only(launched):
    for door in DOORS:
        process = listener(launched.ports[door])
        addresses = listening_addresses(process)
        assert addresses, door
        assert all(ipaddress.ip_address(ip).is_loopback for ip, _ in addresses), (door, addresses)
        assert process.ppid() == launched.process.pid, f"{door} is not one of the launcher's children"


def test_the_launcher_prints_which_doors_are_open(launched):
    output = launched.output
    for door, variable in DOORS.items():
        assert f"port {launched.ports[door]}: this machine only ({variable}=127.0.0.1)" in output, output[
            -2000:
        ]
    assert "OPEN to the network" not in output
    assert "answers only callers sending ACTION_SERVER_TOKEN" in output
    for channel in ("callback: enabled", "telegram: enabled", "slack: enabled"):
        assert channel in output.lower(), output[-2000:]


def test_the_printed_rest_command_works_as_printed(launched):
    """The REST line of the ready message, run by a shell as a person would paste it."""
    line = next(line for line in launched.output.splitlines() if line.strip().startswith("REST:"))
    command = line.split("REST:", 1)[1].strip()
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    replies = json.loads(result.stdout)
    assert replies and all("text" in reply or "buttons" in reply for reply in replies), result.stdout


def test_a_2_mb_chat_message_gets_413_from_the_rasa_server(launched):
    for path in ("/webhooks/rest/webhook", "/webhooks/callback/webhook", "/webhooks/telegram/webhook"):
        status, body = announce_body(launched.ports["RASA_PORT"], path, 2_000_000)
        assert status == 413, (path, status, body[:300])
        assert b"exceeds the size limit" in body, body[:300]


def test_the_longest_message_a_channel_takes_still_fits(launched):
    """10,000 emoji (what REST keeps; 120 KB once JSON-escaped): answered, not refused."""
    message = "\U0001f600" * 10_000
    status, body = http_post_json(
        launched.url("RASA_PORT", "/webhooks/rest/webhook"), {"sender": "doors-longest", "message": message}
    )
    assert len(json.dumps({"sender": "doors-longest", "message": message})) > 100_000
    assert status == 200, body[:300]
    assert json.loads(body), "the bot answers"


def test_a_french_question_is_answered_through_the_guarded_action_server(launched):
    status, body = http_post_json(
        launched.url("RASA_PORT", "/webhooks/rest/webhook"),
        {"sender": "doors-french", "message": "que fait Mayo-Baléo pour l'école ?"},
    )
    assert status == 200, body[:300]
    texts = " ".join(reply.get("text") or "" for reply in json.loads(body))
    assert "Mayo-Baléo" in texts, texts  # the answer action ran: without the token it could not


def test_only_the_rasa_server_gets_channel_secrets_and_the_store_url(launched):
    rasa = environ(listener(launched.ports["RASA_PORT"]))
    actions = environ(listener(launched.ports["ACTIONS_PORT"]))
    page = environ(listener(launched.ports["WEBCHAT_PORT"]))
    assert all(rasa.get(name) for name in RASA_ONLY), "the Rasa server needs them all"
    for name in RASA_ONLY:
        assert name not in actions, f"the action server sees {name}"
        assert name not in page, f"the page server sees {name}"
    assert actions["ACTION_SERVER_TOKEN"] == rasa["ACTION_SERVER_TOKEN"]
    assert "ACTION_SERVER_TOKEN" not in page
    assert int(rasa["SANIC_REQUEST_MAX_SIZE"]) == 256 * 1024


def test_the_run_time_folder_and_the_conversations_are_private(launched):
    """conftest created var/ with the test's umask (usually 755): the launcher made it 700."""
    http_post_json(
        launched.url("RASA_PORT", "/webhooks/rest/webhook"), {"sender": "doors-modes", "message": "hi"}
    )
    assert stat.S_IMODE(launched.var.stat().st_mode) == 0o700
    for path in (launched.conversations, launched.var / "credentials.yml"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
