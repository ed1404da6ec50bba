"""Messaging channels end to end: the real Rasa server with the trained model and the
real action server, every outside party (callback client, Slack, Telegram) played by a
loopback ``Recorder`` (see tests/servers.py). No internet is used.

Needs a model in models/ (``make train``) and takes about a minute to start Rasa.
"""

import hashlib
import hmac
import json
import time

import pytest
from servers import TELEGRAM_TOKEN, http_post_json, post_callback

from citybot.channels.conversation_ids import conversation_id
from citybot.language.typography import french_typography

pytestmark = [pytest.mark.server, pytest.mark.model]

# A question whose answer comes straight from the knowledge base, in both languages.
QUESTION = {"fr": "Qu'a fait Mayo-Baléo pour les écoles ?", "en": "What did Mayo-Baleo do about schools?"}


@pytest.fixture(scope="module")
def school_texts(kb):
    """The KB's texts of Mayo-Baléo's schooling measures, per language."""
    measures = kb.measures_for("mayo-baleo", "schooling")
    assert measures, "the knowledge base lost Mayo-Baléo's schooling measure"
    return {"en": [m.text.en for m in measures], "fr": [french_typography(m.text.fr) for m in measures]}


def assert_answer_in(language: str, answer: str, school_texts) -> None:
    """The answer quotes the KB in ``language`` and not in the other one."""
    other = "en" if language == "fr" else "fr"
    assert any(text in answer for text in school_texts[language]), answer
    assert not any(text in answer for text in school_texts[other]), answer


def last_user_metadata(stack, conversation_id: str) -> dict:
    events = stack.tracker(conversation_id)["events"]
    return [e for e in events if e["event"] == "user"][-1].get("metadata") or {}


def unique(prefix: str) -> str:
    return f"{prefix}-{time.time_ns()}"


# --- callback ------------------------------------------------------------------------------


def callback_texts(stack, sender: str, count_before: int, timeout: float = 90) -> list[str]:
    """Texts the bot POSTed to the callback URL for this conversation, after the first answer."""

    def answered(requests):
        return len(requests) > count_before

    stack.recorder.wait_for(lambda reqs: answered([r for r in reqs if r.path == "/callback"]), timeout)
    time.sleep(1.0)  # the bot may send several messages for one answer
    return [
        r.body.get("text") or ""
        for r in stack.recorder.matching("/callback")[count_before:]
        if isinstance(r.body, dict) and r.body.get("recipient_id") == sender
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_callback_answers_in_the_language_of_the_metadata(stack, school_texts, language):
    sender = unique(f"callback-{language}")
    before = len(stack.recorder.matching("/callback"))
    status, body = post_callback(
        stack.rasa_url,
        stack.env["CALLBACK_SECRET"],
        {"sender": sender, "message": QUESTION[language], "metadata": {"language": language}},
    )
    assert (status, body) == (200, b"success")
    answer = "\n".join(callback_texts(stack, sender, before))  # addressed to the platform's own id
    assert_answer_in(language, answer, school_texts)
    assert last_user_metadata(stack, conversation_id("callback", sender)).get("language") == language


def test_callback_refuses_requests_without_a_sender(stack):
    status, body = post_callback(stack.rasa_url, stack.env["CALLBACK_SECRET"], {"message": "hi"})
    assert status == 400 and b"sender" in body


def test_callback_refuses_unsigned_requests(stack):
    """The signature cases (forged, stale, ...) are in tests/security/test_channels.py."""
    status, body = http_post_json(
        f"{stack.rasa_url}/webhooks/callback/webhook", {"sender": unique("unsigned"), "message": "hi"}
    )
    assert status == 401 and b"signed" in body


# --- Slack -----------------------------------------------------------------------------------


def slack_event(text: str, user: str) -> dict:
    return {
        "type": "event_callback",
        "team_id": "T1",
        "authorizations": [{"user_id": "UBOT"}],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": "D42",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
        },
    }


def signed_headers(secret: str, body: bytes, timestamp: int) -> dict:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/json",
    }


def post_raw(url: str, body: bytes, headers: dict):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def slack_posts(stack, user_channel: str = "D42") -> list[dict]:
    return [
        r.body
        for r in stack.recorder.matching("/slack/chat.postMessage")
        if isinstance(r.body, dict) and r.body.get("channel") == user_channel
    ]


