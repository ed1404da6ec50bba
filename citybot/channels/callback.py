"""Callback channel: signed requests, checked bodies, and the language hint passed to the bot.

What Rasa 3.6's ``CallbackInput`` does that we change:

- It accepts any POST, so anyone who reaches the server could post as any user of the platform and
  make the bot message that user. Here every request must be signed with ``secret``
  (``CALLBACK_SECRET``; `callback_signature` says how); others get a 401 and are not stored. Only
  ``allow_unsigned: true`` (``CITYBOT_INSECURE_CALLBACK=1``, for a platform on a trusted network)
  turns the check off, and the server then says so loudly at start.
- It builds the ``UserMessage`` without metadata, so a client that knows its user's language
  (``{"metadata": {"language": "fr"}}``) could not tell the bot. Here the hint is passed on (and
  nothing else of the metadata is kept).
- It answers bad requests with an exception. Here they get the REST channel's checks
  (`request_checks`): 415 unless the body is declared as JSON, 400 with a reason unless it is an
  object with a ``sender`` (without it every anonymous client would share the conversation
  ``default``) and a string ``message``, which is cut to ``MAX_MESSAGE_CHARS`` and cleaned.

The conversation id is ``callback:<sender>`` (`conversation_ids`); the answers POSTed to the
configured ``url`` (Rasa's ``CallbackOutput``) carry the platform's own ``recipient_id``.

credentials.yml::

    citybot.channels.callback.CallbackInput:
      url: https://platform.example.org/bot
      secret: ${CALLBACK_SECRET}
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from rasa.core.channels.callback import CallbackInput as RasaCallbackInput
from rasa.core.channels.callback import CallbackOutput as RasaCallbackOutput
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.exceptions import InvalidConfigException
from rasa.utils.endpoints import EndpointConfig
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from citybot.channels.callback_signature import signature_problem
from citybot.channels.conversation_ids import PlatformIdOutput
from citybot.channels.inbound import OnNewMessage, checked_messages
from citybot.channels.request_checks import (
    checked_body,
    checked_message,
    checked_metadata,
    checked_sender,
    json_body,
)

logger = logging.getLogger(__name__)

#: Credential keys that are ours, not the outgoing endpoint's (``url``, ``headers``, ...).
SECRET_KEY = "secret"
ALLOW_UNSIGNED_KEY = "allow_unsigned"


def parse_request(body: Any) -> tuple[str, str, dict[str, Any]]:
    """``(sender, text, metadata)`` from a request body; raises ``InvalidUsage`` (400) saying
    what is wrong."""
    body = checked_body(body)
    sender, text = checked_sender(body.get("sender")), checked_message(body.get("message"))
    return sender, text, checked_metadata(body.get("metadata"))


class CallbackOutput(PlatformIdOutput, RasaCallbackOutput):
    """Rasa's callback output, addressed with the platform's own user id."""


class CallbackInput(RasaCallbackInput):
    """Rasa's callback channel, with signed requests, metadata and request validation."""

    secret: str | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """The endpoint's keys plus ``secret`` (required unless ``allow_unsigned: true``)."""
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable: Rasa raised above")
        endpoint = {k: v for k, v in credentials.items() if k not in (SECRET_KEY, ALLOW_UNSIGNED_KEY)}
        secret = credentials.get(SECRET_KEY)
        if not (isinstance(secret, str) and secret) and credentials.get(ALLOW_UNSIGNED_KEY) is not True:
            raise InvalidConfigException(
                f"The callback channel needs `{SECRET_KEY}` (CALLBACK_SECRET), the key its client signs "
                f"requests with, or `{ALLOW_UNSIGNED_KEY}: true` (CITYBOT_INSECURE_CALLBACK=1) on a trusted "
                "network."
            )
        channel = cls(EndpointConfig.from_dict(endpoint))
        channel.secret = secret if isinstance(secret, str) and secret else None
        return channel

    def get_output_channel(self) -> CallbackOutput:
        return CallbackOutput(self.callback_endpoint)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Health route plus a webhook that checks the signature and forwards the language hint."""
        webhook = Blueprint("callback_webhook", __name__)
        checked = checked_messages(self.name(), on_new_message)
        if self.secret is None:
            logger.warning(
                "INSECURE: the callback channel accepts unsigned requests (CITYBOT_INSECURE_CALLBACK=1): "
                "anyone who can reach /webhooks/callback/webhook can post as any user. Allow only the "
                "platform to reach it, or set CALLBACK_SECRET."
            )

        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, checked)

        webhook.add_route(health, "/", methods=["GET"])
        webhook.add_route(receive, "/webhook", methods=["POST"])

        return webhook

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        if self.secret is not None:
            problem = signature_problem(self.secret, request.headers, request.body or b"")
            if problem:
                logger.warning("Refused a callback request: %s.", problem)
                return response.json({"error": problem}, status=HTTPStatus.UNAUTHORIZED)
        sender, text, metadata = parse_request(json_body(request))
        await on_new_message(
            UserMessage(
                text,
                self.get_output_channel(),
                sender,
                input_channel=self.name(),
                metadata=metadata,
            )
        )
        return response.text("success")
