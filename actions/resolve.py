"""From what the user said (entities, words, slots) to knowledge-base records.

The NLU's entities are a hint, not the truth: a synonym may already have mapped the words to
an id, the model may have missed a misspelt name, or caught a city the knowledge base does not
know. So each resolver tries, in order: this message's entities, a word-for-word scan of this
message, then the slot kept from earlier turns (follow-ups: "And Chefchaouen?"). Unknown names
are kept as typed, so the reply can name them ("I have no information about Lagos").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from rasa_sdk import Tracker

from actions.conversation import entity_texts, joined_entity_text, message_text, slot_text
from actions.dates import parse_day
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Organisation, Person, Topic
from citybot.kb.normalize import fold, singular

#: Longest word sequence tried when looking for organisation or person names in a sentence.
_MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class Found:
    """What a resolver found: a record, or only the words the user typed, or nothing.

    `fresh` says whether it came from this message (True) or from an earlier turn's slot.
    """

    record: object | None = None
    asked: str | None = None
    fresh: bool = False

    @property
    def known(self) -> bool:
        return self.record is not None

    @property
    def unknown(self) -> bool:
        return self.record is None and bool(self.asked)

    @property
    def missing(self) -> bool:
        return self.record is None and not self.asked


NOTHING = Found()


def resolve_city(
    kb: KnowledgeBase, tracker: Tracker, use_slot: bool = True, guess_names: bool = True
) -> Found:
    """The city this message is about, else the one from earlier turns.

    In a question known to be about a city, a capitalised name the model did not catch ("What
    did Toulouse do?") still counts as a city the knowledge base does not know (`guess_names`),
    so the answer can say so instead of reusing an old city.
    """
    asked = entity_texts(tracker, "city")
    for value in asked:
        city = city_named(kb, value)
        if city:
            return Found(city, value, True)
    text = message_text(tracker)
    scanned = kb.find_cities_in(text)
    if scanned:
        return Found(scanned[0], scanned[0].name, True)
    unknown = [value for value in asked if not _is_topic_word(kb, value)]
    if not unknown and guess_names:
        unknown = _unknown_names(kb, text)
    if unknown:
        return Found(None, unknown[0], True)
    if use_slot:
        return _from_slot(tracker, "city", lambda value: city_named(kb, value))
    return NOTHING


def resolve_topic(kb: KnowledgeBase, tracker: Tracker, use_slot: bool = True) -> Found:
    """The topic this message is about, else the one from earlier turns.

    Neighbouring topic entities are tried joined first: the model sometimes splits one name
    in two ("school" + "supplies"), and the whole name is the more specific topic.
    """
    asked = joined_entity_text(tracker, "topic") + entity_texts(tracker, "topic")
    for value in asked:
        topic = topic_named(kb, value)
        if topic:
            return Found(topic, value, True)
    scanned = kb.find_topics_in(message_text(tracker))
    if scanned:
        return Found(scanned[0], scanned[0].id, True)
    if asked:
        return Found(None, asked[-1], True)
    if use_slot:
        return _from_slot(tracker, "topic", lambda value: topic_named(kb, value))
    return NOTHING


def resolve_organisation(kb: KnowledgeBase, tracker: Tracker, use_slot: bool = True) -> Found:
    """The organisation this message names (AIMF, UIL, GNLC...), else the one from earlier turns."""
    asked = entity_texts(tracker, "organisation")
    for value in asked:
        organisation = organisation_named(kb, value)
        if organisation:
            return Found(organisation, value, True)
    for phrase in _phrases(message_text(tracker)):
        organisation = kb.find_organisation(phrase)
        if organisation:
            return Found(organisation, phrase, True)
    if asked:
        return Found(None, asked[0], True)
    if use_slot:
        return _from_slot(tracker, "organisation", lambda value: organisation_named(kb, value))
    return NOTHING


def resolve_person(kb: KnowledgeBase, tracker: Tracker) -> Person | None:
    """The person this message names ("Who is Danielle Valéro?", « qui est Baillet »), or None."""
    for phrase in _phrases(message_text(tracker)):
        person = kb.find_person(phrase)
        if person:
            return person
    return None


def resolve_day(tracker: Tracker) -> Found:
    """The date this message mentions (entity `webinar_date` or any written date)."""
    for value in entity_texts(tracker, "webinar_date"):
        parsed = parse_day(value)
        if parsed:
            return Found(parsed, value, True)
    parsed = parse_day(message_text(tracker))
    if parsed:
        return Found(parsed, None, True)
    values = entity_texts(tracker, "webinar_date")
    return Found(None, values[0], True) if values else NOTHING


def city_named(kb: KnowledgeBase, value: str | None) -> City | None:
    """The city for an id ("mayo-baleo") or any way of writing its name, typos included."""
    if not value:
        return None
    if value in kb.cities:
        return kb.cities[value]
    match = kb.find_city(value)
    return match.city if match else None


def topic_named(kb: KnowledgeBase, value: str | None) -> Topic | None:
    """The topic for an id ("school_supplies") or any of its words in either language.

    As a last resort, words that only occur inside one topic's names designate it: people say
    "les familles" for the topic whose synonyms are "familles vulnérables", "familles dans le besoin".
    """
    if not value:
        return None
    return kb.topics.get(value) or kb.find_topic(value) or _topic_by_partial_name(kb, value)


def _topic_by_partial_name(kb: KnowledgeBase, value: str) -> Topic | None:
    words = {w for w in singular(fold(value)).split() if len(w) >= 4}  # "les", "the" say nothing
    if not words:
        return None
    owners = {topic_id for name_words, topic_id in kb.topic_words if words <= name_words}
    return kb.topics[owners.pop()] if len(owners) == 1 else None


def organisation_named(kb: KnowledgeBase, value: str | None) -> Organisation | None:
    """The organisation for an id, acronym, name or alias."""
    if not value:
        return None
    return kb.organisations.get(value) or kb.find_organisation(value)


def webinar_day(found: Found) -> datetime.date | None:
    """The date a `resolve_day` result holds, if any."""
    return found.record if isinstance(found.record, datetime.date) else None


def _from_slot(tracker: Tracker, slot: str, lookup) -> Found:
    value = slot_text(tracker, slot)
    if not value:
        return NOTHING
    record = lookup(value)
    return Found(record, value, False)


def _is_topic_word(kb: KnowledgeBase, value: str) -> bool:
    """Whether words taken for a city actually name a topic ("schools" is no city)."""
    return bool(kb.topics.get(value) or kb.find_topic(value))


#: Capitalised words that are not place names ("What did UNESCO..."), checked after folding.
_NOT_PLACES = frozenset(
    {
        "i",
        "covid",
        "covid 19",
        "coronavirus",
        "unesco",
        "english",
        "french",
        "anglais",
        "francais",
        "mr",
        "mrs",
        "ms",
        "mme",
        "m",
        "monsieur",
        "madame",
        "and",
        "et",
        "what",
        "which",
        "who",
        "when",
        "where",
        "how",
        "qui",
        "que",
        "quoi",
        "quand",
        "comment",
        "quelle",
        "quelles",
        "quel",
        "quels",
        "ok",
        "hello",
        "bonjour",
        "salut",
        "merci",
        "thanks",
        "please",
        "svp",
        "stp",
        "the",
        "le",
        "la",
        "les",
    }
)
_CAPITALISED = re.compile(r"(?<![\w'’-])([A-ZÀ-Ý][\w'’-]+(?:[ -][A-ZÀ-Ý][\w'’-]+)*)")


def _unknown_names(kb: KnowledgeBase, text: str) -> list[str]:
    """Capitalised names in the middle of a sentence that name nothing the KB knows."""
    names = []
    for match in _CAPITALISED.finditer(text):
        name = match.group(1).strip("'’-")
        if match.start() == 0 and len(re.findall(r"\w+", text)) > len(name.split()):
            continue  # the first word of a sentence is capitalised anyway
        folded = fold(name)
        if len(folded) < 3 or any(
            word in _NOT_PLACES or kb.find_topic(word) or kb.find_organisation(word) or kb.find_person(word)
            for word in folded.split()
        ):
            continue
        names.append(name)
    return names


def _phrases(text: str) -> list[str]:
    """Every run of up to four words of `text`, longest first, so full names win."""
    words = fold(text).split()
    return [
        " ".join(words[start : start + size])
        for size in range(min(_MAX_NAME_WORDS, len(words)), 0, -1)
        for start in range(len(words) - size + 1)
    ]
