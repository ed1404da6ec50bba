"""What every channel does to a user message before the bot sees (and stores) it.

Rasa stores each message's ``text``, ``sender_id``, ``input_channel`` and ``metadata`` as they come
from the channel (``UserUttered`` in the tracker store), and sends them back to the action server at
every later turn. Each of our channels therefore hands its messages to `checked_messages`, which
bounds and cleans them in one place, whatever the channel's own parsing did:

- the text is cut to `MAX_MESSAGE_CHARS` and cleaned of control characters and unpaired surrogates
  (`clean_text`), so what is stored per turn is bounded;
- the conversation id is namespaced by the channel (`conversation_ids`);
- ``input_channel`` is the channel's name, never a value the client chose.

Metadata is each channel's business (REST, callback, socket.io and Telegram keep only the language
hint, `citybot.language.hint`; Slack's is Rasa's own, built from the signed event).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from citybot.channels.conversation_ids import conversation_id
from citybot.channels.request_checks import MAX_MESSAGE_CHARS
from citybot.text import clean_text

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def bounded_text(text: Any) -> str:
    """``text`` cut to `MAX_MESSAGE_CHARS` and cleaned ("" for anything but a string)."""
    return clean_text(text[:MAX_MESSAGE_CHARS]) if isinstance(text, str) else ""


def checked_messages(channel: str, on_new_message: OnNewMessage) -> OnNewMessage:
    """``on_new_message`` for messages of ``channel``, each bounded, cleaned and namespaced first."""

    async def handle(message: UserMessage) -> Any:
        message.text = bounded_text(message.text)
        message.sender_id = conversation_id(channel, message.sender_id)
        message.input_channel = channel
        return await on_new_message(message)

    return handle
