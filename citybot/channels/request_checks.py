"""The checks both HTTP channels (REST and callback) make on a request before the bot sees it.

Rasa 3.6's stock channels read `request.json` without checking it: a body that is a JSON list
fails with a 500, a request without `sender` is filed under the conversation "default" (every
anonymous client then shares one conversation), a `message` that is not a string reaches the NLU
pipeline. Each check here raises Sanic's `InvalidUsage`, which Rasa's server answers with a 400
that says what is wrong, so the client developer learns it at once.

A missing sender is refused rather than replaced by a fresh id: a fresh id would silently break
every follow-up ("And Chefchaouen?") because the client never learns the id to send next time.

The body must also be declared as JSON (`Content-Type: application/json`, else 415). Sanic parses
any body as JSON whatever its type, so without this check any web page a developer or staff member
visits could send "simple" cross-site POSTs (``text/plain``, which browsers send without asking the
server first) and write turns into the store; a JSON content type makes the browser ask first, and
Rasa's CORS answer (``--cors``) refuses other pages.
"""

from __future__ import annotations

from typing import Any

from sanic.exceptions import InvalidUsage, SanicException
from sanic.request import Request

from citybot.language.hint import metadata_with_language
from citybot.text import clean_text

#: Longest sender id accepted: the SQL tracker store's `sender_id` column holds 255 characters.
MAX_SENDER_CHARS = 255
#: Longest text kept from one message. The NLU reads at most 300 characters (`MessageLimit`
#: flags longer messages); this bound keeps huge messages from being cleaned, stored in the
#: tracker store and sent to the action server in full at every turn.
MAX_MESSAGE_CHARS = 10_000

_NOT_AN_OBJECT = 'the body must be a JSON object: {"sender": ..., "message": ...}'
JSON_MEDIA_TYPE = "application/json"


class UnsupportedMediaType(SanicException):
    """415: the body is not declared as JSON (Sanic 21.12 has no class for it)."""

    status_code = 415
    quiet = True


def media_type(request: Request) -> str:
    """The request's media type without parameters, lower case (``"application/json"``)."""
    return str(request.headers.get("content-type", "")).split(";", 1)[0].strip().lower()


def require_json(request: Request) -> None:
    """Raise `UnsupportedMediaType` (415) unless the body is declared as JSON."""
    if media_type(request) != JSON_MEDIA_TYPE:
        raise UnsupportedMediaType(f"Content-Type must be {JSON_MEDIA_TYPE}")


def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; 415 unless declared as JSON, 400 when not a JSON object."""
    require_json(request)
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


def checked_metadata(value: Any) -> dict[str, Any]:
    """What is kept of the request's ``metadata``: the language hint only; 400 unless an object.

    The bot reads nothing else from it, and Rasa stores it with the turn and sends it to the
    action server at every later turn: anything else a client puts there would only cost space.
    """
    if value is not None and not isinstance(value, dict):
        raise InvalidUsage("metadata must be a JSON object")
    return metadata_with_language(value)
