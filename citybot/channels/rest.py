"""REST channel that refuses requests it cannot attribute to one conversation.

Rasa 3.6's `RestInput` reads `request.json` without checking it: a request without `sender`
is filed under the conversation "default", so every anonymous client shares one conversation
(one stranger's city and language become the next one's context); a body that is a JSON list
or string makes it fail with a 500; a `message` that is not a string reaches the NLU pipeline.

Choice for a missing sender: refuse with 400 "sender is required", rather than inventing a
fresh id per request. A fresh id would silently break every follow-up ("And Chefchaouen?")
because the client never learns the id to send next time; a 400 tells the client developer at
once what is wrong. The same goes for a sender that is not a short string or number (the SQL
tracker store keeps sender ids in a 255-character column).

The URL stays `/webhooks/rest/webhook` (`name()` is "rest"). Texts are cut to
`MAX_MESSAGE_CHARS` and cleaned of control characters and unpaired surrogates here, before
anything is stored (`clean_text`).
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput as StockRestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from citybot.nlu.message_limit import clean_text

#: Longest sender id accepted: the SQL tracker store's `sender_id` column holds 255 characters.
MAX_SENDER_CHARS = 255
#: Longest text kept from one message. The NLU reads at most 300 characters (`MessageLimit`
#: flags longer messages); this bound keeps huge messages from being cleaned, stored in the
#: tracker store and sent to the action server in full at every turn.
MAX_MESSAGE_CHARS = 10_000


def _body(request: Request) -> dict[str, Any]:
    """The request's JSON object; 400 when the body is not valid JSON or not an object."""
    try:
        body = request.json
    except InvalidUsage as error:
        raise InvalidUsage('the body must be a JSON object: {"sender": ..., "message": ...}') from error
    if not isinstance(body, dict):
        raise InvalidUsage('the body must be a JSON object: {"sender": ..., "message": ...}')
    return body


def checked_sender(value: Any) -> str:
    """The sender id as text; raises `InvalidUsage` (400) when missing or unusable."""
    if isinstance(value, bool) or value is None:
        raise InvalidUsage("sender is required (a string identifying the conversation)")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidUsage("sender is required (a string identifying the conversation)")
    sender: str = clean_text(value).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS:
        raise InvalidUsage(f"sender must be 1 to {MAX_SENDER_CHARS} printable characters")
    return sender


def checked_message(value: Any) -> str:
    """The message text, cut to `MAX_MESSAGE_CHARS` and cleaned; raises `InvalidUsage` (400)
    when missing or not a string."""
    if not isinstance(value, str):
        raise InvalidUsage("message is required (a string)")
    return clean_text(value[:MAX_MESSAGE_CHARS])


class RestInput(StockRestInput):
    """Rasa's REST channel with its request body checked (400 with a reason when unusable)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, req: Request) -> str | None:
        return checked_sender(_body(req).get("sender"))

    def _extract_message(self, req: Request) -> str | None:
        return checked_message(_body(req).get("message"))

    def _extract_input_channel(self, req: Request) -> str:
        value = _body(req).get("input_channel")
        return value if isinstance(value, str) and value else self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The `metadata` object, if any; 400 for metadata that is not an object."""
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("metadata must be a JSON object")
        return metadata
