"""Telegram channel: language hint, non-fatal webhook set-up, optional secret token.

What Rasa 3.6's ``TelegramInput`` does that we change:

- It registers the webhook with the Telegram API while the blueprint is built and
  raises when that fails, so without internet the whole server does not start. Here
  the registration runs after the server has started; a failure is logged as an
  error saying what to do, and the server keeps serving the other channels.
- It passes no metadata. Here the sender's ``language_code`` (``"fr"``, ``"fr-CA"``)
  becomes ``{"language": "fr"}``, the hint described in docs/architecture.md.
- It calls ``getMe`` on every update to compare the bot's username with ``verify``.
  Here the answer is fetched once and cached.
- Anyone who knows the webhook URL can post fake updates. When ``secret_token`` is
  configured, it is given to Telegram with the webhook and every update must carry it
  in ``X-Telegram-Bot-Api-Secret-Token``; others get a 403. Malformed updates get a
  400 instead of an exception.
- ``api_url`` points the bot at another Bot API server (a self-hosted one, or a local
  receiver in tests); the default is Telegram's.

credentials.yml::

    citybot.channels.telegram.TelegramInput:
      access_token: "123456:ABC..."
      verify: my_bot_username
      webhook_url: https://example.org/webhooks/telegram/webhook
      secret_token: a-long-random-string      # optional, recommended
      api_url: https://api.telegram.org       # optional
"""

import hmac
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from citybot.language.hint import metadata_with_language

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_UPDATE_PARTS = ("message", "edited_message", "callback_query")


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
    return None


class TelegramOutput(RasaTelegramOutput):
    """Rasa's Telegram output with a configurable server, cached getMe and a secret."""

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
        """Register ``url``, with our secret token when one is configured.

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
        """Read the stock keys plus the optional ``secret_token`` and ``api_url``."""
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable: Rasa raised above")
        channel = cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
        )
        channel.secret_token = credentials.get("secret_token") or None
        channel.api_url = credentials.get("api_url") or None
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secret_token: str | None = None
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
        webhook: Blueprint = super().blueprint(on_new_message)

        # A plain function, not the bound method: Sanic 21.12's blueprint only
        # registers middleware given as a function (others are taken as decorator use).
        async def guard(request: Request) -> HTTPResponse | None:
            return await self._reject_bad_update(request)

        webhook.middleware(guard, "request")
        webhook.listener("after_server_start")(self._register_webhook)
        return webhook

    async def _reject_bad_update(self, request: Request) -> HTTPResponse | None:
        """Refuse updates without our secret, and bodies that are not Updates."""
        if request.method != "POST" or not request.path.endswith("/webhook"):
            return None
        if self.secret_token and not hmac.compare_digest(
            request.headers.get(SECRET_HEADER, ""), self.secret_token
        ):
            logger.warning("Refused a Telegram update without the right secret token.")
            return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
        try:
            problem = update_problem(request.json)
        except Exception:  # noqa: BLE001 - malformed JSON
            problem = "the body is not valid JSON"
        if problem:
            return response.json({"error": problem}, status=HTTPStatus.BAD_REQUEST)
        return None

    async def _register_webhook(self, *_: Any) -> None:
        """Tell Telegram where to send updates; on failure log why, keep running."""
        try:
            await self.get_output_channel().set_webhook(self.webhook_url)
        except Exception as error:  # noqa: BLE001 - network and Telegram API errors alike
            logger.error(
                "Telegram: could not register the webhook %s (%s: %s). The server "
                "keeps running, but Telegram will not deliver messages until the "
                "webhook is set: check the network and TELEGRAM_* settings, then "
                "restart or call GET /webhooks/telegram/set_webhook.",
                self.webhook_url,
                type(error).__name__,
                error,
            )
        else:
            logger.info("Telegram: webhook registered at %s", self.webhook_url)
