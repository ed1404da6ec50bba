"""Slack channel with a configurable Web API base URL.

Rasa 3.6's ``SlackInput`` already does what matters for safety: it refuses to start
without ``slack_signing_secret`` and checks every request's ``v0`` HMAC signature and
its 5-minute timestamp window. It always talks to ``https://slack.com/api/`` though.
``api_url`` changes that base URL, for GovSlack (``https://slack-gov.com/api/``) or a
local receiver in tests; without it the behaviour is Rasa's.

credentials.yml::

    citybot.channels.slack.SlackInput:
      slack_token: xoxb-...
      slack_signing_secret: ...
      slack_channel: "#covid-cities"      # optional
      api_url: https://slack.com/api/     # optional
"""

from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput


class SlackInput(RasaSlackInput):
    """Rasa's Slack input channel plus the optional ``api_url`` credential."""

    api_url: str | None = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Rasa's credentials plus ``api_url``."""
        channel = super().from_credentials(credentials)
        channel.api_url = (credentials or {}).get("api_url") or None
        return channel

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> OutputChannel:
        """Rasa's Slack output, its client pointed at ``api_url`` when set."""
        output = super().get_output_channel(channel, thread_id)
        if self.api_url and isinstance(output, SlackBot):
            output.client.base_url = self.api_url.rstrip("/") + "/"
        return output
