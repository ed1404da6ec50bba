"""`action_validate_slot_mappings`: the `language` slot every turn, and ids for city/topic slots.

Rasa runs this action after extracting slots from each message. It decides the conversation's
language with `citybot.language.choose_language` (explicit requests, the channel's hint, the
NLU component's guess) and turns the raw words caught for a city, topic or organisation into
knowledge-base ids, so follow-up questions start from a clean value. Unknown names are kept
as typed, so the answer can say "I have no information about Lagos".
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from citybot.kb import KnowledgeBaseError
from citybot.language import choose_language, normalise_code

from actions.conversation import LANGUAGE_SLOT, message_hint
from actions.knowledge import get_kb
from actions.notices import add_notices, is_third_language
from actions.resolve import city_named, organisation_named, topic_named

logger = logging.getLogger(__name__)


class ValidateSlotMappings(ValidationAction):
    """Sets `language` each turn and normalises `city`, `topic` and `organisation` to ids."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        """Fill the slots, then add the notices the message calls for (shortened, other language)."""
        events = await super().run(dispatcher, tracker, domain)
        try:
            kb = get_kb()
        except KnowledgeBaseError:
            kb = None
        add_notices(dispatcher, tracker, kb)
        return events

    def extract_language(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        message = tracker.latest_message or {}
        requested = _requested_language(message)
        if requested:
            return {LANGUAGE_SLOT: requested}
        current = normalise_code(tracker.get_slot(LANGUAGE_SLOT))
        if current and _in_third_language(message):
            # The French/English guess of a German message means nothing: keep the language.
            return {LANGUAGE_SLOT: current}
        code = choose_language(current, message.get("language_guess"), message_hint(tracker))
        return {LANGUAGE_SLOT: code}

    def validate_language(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        return {LANGUAGE_SLOT: value}

    def validate_city(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> Dict[Text, Any]:
        return {"city": _to_id(value, city_named)}

    def validate_topic(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                       domain: DomainDict) -> Dict[Text, Any]:
        return {"topic": _to_id(value, topic_named)}

    def validate_organisation(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return {"organisation": _to_id(value, organisation_named)}


def _in_third_language(message: Dict[Text, Any]) -> bool:
    """The message is clearly neither French nor English (see `actions.notices`)."""
    text = message.get("text")
    if not isinstance(text, str):
        return False
    try:
        kb = get_kb()
    except KnowledgeBaseError:
        kb = None
    return is_third_language(text, kb)


def _requested_language(message: Dict[Text, Any]) -> Optional[str]:
    """The language a `switch_language` message names in its entity.

    The page's FR/EN switch sends `/switch_language{"language": "fr"}`: Rasa hands such payloads
    straight to the dialogue without running the NLU pipeline, so no `language_guess` says the
    request is explicit; the entity is the request.
    """
    if (message.get("intent") or {}).get("name") != "switch_language":
        return None
    for entity in message.get("entities") or []:
        if entity.get("entity") == "language":
            code = normalise_code(entity.get("value"))
            if code:
                return code
    return None


def _to_id(value: Any, lookup) -> Optional[str]:
    """The id of the record `value` names; the value itself (as text) when nothing matches."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        record = lookup(get_kb(), text)
    except KnowledgeBaseError:
        logger.exception("knowledge base unavailable while validating %r", text)
        return text
    return record.id if record else text
