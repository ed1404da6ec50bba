"""socket.io channel (the web page): working session persistence, and every message bounded.

What Rasa 3.6's ``SocketIOInput`` does that we change (we keep its connector and replace its
handlers after the blueprint is built):

- It calls ``AsyncServer.enter_room`` without ``await``; since python-socketio 5.10 that is a
  coroutine, so with ``session_persistence: true`` the client never joins its session room and never
  receives an answer (RasaHQ/rasa#13027). We chose this subclass over pinning python-socketio < 5.10
  because the pin would hold back a network-facing library (and its engine.io) for the whole project.
- It accepts any page: browsers do not apply CORS to WebSockets and Rasa turns engine.io's Origin
  check off. Here the ``connect`` handler refuses an ``Origin`` that is not one of
  ``allowed_origins`` (the page's; `origins`). We replace the handler rather than set engine.io's
  ``cors_allowed_origins``, which would also make engine.io add CORS headers to the polling
  responses on top of Sanic-CORS's (``--cors``): a doubled ``Access-Control-Allow-Origin`` that
  browsers refuse.
- It accepts any session id the client proposes (``session_request``) and in every message, so a
  client could choose a guessable id or somebody else's. Here the server issues the ids, and accepts
  on reconnect only the ones it issued (`session_tokens`); a message is filed under the session its
  socket joined, whatever the message says. A socket leaves its previous session's room before it
  joins another, so one socket cannot collect rooms.
- It stores the text and the metadata whole (engine.io accepts 1 MB per message) and processes a
  message without a text as an empty turn. Here engine.io's limit is `MAX_PACKET_BYTES`, a message
  whose ``message`` is not a non-empty string is dropped, the text is cut and cleaned like REST's
  (`inbound`), and the metadata keeps only the language hint (junk, including JSON text nested too
  deep to parse, becomes ``{}``).

The conversation id is ``socketio:<session>`` (`conversation_ids`); the session's room, where the
answers go, is the bare session.

credentials.yml::

    citybot.channels.socketio.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      metadata_key: customData
      allowed_origins: [http://localhost:8080, http://127.0.0.1:8080]
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint

from citybot.channels.conversation_ids import PlatformIdOutput
from citybot.channels.inbound import OnNewMessage, checked_messages
from citybot.channels.origins import origin_allowed, page_origins
from citybot.channels.session_tokens import SessionTokens, session_secret
from citybot.language.hint import metadata_with_language

logger = logging.getLogger(__name__)

#: engine.io's limit on one HTTP long-polling body or WebSocket message (python-engineio's default is
#: 1,000,000 bytes). A chat message is kept up to 10,000 characters (`MAX_MESSAGE_CHARS`), at most
#: 60,000 bytes even with every character written as a JSON ``\\uXXXX`` escape; the rest is the
#: session id and the language hint.
MAX_PACKET_BYTES = 64 * 1024
#: Where the socket's session is kept in python-socketio's per-socket storage.
_SESSION_KEY = "citybot_session"


def parse_metadata(raw: Any) -> dict[str, Any]:
    """The language hint from the client's metadata (dict, JSON text of one, or junk).

    rasa-webchat sends ``customData`` as an object; other clients send JSON text.
    Junk is logged and dropped: the message itself is still answered.
    """
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            logger.warning("Ignoring socket.io metadata that is not JSON: %.80r", raw)
            return {}
    return metadata_with_language(raw)


def message_text(data: Any) -> str | None:
    """The message's text, or ``None`` when there is no usable one (the message is then dropped)."""
    text = data.get("message") if isinstance(data, dict) else None
    return text if isinstance(text, str) and text.strip() else None


class SocketIOOutput(PlatformIdOutput, RasaSocketIOOutput):
    """Rasa's socket.io output, sending to the session's room (the bare session id)."""


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io input channel with the changes listed in the module docstring."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Rasa's keys plus ``allowed_origins`` (default: `origins.page_origins` of the environment)."""
        channel = super().from_credentials(credentials)
        origins = (credentials or {}).get("allowed_origins")
        if origins is not None:
            channel.allowed_origins = tuple(str(origin) for origin in origins)
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins: tuple[str, ...] = page_origins(os.environ)
        self._tokens: SessionTokens | None = None

    def get_output_channel(self) -> SocketIOOutput | None:
        return SocketIOOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Build Rasa's blueprint, then replace its connect, session and message handlers."""
        webhook: Blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by Rasa's blueprint
        sio.eio.max_http_buffer_size = MAX_PACKET_BYTES
        if self.session_persistence:
            self._tokens = SessionTokens(session_secret())
        checked = checked_messages(self.name(), on_new_message)
        sio.on("connect", self._connect, namespace=self.namespace)
        sio.on("session_request", self._session_request, namespace=self.namespace)

        async def handle_message(sid: str, data: Any) -> None:
            await self._handle_message(sid, data, checked)

        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        logger.info("socket.io: pages from %s may connect", ", ".join(self.allowed_origins))
        return webhook

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
        """Refuse pages from other origins, then check the JWT as Rasa does when one is configured."""
        origin = environ.get("HTTP_ORIGIN")
        if not origin_allowed(origin, self.allowed_origins):
            logger.warning("Refused a socket.io connection from the origin %.100r.", origin)
            return False
        if self.jwt_key:
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))
        return True

    async def _session_request(self, sid: str, data: Any) -> None:
        """Confirm the client's session id if this server issued it, else issue one; join its room."""
        assert self.sio is not None
        if self._tokens is None:  # no persistence: the socket is the session
            await self.sio.emit("session_confirm", sid, room=sid, namespace=self.namespace)
            return
        requested = data.get("session_id") if isinstance(data, dict) else None
        session = self._tokens.session(requested)
        token = requested if session is not None else self._tokens.issue()
        session = session or self._tokens.session(token)
        socket_session = await self.sio.get_session(sid, namespace=self.namespace)
        previous = socket_session.get(_SESSION_KEY)
        if previous is not None and previous != session:
            await self.sio.leave_room(sid, previous, namespace=self.namespace)
        await self.sio.enter_room(sid, session, namespace=self.namespace)
        await self.sio.save_session(sid, {**socket_session, _SESSION_KEY: session}, namespace=self.namespace)
        await self.sio.emit("session_confirm", token, room=sid, namespace=self.namespace)
        logger.debug("socket.io client %s has session %s", sid, session)

    async def _handle_message(self, sid: str, data: Any, on_new_message: OnNewMessage) -> None:
        """Pass one user message to the bot; drop it (logged) when unusable."""
        assert self.sio is not None
        text = message_text(data)
        if text is None:
            logger.warning("Ignoring a socket.io message without a text (a non-empty string).")
            return
        sender = await self._sender(sid)
        if sender is None:
            logger.warning(
                "Ignoring a socket.io message from a client without a session: the client must "
                "emit session_request first (session_persistence is on)."
            )
            return
        message = UserMessage(
            text,
            self.get_output_channel(),
            sender,
            input_channel=self.name(),
            metadata=parse_metadata(data.get(self.metadata_key)),
        )
        await on_new_message(message)

    async def _sender(self, sid: str) -> str | None:
        """The session the socket joined (the socket itself without persistence)."""
        assert self.sio is not None
        if self._tokens is None:
            return sid
        session: str | None = (await self.sio.get_session(sid, namespace=self.namespace)).get(_SESSION_KEY)
        return session
