"""REST channel that refuses requests it cannot attribute to one conversation.

Rasa 3.6's `RestInput` reads `request.json` without checking it (see `request_checks`, shared with
the callback channel): here a body that is not a JSON object, a missing or unusable `sender`
(not a short string or number: the SQL tracker store keeps sender ids in a 255-character column)
and a `message` that is not a string get a 400 with the reason.

The URL stays `/webhooks/rest/webhook` (`name()` is "rest"). Texts are cut to
`MAX_MESSAGE_CHARS` and cleaned of control characters and unpaired surrogates here, before
anything is stored.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput as StockRestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from citybot.channels.request_checks import checked_message, checked_sender, json_body


class RestInput(StockRestInput):
    """Rasa's REST channel with its request body checked (400 with a reason when unusable)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str | None:
        return checked_sender(json_body(req).get("sender"))

    def _extract_message(self, req: Request) -> str | None:
        return checked_message(json_body(req).get("message"))

    def _extract_input_channel(self, req: Request) -> str:
        value = json_body(req).get("input_channel")
        return value if isinstance(value, str) and value else self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The `metadata` object, if any; 400 for metadata that is not an object."""
        metadata = json_body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("metadata must be a JSON object")
        return metadata
