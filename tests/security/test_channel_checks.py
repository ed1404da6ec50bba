"""The channels' security checks without a model or Rasa server (milliseconds each): start-up
refusals naming the variable to set, the callback signature, web session ids, page origins,
API URLs, aiogram's log level and Slack's escaping. tests/security/test_channels.py knocks on the
real doors."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import stat
import subprocess
import sys
import time

import pytest
from servers import REPO_ROOT, TELEGRAM_BOT_USERNAME, TELEGRAM_TOKEN, Recorder, free_port

from citybot.channels import credentials
from citybot.channels.api_urls import api_url_problem
from citybot.channels.callback_signature import (
    MAX_AGE_S,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
    signature_problem,
)
from citybot.channels.origins import OriginError, origin_allowed, page_origins
from citybot.channels.session_tokens import SessionSecretError, SessionTokens, session_secret

CALLBACK = {"CALLBACK_URL": "https://platform.example.org/bot"}
TELEGRAM = {
    "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN,
    "TELEGRAM_VERIFY": TELEGRAM_BOT_USERNAME,
    "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
}
GOOD_TELEGRAM_SECRET = "Abc_123-def_456-ghi"


# --- Start-up: a channel without its secret stops the start, naming the variable -------------


@pytest.mark.parametrize(
    "env, named",
    [
        (CALLBACK, "CALLBACK_SECRET"),
        ({"CALLBACK_SECRET": "x" * 40}, "CALLBACK_URL"),
        (TELEGRAM, "TELEGRAM_SECRET_TOKEN"),
        ({**TELEGRAM, "TELEGRAM_SECRET_TOKEN": "short"}, "TELEGRAM_SECRET_TOKEN"),
        ({**TELEGRAM, "TELEGRAM_SECRET_TOKEN": "not allowed: spaces and é" * 2}, "TELEGRAM_SECRET_TOKEN"),
        ({**TELEGRAM, "TELEGRAM_SECRET_TOKEN": "x" * 257}, "TELEGRAM_SECRET_TOKEN"),
        (
            {
                **TELEGRAM,
                "TELEGRAM_SECRET_TOKEN": GOOD_TELEGRAM_SECRET,
                "TELEGRAM_API_URL": "http://api.example",
            },
            "TELEGRAM_API_URL",
        ),
        (
            {"SLACK_TOKEN": "xoxb", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "http://10.0.0.5/api/"},
            "SLACK_API_URL",
        ),
        ({"CITYBOT_ALLOWED_ORIGINS": "https://chat.example.org/page"}, "CITYBOT_ALLOWED_ORIGINS"),
        ({"CITYBOT_ALLOWED_ORIGINS": "*"}, "CITYBOT_ALLOWED_ORIGINS"),
    ],
)
def test_a_channel_without_a_usable_secret_or_url_is_refused_naming_the_variable(env, named):
    with pytest.raises(credentials.CredentialsError, match=named):
        credentials.build(env)


def test_the_callback_error_says_how_to_opt_out():
    with pytest.raises(credentials.CredentialsError, match="CITYBOT_INSECURE_CALLBACK=1"):
        credentials.build(CALLBACK)


def test_the_unsigned_callback_opt_out_is_explicit_and_said_in_capitals():
    built = credentials.build({**CALLBACK, "CITYBOT_INSECURE_CALLBACK": "1"})
    assert built[credentials.CALLBACK] == {"url": "${CALLBACK_URL}", "allow_unsigned": True}
    assert "UNSIGNED" in credentials.summary(built) and "ANY USER" in credentials.summary(built)
    for not_one in ("true", "yes", "0", ""):
        with pytest.raises(credentials.CredentialsError, match="CALLBACK_SECRET"):
            credentials.build({**CALLBACK, "CITYBOT_INSECURE_CALLBACK": not_one})
    # A secret, when set, wins over the opt-out.
    signed = credentials.build({**CALLBACK, "CALLBACK_SECRET": "k" * 40, "CITYBOT_INSECURE_CALLBACK": "1"})
    assert signed[credentials.CALLBACK] == {"url": "${CALLBACK_URL}", "secret": "${CALLBACK_SECRET}"}


def test_an_unsigned_callback_channel_says_so_loudly_when_the_server_starts(caplog):
    from citybot.channels.callback import CallbackInput

    async def on_new_message(_message: object) -> None:
        return None

    unsigned = CallbackInput.from_credentials({"url": "http://127.0.0.1:9/bot", "allow_unsigned": True})
    with caplog.at_level(logging.WARNING, logger="citybot.channels.callback"):
        unsigned.blueprint(on_new_message)
    assert "INSECURE" in caplog.text and "CITYBOT_INSECURE_CALLBACK=1" in caplog.text
    caplog.clear()
    signed = CallbackInput.from_credentials({"url": "http://127.0.0.1:9/bot", "secret": "k" * 40})
    with caplog.at_level(logging.WARNING, logger="citybot.channels.callback"):
        signed.blueprint(on_new_message)
    assert "INSECURE" not in caplog.text


def test_loopback_api_urls_and_good_secrets_are_accepted():
    env = {
        **TELEGRAM,
        "TELEGRAM_SECRET_TOKEN": GOOD_TELEGRAM_SECRET,
        "TELEGRAM_API_URL": "http://127.0.0.1:8081",
        "SLACK_TOKEN": "xoxb",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": "https://slack-gov.com/api/",
    }
    built = credentials.build(env)
    assert built[credentials.TELEGRAM]["secret_token"] == "${TELEGRAM_SECRET_TOKEN}"
    assert GOOD_TELEGRAM_SECRET not in credentials.render(built)


def _rasa_channels(tmp_path, text: str):
    from rasa.core.run import create_http_input_channels

    path = tmp_path / "credentials.yml"
    path.write_text(text)
    return create_http_input_channels(None, str(path))


@pytest.mark.parametrize(
    "text, named",
    [
        ("citybot.channels.callback.CallbackInput:\n  url: http://127.0.0.1:9/bot\n", "CALLBACK_SECRET"),
        (
            "citybot.channels.telegram.TelegramInput:\n  access_token: '1:a'\n  verify: b\n"
            "  webhook_url: https://x.example/webhooks/telegram/webhook\n",
            "TELEGRAM_SECRET_TOKEN",
        ),
        (
            "citybot.channels.slack.SlackInput:\n  slack_token: xoxb\n  slack_signing_secret: s\n"
            "  api_url: http://slack.example/api/\n",
            "SLACK_API_URL",
        ),
    ],
)
def test_rasa_refuses_a_hand_written_credentials_file_without_them(tmp_path, text, named):
    """The channels check too, for credentials files not written by `credentials.build`."""
    from rasa.shared.exceptions import InvalidConfigException

    with pytest.raises(InvalidConfigException, match=named):
        _rasa_channels(tmp_path, text)


def test_the_launcher_stops_at_once_naming_the_missing_secret(tmp_path):
    """`make run` with CALLBACK_URL but no CALLBACK_SECRET: it stops before starting any server."""
    ports = {name: str(free_port()) for name in ("RASA_PORT", "ACTIONS_PORT", "WEBCHAT_PORT")}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALLBACK_", "TELEGRAM_", "SLACK_"))}
    env.update(ports, CALLBACK_URL="https://platform.example.org/bot", CITYBOT_VAR=str(tmp_path))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "citybot.launcher"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,
    )
    assert result.returncode == 1
    assert "CALLBACK_SECRET" in result.stderr and "Nothing was started." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert time.monotonic() - started < 60, "it should stop before loading anything"


# --- The callback signature ----------------------------------------------------------------

SECRET = "platform-and-bot-shared-secret-0123456789"
BODY = b'{"sender": "user-42", "message": "bonjour"}'


def _headers(stamp: int | str, body: bytes = BODY, secret: str = SECRET) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(stamp), SIGNATURE_HEADER: signature(secret, str(stamp), body)}


def test_a_fresh_signature_of_the_body_is_accepted():
    now = time.time()
    assert signature_problem(SECRET, _headers(int(now)), BODY, now) is None
    assert signature_problem(SECRET, _headers(int(now) - MAX_AGE_S + 5), BODY, now) is None


def test_the_signature_recipe_is_the_documented_one():
    """docs/security.md: hex HMAC-SHA256 over "v0:" + timestamp + ":" + body, prefixed "v0="."""
    import hashlib
    import hmac

    expected = "v0=" + hmac.new(SECRET.encode(), b"v0:1700000000:" + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, "1700000000", BODY) == expected


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_the_curl_and_openssl_recipe_of_the_readme_signs_the_same():
    """The README's shell recipe, run as written, gives the signature the channel expects."""
    body = '{"sender": "user-42", "message": "bonjour é %s"}'
    recipe = (
        'sig=$(printf \'v0:%s:%s\' "$stamp" "$body" | openssl dgst -sha256 -hmac "$CALLBACK_SECRET" -hex'
        " | sed 's/^.* //'); echo \"v0=$sig\""
    )
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert recipe.split("; echo")[0] in readme
    env = {"PATH": os.environ["PATH"], "CALLBACK_SECRET": SECRET, "stamp": "1700000000", "body": body}
    result = subprocess.run(["bash", "-c", recipe], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == signature(SECRET, "1700000000", body.encode())


@pytest.mark.parametrize(
    "case",
    [
        "unsigned",
        "no timestamp",
        "stale",
        "future",
        "other body",
        "other secret",
        "not a number",
        "huge",
        "non-ASCII",
    ],
)
def test_unsigned_stale_or_forged_requests_are_refused(case):
    now = time.time()
    fresh = int(now)
    headers = {
        "unsigned": {},
        "no timestamp": {SIGNATURE_HEADER: _headers(fresh)[SIGNATURE_HEADER]},
        "stale": _headers(fresh - MAX_AGE_S - 5),
        "future": _headers(fresh + MAX_AGE_S + 5),
        "other body": _headers(fresh, body=b'{"sender": "victim", "message": "x"}'),
        "other secret": _headers(fresh, secret="guess"),
        "not a number": _headers("1e9"),
        "huge": _headers("9" * 5000),
        # Sanic hands over non-UTF-8 header bytes as surrogate escapes.
        "non-ASCII": {TIMESTAMP_HEADER: str(fresh), SIGNATURE_HEADER: "v0=\udce9" + "0" * 63},
    }[case]
    assert signature_problem(SECRET, headers, BODY, now)


# --- Web session ids ----------------------------------------------------------------------


def test_only_ids_issued_with_the_secret_are_recognised():
    tokens = SessionTokens("s" * 64)
    issued = tokens.issue()
    session = tokens.session(issued)
    assert session is not None and issued.startswith(session + ".")
    assert SessionTokens("t" * 64).session(issued) is None  # another server's secret
    mac = issued.split(".")[1]
    for bad in (
        issued + "\n",
        issued.upper(),
        f"{session}.{'0' * 32}",
        session,
        f"{'0' * 32}.{mac}",
        None,
        42,
    ):
        assert tokens.session(bad) is None, bad


def test_the_session_secret_is_generated_once_private_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("CITYBOT_SESSION_SECRET", raising=False)
    monkeypatch.setenv("CITYBOT_VAR", str(tmp_path / "run"))
    first = session_secret()
    path = tmp_path / "run" / "session-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret() == first and len(first) >= 32  # a restart keeps the pages' sessions
    monkeypatch.setenv("CITYBOT_SESSION_SECRET", "e" * 40)  # replicas share one
    assert session_secret() == "e" * 40
    monkeypatch.setenv("CITYBOT_SESSION_SECRET", "short")
    with pytest.raises(SessionSecretError, match="CITYBOT_SESSION_SECRET"):
        session_secret()


# --- Page origins and API URLs --------------------------------------------------------------


def test_page_origins_default_to_the_loopback_page_and_can_be_listed():
    assert page_origins({}) == ("http://localhost:8080", "http://127.0.0.1:8080")
    assert page_origins({"WEBCHAT_PORT": "9000"}) == ("http://localhost:9000", "http://127.0.0.1:9000")
    listed = page_origins({"CITYBOT_ALLOWED_ORIGINS": "https://Chat.Example.org:443/, http://[::1]:8080"})
    assert listed == ("https://chat.example.org", "http://[::1]:8080")
    with pytest.raises(OriginError):
        page_origins({"CITYBOT_ALLOWED_ORIGINS": "chat.example.org"})


@pytest.mark.parametrize(
    "origin, allowed",
    [
        ("https://chat.example.org", True),
        ("https://CHAT.example.org", True),
        (None, True),  # not a browser page
        ("https://chat.example.org.evil.example", False),
        ("http://chat.example.org", False),
        ("https://chat.example.org:8443", False),
        ("null", False),
        ("https://chat.example.org,https://evil.example", False),  # two Origin headers, joined
    ],
)
def test_only_listed_origins_connect(origin, allowed):
    assert origin_allowed(origin, ("https://chat.example.org",)) is allowed


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://api.telegram.org", True),
        ("http://127.0.0.1:8081", True),
        ("http://localhost/slack/", True),
        ("http://[::1]:9000", True),
        ("http://api.telegram.org", False),
        ("http://127.0.0.1.evil.example", False),
        ("ftp://127.0.0.1", False),
        ("api.telegram.org", False),
    ],
)
def test_bot_tokens_go_over_https_or_stay_on_this_machine(url, ok):
    assert (api_url_problem(url) is None) is ok


