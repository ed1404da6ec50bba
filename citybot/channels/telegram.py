"""Telegram channel: required secret token, language hint, non-fatal webhook set-up.

What Rasa 3.6's ``TelegramInput`` does that we change:

- Anyone who knows the webhook URL can post fake updates, as any Telegram user. Here
  ``secret_token`` (``TELEGRAM_SECRET_TOKEN``) is required: it is given to Telegram with the webhook
  and every update must carry it in ``X-Telegram-Bot-Api-Secret-Token`` (compared in constant time,
  as bytes: a non-ASCII header is a 403 like any wrong one, not a 500). ``/set_webhook``, which
  makes the server call Telegram, needs the same header.
- It answers 500 to a ``GET`` on the webhook (405 here), and to updates it has nothing to answer,
  such as ``my_chat_member`` when a user blocks the bot; Telegram then retries them. Here they get
  a 200 ``ignored``. Malformed updates get a 400 instead of an exception.
- It registers the webhook with the Telegram API while the blueprint is built and raises when
  that fails, so without internet the whole server does not start. Here the registration runs
  after the server has started; a failure is logged as an error saying what to do, and the
  server keeps serving the other channels.
- It passes no metadata. Here the sender's ``language_code`` (``"fr"``, ``"fr-CA"``)
  becomes ``{"language": "fr"}``, the hint described in docs/architecture.md.
- It calls ``getMe`` on every update to compare the bot's username with ``verify``.
  Here the answer is fetched once and cached.
- ``api_url`` points the bot at another Bot API server (a self-hosted one, or a local
  receiver in tests); the default is Telegram's. The token travels in its URL path, so only
  ``https://`` is accepted, or ``http://`` to this machine (`api_urls`).
- aiogram logs every Bot API call's data at DEBUG, the ``setWebhook`` secret included, and
  ``rasa run --debug`` would print it: its logger is kept at INFO at least.

The conversation id is ``telegram:<chat id>`` (`conversation_ids`); texts are cut and cleaned like
every channel's (`inbound`).

credentials.yml::

    citybot.channels.telegram.TelegramInput:
      access_token: "123456:ABC..."
      verify: my_bot_username
      webhook_url: https://example.org/webhooks/telegram/webhook
      secret_token: a-long-random-string      # required: [A-Za-z0-9_-], 16 to 256 characters
      api_url: https://api.telegram.org       # optional
"""

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from citybot.channels.api_urls import api_url_problem
from citybot.channels.conversation_ids import PlatformIdOutput
from citybot.channels.inbound import checked_messages
from citybot.channels.telegram_secret import SECRET_HEADER, secret_matches, secret_problem
from citybot.language.hint import metadata_with_language

logger = logging.getLogger(__name__)

#: The update parts Rasa's handler answers.
_UPDATE_PARTS = ("message", "edited_message", "callback_query")
#: aiogram logs each call's data at DEBUG (`aiogram/bot/api.py`), ``secret_token`` included.
_AIOGRAM_LOGGER = "aiogram"


def quiet_aiogram() -> None:
    """Keep aiogram's logger at INFO at least, so no DEBUG line shows a call's data."""
    aiogram = logging.getLogger(_AIOGRAM_LOGGER)
    if aiogram.level < logging.INFO:  # NOTSET (0) too: the root logger's DEBUG would then apply
        aiogram.setLevel(logging.INFO)


def sender_language(update: Any) -> str | None:
    """The ``language_code`` of the user who sent ``update`` (a Bot API Update dict)."""
    if not isinstance(update, dict):
        return None
    for part in _UPDATE_PARTS:
        section = update.get(part)
        if isinstance(section, dict) and isinstance(section.get("from"), dict):
            code = section["from"].get("language_code")
            return code if isinstance(code, str) else None
    return None


def update_problem(update: Any) -> str | None:
    """Why ``update`` cannot be handled, or ``None`` when it looks like an Update."""
    if not isinstance(update, dict):
        return "the body must be a JSON object (a Telegram Update)"
    if not isinstance(update.get("update_id"), int):
        return "'update_id' must be an integer"
    for part in _UPDATE_PARTS:
        if part in update and not isinstance(update[part], dict):
            return f"'{part}' must be an object"
    return None


def has_answerable_part(update: dict[str, Any]) -> bool:
    """Whether the update holds something Rasa's handler answers, in a chat it can answer in.

    Telegram also sends updates the bot has nothing to say to (``my_chat_member`` when a user blocks
    the bot, ``channel_post``, a button pressed under an inline message, which has no chat).
    """
    for part in _UPDATE_PARTS:
        section = update.get(part)
        if not isinstance(section, dict):
            continue
        message = section.get("message") if part == "callback_query" else section
        return isinstance(message, dict) and isinstance(message.get("chat"), dict)
    return False


