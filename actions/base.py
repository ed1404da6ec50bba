"""What every knowledge-base action shares: the reply context and the never-crash guarantee.

A Rasa SDK action that raises leaves the user without any answer, so `KnowledgeAction.run`
catches everything, logs it and utters `utter_technical_problem` instead. Subclasses only
write `answer(reply)`, using `Reply` to reach the knowledge base, the resolved language and
the dispatcher.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from citybot.kb import KnowledgeBase

from actions.conversation import reply_language
from actions.knowledge import get_kb

logger = logging.getLogger(__name__)

LAST_QUESTION_SLOT = "last_question"


def asked(kind: str) -> SlotSet:
    """Remember the kind of question just answered, so "And Chefchaouen?" repeats it."""
    return SlotSet(LAST_QUESTION_SLOT, kind)


@dataclass
class Reply:
    """One answer being composed: where to send it, in which language, from which facts."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    kb: KnowledgeBase
    lang: str

    def say(self, response: str, buttons: Optional[List[Dict[str, str]]] = None, **values: Any) -> None:
        """Utter domain response `response` filled with `values` (its en/fr variant is picked by Rasa)."""
        self.dispatcher.utter_message(response=response, buttons=buttons or None, **values)


def button(title: str, intent: str, **entities: str) -> Dict[str, str]:
    """A quick reply that asks `intent` about `entities` ("/ask_city_overview{"city":"chefchaouen"}")."""
    payload = f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")
    return {"title": title, "payload": payload}


class KnowledgeAction(Action, ABC):
    """An action that answers from the knowledge base and always says something."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        try:
            reply = Reply(dispatcher, tracker, get_kb(), reply_language(tracker))
            events = self.answer(reply)
        except Exception:  # noqa: BLE001 - any failure must still produce a reply
            logger.exception("action %s failed", self.name())
            dispatcher.messages.clear()
            dispatcher.utter_message(response="utter_technical_problem")
            return []
        return events

    @abstractmethod
    def answer(self, reply: Reply) -> List[EventType]:
        """Utter the answer through `reply` and return the events to apply (slot updates)."""
