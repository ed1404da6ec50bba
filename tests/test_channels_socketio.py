"""Our socket.io channel in a real Sanic server (Rasa's channel blueprint and output
channel; the dialogue engine replaced by an echo, so no model is needed).

The echo bot answers ``(<language hint>) <text>``; see ``servers.echo_app``.
"""

import asyncio
import re
from typing import Any

import pytest
import socketio
from servers import free_port, start_echo_server
from socketio_raw import Polling, websocket_connect

pytestmark = pytest.mark.server

SESSION = "0123456789abcdef0123456789abcdef"
#: What our channel issues: a random session and its HMAC (citybot.channels.session_tokens).
ISSUED = re.compile(r"[0-9a-f]{32}\.[0-9a-f]{32}")
PAGE_ORIGIN = f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="module")
def echo_url(tmp_path_factory):
    server = start_echo_server(tmp_path_factory.mktemp("echo"), page_origins=[PAGE_ORIGIN])
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def stock_echo_url(tmp_path_factory):
    server = start_echo_server(tmp_path_factory.mktemp("echo-stock"), stock=True)
    yield server.url
    server.stop()


async def _connect(url: str, origin: str | None = PAGE_ORIGIN) -> socketio.AsyncClient:
    """A connected client (polling transport: engine.io's websocket client needs a newer aiohttp
    than Rasa pins), sending ``Origin`` as a browser on the page would."""
    client = socketio.AsyncClient(reconnection=False)
    headers = {"Origin": origin} if origin else {}
    await client.connect(url, transports=["polling"], socketio_path="/socket.io", headers=headers)
    return client


async def _close(client: socketio.AsyncClient) -> None:
    # abort=True: a polite disconnect waits out the pending long-poll (~30 s).
    await client.eio.disconnect(abort=True)


async def _request_session(client: socketio.AsyncClient, session_id: str | None) -> str:
    confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    await client.emit("session_request", {"session_id": session_id})
    return await asyncio.wait_for(confirmed, 10)


async def _converse(
    url: str,
    session_id: str | None,
    messages: list[dict[str, Any]],
    wait: float = 8.0,
    expected: int | None = None,
) -> dict[str, Any]:
    """Connect, ask for ``session_id``, send ``messages``; collect the confirmed id and the answers."""
    client = await _connect(url)
    answers: list[dict[str, Any]] = []
    client.on("bot_uttered", answers.append)
    try:
        confirmed_id = await _request_session(client, session_id)
        for message in messages:
            await client.emit("user_uttered", {"session_id": confirmed_id, **message})
        expected = len(messages) if expected is None else expected
        deadline = asyncio.get_running_loop().time() + wait
        while len(answers) < expected and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
        if expected == 0 and messages:  # nothing should come: give it the time to come anyway
            await asyncio.sleep(wait)
    finally:
        await _close(client)
    return {"session_id": confirmed_id, "answers": answers}


def test_persistent_session_gets_answers_with_the_language_hint(echo_url):
    result = asyncio.run(
        _converse(echo_url, None, [{"message": "Bonjour", "customData": {"language": "fr-FR"}}])
    )
    assert ISSUED.fullmatch(result["session_id"])
    assert [a["text"] for a in result["answers"]] == ["(fr) Bonjour"]
    assert result["answers"][0]["quick_replies"][0]["payload"] == "/greet"


def test_reconnecting_with_the_issued_session_still_gets_answers(echo_url):
    """What a page reload does: a new socket, the stored session id."""
    first = asyncio.run(_converse(echo_url, None, [{"message": "one", "customData": {"language": "en"}}]))
    again = asyncio.run(
        _converse(echo_url, first["session_id"], [{"message": "two", "customData": {"language": "en"}}])
    )
    assert again["session_id"] == first["session_id"]
    assert [a["text"] for a in again["answers"]] == ["(en) two"]


def test_session_ids_not_issued_here_get_a_fresh_one(echo_url):
    issued = asyncio.run(_converse(echo_url, None, []))["session_id"]
    session, mac = issued.split(".")
    forged = f"{session}.{'0' * 32}" if mac != "0" * 32 else f"{session}.{'1' * 32}"
    for bad in ("../../x", "short", None, SESSION, forged, issued + "\n", issued.upper(), f"{SESSION}.{mac}"):
        result = asyncio.run(_converse(echo_url, bad, [{"message": "hi"}]))
        assert result["session_id"] not in (bad, issued) and ISSUED.fullmatch(result["session_id"]), bad
        assert [a["text"] for a in result["answers"]] == ["(none) hi"]


def test_junk_metadata_is_dropped_and_the_message_still_answered(echo_url):
    result = asyncio.run(
        _converse(
            echo_url,
            None,
            [
                {"message": "a", "customData": "{not json"},
                {"message": "b", "customData": {"language": "de"}},
                {"message": "c", "customData": '{"language": "fr"}'},
                {"message": "d", "customData": "[" * 5000 + "]" * 5000},  # too deep for json
            ],
        )
    )
    assert sorted(a["text"] for a in result["answers"]) == ["(fr) c", "(none) a", "(none) b", "(none) d"]


def test_messages_without_a_text_are_dropped(echo_url):
    result = asyncio.run(
        _converse(
            echo_url, None, [{"message": ""}, {"message": "  "}, {"message": 5}, {}], wait=3.0, expected=0
        )
    )
    assert result["answers"] == []


def test_a_socket_leaves_its_previous_session_when_it_asks_for_another(echo_url):
    """One socket cannot collect rooms: after asking for B it no longer hears A's answers."""

    async def scenario() -> list[dict[str, Any]]:
        first = await _converse(echo_url, None, [])
        hopper = await _connect(echo_url)
        heard: list[dict[str, Any]] = []
        hopper.on("bot_uttered", heard.append)
        try:
            assert await _request_session(hopper, first["session_id"]) == first["session_id"]
            await _request_session(hopper, None)  # a second session on the same socket
            await _converse(echo_url, first["session_id"], [{"message": "for A only"}])
            await asyncio.sleep(1.0)
        finally:
            await _close(hopper)
        return heard

    assert asyncio.run(scenario()) == []


@pytest.mark.parametrize("origin", ["http://evil.example", "null", PAGE_ORIGIN + ".evil.example"])
def test_other_origins_are_refused_on_polling_and_websocket(echo_url, origin):
    """Browsers apply no CORS to WebSockets: the server itself must refuse other pages."""
    assert Polling(echo_url, origin).open().connect_reply().startswith("44")
    assert websocket_connect(echo_url, origin).startswith("44")


@pytest.mark.parametrize("origin", [PAGE_ORIGIN, None])
def test_the_page_origin_and_clients_without_origin_connect(echo_url, origin):
    """No Origin: not a browser page (browsers always send it on these requests)."""
    assert Polling(echo_url, origin).open().connect_reply().startswith("40")
    assert websocket_connect(echo_url, origin).startswith("40")


def test_stock_rasa_channel_never_answers_a_persistent_session(stock_echo_url):
    """RasaHQ/rasa#13027 with the installed python-socketio: why our subclass exists.

    If this starts failing, the stock channel works again and the subclass's fix can go
    (keep its input checks)."""
    result = asyncio.run(_converse(stock_echo_url, SESSION, [{"message": "hello"}], wait=4.0))
    assert result["session_id"] == SESSION
    assert result["answers"] == []
