"""REST channel that refuses requests it cannot attribute to one conversation.

Rasa 3.6's `RestInput` reads `request.json` without checking it (see `request_checks`, shared with
the callback channel): here a body that is not declared as JSON gets a 415, one that is not a JSON
object, a missing or unusable `sender` (not a short string or number: the SQL tracker store keeps
sender ids in a 255-character column) and a `message` that is not a string get a 400 with the reason.

What is stored is bounded: texts are cut to `MAX_MESSAGE_CHARS` and cleaned of control characters
and unpaired surrogates, `metadata` keeps only the language hint, and `input_channel` is always
"rest" (Rasa's stock channel lets the client choose it). The conversation id is ``rest:<sender>``
(`conversation_ids`), so a REST client cannot write into another channel's conversations; the
answer's ``recipient_id`` says so.

The URL stays `/webhooks/rest/webhook` (`name()` is "rest").
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput as StockRestInput
from sanic import Blueprint
from sanic.request import Request

from citybot.channels.inbound import OnNewMessage, checked_messages
from citybot.channels.request_checks import checked_message, checked_metadata, checked_sender, json_body


class RestInput(StockRestInput):
    """Rasa's REST channel with its request checked (415 or 400 with a reason when unusable)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's routes, every message bounded and namespaced (`inbound.checked_messages`)."""
        blueprint: Blueprint = super().blueprint(checked_messages(self.name(), on_new_message))
        return blueprint

    async def _extract_sender(self, req: Request) -> str | None:
        return checked_sender(json_body(req).get("sender"))

    def _extract_message(self, req: Request) -> str | None:
        return checked_message(json_body(req).get("message"))

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The language hint from `metadata`, if any; 400 for metadata that is not an object."""
        return checked_metadata(json_body(request).get("metadata"))
