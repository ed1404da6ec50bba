"""The checks both HTTP channels (REST and callback) make on a request body before the bot sees it.

Rasa 3.6's stock channels read `request.json` without checking it: a body that is a JSON list
fails with a 500, a request without `sender` is filed under the conversation "default" (every
anonymous client then shares one conversation), a `message` that is not a string reaches the NLU
pipeline. Each check here raises Sanic's `InvalidUsage`, which Rasa's server answers with a 400
that says what is wrong, so the client developer learns it at once.

A missing sender is refused rather than replaced by a fresh id: a fresh id would silently break
every follow-up ("And Chefchaouen?") because the client never learns the id to send next time.
"""

from __future__ import annotations

from typing import Any

from sanic.exceptions import InvalidUsage
from sanic.request import Request

from citybot.text import clean_text

#: Longest sender id accepted: the SQL tracker store's `sender_id` column holds 255 characters.
MAX_SENDER_CHARS = 255
#: Longest text kept from one message. The NLU reads at most 300 characters (`MessageLimit`
#: flags longer messages); this bound keeps huge messages from being cleaned, stored in the
#: tracker store and sent to the action server in full at every turn.
MAX_MESSAGE_CHARS = 10_000

_NOT_AN_OBJECT = 'the body must be a JSON object: {"sender": ..., "message": ...}'


def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; 400 when the body is not valid JSON or not an object."""
    try:
        body = request.json
    except InvalidUsage as error:
        raise InvalidUsage(_NOT_AN_OBJECT) from error
    return checked_body(body)


def checked_body(body: Any) -> dict[str, Any]:
    """`body` if it is a JSON object; raises `InvalidUsage` (400) otherwise."""
    if not isinstance(body, dict):
        raise InvalidUsage(_NOT_AN_OBJECT)
    return body


def checked_sender(value: Any) -> str:
    """The sender id as text; raises `InvalidUsage` (400) when missing or unusable."""
    if isinstance(value, bool) or value is None:
        raise InvalidUsage("sender is required (a string identifying the conversation)")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidUsage("sender is required (a string identifying the conversation)")
    sender = clean_text(value).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS:
        raise InvalidUsage(f"sender must be 1 to {MAX_SENDER_CHARS} printable characters")
    return sender


def checked_message(value: Any) -> str:
    """The message text, cut to `MAX_MESSAGE_CHARS` and cleaned; raises `InvalidUsage` (400)
    when missing or not a string."""
    if not isinstance(value, str):
        raise InvalidUsage("message is required (a string)")
    return clean_text(value[:MAX_MESSAGE_CHARS])
