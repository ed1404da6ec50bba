"""Which turns the bot could not answer, and why: classified by the domain response it sent.

The actions answer "I don't know" with dedicated responses (`utter_unknown_city`,
`utter_city_series_only`, …); Rasa records each bot message's response name, so a turn is
unanswered when one of its replies is one of those. Two more signs come from the message
itself: the NLU fallback intent, and an intent predicted with low confidence (the bot answered
something, but probably not the question asked). The subject of each item is the thing asked
("Lagos"), taken from what the user wrote (entities) before the values the action filled in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from citybot.report.turns import FALLBACK_INTENT, BotReply, Turn, scalar_text

#: Below this intent confidence an answered question is still listed (`--min-confidence`).
#: Rasa's FallbackClassifier (bot/config.yml) already turns anything under 0.5 into a fallback.
DEFAULT_MIN_CONFIDENCE = 0.6

Subject = Callable[[Turn, BotReply | None], str]


@dataclass(frozen=True)
class Reason:
    """A kind of unanswered question, in the order the report shows them."""

    key: str
    label: str
    subject: Subject


@dataclass(frozen=True)
class Unanswered:
    """One question the bot could not answer."""

    turn: Turn
    reason: Reason
    subject: str

    @property
    def group_key(self) -> tuple[str, str]:
        return self.reason.key, subject_key(self.subject)


def subject_key(text: str) -> str:
    """Grouping key: "Saint-Étienne", "saint etienne" and "SAINT ETIENNE ?" are one thing asked.

    Not `citybot.kb.normalize.fold`, which is for name lookups: this one keeps every word (the
    "s" of "Évry's" too) and treats any punctuation as a separator, so that staff see each
    distinct question once, spelled as it was asked.
    """
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def _asked(*names: str) -> Subject:
    """The first entity among `names` the user wrote, else the value the action filled in,
    else the question itself."""

    def subject(turn: Turn, reply: BotReply | None) -> str:
        for name in names:
            value = (turn.entity(name) or scalar_text(reply.values.get(name) if reply else None)).strip()
            if value:
                return value
        return _question(turn, reply)

    return subject


def _understood(value: str, entity: str) -> Subject:
    """The value the action filled in (what it understood, e.g. the whole date when the NLU
    caught only "12"), else the entity, else the question."""

    def subject(turn: Turn, reply: BotReply | None) -> str:
        filled = scalar_text(reply.values.get(value) if reply else None).strip()
        return filled or _asked(entity)(turn, reply)

    return subject


def _city_and_topic(turn: Turn, reply: BotReply | None) -> str:
    city, topic = _asked("city")(turn, reply), _asked("topic")(turn, reply)
    return f"{city} / {topic}" if city != topic else city


def _question(turn: Turn, reply: BotReply | None) -> str:
    return " ".join(turn.text.split())


NOT_UNDERSTOOD = Reason("not_understood", "Not understood (fallback)", _question)
OUT_OF_SCOPE = Reason("out_of_scope", "Outside what the bot covers", _question)
UNKNOWN_CITY = Reason("unknown_city", "Unknown city", _asked("city"))
SERIES_ONLY_CITY = Reason("series_only_city", "City known only from the webinar series", _asked("city"))
CITY_TOPIC_NONE = Reason("city_topic_none", "Nothing on this topic for this city", _city_and_topic)
UNKNOWN_TOPIC = Reason("unknown_topic", "Unknown topic", _asked("topic"))
NO_CITY_FOR_TOPIC = Reason("no_city_for_topic", "No city has measures on this topic", _asked("topic"))
UNKNOWN_ORGANISATION = Reason("unknown_organisation", "Unknown organisation", _asked("organisation"))
UNKNOWN_PERSON = Reason("unknown_person", "Unknown person", _question)
NO_WEBINAR_ON_DATE = Reason(
    "no_webinar_on_date", "No webinar on that date", _understood("date", "webinar_date")
)
SOURCE_SILENT = Reason("source_silent", "The source says nothing about it", _question)
SOURCE_SILENT_CITY = Reason("source_silent", SOURCE_SILENT.label, _asked("city"))
SOURCE_SILENT_ORGANISATION = Reason("source_silent", SOURCE_SILENT.label, _asked("organisation"))
SOURCE_SILENT_PERSON = Reason("source_silent", SOURCE_SILENT.label, _asked("person"))
SOURCE_SILENT_WEBINAR = Reason("source_silent", SOURCE_SILENT.label, _understood("date", "webinar_date"))
TECHNICAL_PROBLEM = Reason("technical_problem", "Technical problem (an action failed)", _question)
NO_REPLY = Reason("no_reply", "No reply at all", _question)
LOW_CONFIDENCE = Reason("low_confidence", "Answered, but the question was probably misunderstood", _question)

#: Domain responses (bot/domain.yml) that mean "I could not answer", and why.
RESPONSE_REASONS: dict[str, Reason] = {
    "utter_fallback": NOT_UNDERSTOOD,
    "utter_default": NOT_UNDERSTOOD,
    "utter_out_of_scope": OUT_OF_SCOPE,
    "utter_unknown_city": UNKNOWN_CITY,
    "utter_city_series_only": SERIES_ONLY_CITY,
    "utter_city_topic_none": CITY_TOPIC_NONE,
    "utter_unknown_topic": UNKNOWN_TOPIC,
    "utter_unknown_topic_general": UNKNOWN_TOPIC,
    "utter_cities_by_topic_none": NO_CITY_FOR_TOPIC,
    "utter_unknown_organisation": UNKNOWN_ORGANISATION,
    "utter_unknown_person": UNKNOWN_PERSON,
    "utter_no_webinar_on": NO_WEBINAR_ON_DATE,
    "utter_not_in_source": SOURCE_SILENT,
    "utter_organisation_no_facts": SOURCE_SILENT_ORGANISATION,
    "utter_city_status_unknown": SOURCE_SILENT_CITY,
    "utter_city_representative_unknown": SOURCE_SILENT_CITY,
    "utter_city_no_webinar": SOURCE_SILENT_CITY,
    "utter_city_representative_none": SOURCE_SILENT_CITY,
    "utter_city_no_measures": SOURCE_SILENT_CITY,
    "utter_person_role_unknown": SOURCE_SILENT,
    "utter_technical_problem": TECHNICAL_PROBLEM,
    # comparisons (actions/compare.py): one city unknown, or without measures on the topic
    "utter_compare_unknown_city": UNKNOWN_CITY,
    "utter_compare_unknown_topic": UNKNOWN_TOPIC,
    "utter_compare_city_none": CITY_TOPIC_NONE,
    # issue 16: a known city none of whose facts answers the question; nothing (on that) from
    # the person named; "what did … say?" naming nobody the sources quote
    "utter_city_nothing_matches": SOURCE_SILENT_CITY,
    "utter_said_nothing": SOURCE_SILENT_PERSON,
    "utter_said_unmatched": SOURCE_SILENT_PERSON,
    "utter_said_whom": UNKNOWN_PERSON,
    # "who presented on 12 May?" about a webinar whose presenters no source names
    "utter_webinar_presenters_unnamed": SOURCE_SILENT_WEBINAR,
}

#: Every reason, in report order.
REASONS: tuple[Reason, ...] = (
    NOT_UNDERSTOOD,
    OUT_OF_SCOPE,
    UNKNOWN_CITY,
    SERIES_ONLY_CITY,
    CITY_TOPIC_NONE,
    UNKNOWN_TOPIC,
    NO_CITY_FOR_TOPIC,
    UNKNOWN_ORGANISATION,
    UNKNOWN_PERSON,
    NO_WEBINAR_ON_DATE,
    SOURCE_SILENT,
    TECHNICAL_PROBLEM,
    NO_REPLY,
    LOW_CONFIDENCE,
)
REASON_ORDER: dict[str, int] = {reason.key: index for index, reason in enumerate(REASONS)}


def classify(turn: Turn, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Unanswered | None:
    """Why `turn` went unanswered, or None when the bot answered it."""
    for reply in turn.replies:
        reason = RESPONSE_REASONS.get(reply.response or "")
        if reason is not None:
            return Unanswered(turn, reason, reason.subject(turn, reply))
    if turn.intent == FALLBACK_INTENT:
        return Unanswered(turn, NOT_UNDERSTOOD, _question(turn, None))
    if not turn.replies:
        return Unanswered(turn, NO_REPLY, _question(turn, None))
    if turn.confidence is not None and turn.confidence < min_confidence:
        return Unanswered(turn, LOW_CONFIDENCE, _question(turn, None))
    return None


def unanswered(turns: Iterable[Turn], min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Iterator[Unanswered]:
    """The unanswered turns among `turns`."""
    for turn in turns:
        item = classify(turn, min_confidence)
        if item is not None:
            yield item
