"""Channel code without servers or model: credentials, language hints, request checks,
the page server, and Telegram's start-up webhook registration (loopback only).

The security checks of the channels (signatures, secrets, origins, session ids, limits) have their
own unit tests in tests/security/test_channel_checks.py, and are tried against the real servers
in tests/security/test_channels.py."""

import asyncio
import json
import logging
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from sanic.exceptions import InvalidUsage
from servers import TELEGRAM_BOT_USERNAME, TELEGRAM_TOKEN, Recorder, free_port

from citybot import webchat
from citybot.channels import credentials
from citybot.channels.callback import parse_request
from citybot.channels.request_checks import MAX_MESSAGE_CHARS
from citybot.channels.socketio import parse_metadata
from citybot.channels.telegram import TelegramInput, sender_language, update_problem
from citybot.language import normalise_code
from citybot.language.hint import metadata_with_language

REPO_ROOT = Path(__file__).resolve().parents[1]

FULL_ENV = {
    "CALLBACK_URL": "http://127.0.0.1:9/bot",
    "CALLBACK_SECRET": "s3cret-callback-signing-key",
    "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN,
    "TELEGRAM_VERIFY": TELEGRAM_BOT_USERNAME,
    "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "s3cret-telegram-webhook",
    "SLACK_TOKEN": "xoxb-secret-slack-token",
    "SLACK_SIGNING_SECRET": "secret-signing",
    "SLACK_API_URL": "http://127.0.0.1:9/slack/",
}


# --- credentials -------------------------------------------------------------------


def test_no_environment_gives_only_the_public_channels():
    built = credentials.build({})
    assert list(built) == [credentials.REST, credentials.SOCKETIO]
    assert built[credentials.SOCKETIO]["session_persistence"] is True
    assert built[credentials.SOCKETIO]["metadata_key"] == "customData"
    assert built[credentials.SOCKETIO]["allowed_origins"] == [
        "http://localhost:8080",
        "http://127.0.0.1:8080",
    ]


def test_committed_credentials_file_is_the_generated_default():
    committed = yaml.safe_load((REPO_ROOT / "bot" / "credentials.yml").read_text())
    assert committed == credentials.build({})


def test_full_environment_enables_every_channel_with_placeholders_not_secrets():
    built = credentials.build(FULL_ENV)
    assert built[credentials.TELEGRAM]["access_token"] == "${TELEGRAM_ACCESS_TOKEN}"
    assert built[credentials.SLACK]["api_url"] == "${SLACK_API_URL}"
    assert "slack_channel" not in built[credentials.SLACK]  # optional and unset
    assert built[credentials.CALLBACK] == {"url": "${CALLBACK_URL}", "secret": "${CALLBACK_SECRET}"}
    text = credentials.render(built)
    for secret in ("s3cret", "xoxb-secret-slack-token", "secret-signing", TELEGRAM_TOKEN):
        assert secret not in text


