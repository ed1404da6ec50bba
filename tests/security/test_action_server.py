"""The action server answers only the Rasa server, within bounds (finding H1, I4).

Against the action server `make run` starts (the `launched` fixture), and against the plain
`rasa run actions --actions actions` command (tests/servers.py), which the `actions` package
guards too: a stranger gets 403 whatever it sends, a deflate bomb is refused after inflating
at most the body limit (the server's peak memory shows it), a body over the limit gets 413,
and errors never echo the body.
"""

from __future__ import annotations

import json
import subprocess
import zlib

import psutil
import pytest
from servers import REPO_ROOT, free_port, http_get, http_post_json, rasa_executable, start_action_server

from citybot.action_server import MAX_BODY_BYTES
from security.processes import (
    announce_body,
    environ,
    listener,
    listening_addresses,
    peak_memory,
    reset_peak_memory,
)

pytestmark = [pytest.mark.model, pytest.mark.server]

HEADER = "X-Citybot-Action-Token"
#: A valid call of an action that needs nothing but the knowledge base.
CALL = {
    "next_action": "action_list_cities",
    "sender_id": "doors",
    "tracker": {"sender_id": "doors", "slots": {}, "latest_message": {}, "events": [], "paused": False},
    "domain": {},
    "version": "3.6.21",
}
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def actions(launched):
    """(base URL, token) of the launcher's action server; the token read from its environment."""
    process = listener(launched.ports["ACTIONS_PORT"])
    return launched.url("ACTIONS_PORT", ""), environ(process)["ACTION_SERVER_TOKEN"]


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def deflate_bomb(inflated_bytes: int) -> bytes:
    """zlib data of `inflated_bytes` spaces: about 1,000 times smaller."""
    packer, chunk = zlib.compressobj(9), b" " * MIB
    return b"".join(packer.compress(chunk) for _ in range(inflated_bytes // MIB)) + packer.flush()


def test_strangers_get_403_and_rasa_s_token_200(actions):
    url, token = actions
    body = json.dumps(CALL).encode()
    for headers in (
        {},
        {HEADER: "wrong-token-of-the-right-length"},
        {HEADER: token[:-1]},
        {HEADER: "é" * 20},
    ):
        status, reply = post(f"{url}/webhook", body, {"Content-Type": "application/json", **headers})
        assert status == 403, (headers, status, reply[:200])
        assert HEADER.encode() in reply
    status, reply = post(f"{url}/webhook", body, {"Content-Type": "application/json", HEADER: token})
    assert status == 200, reply[:300]
    assert json.loads(reply)["responses"], "the action answered"
    assert http_get(f"{url}/actions") is None, "listing the actions needs the token too"
    assert http_get(f"{url}/health") is not None, "the readiness check stays open"


def test_a_deflate_bomb_is_refused_without_the_memory_to_inflate_it(actions, launched):
    url, token = actions
    bomb = deflate_bomb(512 * MIB)
    assert len(bomb) < MAX_BODY_BYTES / 8, "small enough to pass the body limit: only inflating is bounded"
    process = listener(launched.ports["ACTIONS_PORT"])
    resettable = reset_peak_memory(process)
    before = peak_memory(process) if resettable else process.memory_info().rss
    status, reply = post(f"{url}/webhook", bomb, {HEADER: token, "Content-Encoding": "deflate"})
    grown = peak_memory(process) - before
    assert status == 413, (status, reply[:300])
    assert b"limit" in reply
    # Inflating it whole would take 512 MiB; the guard stops at the body limit (8 MiB).
    assert grown < 4 * MAX_BODY_BYTES, f"peak memory grew by {grown / MIB:.0f} MiB"
    # Rasa's own compression (COMPRESS_ACTION_SERVER_REQUEST) still works within the limit.
    status, reply = post(
        f"{url}/webhook",
        zlib.compress(json.dumps(CALL).encode()),
        {HEADER: token, "Content-Encoding": "deflate"},
    )
    assert status == 200, reply[:300]
    status, reply = post(f"{url}/webhook", bomb, {HEADER: token, "Content-Encoding": "gzip"})
    assert status == 415, reply[:300]


def test_a_body_over_the_limit_gets_413(actions, launched):
    _, token = actions
    port = launched.ports["ACTIONS_PORT"]
    status, reply = announce_body(port, "/webhook", MAX_BODY_BYTES + 1, {HEADER: token})
    assert status == 413, reply[:300]
    assert str(MAX_BODY_BYTES).encode() in reply
    status, reply = announce_body(port, "/webhook", MAX_BODY_BYTES + 1)
    assert status == 403, "a stranger learns nothing, not even the limit"


def test_errors_do_not_echo_the_body(actions):
    url, token = actions
    junk = json.dumps(["x" * 100_000]).encode()  # valid JSON, not an action call: rasa-sdk fails
    status, reply = post(f"{url}/webhook", junk, {HEADER: token, "Content-Type": "application/json"})
    assert status == 500, reply[:300]
    assert len(reply) < 1000 and b"xxxxxxxxxx" not in reply, reply[:300]


# --- the plain `rasa run actions --actions actions`, as the README and deployments run it


def test_the_plain_command_refuses_to_start_without_a_token(tmp_path):
    env = {k: v for k, v in psutil.Process().environ().items() if k != "ACTION_SERVER_TOKEN"}
    result = subprocess.run(
        [rasa_executable(), "run", "actions", "--actions", "actions", "--port", str(free_port())],
        cwd=REPO_ROOT,
        env={**env, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "ACTION_SERVER_TOKEN is not set" in result.stderr + result.stdout, result.stderr[-2000:]


def test_actions_host_opens_the_door_and_the_token_still_guards_it(tmp_path):
    """I4 and the ACTIONS_HOST variable: exposed on every interface, strangers still get 403,
    also from this host's network address."""
    address = next(
        (
            a.address
            for addresses in psutil.net_if_addrs().values()
            for a in addresses
            if a.family.name == "AF_INET" and not a.address.startswith("127.")
        ),
        None,
    )
    server = start_action_server(tmp_path, env={"ACTIONS_HOST": "0.0.0.0", "ACTION_SERVER_TOKEN": "t" * 32})
    try:
        assert listening_addresses(psutil.Process(server.process.pid)) == {("0.0.0.0", server.port)}
        if address is None:
            pytest.skip("no network address besides loopback to knock from")
        url = f"http://{address}:{server.port}/webhook"
        body = json.dumps(CALL).encode()
        assert post(url, body, {"Content-Type": "application/json"})[0] == 403
        assert http_post_json(url, CALL, headers={HEADER: "t" * 32})[0] == 200
    finally:
        server.stop()