# --- Logs and outgoing texts ------------------------------------------------------------------


def test_aiogram_never_logs_the_webhook_secret_even_at_debug(caplog):
    """`rasa run --debug` sets the root logger to DEBUG; aiogram logs each call's data there."""
    from citybot.channels.telegram import TelegramInput

    recorder = Recorder()
    aiogram = logging.getLogger("aiogram")
    previous = aiogram.level
    aiogram.setLevel(logging.NOTSET)
    try:
        channel = TelegramInput.from_credentials(
            {
                "access_token": TELEGRAM_TOKEN,
                "verify": TELEGRAM_BOT_USERNAME,
                "webhook_url": "https://bot.example.org/webhooks/telegram/webhook",
                "secret_token": GOOD_TELEGRAM_SECRET,
                "api_url": recorder.url,
            }
        )

        async def register() -> None:
            await channel._register_webhook()
            await channel.get_output_channel().session.close()

        with caplog.at_level(logging.DEBUG):  # the root logger, as --debug does
            asyncio.run(register())
        assert recorder.matching("/setWebhook"), "the webhook was not registered"
        assert GOOD_TELEGRAM_SECRET in str(recorder.matching("/setWebhook")[0].body)
        assert GOOD_TELEGRAM_SECRET not in caplog.text
        assert "webhook registered" in caplog.text  # the channel's own INFO line still shows
    finally:
        aiogram.setLevel(previous)
        recorder.stop()


def test_slack_posts_escape_what_mrkdwn_would_interpret():
    """An echoed "city" of <!channel> must not notify a whole Slack channel."""
    from citybot.channels.slack import SlackInput

    recorder = Recorder()
    try:
        channel = SlackInput.from_credentials(
            {"slack_token": "xoxb-test", "slack_signing_secret": "s", "api_url": recorder.url + "/slack/"}
        )
        output = channel.get_output_channel("D42")
        message = {"text": "No information about <!channel> & <https://evil.example|Évry>.", "buttons": []}
        asyncio.run(output.send_response("slack:U1", message))
        asyncio.run(
            output.send_response(
                "slack:U1", {"text": "<!here>?", "buttons": [{"title": "<b>", "payload": "/x"}]}
            )
        )
        posts = [r.body for r in recorder.matching("/slack/chat.postMessage")]
        assert (
            posts[0]["text"]
            == "No information about &lt;!channel&gt; &amp; &lt;https://evil.example|Évry&gt;."
        )
        assert posts[1]["text"] == "&lt;!here&gt;?"
        assert all(post["channel"] == "D42" for post in posts)
    finally:
        recorder.stop()
