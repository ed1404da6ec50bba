"""Slack channel with a configurable Web API base URL and escaped texts.

Rasa 3.6's ``SlackInput`` already does what matters for safety: it refuses to start
without ``slack_signing_secret`` and checks every request's ``v0`` HMAC signature and
its 5-minute timestamp window. What we change:

- It always talks to ``https://slack.com/api/``. ``api_url`` changes that base URL, for GovSlack
  (``https://slack-gov.com/api/``) or a local receiver in tests; the bot token travels with every
  call, so only ``https://`` is accepted, or ``http://`` to this machine (`api_urls`).
- It posts texts as mrkdwn as they are. The bot echoes what users typed (an unknown city's name),
  and in mrkdwn ``<!channel>`` notifies a whole channel and ``<https://x|label>`` is a disguised
  link. Here ``&``, ``<`` and ``>`` in posted texts are escaped as Slack asks (``&amp;``, ``&lt;``,
  ``&gt;``); the bot's own responses use none of them. Slack escapes them the same way in the
  texts it sends us, and Rasa leaves them so: here they are unescaped on the way in, so that the
  bot reads what the user typed ("A & B", not "A &amp;amp; B" once echoed).
- The conversation id is ``slack:<user id>`` (`conversation_ids`); texts are cut and cleaned like
  every channel's (`inbound`).

credentials.yml::

    citybot.channels.slack.SlackInput:
      slack_token: xoxb-...
      slack_signing_secret: ...
      slack_channel: "#covid-cities"      # optional
      api_url: https://slack.com/api/     # optional
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint

from citybot.channels.api_urls import api_url_problem
from citybot.channels.conversation_ids import PlatformIdOutput
from citybot.channels.inbound import OnNewMessage, checked_messages


def escape_mrkdwn(text: str) -> str:
    """``text`` with the three characters Slack's mrkdwn gives a meaning escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_mrkdwn(text: str) -> str:
    """What the user typed, from a text Slack sent (the inverse of `escape_mrkdwn`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class SlackOutput(PlatformIdOutput, SlackBot):
    """Rasa's Slack output: texts escaped, the user id taken from the conversation id."""

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        """Every post goes through here: escape its ``text`` (blocks' plain_text needs none)."""
        if isinstance(kwargs.get("text"), str):
            kwargs["text"] = escape_mrkdwn(kwargs["text"])
        await super()._post_message(channel, **kwargs)


class SlackInput(RasaSlackInput):
    """Rasa's Slack input channel plus the optional ``api_url`` credential and escaped texts."""

    api_url: str | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Rasa's credentials plus ``api_url``."""
        channel = super().from_credentials(credentials)
        api_url = (credentials or {}).get("api_url") or None
        problem = api_url_problem(str(api_url)) if api_url is not None else None
        if problem:
            raise InvalidConfigException(f"Slack's api_url (SLACK_API_URL): {problem}.")
        channel.api_url = api_url
        return channel

    @staticmethod
    def _sanitize_user_message(text: str, uids_to_remove: list[str] | None) -> str:
        """Rasa's clean-up (mentions of the bot, links), then Slack's escapes undone."""
        return unescape_mrkdwn(RasaSlackInput._sanitize_user_message(text, uids_to_remove))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's routes, every message bounded and namespaced (`inbound.checked_messages`)."""
        blueprint: Blueprint = super().blueprint(checked_messages(self.name(), on_new_message))
        return blueprint

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> SlackOutput:
        """Our Slack output, its client pointed at ``api_url`` when set."""
        output = SlackOutput(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)
        if self.api_url:
            output.client.base_url = self.api_url.rstrip("/") + "/"
        return output
