"""The channels' doors, knocked on as `make run` opens them (`launched`: the real launcher, model,
Rasa and action servers, every channel on, a loopback Recorder playing Telegram, Slack and the
callback platform). One test (or one parametrised group) per finding of the security review:

- M4, the callback channel: unsigned, stale or forged requests get a 401 and nothing is stored or
  sent; a signed one is answered, to the platform's own user id.
- M3 and L4, Telegram: no or a wrong secret (non-ASCII too) is a 403; an update without a message is
  a 200 "ignored"; GET on the webhook a 405; ``/set_webhook`` needs the secret.
- L2, the web socket: another site's Origin is refused over WebSocket and polling; the page's passes.
- M2, what is stored: control characters and lone surrogates through socket.io are stored cleaned; a
  socket.io message over engine.io's limit is refused; metadata keeps only the language hint; texts
  are cut; REST's ``input_channel`` is the channel's.
- L1, conversation ids: a REST or web client cannot write into a Telegram user's conversation, and
  the web page cannot choose its session id.
- L8: a ``text/plain`` POST is refused with a 415 and not stored.
- I2, Slack: an echoed ``<!channel>`` goes out escaped.

What the conversation store holds is read from its SQLite file, as the report reads it.
"""

from __future__ import annotations

import http.client
import json
import sqlite3
import stat
import threading
import time
from typing import Any

import pytest
from servers import TELEGRAM_TOKEN, callback_headers, http_post_json, post_bytes
from socketio_raw import Polling, websocket_closed_after, websocket_connect

from citybot.channels.conversation_ids import conversation_id
from citybot.channels.request_checks import MAX_MESSAGE_CHARS
from citybot.channels.socketio import MAX_PACKET_BYTES
from citybot.channels.telegram_secret import SECRET_HEADER
from security.processes import environ, listener

pytestmark = [pytest.mark.model, pytest.mark.server]

QUESTION_EN = "What did Mayo-Baleo do about schools?"


def unique(prefix: str) -> str:
    return f"{prefix}-{time.time_ns()}"


