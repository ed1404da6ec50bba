"""A message the classifier is torn about: answer the likelier reading, offer the other one.

Rasa's FallbackClassifier (bot/config.yml) turns a message whose two best intents are close, or
whose best one is unsure, into `nlu_fallback`. When those two intents are both real questions
("What did Osan do at the webinars?" read as a city-topic or a webinar question), "I'm not
sure what you mean" throws away a good guess: the user gets the answer to the likelier reading,
then one button asking the other (its wording: the domain's `utter_other_reading_<intent>`).
Messages no question intent reaches with some confidence keep the fallback's answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rasa_sdk.events import EventType

from actions.facts import Reply, topic_label
from actions.resolve import resolve_city, resolve_organisation, resolve_topic

#: Both readings need at least this confidence in the message's `intent_ranking`: below it the
#: classifier is not torn between two questions but lost (calibrated on the trained model, see
#: tests/test_ambiguity.py and docs/benchmarks.md "Issue 16").
MIN_READING_CONFIDENCE = 0.2
FALLBACK_INTENT = "nlu_fallback"
#: The questions a button can offer, and the entities its title names: a reading is offered only
#: when the message names them, so the title never has a hole ("what  presented…").
OFFERED_READINGS: dict[str, tuple[str, ...]] = {
    "ask_city_topic": ("city", "topic"),
    "ask_city_overview": ("city",),
    "ask_city_country": ("city",),
    "ask_city_status": ("city",),
    "ask_city_representative": ("city",),
    "ask_city_webinar": ("city",),
    "ask_cities_by_topic": ("topic",),
    "ask_organisation": ("organisation",),
    "ask_organisation_leader": ("organisation",),
    "ask_organisation_covid": ("organisation",),
    "ask_organisation_themes": ("organisation",),
    "ask_webinar": (),
    "ask_series": (),
    "ask_masks_debate": (),
    "ask_webinar_host": (),
    "ask_webinar_moderator": (),
    "ask_webinar_language": (),
    "ask_webinar_attendance": (),
    "ask_director_opening": (),
    "ask_director_closing": (),
    "ask_source": (),
    "list_cities": (),
    "bot_capabilities": (),
}


#: A greeting, thanks or goodbye the classifier is unsure of still gets its answer from this
#: confidence: « bonjour » alone scores about 0.48 since many questions start with a greeting.
MIN_SMALL_TALK_CONFIDENCE = 0.4
SMALL_TALK_INTENTS = ("greet", "thank", "goodbye")


def answer_small_talk(reply: Reply) -> list[EventType] | None:
    """Answer a message the classifier was unsure of as the greeting, thanks or goodbye it most
    likely is, when it names nothing the bot knows; None otherwise (a question is not small talk)."""
    from actions.notices import rule_answers

    ranking = (reply.tracker.latest_message or {}).get("intent_ranking")
    best = [
        item
        for item in (ranking if isinstance(ranking, list) else [])
        if isinstance(item, Mapping) and item.get("name") != FALLBACK_INTENT
    ][:2]
    if not best or best[0].get("name") not in SMALL_TALK_INTENTS:
        return None
    if _confidence(best[0]) < MIN_SMALL_TALK_CONFIDENCE or reading_values(reply):
        return None
    runner_up = best[1] if len(best) > 1 else {}
    if runner_up.get("name") not in SMALL_TALK_INTENTS and _confidence(runner_up) >= _confidence(best[0]) / 2:
        return None  # as much a question as a greeting: not small talk
    response = rule_answers().get(str(best[0].get("name")), "")
    if not response.startswith("utter_"):
        return None
    reply.say(response)
    return []


@dataclass(frozen=True)
class Readings:
    """The two intents the classifier hesitated between, likelier first."""

    likelier: str
    other: str


def answer_likelier(reply: Reply) -> list[EventType] | None:
    """Answer a torn message's likelier reading and offer the other; None when it is not torn.

    The answer is the likelier intent's rule action (data/rules.yml through the same registry
    `action_answer_with_notice` uses), run on this very message.
    """
    # Imported here: actions.notices registers every answer action, AnswerFallback included,
    # whose module calls this one.
    from actions.notices import ANSWER_ACTIONS, rule_answers

    readings = torn_readings(reply.tracker.latest_message or {}, rule_answers(), set(ANSWER_ACTIONS))
    if readings is None:
        return None
    events = ANSWER_ACTIONS[rule_answers()[readings.likelier]].answer_precisely(reply)
    # The source line closes the answer before the offer (`KnowledgeAction.run` then finds the
    # `sources` slot set and does not close it twice).
    events = events + reply.finish(events)
    values = reading_values(reply)
    needed = OFFERED_READINGS.get(readings.other)
    if needed is not None and all(values.get(entity) for entity in needed):
        labels: dict[str, Any] = {entity: values[entity][0] for entity in values}
        ids = {entity: values[entity][1] for entity in needed}
        payload = f"/{readings.other}" + (json.dumps(ids, ensure_ascii=False) if ids else "")
        reply.say(f"utter_other_reading_{readings.other}", reading_payload=payload, **labels)
    return events


def torn_readings(
    message: Mapping[str, Any],
    answers: Mapping[str, str],
    actions: set[str],
    min_confidence: float = MIN_READING_CONFIDENCE,
) -> Readings | None:
    """The two best intents of `message`'s ranking when both are questions the bot answers with
    an action (`answers`: intent -> rule action, `actions`: the answer actions) and both have
    `min_confidence`; else None (nonsense, greetings, one clear reading)."""
    ranking = message.get("intent_ranking")
    best = [
        (item.get("name"), _confidence(item))
        for item in (ranking if isinstance(ranking, list) else [])
        if isinstance(item, Mapping) and item.get("name") != FALLBACK_INTENT
    ][:2]
    if len(best) < 2 or not all(_is_question(name, answers, actions) for name, _ in best):
        return None
    if min(confidence for _, confidence in best) < min_confidence:
        return None
    return Readings(str(best[0][0]), str(best[1][0]))


def reading_values(reply: Reply) -> dict[str, tuple[str, str]]:
    """What this message names, as (label in the reply's language, id): the titles' values."""
    kb, tracker, lang = reply.kb, reply.tracker, reply.lang
    values = {}
    city = resolve_city(kb, tracker, use_slot=False, guess_names=False).record
    if city is not None:
        values["city"] = (city.label(lang), city.id)
    topic = resolve_topic(kb, tracker, use_slot=False).record
    if topic is not None:
        values["topic"] = (topic_label(topic, lang), topic.id)
    organisation = resolve_organisation(kb, tracker, use_slot=False).record
    if organisation is not None:
        values["organisation"] = (organisation.short_name(lang), organisation.id)
    return values


def _is_question(name: Any, answers: Mapping[str, str], actions: set[str]) -> bool:
    action = answers.get(name) if isinstance(name, str) else None
    return action is not None and action in actions and action != "action_answer_fallback"


def _confidence(item: Mapping[str, Any]) -> float:
    value = item.get("confidence")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
