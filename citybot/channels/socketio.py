"""socket.io channel whose session persistence works with python-socketio >= 5.10.

Rasa 3.6 calls ``AsyncServer.enter_room`` without ``await``; since python-socketio 5.10
that method is a coroutine, so the client never joins its session room and, with
``session_persistence: true``, never receives an answer (RasaHQ/rasa#13027).

We keep Rasa's connector and replace its two message handlers after the blueprint is
built. We chose this over pinning python-socketio < 5.10 because the pin would hold
back a network-facing library (and its engine.io) for the whole project to work
around one missing ``await``; the subclass is small and is tested end to end.

While replacing the handlers we also make bad client input harmless: a malformed
``session_id`` gets a fresh one, and metadata that is not a dict (or JSON text of one)
becomes ``{}`` instead of raising inside the socket.io task.

credentials.yml::

    citybot.channels.socketio.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      metadata_key: customData
"""

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint

from citybot.language.hint import metadata_with_language

logger = logging.getLogger(__name__)

# rasa-webchat uses uuid4().hex-like ids; anything else could be a guess at
# somebody else's conversation id or garbage, so it is replaced.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def valid_session_id(candidate: Any) -> str | None:
    """Return ``candidate`` when it looks like a session id we issue, else ``None``."""
    if isinstance(candidate, str) and _SESSION_ID.match(candidate):
        return candidate
    return None


def parse_metadata(raw: Any) -> dict[str, Any]:
    """Turn the client's metadata (dict, JSON text, or junk) into a dict.

    rasa-webchat sends ``customData`` as an object; other clients send JSON text.
    Junk is logged and dropped: the message itself is still answered.
    """
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            logger.warning("Ignoring socket.io metadata that is not JSON: %.80r", raw)
            return {}
    return metadata_with_language(raw)


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io input channel with working session persistence."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Build Rasa's blueprint, then replace its session and message handlers."""
        webhook: Blueprint = super().blueprint(on_new_message)
        sio = self.sio
        sio.on("session_request", self._session_request, namespace=self.namespace)

        async def handle_message(sid: str, data: Any) -> None:
            await self._handle_message(sid, data, on_new_message)

        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return webhook

    async def _session_request(self, sid: str, data: Any) -> None:
        """Confirm (or issue) the session id and join its room, awaiting the join."""
        requested = data.get("session_id") if isinstance(data, dict) else None
        session_id = valid_session_id(requested) or uuid.uuid4().hex
        if self.session_persistence:
            await self.sio.enter_room(sid, session_id, namespace=self.namespace)
        await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
        logger.debug("socket.io client %s has session %s", sid, session_id)

    async def _handle_message(
        self,
        sid: str,
        data: Any,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        """Pass one user message to the bot; drop it (logged) when unusable."""
        if not isinstance(data, dict):
            logger.warning("Ignoring socket.io message that is not an object.")
            return
        sender_id = self._sender_id(sid, data)
        if sender_id is None:
            logger.warning(
                "Ignoring socket.io message without a valid session_id: the client "
                "must emit session_request first (session_persistence is on)."
            )
            return
        text = data.get("message")
        message = UserMessage(
            text if isinstance(text, str) else "",
            SocketIOOutput(self.sio, self.bot_message_evt),
            sender_id,
            input_channel=self.name(),
            metadata=parse_metadata(data.get(self.metadata_key)),
        )
        await on_new_message(message)

    def _sender_id(self, sid: str, data: dict[str, Any]) -> str | None:
        """The conversation id: the session id when persistent, else the socket id."""
        if not self.session_persistence:
            return sid
        return valid_session_id(data.get("session_id"))
