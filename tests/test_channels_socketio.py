"""Our socket.io channel in a real Sanic server (Rasa's channel blueprint and output
channel; the dialogue engine replaced by an echo, so no model is needed).

The echo bot answers ``(<language hint>) <text>``; see ``servers.echo_app``.
"""

import asyncio
from typing import Any

import pytest
import socketio
from servers import start_echo_server

pytestmark = pytest.mark.server

SESSION = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def echo_url(tmp_path_factory):
    server = start_echo_server(tmp_path_factory.mktemp("echo"))
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def stock_echo_url(tmp_path_factory):
    server = start_echo_server(tmp_path_factory.mktemp("echo-stock"), stock=True)
    yield server.url
    server.stop()


async def _converse(
    url: str, session_id: str | None, messages: list[dict[str, Any]], wait: float = 8.0
) -> dict[str, Any]:
    """Connect, ask for ``session_id``, send ``messages``; collect confirmations and answers.

    Polling transport: engine.io's websocket client needs a newer aiohttp than Rasa pins.
    """
    client = socketio.AsyncClient(reconnection=False)
    confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    answers: list[dict[str, Any]] = []
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    client.on("bot_uttered", answers.append)
    await client.connect(url, transports=["polling"], socketio_path="/socket.io")
    try:
        await client.emit("session_request", {"session_id": session_id})
        confirmed_id = await asyncio.wait_for(confirmed, 10)
        for message in messages:
            await client.emit("user_uttered", {"session_id": confirmed_id, **message})
        deadline = asyncio.get_running_loop().time() + wait
        while len(answers) < len(messages) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
    finally:
        # abort=True: a polite disconnect waits out the pending long-poll (~30 s).
        await client.eio.disconnect(abort=True)
    return {"session_id": confirmed_id, "answers": answers}


def test_persistent_session_gets_answers_with_the_language_hint(echo_url):
    result = asyncio.run(
        _converse(
            echo_url,
            SESSION,
            [
                {"message": "Bonjour", "customData": {"language": "fr-FR"}},
            ],
        )
    )
    assert result["session_id"] == SESSION
    assert [a["text"] for a in result["answers"]] == ["(fr) Bonjour"]
    assert result["answers"][0]["quick_replies"][0]["payload"] == "/greet"


def test_reconnecting_with_the_same_session_still_gets_answers(echo_url):
    """What a page reload does: a new socket, the stored session id."""
    asyncio.run(_converse(echo_url, SESSION, [{"message": "one", "customData": {"language": "en"}}]))
    again = asyncio.run(_converse(echo_url, SESSION, [{"message": "two", "customData": {"language": "en"}}]))
    assert again["session_id"] == SESSION
    assert [a["text"] for a in again["answers"]] == ["(en) two"]


def test_bad_session_ids_get_a_fresh_one(echo_url):
    for bad in ("../../x", "short", None):
        result = asyncio.run(_converse(echo_url, bad, [{"message": "hi"}]))
        assert result["session_id"] != bad and len(result["session_id"]) == 32
        assert [a["text"] for a in result["answers"]] == ["(none) hi"]


def test_junk_metadata_is_dropped_and_the_message_still_answered(echo_url):
    result = asyncio.run(
        _converse(
            echo_url,
            SESSION,
            [
                {"message": "a", "customData": "{not json"},
                {"message": "b", "customData": {"language": "de"}},
                {"message": "c", "customData": '{"language": "fr"}'},
            ],
        )
    )
    assert sorted(a["text"] for a in result["answers"]) == ["(fr) c", "(none) a", "(none) b"]


def test_stock_rasa_channel_never_answers_a_persistent_session(stock_echo_url):
    """RasaHQ/rasa#13027 with the installed python-socketio: why our subclass exists.

    If this starts failing, the stock channel works again and the subclass's fix can go
    (keep its input checks)."""
    result = asyncio.run(_converse(stock_echo_url, SESSION, [{"message": "hello"}], wait=4.0))
    assert result["session_id"] == SESSION
    assert result["answers"] == []
