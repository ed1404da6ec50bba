"""Callback channel that passes the request's metadata (the language hint) to the bot.

Rasa 3.6's ``CallbackInput`` builds the ``UserMessage`` without metadata, so a client
that knows its user's language (``{"metadata": {"language": "fr"}}``) could not tell
the bot. This subclass replaces the webhook route; the outgoing side (each bot message
POSTed to the configured ``url``) is Rasa's ``CallbackOutput``, unchanged.

It also answers bad requests with a 400 and a reason instead of an exception, with the same
checks as the REST channel (``request_checks``): the body must be a JSON object with a
``sender`` (without it every anonymous client would share the conversation ``default``) and a
string ``message``, which is cut to ``MAX_MESSAGE_CHARS`` and cleaned.

credentials.yml::

    citybot.channels.callback.CallbackInput:
      url: http://127.0.0.1:5034/bot
"""

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.callback import CallbackInput as RasaCallbackInput
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from citybot.channels.request_checks import checked_body, checked_message, checked_sender, json_body
from citybot.language.hint import metadata_with_language


def parse_request(body: Any) -> tuple[str, str, dict[str, Any]]:
    """``(sender, text, metadata)`` from a request body; raises ``InvalidUsage`` (400) saying
    what is wrong."""
    body = checked_body(body)
    sender, text = checked_sender(body.get("sender")), checked_message(body.get("message"))
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