def stored_events(launched, conversation: str) -> list[dict[str, Any]]:
    """The events the store holds for ``conversation``, oldest first."""
    with sqlite3.connect(launched.conversations) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (conversation,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def user_events(launched, conversation: str) -> list[dict[str, Any]]:
    return [event for event in stored_events(launched, conversation) if event.get("event") == "user"]


def wait_for_user_events(
    launched, conversation: str, count: int, timeout: float = 120
) -> list[dict[str, Any]]:
    """The conversation's user events once there are ``count`` (Rasa saves a turn after answering)."""
    deadline = time.monotonic() + timeout
    while True:
        found = user_events(launched, conversation)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


#: What Rasa itself adds to a message's metadata.
RASA_METADATA = {"model_id", "assistant_id"}


def assert_bounded(event: dict[str, Any], language: str) -> None:
    """A stored user event holds the client's language hint and nothing else of its metadata, a
    text cut to MAX_MESSAGE_CHARS, and stays small whatever the client sent."""
    metadata = event["metadata"]
    assert metadata["language"] == language and set(metadata) <= {"language"} | RASA_METADATA, metadata
    assert len(event["text"]) <= MAX_MESSAGE_CHARS
    assert len(json.dumps(event)) < 3 * MAX_MESSAGE_CHARS  # the text, the parse data's 300, a few ids


def rest(launched, payload: Any) -> tuple[int, bytes]:
    return http_post_json(launched.url("RASA_PORT", "/webhooks/rest/webhook"), payload, timeout=180)


def rasa_url(launched) -> str:
    """The Rasa server's base URL, without a trailing slash."""
    return launched.url("RASA_PORT", "")


def page_origin(launched) -> str:
    return f"http://127.0.0.1:{launched.ports['WEBCHAT_PORT']}"


# --- M4: the callback channel -----------------------------------------------------------------


def callback(launched, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    return post_bytes(launched.url("RASA_PORT", "/webhooks/callback/webhook"), body, headers, timeout=180)


def callback_replies(launched, sender: str) -> list[Any]:
    return [
        r.body
        for r in launched.recorder.matching("/callback")
        if isinstance(r.body, dict) and r.body.get("recipient_id") == sender
    ]


@pytest.mark.parametrize(
    "case",
    ["unsigned", "other secret", "stale", "future", "signature of another body", "non-ASCII signature"],
)
def test_unsigned_stale_or_forged_callbacks_are_refused_and_nothing_is_stored(launched, case):
    sender = unique("victim")
    body = json.dumps({"sender": sender, "message": QUESTION_EN}).encode()
    secret, now = launched.env["CALLBACK_SECRET"], int(time.time())
    headers: dict[str, str] = {
        "unsigned": {"Content-Type": "application/json"},
        "other secret": callback_headers("not-the-secret", body),
        "stale": callback_headers(secret, body, now - 400),
        "future": callback_headers(secret, body, now + 400),
        "signature of another body": callback_headers(secret, b'{"sender": "x", "message": "hi"}'),
        "non-ASCII signature": {**callback_headers(secret, body), "X-Citybot-Signature": "v0=é" + "0" * 63},
    }[case]
    status, reply = callback(launched, body, headers)
    assert status == 401, reply
    assert stored_events(launched, conversation_id("callback", sender)) == []
    assert callback_replies(launched, sender) == []


def test_a_signed_callback_is_answered_to_the_platforms_user(launched):
    sender = unique("user")
    body = json.dumps({"sender": sender, "message": QUESTION_EN, "metadata": {"language": "en"}}).encode()
    status, reply = callback(launched, body, callback_headers(launched.env["CALLBACK_SECRET"], body))
    assert (status, reply) == (200, b"success")
    launched.recorder.wait_for(lambda _: callback_replies(launched, sender), 120)
    assert callback_replies(launched, sender), "the platform's user got no answer"
    assert [e["text"] for e in user_events(launched, conversation_id("callback", sender))] == [QUESTION_EN]


# --- M3, L4: Telegram ---------------------------------------------------------------------------


def telegram_update(chat_id: int, text: str = "Hello") -> dict[str, Any]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Amina", "language_code": "en"}
    message = {
        "message_id": 1,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "text": text,
    }
    return {"update_id": chat_id, "message": {**message, "from": user}}


def telegram_post(launched, payload: Any, secret: bytes | None) -> tuple[int, bytes]:
    """POST an update with the secret header given as raw bytes (http.client sends them as they are)."""
    connection = http.client.HTTPConnection("127.0.0.1", launched.ports["RASA_PORT"], timeout=180)
    try:
        connection.putrequest("POST", "/webhooks/telegram/webhook")
        body = json.dumps(payload).encode()
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(len(body)))
        if secret is not None:
            connection.putheader(SECRET_HEADER, secret)
        connection.endheaders(body)
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


def telegram_sent_to(launched, chat_id: int) -> list[Any]:
    return [
        r.body
        for r in launched.recorder.matching(f"/bot{TELEGRAM_TOKEN}/sendMessage")
        if isinstance(r.body, dict) and str(r.body.get("chat_id")) == str(chat_id)
    ]


@pytest.mark.parametrize(
    "secret", [None, b"guess-guess-guess-guess", "sécret-non-ascii".encode(), b"\xff\xfe"]
)
def test_telegram_updates_without_the_secret_are_refused(launched, secret):
    chat_id = time.time_ns() % 10**9
    status, _ = telegram_post(launched, telegram_update(chat_id), secret)
    assert status == 403
    assert stored_events(launched, conversation_id("telegram", chat_id)) == []
    assert telegram_sent_to(launched, chat_id) == []


@pytest.mark.parametrize(
    "update",
    [
        {"my_chat_member": {"chat": {"id": 1, "type": "private"}}},  # the user blocked the bot
        {"channel_post": {"chat": {"id": -100, "type": "channel"}, "text": "hello"}},
        {"callback_query": {"id": "1", "from": {"id": 1, "is_bot": False, "first_name": "A"}, "data": "x"}},
    ],
)
def test_telegram_updates_without_a_message_to_answer_are_ignored_with_a_200(launched, update):
    """Telegram retries any update not answered with a 2xx: an error here would come back forever."""
    secret = launched.env["TELEGRAM_SECRET_TOKEN"].encode()
    status, body = telegram_post(launched, {"update_id": time.time_ns() % 10**9, **update}, secret)
    assert (status, body) == (200, b"ignored")


def test_a_get_on_the_telegram_webhook_is_a_405(launched):
    status, _ = http_get_status(launched.url("RASA_PORT", "/webhooks/telegram/webhook"))
    assert status == 405


def test_set_webhook_needs_the_secret(launched):
    url = launched.url("RASA_PORT", "/webhooks/telegram/set_webhook")
    before = len(launched.recorder.matching("/setWebhook"))
    assert http_get_status(url)[0] == 403
    assert http_get_status(url, {SECRET_HEADER: "guess-guess-guess-guess"})[0] == 403
    assert len(launched.recorder.matching("/setWebhook")) == before  # Telegram was not called
    status, body = http_get_status(url, {SECRET_HEADER: launched.env["TELEGRAM_SECRET_TOKEN"]})
    assert status == 200 and b"successful" in body
    assert len(launched.recorder.matching("/setWebhook")) == before + 1


def http_get_status(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- L2: the web socket's origins ------------------------------------------------------------


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost:1"])
def test_another_sites_page_cannot_open_the_chat_socket(launched, origin):
    assert websocket_connect(rasa_url(launched), origin).startswith("44")
    assert Polling(rasa_url(launched), origin).open().connect_reply().startswith("44")


def test_the_chat_page_can_open_the_socket(launched):
    for origin in (page_origin(launched), f"http://localhost:{launched.ports['WEBCHAT_PORT']}"):
        assert websocket_connect(rasa_url(launched), origin).startswith("40")
        assert Polling(rasa_url(launched), origin).open().connect_reply().startswith("40")


# --- M2: what the socket stores --------------------------------------------------------------


def web_session(launched, requested: str | None = None) -> tuple[Polling, str, str]:
    """A page's socket asking for ``requested`` (None: a new session); (socket, the id the server
    confirmed, the conversation id)."""
    socket = Polling(rasa_url(launched), page_origin(launched)).open()
    assert socket.connect_reply().startswith("40")
    token = socket.request_session(requested)
    return socket, token, conversation_id("socketio", token.split(".")[0])


def say_on_socket(socket: Polling, text: str, custom: dict[str, Any] | None = None) -> int:
    return socket.emit("user_uttered", {"message": text, "customData": custom or {"language": "en"}})


def test_control_characters_and_lone_surrogates_are_stored_cleaned(launched):
    socket, _, conversation = web_session(launched)
    try:
        assert say_on_socket(socket, "What did\x00 Mayo-Baleo\x1b[31m do\ud800 about schools?\x07") == 200
        assert socket.events("bot_uttered", 1, rounds=8), "no answer"
        stored = wait_for_user_events(launched, conversation, 1)
    finally:
        socket.close()
    assert [e["text"] for e in stored] == ["What did Mayo-Baleo do? about schools?"]  # escape sequences whole


def test_a_socket_message_over_the_limit_is_refused_and_not_stored(launched):
    socket, _, conversation = web_session(launched)
    huge = "x" * (MAX_PACKET_BYTES + 10_000)
    # As a browser does, keep a long-poll open: engine.io closes the session before it answers
    # the POST, and the close waits for a poll to carry it.
    poller = threading.Thread(target=socket.poll, daemon=True)
    poller.start()
    time.sleep(0.5)
    status = say_on_socket(socket, huge)
    poller.join(timeout=60)
    assert status == 400  # engine.io: "Content is too long"
    assert "1" in socket.received  # and it closed the session
    assert websocket_closed_after(
        rasa_url(launched),
        page_origin(launched),
        "42" + json.dumps(["user_uttered", {"message": huge}]),
    )
    time.sleep(2.0)
    assert stored_events(launched, conversation) == []
    fresh, _, _ = web_session(launched)  # the server serves on
    try:
        say_on_socket(fresh, QUESTION_EN)
        assert fresh.events("bot_uttered", 1, rounds=8)
    finally:
        fresh.close()


def test_socket_metadata_keeps_only_the_language_and_texts_are_cut(launched):
    socket, _, conversation = web_session(launched)
    try:
        long_text = "schools " * 5000  # 40,000 characters: within engine.io's limit in UTF-8
        say_on_socket(socket, long_text[: MAX_PACKET_BYTES // 2], {"language": "fr", "junk": "y" * 20_000})
        assert socket.events("bot_uttered", 1, rounds=8)
        stored = wait_for_user_events(launched, conversation, 1)
    finally:
        socket.close()
    assert_bounded(stored[0], "fr")


def test_socket_messages_without_a_text_or_too_deep_to_parse_are_dropped(launched):
    socket, _, conversation = web_session(launched)
    try:
        for junk in (
            {"message": ""},
            {"message": "  "},
            {"message": 42},
            {"customData": {"language": "fr"}},
            "hi",
        ):
            assert socket.emit("user_uttered", junk) == 200
        # JSON nested too deep for Python's parser (RecursionError), in the packet and in the metadata
        assert socket.post("42" + '["user_uttered",' + "[" * 20_000 + "]" * 20_000 + "]") == 200
        assert socket.emit("user_uttered", {"message": "", "customData": "[" * 20_000 + "]" * 20_000}) == 200
        say_on_socket(socket, QUESTION_EN)
        assert socket.events("bot_uttered", 1, rounds=8)
        time.sleep(2.0)
    finally:
        socket.close()
    assert [e["text"] for e in wait_for_user_events(launched, conversation, 1)] == [QUESTION_EN]


# --- M2, I7, L8: what REST stores --------------------------------------------------------------


def test_rest_stores_only_the_language_hint_its_own_channel_name_and_a_cut_text(launched):
    sender = unique("rest-bounds")
    status, _ = rest(
        launched,
        {
            "sender": sender,
            "message": "What did Évry do? " + "blah " * 12_000,
            "metadata": {"language": "en", "blob": "z" * 50_000, "nested": [[[[1]]]]},
            "input_channel": "telegram",
        },
    )
    assert status == 200
    [stored] = user_events(launched, conversation_id("rest", sender))
    assert_bounded(stored, "en")
    assert stored["input_channel"] == "rest"


def test_a_rest_body_nested_too_deep_to_parse_is_a_400(launched):
    deep = b'{"sender": "deep", "message": "hi", "metadata": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    status, reply = post_bytes(
        launched.url("RASA_PORT", "/webhooks/rest/webhook"), deep, {"Content-Type": "application/json"}
    )
    assert status == 400, reply
    assert stored_events(launched, conversation_id("rest", "deep")) == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_cross_site_simple_post_is_refused_with_415_and_not_stored(launched, content_type):
    """Browsers send these three without asking the server first (no CORS preflight)."""
    sender = unique("simple-post")
    body = json.dumps({"sender": sender, "message": QUESTION_EN}).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    status, reply = post_bytes(launched.url("RASA_PORT", "/webhooks/rest/webhook"), body, headers)
    assert status == 415, reply
    assert stored_events(launched, conversation_id("rest", sender)) == []
    signed = {**callback_headers(launched.env["CALLBACK_SECRET"], body), **headers}
    if not content_type:
        del signed["Content-Type"]
    status, reply = callback(launched, body, signed)
    assert status == 415, reply
    assert stored_events(launched, conversation_id("callback", sender)) == []


# --- L1: conversation ids --------------------------------------------------------------------


def test_rest_and_web_clients_cannot_reach_a_telegram_users_conversation(launched):
    chat_id = time.time_ns() % 10**9
    telegram = conversation_id("telegram", chat_id)
    secret = launched.env["TELEGRAM_SECRET_TOKEN"].encode()
    assert telegram_post(launched, telegram_update(chat_id, QUESTION_EN), secret)[0] == 200
    for sender in (str(chat_id), telegram):  # the chat id, and the conversation id itself
        status, _ = rest(launched, {"sender": sender, "message": "I am the attacker"})
        assert status == 200
        assert [e["text"] for e in user_events(launched, conversation_id("rest", sender))] == [
            "I am the attacker"
        ]
    socket, issued, _ = web_session(launched, requested=telegram)
    try:
        assert issued != telegram and str(chat_id) not in issued  # the page gets an id of ours
        say_on_socket(socket, "I am the attacker too")
        assert socket.events("bot_uttered", 1, rounds=8)
    finally:
        socket.close()
    assert [e["text"] for e in user_events(launched, telegram)] == [QUESTION_EN]
    assert telegram_sent_to(launched, chat_id), "the Telegram user got no answer"


def test_a_web_session_survives_a_reconnect_only_with_the_id_the_server_issued(launched):
    """A page reload asks for its stored id again: it keeps the conversation."""
    first, token, conversation = web_session(launched)
    try:
        say_on_socket(first, QUESTION_EN)
        assert first.events("bot_uttered", 1, rounds=8)
    finally:
        first.close()
    again, confirmed, _ = web_session(launched, requested=token)
    try:
        assert confirmed == token
        say_on_socket(again, "And Chefchaouen?")
        assert again.events("bot_uttered", 1, rounds=8)
    finally:
        again.close()
    asked = [e["text"] for e in wait_for_user_events(launched, conversation, 2)]
    assert asked == [QUESTION_EN, "And Chefchaouen?"]


def test_the_web_session_key_and_the_callback_secret_stay_with_the_rasa_server(launched):
    """The key that signs web session ids is private to the service's account; the callback
    secret reaches only the Rasa server (L6, L7)."""
    web_session(launched)[0].close()  # the key exists once the socket channel has started
    key = launched.var / "session-secret"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    rasa = environ(listener(launched.ports["RASA_PORT"]))
    assert rasa["CALLBACK_SECRET"] == launched.env["CALLBACK_SECRET"]
    for door in ("ACTIONS_PORT", "WEBCHAT_PORT"):
        assert "CALLBACK_SECRET" not in environ(listener(launched.ports[door])), door


# --- I2: Slack's mrkdwn ------------------------------------------------------------------------


def slack_posts(launched, channel: str) -> list[dict[str, Any]]:
    return [
        r.body
        for r in launched.recorder.matching("/slack/chat.postMessage")
        if isinstance(r.body, dict) and r.body.get("channel") == channel
    ]


def test_slack_echoes_of_user_text_cannot_notify_a_channel(launched):
    """A user's "@channel" reaches the bot as <!channel>; echoed raw, it would notify everyone."""
    from citybot.channels.callback_signature import signature  # Slack's scheme is the same recipe

    channel = unique("D")
    event = {
        "type": "event_callback",
        "team_id": "T1",
        "authorizations": [{"user_id": "UBOT"}],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": channel,
            "user": unique("U"),
            "text": '/ask_city_overview{"city": "<!channel> &amp; co"}',
            "ts": f"{time.time():.6f}",
        },
    }
    body = json.dumps(event).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(launched.env["SLACK_SIGNING_SECRET"], stamp, body),
    }
    status, _ = post_bytes(launched.url("RASA_PORT", "/webhooks/slack/webhook"), body, headers)
    assert status == 200
    launched.recorder.wait_for(lambda _: bool(slack_posts(launched, channel)), 120)
    time.sleep(1.0)
    texts = [post.get("text", "") for post in slack_posts(launched, channel)]
    assert any("&lt;!channel&gt; &amp; co" in text for text in texts), texts
    assert not any("<!channel>" in text or "&amp;amp;" in text for text in texts), texts