def test_slack_signed_message_is_answered_through_the_web_api(stack, school_texts):
    secret = stack.env["SLACK_SIGNING_SECRET"]
    before = len(slack_posts(stack))
    body = json.dumps(slack_event(QUESTION["fr"], unique("U"))).encode()
    status, _ = post_raw(
        f"{stack.rasa_url}/webhooks/slack/webhook", body, signed_headers(secret, body, int(time.time()))
    )
    assert status == 200
    stack.recorder.wait_for(lambda _: len(slack_posts(stack)) > before, 90)
    time.sleep(1.0)
    posts = slack_posts(stack)[before:]
    assert posts, "the bot posted nothing to Slack"
    call = stack.recorder.matching("/slack/chat.postMessage")[-1]
    assert call.headers.get("Authorization") == f"Bearer {stack.env['SLACK_TOKEN']}"
    assert_answer_in("fr", "\n".join(p.get("text", "") for p in posts), school_texts)


@pytest.mark.parametrize("case", ["bad signature", "stale timestamp", "no signature"])
def test_slack_refuses_unsigned_forged_or_replayed_requests(stack, case):
    secret = stack.env["SLACK_SIGNING_SECRET"]
    body = json.dumps(slack_event("Hello", unique("U-forged"))).encode()
    if case == "bad signature":
        headers = signed_headers("not-the-secret", body, int(time.time()))
    elif case == "stale timestamp":  # correctly signed, but 6 minutes old
        headers = signed_headers(secret, body, int(time.time()) - 360)
    else:
        headers = {"Content-Type": "application/json"}
    before = len(stack.recorder.matching("/slack/"))
    status, reply = post_raw(f"{stack.rasa_url}/webhooks/slack/webhook", body, headers)
    assert status == 400 and b"X-Slack-Signature" in reply
    time.sleep(2.0)
    assert len(stack.recorder.matching("/slack/")) == before, "a refused request reached the bot"


# --- Telegram --------------------------------------------------------------------------------


def telegram_update(chat_id: int, text: str, language_code: str) -> dict:
    sender = {"id": chat_id, "is_bot": False, "first_name": "Amina", "language_code": language_code}
    return {
        "update_id": chat_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": sender,
            "text": text,
        },
    }


def telegram_sent(stack, chat_id: int) -> list[str]:
    texts = []
    for r in stack.recorder.matching(f"/bot{TELEGRAM_TOKEN}/sendMessage"):
        body = r.body if isinstance(r.body, dict) else {}
        if str(body.get("chat_id")) == str(chat_id):
            texts.append(body.get("text", ""))
    return texts


def test_telegram_webhook_was_registered_at_start_with_the_secret(stack):
    calls = stack.recorder.matching(f"/bot{TELEGRAM_TOKEN}/setWebhook")
    assert calls, "Rasa did not register the Telegram webhook at start"
    sent = json.dumps(calls[0].body)
    assert stack.env["TELEGRAM_WEBHOOK_URL"] in sent and stack.env["TELEGRAM_SECRET_TOKEN"] in sent


@pytest.mark.parametrize("language_code, language", [("fr-FR", "fr"), ("en", "en")])
def test_telegram_user_language_reaches_the_bot(stack, school_texts, language_code, language):
    chat_id = int(time.time_ns() % 10**9)
    status, body = http_post_json(
        f"{stack.rasa_url}/webhooks/telegram/webhook",
        telegram_update(chat_id, QUESTION[language], language_code),
        headers={"X-Telegram-Bot-Api-Secret-Token": stack.env["TELEGRAM_SECRET_TOKEN"]},
    )
    assert (status, body) == (200, b"success")
    stack.recorder.wait_for(lambda _: telegram_sent(stack, chat_id), 90)
    time.sleep(1.0)
    assert_answer_in(language, "\n".join(telegram_sent(stack, chat_id)), school_texts)
    assert last_user_metadata(stack, conversation_id("telegram", chat_id)).get("language") == language


@pytest.mark.parametrize(
    "case, expected", [("no secret", 403), ("wrong secret", 403), ("not an update", 400)]
)
def test_telegram_refuses_forged_and_malformed_updates(stack, case, expected):
    chat_id = int(time.time_ns() % 10**9)
    secret = {"no secret": None, "wrong secret": "guess"}.get(case, stack.env["TELEGRAM_SECRET_TOKEN"])
    payload = {"hello": "world"} if case == "not an update" else telegram_update(chat_id, "Hello", "en")
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    status, _ = http_post_json(f"{stack.rasa_url}/webhooks/telegram/webhook", payload, headers=headers)
    assert status == expected
    time.sleep(1.5)
    assert telegram_sent(stack, chat_id) == []
