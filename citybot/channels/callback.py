"""Callback channel that passes the request's metadata (the language hint) to the bot.

Rasa 3.6's ``CallbackInput`` builds the ``UserMessage`` without metadata, so a client
that knows its user's language (``{"metadata": {"language": "fr"}}``) could not tell
the bot. This subclass replaces the webhook route; the outgoing side (each bot message
POSTed to the configured ``url``) is Rasa's ``CallbackOutput``, unchanged.

It also answers bad requests with a 400 and a reason instead of an exception: the body
must be a JSON object with a non-empty string ``sender`` (without it every anonymous
client would share the conversation ``default``) and a string ``message``.

credentials.yml::

    citybot.channels.callback.CallbackInput:
      url: http://127.0.0.1:5034/bot
"""

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from rasa.core.channels.callback import CallbackInput as RasaCallbackInput
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from citybot.channels.hint import metadata_with_language

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 5000


def parse_request(body: Any) -> tuple[str, str, dict[str, Any]] | str:
    """Return ``(sender, text, metadata)`` from a request body, or the reason it is bad."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    sender, text = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip():
        return "'sender' must be a non-empty string (it identifies the conversation)"
    if not isinstance(text, str):
        return "'message' must be a string"
    if len(text) > MAX_MESSAGE_CHARS:
        return f"'message' is longer than {MAX_MESSAGE_CHARS} characters"
    return sender, text, metadata_with_language(body.get("metadata"))


class CallbackInput(RasaCallbackInput):
    """Rasa's callback channel, with metadata and request validation."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Health route plus a webhook that forwards metadata."""
        webhook = Blueprint("callback_webhook", __name__)

        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        webhook.add_route(health, "/", methods=["GET"])
        webhook.add_route(receive, "/webhook", methods=["POST"])

        return webhook

    async def _receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        try:
            body = request.json
        except Exception:  # noqa: BLE001 - Sanic raises InvalidUsage on malformed JSON
            body = None
        parsed = parse_request(body)
        if isinstance(parsed, str):
            return response.json({"error": parsed}, status=HTTPStatus.BAD_REQUEST)
        sender, text, metadata = parsed
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
