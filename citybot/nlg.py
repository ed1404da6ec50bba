"""The Rasa server's response generator: Rasa's own, with French typography on French replies.

Every reply text of the bot is a response of `bot/domain.yml` filled in by the Rasa server:
static responses (`utter_greet`), and the responses custom actions name
(`dispatcher.utter_message(response=..., **values)`, which Rasa renders here with the values the
action sent). So this one place sees every French sentence once, after its values (the facts'
French text, dates, names) are filled in, and adds the no-break spaces French requires and
typographic apostrophes (`citybot.language.typography`). Button titles written in the domain are covered too; the ones an
action builds are added by Rasa after this generator ran, so `actions.facts.Reply.say` spaces
those.

A reply is French when the `language` slot says so: the same condition that picked the French
variation (every response has one, `docs/architecture.md`, "Conversation state"). Values echoing
what the user typed (an unknown topic in « … ») are set like the rest: the reply quotes them in
our French typography (as editors set quotations), the user's message itself is stored and read
unchanged, and only spaces and apostrophes change.

`bot/endpoints.yml` names this class (`nlg: type: citybot.nlg.FrenchTypographyNLG`); Rasa
constructs it with the endpoint's configuration and the domain, and, being a
`TemplatedNaturalLanguageGenerator`, gives it the model's responses when a model is loaded.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from citybot.language.typography import french_typography

LANGUAGE_SLOT = "language"


def french_reply(reply: dict[str, Any]) -> dict[str, Any]:
    """`reply` (a rendered response) with its text and button titles spaced the French way."""
    if isinstance(reply.get("text"), str):
        reply["text"] = french_typography(reply["text"])
    for button in reply.get("buttons") or []:
        if isinstance(button, dict) and isinstance(button.get("title"), str):
            button["title"] = french_typography(button["title"])
    return reply


class FrenchTypographyNLG(TemplatedNaturalLanguageGenerator):
    """Rasa's templated generator; French replies get their no-break spaces."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        # Rasa passes both when it loads the class from the endpoints file.
        super().__init__(domain.responses if domain else {})

    def generate_from_slots(
        self,
        utter_action: str,
        filled_slots: dict[str, Any],
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        """The response Rasa would render, spaced the French way when the conversation is French."""
        reply: dict[str, Any] | None = super().generate_from_slots(
            utter_action, filled_slots, output_channel, **kwargs
        )
        if reply is not None and (filled_slots or {}).get(LANGUAGE_SLOT) == "fr":
            return french_reply(reply)
        return reply
