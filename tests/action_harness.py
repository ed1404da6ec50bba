"""Shared helpers for the action tests: real domain, real knowledge base, Rasa's own NLG.

Actions only name a domain response and pass values; to check what the user actually reads,
the helpers render each message with the response generator `bot/endpoints.yml` names (Rasa's
templated one with French typography, `citybot.nlg`) and the real `bot/domain.yml`, with the
`language` slot set, exactly as the Rasa server does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet as RasaSlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import get_kb
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Webinar

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = Domain.load(str(ROOT / "bot" / "domain.yml"))
DOMAIN_DICT = DOMAIN.as_dict()
#: The `nlg` section of bot/endpoints.yml (read alone: the other sections need the environment).
NLG_ENDPOINT = EndpointConfig.from_dict(yaml.safe_load((ROOT / "bot" / "endpoints.yml").read_text())["nlg"])
NLG = NaturalLanguageGenerator.create(NLG_ENDPOINT, DOMAIN)
KB = get_kb()

#: Keys of a rasa-sdk message that are not template variables.
_MESSAGE_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"}


@dataclass
class Said:
    """One bot message: the response name, the values passed, the rendered text and buttons."""

    response: str | None
    values: dict[str, Any]
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


def entity(name: str, value: Any, text: str = "") -> dict[str, Any]:
    """An entity as the NLU reports it, located in `text` when the value appears there."""
    item: dict[str, Any] = {"entity": name, "value": value}
    if isinstance(value, str) and value and value in text:
        item["start"] = text.index(value)
        item["end"] = item["start"] + len(value)
    return item


def tracker_for(
    text: str = "",
    entities: Iterable[dict[str, Any]] = (),
    slots: dict[str, Any] | None = None,
    lang: str | None = "en",
    intent: str = "ask_city_topic",
    message_extra: dict[str, Any] | None = None,
) -> Tracker:
    """A rasa-sdk tracker whose latest message is `text` with `entities`, and these slots."""
    all_slots = {"language": lang, **(slots or {})}
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": list(entities),
        **(message_extra or {}),
    }
    return Tracker("test-user", all_slots, latest, [], False, None, {}, "action_listen")


def run(action: Action, tracker: Tracker) -> tuple[list[Said], list[dict[str, Any]]]:
    """Run `action` like the action server does; return what it said (rendered) and its events."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN_DICT))
    lang = tracker.get_slot("language") or "en"
    return [render(message, lang) for message in dispatcher.messages], events


def render(message: dict[str, Any], lang: str) -> Said:
    """Fill the message's domain response as the Rasa server would, in language `lang`."""
    name = message.get("response")
    values = {k: v for k, v in message.items() if k not in _MESSAGE_KEYS}
    if not name:
        return Said(None, values, message.get("text") or "", message.get("buttons") or [])
    state = DialogueStateTracker.from_events("render", [RasaSlotSet("language", lang)], slots=DOMAIN.slots)
    generated = asyncio.run(NLG.generate(name, state, "rest", **values))
    assert generated is not None, f"response {name} is missing from the domain"
    buttons = (generated.get("buttons") or []) + (message.get("buttons") or [])
    return Said(name, values, generated.get("text") or "", buttons)


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action sets, as a dict (last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def all_text(said: list[Said]) -> str:
    return "\n".join(s.text for s in said)


def kb_with(cities: Iterable[City] | None = None, webinars: Iterable[Webinar] | None = None) -> KnowledgeBase:
    """The real knowledge base with some records replaced: a case the real files no longer hold
    (a topic no city acted on, a webinar with no presenter) built from them, not made up."""
    return KnowledgeBase(
        countries=KB.countries.values(),
        topics=KB.topics.values(),
        cities=KB.cities.values() if cities is None else cities,
        organisations=KB.organisations.values(),
        webinars=KB.webinars.values() if webinars is None else webinars,
        series=KB.series.values(),
        sources=KB.sources.values(),
    )