@pytest.mark.parametrize(
    "present, missing",
    [
        ({"SLACK_TOKEN": "x"}, "SLACK_SIGNING_SECRET"),
        ({"TELEGRAM_ACCESS_TOKEN": "1:a", "TELEGRAM_VERIFY": "bot"}, "TELEGRAM_WEBHOOK_URL"),
        ({"SLACK_TOKEN": "x", "SLACK_SIGNING_SECRET": "   "}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_partly_configured_channel_is_an_error_naming_what_is_missing(present, missing):
    with pytest.raises(credentials.CredentialsError, match=missing):
        credentials.build(present)


def test_optional_variable_alone_does_not_enable_a_channel():
    assert credentials.SLACK not in credentials.build({"SLACK_CHANNEL": "#general"})


def test_rasa_reads_the_written_file_with_values_from_the_environment(tmp_path, monkeypatch):
    """The real Rasa loader expands our placeholders and builds our channel classes."""
    from rasa.core.run import create_http_input_channels

    for name, value in FULL_ENV.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "credentials.yml"
    credentials.write_credentials(FULL_ENV, path)
    channels = {
        type(c).__module__ + "." + type(c).__name__: c for c in create_http_input_channels(None, str(path))
    }
    assert set(channels) >= {
        credentials.SOCKETIO,
        credentials.CALLBACK,
        credentials.TELEGRAM,
        credentials.SLACK,
    }
    telegram = channels[credentials.TELEGRAM]
    assert telegram.access_token == TELEGRAM_TOKEN
    assert telegram.secret_token == "s3cret-telegram-webhook"
    slack = channels[credentials.SLACK]
    assert slack.slack_signing_secret == "secret-signing"
    assert slack.get_output_channel("D1").client.base_url == "http://127.0.0.1:9/slack/"
    assert channels[credentials.CALLBACK].callback_endpoint.url == "http://127.0.0.1:9/bot"
    assert channels[credentials.CALLBACK].secret == "s3cret-callback-signing-key"
    assert channels[credentials.SOCKETIO].allowed_origins == (
        "http://localhost:8080",
        "http://127.0.0.1:8080",
    )


def test_rasa_refuses_a_file_whose_variable_is_unset(tmp_path, monkeypatch):
    """Why we generate the file: Rasa fails on unset ${VAR} instead of skipping a channel."""
    from rasa.core.run import create_http_input_channels
    from rasa.shared.exceptions import RasaException

    monkeypatch.delenv("CALLBACK_URL", raising=False)
    monkeypatch.setenv("CALLBACK_SECRET", "x" * 32)
    path = tmp_path / "credentials.yml"
    credentials.write_credentials(
        {"CALLBACK_URL": "http://127.0.0.1:9/bot", "CALLBACK_SECRET": "x" * 32}, path
    )
    with pytest.raises(RasaException, match="CALLBACK_URL"):
        create_http_input_channels(None, str(path))


def test_command_writes_the_file_and_fails_clearly_on_partial_configuration(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CALLBACK_URL", "http://127.0.0.1:9/bot")
    monkeypatch.setenv("CALLBACK_SECRET", "x" * 32)
    out = tmp_path / "run" / "credentials.yml"
    assert credentials.main(["--out", str(out)]) == 0
    assert credentials.CALLBACK in yaml.safe_load(out.read_text())
    assert "callback: enabled" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_TOKEN", "xoxb")
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    assert credentials.main(["--out", str(out)]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err


# --- language hint and request parsing ------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-CA", "fr"),
        ("en_GB", "en"),
        (" en ", "en"),
        ("pt-br", None),
        ("", None),
        (None, None),
        (42, None),
        (["fr"], None),
    ],
)
def test_channel_language_tags_are_read_as_codes(raw, expected):
    """Channels read tags with the bot's one normaliser (`citybot.language.codes`)."""
    assert normalise_code(raw) == expected


def test_metadata_keeps_only_a_usable_language():
    """The bot reads nothing else, and Rasa stores and resends the metadata at every turn."""
    assert metadata_with_language({"language": "de", "page": "x"}) == {}
    assert metadata_with_language({"language": "fr-BE", "page": "x" * 10_000}) == {"language": "fr"}
    assert metadata_with_language("junk") == {}
    assert metadata_with_language(None, "en-US") == {"language": "en"}


def test_socketio_metadata():
    assert parse_metadata('{"language": "fr"}') == {"language": "fr"}
    assert parse_metadata("{not json") == {}
    assert parse_metadata(["fr"]) == {}
    assert parse_metadata("[" * 100_000 + "]" * 100_000) == {}  # too deep for json: RecursionError


@pytest.mark.parametrize(
    "body, reason",
    [
        (None, "JSON object"),
        ([], "JSON object"),
        ({"message": "hi"}, "sender"),
        ({"sender": " ", "message": "hi"}, "sender"),
        ({"sender": "u1"}, "message"),
    ],
)
def test_callback_request_problems(body, reason):
    with pytest.raises(InvalidUsage, match=reason):
        parse_request(body)


def test_callback_requests_are_checked_like_rest_ones():
    """Same checks as the REST channel: long texts cut and cleaned, number senders accepted."""
    sender, text, _ = parse_request({"sender": 7, "message": "x\x00" * 6000})
    assert (sender, text) == ("7", "x" * (MAX_MESSAGE_CHARS // 2))


def test_callback_request_with_language():
    assert parse_request(
        {"sender": "u1", "message": "Bonjour", "metadata": {"language": "fr", "other": [1] * 1000}}
    ) == ("u1", "Bonjour", {"language": "fr"})


def test_telegram_language_from_message_edit_and_button():
    sender = {"id": 7, "is_bot": False, "first_name": "A", "language_code": "fr-CA"}
    assert sender_language({"update_id": 1, "message": {"from": sender}}) == "fr-CA"
    assert sender_language({"update_id": 1, "edited_message": {"from": sender}}) == "fr-CA"
    assert sender_language({"update_id": 1, "callback_query": {"from": sender}}) == "fr-CA"
    assert sender_language({"update_id": 1, "message": {}}) is None
    assert update_problem({"update_id": 1}) is None
    assert update_problem({"message": {}}) and update_problem("x")
    assert update_problem({"update_id": 1, "message": "hi"})


# --- Telegram start-up: the webhook registration ----------------------------------------


def _telegram(api_url: str) -> TelegramInput:
    return TelegramInput.from_credentials(
        {
            "access_token": TELEGRAM_TOKEN,
            "verify": TELEGRAM_BOT_USERNAME,
            "webhook_url": "https://bot.example.org/webhooks/telegram/webhook",
            "secret_token": "s3cret-telegram-webhook",
            "api_url": api_url,
        }
    )


def test_telegram_webhook_failure_is_logged_not_raised(caplog):
    """Telegram unreachable (a closed loopback port): an error log, no exception."""
    channel = _telegram(f"http://127.0.0.1:{free_port()}")

    async def register():
        await channel._register_webhook()
        await channel.get_output_channel().session.close()

    with caplog.at_level(logging.ERROR, logger="citybot.channels.telegram"):
        asyncio.run(register())
    assert "could not register the webhook" in caplog.text
    assert "https://bot.example.org/webhooks/telegram/webhook" in caplog.text


def test_telegram_webhook_is_registered_with_the_secret_token():
    recorder = Recorder()
    try:
        channel = _telegram(recorder.url)

        async def register():
            await channel._register_webhook()
            await channel.get_output_channel().session.close()

        asyncio.run(register())
        calls = recorder.matching("/setWebhook")
        assert len(calls) == 1 and calls[0].path == f"/bot{TELEGRAM_TOKEN}/setWebhook"
        body = calls[0].body
        assert "s3cret-telegram-webhook" in json.dumps(body)
        assert "bot.example.org" in json.dumps(body)
    finally:
        recorder.stop()


# --- the page server ----------------------------------------------------------------------


@pytest.fixture
def page_server():
    if not (webchat.WEBCHAT_DIR / webchat.VENDOR_BUNDLE).is_file():
        pytest.skip("rasa-webchat is not installed: run `npm ci` in webchat/")
    server = webchat.make_server("127.0.0.1", 0, rasa_port=5999)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _get(url: str, method: str = "GET"):
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_page_is_served_with_a_strict_content_security_policy(page_server):
    status, headers, body = _get(page_server + "/")
    assert status == 200 and b'src="/vendor/rasa-webchat.js"' in body
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "connect-src 'self' http://127.0.0.1:5999 ws://127.0.0.1:5999" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_config_points_the_page_at_rasa_on_the_hostname_used(page_server):
    status, _, body = _get(page_server + "/config.js")
    assert status == 200
    assert json.loads(body.split(b"=", 1)[1].rstrip(b";\n"))["socketUrl"] == "http://127.0.0.1:5999"
    assert webchat.rasa_url("localhost:8080", 5005, None) == "http://localhost:5005"
    assert webchat.rasa_url('evil"host', 5005, None) == "http://127.0.0.1:5005"
    assert webchat.rasa_url("x", 5005, "https://bot.example.org/") == "https://bot.example.org"


def test_vendor_bundle_is_local_and_calls_no_font_cdn(page_server):
    status, headers, body = _get(page_server + "/vendor/rasa-webchat.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"WebChat" in body and b"fonts.googleapis.com" not in body


def test_unknown_paths_and_methods_are_refused(page_server):
    assert _get(page_server + "/../pyproject.toml")[0] == 404
    assert _get(page_server + "/node_modules/rasa-webchat/package.json")[0] == 404
    assert _get(page_server + "/", method="POST")[0] == 405


def test_missing_rasa_webchat_says_to_run_npm_ci(tmp_path):
    for name in ("index.html", "app.js", "style.css"):
        (tmp_path / name).write_text("x")
    with pytest.raises(webchat.WebchatSetupError, match="npm ci"):
        webchat.make_server("127.0.0.1", 0, webchat_dir=tmp_path)


def test_options_default_to_the_environment_and_bad_ports_are_refused(capsys):
    args = webchat.parse_args([], {"WEBCHAT_PORT": "8181", "RASA_PORT": "5999"})
    assert (args.host, args.port, args.rasa_port, args.rasa_url) == ("127.0.0.1", 8181, 5999, None)
    args = webchat.parse_args(["--port", "9000", "--rasa-url", "http://localhost:5005"], {})
    assert (args.port, args.rasa_url) == (9000, "http://localhost:5005")
    with pytest.raises(SystemExit):
        webchat.parse_args([], {"WEBCHAT_PORT": "80a"})
    assert "'80a' is not a port number" in capsys.readouterr().err


def test_slack_without_signing_secret_refuses_to_start():
    from rasa.shared.exceptions import InvalidConfigException

    from citybot.channels.slack import SlackInput

    with pytest.raises(InvalidConfigException, match="signing secret"):
        SlackInput.from_credentials({"slack_token": "xoxb-x"})