class TelegramOutput(PlatformIdOutput, RasaTelegramOutput):
    """Rasa's Telegram output with a configurable server, cached getMe, a secret, and the chat id
    taken from the conversation id."""

    def __init__(
        self,
        access_token: str | None,
        api_url: str | None = None,
        secret_token: str | None = None,
    ) -> None:
        server = TelegramAPIServer.from_base(api_url) if api_url else TELEGRAM_PRODUCTION
        Bot.__init__(self, access_token, server=server)
        self.secret_token = secret_token
        self._me: Any = None

    async def get_me(self) -> Any:
        """The bot's own user, asked once: it does not change while we run."""
        if self._me is None:
            self._me = await super().get_me()
        return self._me

    async def set_webhook(self, url: str, **kwargs: Any) -> Any:
        """Register ``url`` with our secret token.

        aiogram 2.15 predates the ``secret_token`` parameter, so the call is built here.
        """
        payload: dict[str, Any] = {"url": url}
        if self.secret_token:
            payload["secret_token"] = self.secret_token
        return await self.request("setWebhook", payload)


class TelegramInput(RasaTelegramInput):
    """Rasa's Telegram input with the changes listed in the module docstring."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Read the stock keys plus the required ``secret_token`` and the optional ``api_url``."""
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable: Rasa raised above")
        secret, api_url = credentials.get("secret_token"), credentials.get("api_url") or None
        problem = secret_problem(secret)
        if problem:
            raise InvalidConfigException(f"Telegram's secret_token (TELEGRAM_SECRET_TOKEN) {problem}.")
        url_problem = api_url_problem(str(api_url)) if api_url is not None else None
        if url_problem:
            raise InvalidConfigException(f"Telegram's api_url (TELEGRAM_API_URL): {url_problem}.")
        channel = cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
        )
        channel.secret_token = str(secret)
        channel.api_url = api_url
        quiet_aiogram()
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secret_token: str = ""
        self.api_url: str | None = None
        self._output: TelegramOutput | None = None

    def get_output_channel(self) -> TelegramOutput:
        """One output channel, created without any network call."""
        if self._output is None:
            self._output = TelegramOutput(self.access_token, self.api_url, self.secret_token)
        return self._output

    def get_metadata(self, request: Request) -> dict[str, Any]:
        """The language hint from the sender's ``language_code``."""
        return metadata_with_language({}, sender_language(request.json))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's routes, guarded by our checks, with the webhook set after start."""
        webhook: Blueprint = super().blueprint(checked_messages(self.name(), on_new_message))

        # A plain function, not the bound method: Sanic 21.12's blueprint only
        # registers middleware given as a function (others are taken as decorator use).
        async def guard(request: Request) -> HTTPResponse | None:
            return await self._reject_bad_update(request)

        webhook.middleware(guard, "request")
        webhook.listener("after_server_start")(self._register_webhook)
        return webhook

    async def _reject_bad_update(self, request: Request) -> HTTPResponse | None:
        """Refuse requests without our secret, GETs on the webhook and bodies that are not Updates;
        answer 200 "ignored" to updates without anything to answer."""
        if request.path.endswith("/set_webhook"):
            return None if self._has_secret(request) else _forbidden()
        if not request.path.endswith("/webhook"):
            return None
        if request.method != "POST":
            return response.text("use POST", status=HTTPStatus.METHOD_NOT_ALLOWED, headers={"Allow": "POST"})
        if not self._has_secret(request):
            return _forbidden()
        try:
            update = request.json
            problem = update_problem(update)
        except Exception:  # noqa: BLE001 - malformed JSON
            problem = "the body is not valid JSON"
        if problem:
            return response.json({"error": problem}, status=HTTPStatus.BAD_REQUEST)
        if not has_answerable_part(update):
            logger.info("Ignored a Telegram update without a message to answer.")
            return response.text("ignored")
        return None

    def _has_secret(self, request: Request) -> bool:
        if secret_matches(request.headers.get(SECRET_HEADER), self.secret_token):
            return True
        logger.warning("Refused a Telegram request without the right secret token (%s).", request.path)
        return False

    async def _register_webhook(self, *_: Any) -> None:
        """Tell Telegram where to send updates; on failure log why, keep running."""
        try:
            await self.get_output_channel().set_webhook(self.webhook_url)
        except Exception as error:  # noqa: BLE001 - network and Telegram API errors alike
            logger.error(
                "Telegram: could not register the webhook %s (%s: %s). The server "
                "keeps running, but Telegram will not deliver messages until the "
                "webhook is set: check the network and TELEGRAM_* settings, then "
                "restart, or call /webhooks/telegram/set_webhook with the "
                "X-Telegram-Bot-Api-Secret-Token header.",
                self.webhook_url,
                type(error).__name__,
                error,
            )
        else:
            logger.info("Telegram: webhook registered at %s", self.webhook_url)


def _forbidden() -> HTTPResponse:
    return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
