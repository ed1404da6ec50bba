"""Conversation ids namespaced per channel: ``<channel>:<the channel's own id>``.

All channels share one tracker store keyed only by the conversation id. Rasa's stock channels use
the id the request carries: a Telegram chat id (``123456789``), a Slack user id (``U…``), and for
REST and socket.io whatever the *client* chose. Any REST or web client could then write into a
Telegram or Slack user's conversation by sending that user's id, and the user's next "And
Chefchaouen?" would be answered in the stranger's context.

Here every conversation id starts with the name of the channel it came in on (``rest:alice``,
``socketio:<session>``, ``telegram:123456789``, ``slack:U012AB``, ``callback:user-42``): a client of
one channel can only ever name conversations of that channel. The channels' outputs take the prefix
off again (`PlatformIdOutput`), so Telegram, Slack, the callback client and the web page see their
own ids, as before.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import OutputChannel

SEPARATOR = ":"


def conversation_id(channel: str, sender: object) -> str:
    """The tracker-store id of ``sender``'s conversation on ``channel``."""
    return f"{channel}{SEPARATOR}{sender}"


def platform_id(channel: str, conversation: str) -> str:
    """The channel's own id back from a conversation id (unchanged if it has no such prefix)."""
    return conversation.removeprefix(f"{channel}{SEPARATOR}")


class PlatformIdOutput(OutputChannel):
    """Mixin for an output channel: the bot's messages go to the channel's own id.

    Rasa hands every bot message to ``send_response(tracker.sender_id, message)``, the one entry
    point of an output channel, so taking the prefix off there covers texts, buttons, images and
    custom payloads alike. Put it first in the bases so that it wraps the real output.
    """

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        await super().send_response(platform_id(self.name(), recipient_id), message)
