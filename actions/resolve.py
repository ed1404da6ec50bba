"""From the tracker to what an answer needs: the reply language and the records the user means.

The NLU's entities are a hint, not the truth: a synonym may already have mapped the words to
an id, the model may have missed a misspelt name, or caught a city the knowledge base does not
know. So each resolver tries, in order: this message's entities, a word-for-word scan of this
message, then the slot kept from earlier turns (follow-ups: "And Chefchaouen?"). Unknown names
are kept as typed, so the reply can name them ("I have no information about Lagos").

Values reaching the action server come from users and channels, so the tracker readers here
tolerate junk (missing keys, numbers where text is expected) and return plain `str`s.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rasa_sdk import Tracker

from actions.dates import MONTH_NAMES, as_said, counts_something, month_named, parse_day
from actions.knowledge import get_kb
from actions.phrasing import asks_what_was_said, beyond_phrasing
from actions.retrieved import asks_for_cities, without_country
from actions.webinar_order import (
    ORDER_WORDS,
    at_position,
    names_previous,
    position_in,
    series_order,
    step_asked,
    webinar_at,
    webinar_before,
    webinar_beside,
)
from citybot.courtesies import without_courtesies
from citybot.kb import KnowledgeBase
from citybot.kb.countries import says_a_town
from citybot.kb.model import City, Organisation, Person, Remark, Topic, Webinar
from citybot.kb.normalize import fold, singular
from citybot.language import LANGUAGE_SLOT, normalise_code
from citybot.language.decision import message_language
from citybot.language.hold import held_language, history_from_dicts
from citybot.language.words import ENGLISH_WORDS, FRENCH_WORDS
from citybot.retrieval import NO_TOPIC
from citybot.retrieval.analysis import MONTHS, STOP_WORDS, names_a_thing_only, stems, terms
from citybot.retrieval.documents import date_words, webinar_text

#: Longest entity text kept: unknown names are repeated to the user ("no information about X").
MAX_ENTITY_CHARS = 60
#: Longest message text the actions read: twice what the NLU reads (`MessageLimit`, 300). Through
#: Rasa the text is already cut; anyone else reaching the action server is not, and scanning a
#: message costs time per word (10 MB of words: minutes, with every conversation waiting).
MAX_MESSAGE_CHARS = 600
#: Longest word sequence tried when looking for organisation or person names in a sentence.
_MAX_NAME_WORDS = 4
#: A country named without a word for a town ("did Morocco make its own masks?": 3.3) means its
#: city when one of the city's measures matches with at least this score (`FactIndex.matching`):
#: "what's the population of China?" shares a word with a Wuhan measure (the small-talk examples
#: of data/nlu that name a country: 1.6-2.6).
COUNTRY_ALONE_SCORE = 3.0

RecordT = TypeVar("RecordT")


@dataclass(frozen=True)
class Found(Generic[RecordT]):
    """What a resolver found: a record, or only the words the user typed, or nothing.

    `fresh` says whether it came from this message (True) or from an earlier turn's slot.
    """

    record: RecordT | None = None
    typed: str | None = None
    fresh: bool = False

    @property
    def known(self) -> bool:
        return self.record is not None

    @property
    def unknown(self) -> bool:
        return self.record is None and bool(self.typed)

    @property
    def missing(self) -> bool:
        return self.record is None and not self.typed


NOTHING: Found[Any] = Found()


# --- Reading the tracker. These readers, not `Tracker.get_latest_entity_values`, because an
# answer needs each entity's surface text next to its (maybe synonym-mapped) value, and junk skipped.


def reply_language(tracker: Tracker) -> str:
    """The conversation's language ("en"/"fr"): the `language` slot, else a fresh decision.

    The Rasa server's language policy sets the slot before each answer;
    when that did not happen (slot missing or junk), decide as it does, from this message, the
    channel's hint and a language the user asked for earlier (`held_language` of the same events),
    so the reply still comes in the user's language.
    """
    code = normalise_code(tracker.get_slot(LANGUAGE_SLOT))
    if code:
        return code
    message = tracker.latest_message or {}
    held = held_language(history_from_dicts(tracker.events or []))
    if not held:
        return message_language(None, message, third_language=False)
    # A clear sentence is judged without the names, as the policy judges it.
    names = get_kb().name_words
    return message_language(None, message, names, third_language=False, held=held)


def typed_text(tracker: Tracker) -> str:
    """The latest user message's text as typed, cut to `MAX_MESSAGE_CHARS` ("" for payloads
    without text or junk): the entities' offsets point into it."""
    text = (tracker.latest_message or {}).get("text")
    return text[:MAX_MESSAGE_CHARS] if isinstance(text, str) else ""


def message_text(tracker: Tracker) -> str:
    """The question the latest user message asks: its text (`typed_text`) without the courtesies
    around it (`without_courtesies`: "Hi!" and "thanks!" are no words of the question), with the words it
    misspells written as the facts write them (`FactIndex.spelled`), so that every reading of the
    question ("the last webniar") sees the word it meant. Entities' offsets do not point into it."""
    return get_kb().fact_index.spelled(without_courtesies(typed_text(tracker)))


def latest_intent(tracker: Tracker) -> str | None:
    """The intent Rasa acted on (`intent.name`, what the rules match), junk tolerated;
    `Tracker.get_intent_of_latest_message` reads the ranking instead."""
    intent = (tracker.latest_message or {}).get("intent")
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None


def message_entities(tracker: Tracker) -> list[dict[str, Any]]:
    """The latest message's entities that are objects: a caller other than Rasa may send anything."""
    entities = (tracker.latest_message or {}).get("entities")
    return [item for item in entities if isinstance(item, dict)] if isinstance(entities, list) else []


def entity_texts(tracker: Tracker, entity: str) -> list[str]:
    """What this message says for `entity`: each value (maybe synonym-mapped) and its surface text.

    Both are kept because a synonym may have mapped the words to an id while the raw words
    are what the knowledge base's fuzzy matching and "I don't know X" replies need.
    """
    text = typed_text(tracker)
    found: list[str] = []
    for item in message_entities(tracker):
        if item.get("entity") != entity:
            continue
        for candidate in (item.get("value"), _surface(text, item)):
            candidate = _as_text(candidate)[:MAX_ENTITY_CHARS]
            if candidate and candidate not in found:
                found.append(candidate)
    return found


def entity_surfaces(tracker: Tracker, entity: str) -> list[str]:
    """The words this message wrote for `entity`, as typed (not the values synonyms map them to:
    « télé », not distance_learning)."""
    text = typed_text(tracker)
    said = (_surface(text, item) for item in message_entities(tracker) if item.get("entity") == entity)
    return [surface for surface in said if surface]


def joined_entity_text(tracker: Tracker, entity: str) -> list[str]:
    """The words from the first to the last `entity` of this message, when there are several
    adjacent ones ("school" + "supplies" -> "school supplies"); else an empty list."""
    text = typed_text(tracker)
    spans = sorted(
        (item["start"], item["end"])
        for item in message_entities(tracker)
        if item.get("entity") == entity
        and isinstance(item.get("start"), int)
        and isinstance(item.get("end"), int)
        and 0 <= item["start"] < item["end"] <= len(text)
    )
    if len(spans) < 2:
        return []
    if any(text[end:start].strip() for (_, end), (start, _) in zip(spans, spans[1:], strict=False)):
        return []  # not adjacent: separate topics
    return [text[spans[0][0] : spans[-1][1]][:MAX_ENTITY_CHARS]]


def slot_text(tracker: Tracker, name: str) -> str | None:
    """A slot's value as non-empty text cut like an entity's (`MAX_ENTITY_CHARS`), or None.

    Slots hold ids or names taken from entities, so nothing legitimate is longer.
    """
    value = tracker.get_slot(name)
    if isinstance(value, str):
        value = value[:MAX_MESSAGE_CHARS]  # bounds the stripping too
    return _as_text(value)[:MAX_ENTITY_CHARS] or None


def _surface(text: str, entity: dict[str, Any]) -> str | None:
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return text[start:end]
    return None


def _as_text(value: Any) -> str:
    """Text values stripped; numbers turned into text; anything else ignored."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


# --- Resolvers: what this message (else the conversation) is about.


def resolve_city(
    kb: KnowledgeBase, tracker: Tracker, use_slot: bool = True, guess_names: bool = True
) -> Found[City]:
    """The city this message is about, else the one from earlier turns.

    In a question known to be about a city, a capitalised name the model did not catch ("What
    did Toulouse do?") still counts as a city the knowledge base does not know (`guess_names`),
    so the answer can say so instead of reusing an old city.
    """
    typed = entity_texts(tracker, "city")
    for value in typed:
        city = city_named(kb, value)
        if city:
            return Found(city, value, True)
    text = message_text(tracker)
    scanned = kb.find_cities_in(text)
    if scanned:
        return Found(scanned[0], scanned[0].name, True)
    unknown = [value for value in typed if _may_be_a_city(kb, text, value)]
    described = None if unknown else described_city(kb, text)
    if described is not None:
        return Found(described, described.name, True)
    if not unknown and guess_names:
        unknown = _unknown_names(kb, text)
    if unknown:
        return Found(None, unknown[0], True)
    if use_slot:
        return _from_slot(tracker, "city", lambda value: city_named(kb, value))
    return NOTHING


def described_city(kb: KnowledgeBase, text: str) -> City | None:
    """The city a message naming none describes by its country ("the Polish city", « au Maroc »,
    « la capitale chinoise »): of the bot's cities of that country, the one with the measure that
    best matches what the message asks besides the country, or the only one of a country whose
    adjective it says beside a town word ("who spoke for the Cameroonian city?" asks nothing a
    measure says; "the capital of Cameroon" may ask about the country). A country named without a word for a
    town must be matched well: "how many people died in France?" asks about France, not about
    Évry. None otherwise, and for "which cities…?", which asks for a list."""
    if asks_for_cities(text):
        return None
    towns = kb.towns_described_in(text)
    if len(towns) == 1:  # "who spoke for the Cameroonian city?"
        return towns[0]
    candidates = kb.cities_described_in(text)
    best: tuple[float, City | None] = (0.0, None)
    for candidate in candidates:
        asked = without_country(kb, text, candidate)
        hits = kb.fact_index.matching(asked, kinds={"measure"}, city=candidate.id)
        if hits and hits[0].score > best[0]:
            best = (hits[0].score, candidate)
    score, city = best
    return city if says_a_town(fold(text)) or score >= COUNTRY_ALONE_SCORE else None


def resolve_cities(kb: KnowledgeBase, tracker: Tracker) -> list[Found[City]]:
    """Every city this message names, in the order written ("Compare Osan and Goyang").

    `resolve_city` stops at the first city, which is what one-city questions want; a comparison
    needs them all. Entities first (known or not: unknown names are kept as typed so the reply
    can say "no information about Lagos"), then the word-for-word scan adds the cities the model
    missed. Names that are topic words ("schools") are not cities. No slot: earlier turns'
    cities are the caller's business.
    """
    text = typed_text(tracker)
    found: list[tuple[int, Found[City]]] = []
    seen: set[str] = set()
    for item in message_entities(tracker):
        if item.get("entity") != "city":
            continue
        value = _as_text(item.get("value"))[:MAX_ENTITY_CHARS]
        surface = _surface(text, item) or ""
        city = city_named(kb, value) or city_named(kb, surface)
        key = city.id if city else fold(surface or value)
        if not key or key in seen or (city is None and _is_topic_word(kb, surface or value)):
            continue
        seen.add(key)
        start = item.get("start")
        where = start if isinstance(start, int) else len(text)
        found.append((where, Found(city, surface or value, True)))
    folded = fold(text)
    for city in kb.find_cities_in(text):
        if city.id not in seen:
            seen.add(city.id)
            found.append((_position(folded, city), Found(city, city.name, True)))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _position(folded_text: str, city: City) -> int:
    """Roughly where a city is named in the folded text (for ordering only)."""
    places = [folded_text.find(fold(name)) for name in city.names]
    return min((p for p in places if p >= 0), default=len(folded_text))


def resolve_topic(kb: KnowledgeBase, tracker: Tracker, use_slot: bool = True) -> Found[Topic]:
    """The topic this message is about, else the one from earlier turns.

    Neighbouring topic entities are tried joined first: the model sometimes splits one name
    in two ("school" + "supplies"), and the whole name is the more specific topic.
    """
    typed = joined_entity_text(tracker, "topic") + entity_texts(tracker, "topic")
    for value in typed:
        topic = topic_named(kb, value)
        if topic:
            return Found(topic, value, True)
    scanned = kb.find_topic_names_in(message_text(tracker))
    if scanned:  # with the words that named it, as an entity's
        return Found(*scanned[0], True)
    if typed:
        return Found(None, typed[-1], True)
    if use_slot:
        return _from_slot(tracker, "topic", lambda value: topic_named(kb, value))
    return NOTHING


def resolve_organisation(kb: KnowledgeBase, tracker: Tracker, use_slot: bool = True) -> Found[Organisation]:
    """The organisation this message names (AIMF, UIL, GNLC...), else the one from earlier turns."""
    typed = entity_texts(tracker, "organisation")
    for value in typed:
        organisation = organisation_named(kb, value)
        if organisation:
            return Found(organisation, value, True)
    for phrase in _phrases(message_text(tracker)):
        organisation = kb.find_organisation(phrase)
        if organisation:
            return Found(organisation, phrase, True)
    organisation = organisation_by_part(kb, message_text(tracker))
    if organisation:
        return Found(organisation, organisation.id, True)
    if typed:
        return Found(None, typed[0], True)
    if use_slot:
        return _from_slot(tracker, "organisation", lambda value: organisation_named(kb, value))
    return NOTHING


def resolve_person(kb: KnowledgeBase, tracker: Tracker) -> Person | None:
    """The person this message names ("Who is Danielle Valéro?", « qui est Baillet »), else the
    one it names by their role at a city or organisation it names ("UIL's director", « la
    représentante du HCR »), or None."""
    for phrase in _phrases(_TIME_REFERENCE.sub(" ", fold(message_text(tracker)))):
        person = kb.find_person(phrase)
        if person:
            return _namesake_in_role(kb, message_text(tracker), phrase, person)
    return _person_by_role(kb, tracker) or _person_described(kb, tracker)


def _namesake_in_role(kb: KnowledgeBase, text: str, phrase: str, person: Person) -> Person:
    """Of the people whose names say `phrase` (two Parks: Mayor Park Won-soon, who writes his
    family name first, and Jonghwi Park), the one holding the role the message says (« le maire
    Park »); `person` when it says none, or no other namesake holds it."""
    said = ROLE_WORDS & set(fold(text).split())
    namesakes = [p for p in kb.people.values() if f" {phrase} " in f" {fold(p.name)} "]
    in_role = [
        p for p in namesakes if p.role is not None and said & set(fold(f"{p.role.en} {p.role.fr}").split())
    ]
    return in_role[0] if len(in_role) == 1 and person not in in_role and len(namesakes) > 1 else person


#: "before Lopes opened it", « avant que Lopes ne l'ouvre », « après Henrique Lopes »: a name
#: that dates something, not the person asked about (folded; the two words after are dropped).
#: Not « d'après Edith Hammer », which says whose words are asked about.
_TIME_REFERENCE = re.compile(r"(?<!\bd )\b(?:before|after|avant|apres)(?: qu(?:e|\b))?(?: \w+){1,2}")


#: Words naming whoever spoke for a city or an organisation, whatever their role (folded).
SPEAKING_FOR = frozenset(
    [
        "representative",
        "representatives",
        "rep",
        "speaker",
        "spokesperson",
        "representant",
        "representante",
        "representants",
        "intervenant",
        "intervenante",
    ]
)
#: Words naming a role people hold (folded): "UIL's director", « l'adjoint au maire de Turin ».
ROLE_WORDS = frozenset(
    [
        "director",
        "directeur",
        "directrice",
        "mayor",
        "maire",
        "deputy",
        "adjoint",
        "adjointe",
        "president",
        "presidente",
        "secretary",
        "secretaire",
        "moderator",
        "moderatrice",
        "moderateur",
        "coordinator",
        "coordinateur",
        "coordinatrice",
        "advisor",
        "adviser",
        "conseiller",
        "conseillere",
        "officer",
        "dean",
        "doyen",
        "professor",
        "professeur",
        "founder",
        "fondateur",
        "fondatrice",
        "manager",
        "chairman",
        "chair",
    ]
)

#: Words asking for someone's name (folded): "what's the mayor's name?", « il s'appelle comment ? ».
ASKING_NAME = frozenset(["name", "named", "called", "nom", "appelle", "appelait", "sappelle"])
#: Verbs asking for whoever holds a role (folded): "who founded the CCDKM?", « qui a fondé… ».
ROLE_OF_VERB: dict[str, tuple[str, ...]] = {
    "founded": ("founder",),
    "fonde": ("fondateur", "fondatrice"),
    "fondee": ("fondateur", "fondatrice"),
    "chaired": ("chair",),
    "preside": ("president", "presidente"),
    "presided": ("president",),
}


def _person_by_role(kb: KnowledgeBase, tracker: Tracker) -> Person | None:
    """The one person of the city or organisation the message names whose role it names ("UIL's
    director", « l'adjoint au maire de Turin »), or its one person when it says "representative"
    (« la représentante du HCR »); None when it names no role, or several people fit."""
    said = {role for word in fold(message_text(tracker)).split() for role in ROLE_OF_VERB.get(word, (word,))}
    roles = said & ROLE_WORDS
    if not roles and not said & SPEAKING_FOR:
        return None
    city = resolve_city(kb, tracker, use_slot=False, guess_names=False).record
    organisation = named_organisation(kb, tracker, use_slot=False)
    people = [
        p
        for p in kb.people.values()
        if (city is not None and p.city == city.id)
        or (organisation is not None and p.organisation == organisation.id)
    ]
    if not roles:
        return people[0] if len(people) == 1 else None
    asked = {term for word in roles for term in stems(word)}
    fits = {p.id: len(asked & _role_terms(p)) for p in people}
    best = max(fits.values(), default=0)
    chosen = [p for p in people if fits[p.id] == best]
    return chosen[0] if best > 0 and len(chosen) == 1 else None


#: Words describing someone by what they know (folded): "the Portuguese health expert".
_DESCRIBING = frozenset(
    [
        "expert",
        "experts",
        "specialist",
        "academic",
        "researcher",
        "scientist",
        "specialiste",
        "chercheur",
        "chercheuse",
        "universitaire",
        "scientifique",
    ]
)


#: How many words before and after a describing word describe the person (English puts them
#: before, French mostly after).
_AROUND_BEFORE, _AROUND_AFTER = 3, 2


def _person_described(kb: KnowledgeBase, tracker: Tracker) -> Person | None:
    """The one person whose role says the most of what a message naming no city nor organisation
    says of them beside a describing word ("According to the Portuguese health expert…": Henrique
    Lopes, of the Universidade Católica Portuguesa); None when it says no such word, or no one or
    several people fit."""
    said = fold(message_text(tracker)).split()
    if (
        not _DESCRIBING.intersection(said)
        or resolve_city(kb, tracker, use_slot=False, guess_names=False).record
    ):
        return None
    if named_organisation(kb, tracker, use_slot=False) is not None:
        return None
    # the words around the describing word: before it in English ("the Portuguese health
    # expert"), mostly after it in French (« l'expert portugais », whose stem the role's
    # « Portuguesa » does not share: that one is not found)
    around = {
        word
        for i, describing in enumerate(said)
        if describing in _DESCRIBING
        for word in said[max(0, i - _AROUND_BEFORE) : i] + said[i + 1 : i + 1 + _AROUND_AFTER]
    }
    asked = set(terms(" ".join(word for word in said if word in around and word not in _DESCRIBING)))
    roles = {p.id: _role_terms(p) for p in kb.people.values()}
    # a term of few people's roles says more ("Portuguese") than one of many ("education")
    holders = Counter(term for role in roles.values() for term in role)
    fits = {pid: sum(1 / holders[term] for term in asked & role) for pid, role in roles.items()}
    best = max(fits.values(), default=0.0)
    chosen = [p for p in kb.people.values() if fits[p.id] == best]
    return chosen[0] if best >= 1 and len(chosen) == 1 else None


def _role_terms(person: Person) -> set[str]:
    """The stems of a person's role in both languages."""
    return set(terms(f"{person.role.en} {person.role.fr}")) if person.role else set()


def resolve_day(tracker: Tracker) -> Found[datetime.date]:
    """The date this message mentions (entity `webinar_date` or any written date)."""
    for value in entity_texts(tracker, "webinar_date"):
        parsed = parse_day(value)
        if parsed:
            return Found(parsed, value, True)
    parsed = parse_day(message_text(tracker))
    if parsed:
        return Found(parsed, None, True)
    text = message_text(tracker)
    values = [value for value in entity_texts(tracker, "webinar_date") if not counts_something(value, text)]
    said = [typed for typed in (as_said(value, text) for value in values) if typed is not None]
    part = _PART_OF_MONTH.search(fold(text)) or _MONTH_OF.search(fold(text))  # where the model saw no date
    said += [part.group("month")] if part else []
    return Found(None, said[0], True) if said else NOTHING


# --- Which webinar (issue 16): by date, order, presenter, then by what it was about.


def resolve_webinar(kb: KnowledgeBase, tracker: Tracker) -> Found[Webinar]:
    """The webinar this message is about (`_named_webinar`), or the one after or before it that
    it asks for ("what came after the francophone webinar?": the 29 April one)."""
    found = _named_webinar(kb, tracker)
    step = step_asked(message_text(tracker)) if found.record is not None else 0
    beside = webinar_beside(kb, found.record, step) if found.record is not None and step else None
    return Found(beside, found.typed, True) if beside is not None else found


def _named_webinar(kb: KnowledgeBase, tracker: Tracker) -> Found[Webinar]:
    """The webinar this message names; `missing` when it names none (the caller then means the
    featured one), `unknown` (typed: the date) when it names a date the series had no webinar on.

    The most explicit mark wins: a date (the first webinar of that date), its attendance ("which
    webinar had 250 people?"), an order word ("the last webinar", « le premier webinaire », see
    actions/webinar_order.py), a presenting city or organisation, then what the webinars were
    about (title, theme, summary) ranked against the message; only webinars above the
    retrieval's relevance threshold (`FactIndex.matching`) count, so that a word shared by chance
    ("how many *people* attended?") does not pick a webinar.
    Earlier turns are not read: there is no webinar slot, and an old city is no clue.
    """
    when = resolve_day(tracker)
    text = message_text(tracker)
    if when.record is not None:
        webinar = _webinar_of_day(kb, when.record, text)
        return Found(webinar, when.typed, True) if webinar else Found(None, when.record.isoformat(), True)
    attended = webinar_by_attendance(kb, text)  # before a date not understood: "250" is no date
    if attended is not None:
        return Found(attended, None, True)
    if when.unknown:  # a month alone may still pick one of its webinars: "the April webinar on universities"
        in_month = _webinar_in_month(kb, text, when.typed or "")
        return Found(in_month, None, True) if in_month else Found(None, when.typed, True)
    ordered = _webinar_by_order(kb, text)
    if ordered is not None:
        return Found(ordered, None, True)
    spoken = webinar_in_language_named(kb, text)  # « combien de monde au webinaire en français ? »
    if spoken is not None:
        return Found(spoken, None, True)
    presented = _webinars_presented_by(kb, tracker)
    if len(presented) == 1:
        return Found(presented[0], None, True)
    # among them, the one the message is about; else one it is about that the name did not pick
    # ("how did Marie Macauley open the webinar on recovery strategies?": not one she moderated)
    ranked = matching_webinars(kb, text, among=presented) or matching_webinars(kb, text)
    if ranked:
        return Found(ranked[0], None, True)
    return Found(presented[0], None, True) if presented else NOTHING


def _webinar_of_day(kb: KnowledgeBase, day: datetime.date, text: str) -> Webinar | None:
    """The webinar of `day` the message is about: of two held that day, the one what it says
    matches ("the second webinar on 10 June, for Arab countries"), else the series' own."""
    held = kb.webinars_on(day)
    ranked = matching_webinars(kb, text, among=held) if len(held) > 1 else []
    return ranked[0] if ranked else kb.webinar_on(day)


_NUMBER = re.compile(r"\b\d+\b")


def webinar_in_language_named(kb: KnowledgeBase, text: str) -> Webinar | None:
    """The one webinar the sources say was held in a language `text` names ("a webinar in
    French", « le webinaire en langue française »); None when it names none, or several webinars
    were held in it."""
    said = set(terms(text))
    held = [
        w
        for w in kb.webinars.values()
        if w.language is not None and said & set(terms(f"{w.language.en} {w.language.fr}"))
    ]
    return held[0] if len(held) == 1 else None


def _webinar_in_month(kb: KnowledgeBase, text: str, typed: str) -> Webinar | None:
    """The webinar of the month `typed` names that the message picks: the month's only one, the
    one at the place in the month an order word says ("the last webinar in April": 29 April;
    "the first one in the first week of May"), the one of them what it was about matches (first among those of the part of the month it says:
    "early", "mid", "late"), or the only one held in that part; None otherwise (the date stays
    not understood)."""
    month = month_named(typed)
    in_month = [w for w in kb.webinars.values() if month is not None and w.date.month == month]
    if len(in_month) == 1:
        return in_month[0]
    in_part = in_part_of_month(text, in_month)  # "the mid-March webinar": the 19th
    about = fold(text).replace(fold(typed), " ")  # every webinar of the month says its name
    position = position_in(_PART_OF_MONTH.sub(" ", fold(text)))  # "the last webinar in April"
    if position is not None and not matching_webinars(kb, about, among=in_part):
        return at_position([w for w in series_order(kb) if w in in_part], position)
    ranked = matching_webinars(kb, about, among=in_part) if in_part else []
    if not ranked and len(in_part) == 1:
        return in_part[0]
    ranked = ranked or (matching_webinars(kb, about, among=in_month) if in_month else [])
    return ranked[0] if ranked else None


def says_part_of_month(text: str) -> bool:
    """Whether `text` says a part of a month ("the end of May", « début mai »): words a classifier
    may read as a webinar's opening or closing."""
    return bool(_PART_OF_MONTH.search(fold(text)))


def in_part_of_month(text: str, webinars: list[Webinar]) -> list[Webinar]:
    """Of one month's `webinars`, those held in the part of it the message says ("the mid-March
    webinar": the 19th, not the 24th); all of them when it says none, or none was held then."""
    said = _PART_OF_MONTH.search(fold(text))
    days = _DAYS_OF_PART[said.group("part")] if said else None
    held = [w for w in webinars if days is not None and w.date.day in days]
    return held or webinars


def webinar_by_attendance(kb: KnowledgeBase, text: str) -> Webinar | None:
    """The webinar whose attendance is a number the message gives ("which webinar had about 250
    people?", « quel webinaire a réuni 250 participants ? »); None when it gives none of them."""
    numbers = set(_NUMBER.findall(text))
    if not numbers:
        return None
    return next(
        (
            w
            for w in kb.webinars.values()
            if w.attendance is not None and numbers & set(_NUMBER.findall(w.attendance.en))
        ),
        None,
    )


def matching_webinars(kb: KnowledgeBase, text: str, among: list[Webinar] | None = None) -> list[Webinar]:
    """The webinars whose title, theme or summary match `text` (the retrieval's calibrated
    threshold), best first (only those of `among` when given and not empty): what "which webinars
    were about X?" lists. The words every webinar question has are left out first.

    An opening remark says what its webinar set out to do, in more words than its title: the
    webinars whose opening matches come first ("the webinar on online learning for adults": the
    6 May one, titled "open distance learning"), and are the answer when no title matches a
    question asking with several words."""
    query = _webinar_query(text)
    if not query:
        return []
    index = kb.fact_index
    by_title = [hit.fact.webinar for hit in index.matching(query, kinds={"webinar"})]
    by_opening = [
        hit.fact.webinar
        for hit in index.matching(query, kinds={"remark"})
        if isinstance(hit.fact.record, Remark) and hit.fact.record.part == "opening"
    ]
    if by_title:
        ranked = sorted(by_title, key=lambda webinar: webinar not in by_opening)
    else:  # on its opening alone, when it asks with several words: "who spoke first?" names no webinar
        ranked = by_opening if len(index.specific_words(query, NO_TOPIC)) > 1 else []
    return _webinars_of(kb, ranked, among)


def _webinars_of(
    kb: KnowledgeBase, ids: list[str | None], among: list[Webinar] | None = None
) -> list[Webinar]:
    allowed = {w.id for w in among} if among else None
    found: dict[str, Webinar] = {}
    for webinar_id in ids:
        if webinar_id and webinar_id in kb.webinars and (allowed is None or webinar_id in allowed):
            found.setdefault(webinar_id, kb.webinars[webinar_id])
    return list(found.values())


#: Words of a webinar question that say nothing about which webinar (every one was a webinar,
#: had a host, a language, a theme...), left out before ranking; matched on folded words as prefixes.
_WEBINAR_QUESTION_WORDS = re.compile(
    r"\b(webinar|webinaire|session|seance|series|serie|seminar|seminaire|online|ligne|theme|thematique|topic|"
    r"subject|sujet|title|titre|about|summar|resume|held|tenu|took|lieu|place|host|organi|languag|langue|"
    r"moderat|anim|attend|particip|opening|ouverture|closing|cloture|remark|mots?\b|discours|speech|director|"
    r"directeur|directrice|happen|discuss|present|cover|focus|porte|portait|parl|tell|describe|info|detail)\w*"
)


def _webinar_query(text: str) -> str:
    """`text` less the words every webinar question has and the order words ("first", « dernier »),
    which name a webinar by its place in the series, not by what it was about."""
    said = _WEBINAR_QUESTION_WORDS.sub(" ", fold(text)).split()
    return " ".join(word for word in said if word not in ORDER_WORDS)


def _webinar_by_order(kb: KnowledgeBase, text: str) -> Webinar | None:
    """The webinar an order word names: "the first webinar", « le dernier », "the previous one"
    (before the featured webinar, the one the conversation is about without a date)."""
    position = position_in(text)
    if position is not None:
        return webinar_at(kb, position)
    featured = kb.featured_webinar()
    if featured is not None and names_previous(text):
        return webinar_before(kb, featured)
    return None


def webinars_of_every_city(kb: KnowledgeBase, tracker: Tracker) -> list[Webinar]:
    """The webinars where every city the message names presented ("Swansea and Manizales presented
    together at which webinar?"); [] when it names none, or they presented at none together."""
    together = [kb.webinars_for_city(c.id) for c in kb.find_cities_in(message_text(tracker))]
    return [w for w in together[0] if all(w in others for others in together[1:])] if together else []


#: A message that says "webinar" ("webinaire santé mentale", "which webinar had the WHO?", "the session
#: on mental health"), folded.
SAYS_WEBINAR = re.compile(r"\b(webinar|webinaire|seminar|seminaire|session|seance)s?\b")


#: "when did Milan and Goyang present…?", « ont présenté » (folded): presenting is at a webinar.
PRESENTED = re.compile(r"\bpresent(?:ed|ing|s)?\b|\bpresente(?:nt|rent|e|es|s)?\b")


#: "which webinar…?", « à quel webinaire… ? », « dans quel webinaire… ? », "the one where…"
#: (folded).
_WHICH_WEBINAR = re.compile(
    r"\b(?:which|what) (?:webinar|session|seminar)|\bquel(?:le)?s? (?:webinaire|seance|seminaire)"
    r"|^(?:and |so )?the one (?:where|when|at which|in which)\b|^(?:et )?celui (?:ou|auquel)\b"
)


def asks_which_webinar(text: str) -> bool:
    return bool(_WHICH_WEBINAR.search(fold(text)))


_WHO = re.compile(r"\b(?:who|qui)\b")


def asks_who(text: str) -> bool:
    """Whether `text` says "who" or « qui » (also the relative « qui »: callers ask more of it)."""
    return bool(_WHO.search(fold(text)))


#: A question asking how many took part ("how many people", « ils étaient combien »), folded.
_ATTENDANCE = re.compile(
    r"\b(?:how many(?: people)?|combien(?: de (?:personnes|gens))?|attend\w*|particip\w*|audience|turnout"
    r"|assist(?:e|es|ee|ees|ait|aient|er)|(?:turn|turned|show|showed|turning|showing) up|tuned in"
    r"|connectee?s|combien de monde|(?:ont|a|avaient|ayant) suivi)\b"
)


def asks_attendance(text: str) -> bool:
    return bool(_ATTENDANCE.search(fold(text)))


def webinar_of_presenters(kb: KnowledgeBase, tracker: Tracker) -> Webinar | None:
    """The webinar a message names by who presented at it and asks about as a whole: two or more
    cities or organisations that presented there together ("the recovery webinar where Milan and
    Goyang presented", « le webinaire avec le C40 et Tataj Innovation »), or one of them when it
    asks which webinar ("which webinar did the WHO speak at?"). None when it does not say
    "webinar", names no such presenters, they never presented together, or it asks something
    more ("what did Milan say at the webinar with Goyang about bicycles?")."""
    text = message_text(tracker)
    folded = fold(text)
    if not SAYS_WEBINAR.search(folded) and not PRESENTED.search(folded):
        return None
    named_organisations = organisations_in(kb, text) or [
        o for o in [organisation_by_part(kb, text)] if o is not None
    ]  # "which webinar did the association of French-speaking mayors present at?"
    organisations = {o.id for o in named_organisations}
    in_names = " ".join(fold(f"{o.name.en} {o.name.fr}") for o in named_organisations)
    cities = {
        c.id for c in kb.find_cities_in(text) or _one_town_described(kb, text) if fold(c.name) not in in_names
    }  # not "University of Glasgow"'s
    named = len(cities) + len(organisations)
    # "did SAQA present at one of the webinars?"; not "what did SAQA say at one of them about exams?"
    which = _WHICH_WEBINAR.search(folded) or (AT_ONE_OF_THEM.search(folded) and not asks_what_was_said(text))
    # one presenter names the webinar when asked which one, or in a bare phrase ("webinar with SAQA")
    if named < 2 and not (named == 1 and (which or names_a_thing_only(text))):
        return None
    together = [
        w
        for w in kb.webinars.values()
        if cities <= set(w.presenting_cities) and organisations <= set(w.presenting_organisations)
    ]
    webinar = together[0] if len(together) == 1 else resolve_webinar(kb, tracker).record
    if webinar is None or webinar not in together:
        return None
    if which:  # the webinar is what it asks, whatever else it says
        return webinar
    asked = _ATTENDANCE.sub(" ", folded)  # how many took part is the webinar's too
    return None if asked_beyond_webinar(kb, asked, latest_intent(tracker), webinar) else webinar


#: "did the Philippine ministry speak at one of the webinars?", « à l'un des webinaires » (folded):
#: of a presenter, asking which webinar it was.
AT_ONE_OF_THEM = re.compile(
    r"\b(?:at|in|to) (?:one of the|any of the|any) (?:webinars|sessions|seminars)\b"
    r"|\b(?:a|dans) (?:l un|un) des (?:webinaires|seances|seminaires)\b"
)


def _one_town_described(kb: KnowledgeBase, text: str) -> list[City]:
    """The city a message describes by its country's adjective ("the Finnish city"), when that
    country has only one in the knowledge base; [] otherwise."""
    towns = kb.towns_described_in(text)
    return towns if len(towns) == 1 else []


def webinars_of_described_cities(kb: KnowledgeBase, text: str) -> list[Webinar]:
    """The webinars at which a city of each country a message describes presented, oldest first,
    for a message naming no city: "when did the Greek cities present?" (Larissa on 22 April,
    Ioannina on 10 June), "the webinar with the Polish and Irish cities" (8 April).
    [] when it describes no country with a city ("experts from Germany")."""
    if kb.find_cities_in(text):
        return []
    countries = [
        {city.id for city in kb.cities.values() if city.country == country}
        for country in kb.countries_described_in(text)
    ]
    countries = [cities for cities in countries if cities]
    if not countries:
        return []
    return [w for w in kb.webinars.values() if all(cities & set(w.presenting_cities) for cities in countries)]


def organisations_in(kb: KnowledgeBase, text: str) -> list[Organisation]:
    """Every organisation `text` names word for word, not by one everyday word ("who", "hope")."""
    found: dict[str, Organisation] = {}
    for phrase in _phrases(text):
        organisation = kb.find_organisation(phrase)
        if organisation is not None and not _everyday_word(phrase, text):
            found.setdefault(organisation.id, organisation)
    return list(found.values())


def asked_beyond_webinar(kb: KnowledgeBase, text: str, intent: str | None, webinar: Webinar) -> list[str]:
    """The words of `text` that ask something specific beyond the phrasing of `intent` and beyond
    the words naming `webinar` (its title, theme, month, language, an order word, its presenting
    organisations' names, "held"): « quels effets sur les
    étudiants ont été évoqués le 15 avril ? » asks "effets", "etudiants"."""
    asked = beyond_phrasing(_PART_OF_MONTH.sub(" ", fold(text)), intent)
    naming = _naming_terms(kb, webinar)
    return [
        word
        for word in kb.fact_index.specific_words(asked, NO_TOPIC)  # remarks have no topic: "solidarity" asks
        if word not in ORDER_WORDS
        and not SAYS_WEBINAR.match(word)
        and not set(stems(word)) & naming
        and not _PRESENTING.match(word)
        and not _HELD.match(word)
    ]


def _naming_terms(kb: KnowledgeBase, webinar: Webinar) -> set[str]:
    """The terms a message may name `webinar` by: its title, theme, month, language, its
    presenting organisations' names and aliases ("the webinar with the universities of Florence
    and Siena", "the Philippine Ministry of Education") and who attended ("how many city
    representatives attended?" asks its attendance)."""
    presenters = " ".join(
        f"{o.name.en} {o.name.fr} {' '.join(o.aliases)}"
        for o in map(kb.organisations.get, webinar.presenting_organisations)
        if o
    )
    language = f"{webinar.language.en} {webinar.language.fr}" if webinar.language else ""
    # who attended too: "how many city representatives attended?" asks the webinar's attendance
    attended = f"{webinar.attendance.en} {webinar.attendance.fr}" if webinar.attendance else ""
    return set(terms(f"{webinar_text(webinar)} {date_words(webinar)} {presenters} {language} {attended}"))


def without_webinar_names(kb: KnowledgeBase, text: str, webinar: Webinar) -> str:
    """`text` (folded) less the words naming `webinar`, the others kept as they were: "what two
    reasons did he give for why the Latin America webinar mattered?" asks about reasons, and
    the remark saying "Latin America" is no better answer for it."""
    naming = _naming_terms(kb, webinar)
    return " ".join(
        word for word in fold(text).split() if not set(stems(word)) & naming and not _HELD.match(word)
    )


#: A word saying that a webinar was held or what it was given to ("the webinar held in French",
#: « le webinaire tenu le… », « consacré à Pékin… »).
_HELD = re.compile(
    r"(?:held|hold|holding|tenu|tenue|organi[sz]ed|organisee?s?|dedicated|devoted|consacree?s?)$"
)

#: "late", "early", « fin », « début » before a month: a part of the month the webinar was held
#: in ("the webinar in late May"), no word of what was said there.
_PART_OF_MONTH = re.compile(
    r"\b(?P<part>(?:first|second|third|fourth|last) week of|(?:premiere|deuxieme|troisieme|derniere) semaine"
    r"|late|early|mid|end of|start of|beginning of|fin|debut|mi)\b(?= (?:de |du mois de |d )?(?P<month>"
    + "|".join(MONTHS.split())
    + r")\b)"
)
#: A month after a preposition ("the first webinar in may", « le dernier webinaire d'avril »),
#: which the model may not tag as a date ("may" is a verb too).
_MONTH_OF = re.compile(
    r"\b(?:in|of|during|en|de|d|du mois de) (?P<month>" + "|".join(MONTHS.split()) + r")\b"
)
#: The days of the month each of those parts means.
_DAYS_OF_PART = {
    **dict.fromkeys(("early", "start of", "beginning of", "debut"), range(1, 11)),
    **dict.fromkeys(("mid", "mi"), range(11, 21)),
    **dict.fromkeys(("late", "end of", "fin"), range(21, 32)),
    **dict.fromkeys(("first week of", "premiere semaine"), range(1, 8)),
    **dict.fromkeys(("second week of", "deuxieme semaine"), range(8, 15)),
    **dict.fromkeys(("third week of", "troisieme semaine"), range(15, 22)),
    "fourth week of": range(22, 29),
    **dict.fromkeys(("last week of", "derniere semaine"), range(25, 32)),
}


#: A word saying who presented at a webinar ("presented", « présentaient », "speakers"): the
#: webinar's answer says that, so it asks nothing beyond it.
_PRESENTING = re.compile(r"(?:present|speaker|intervenant|interven)")


def _webinars_presented_by(kb: KnowledgeBase, tracker: Tracker) -> list[Webinar]:
    """The webinars where the cities (all of those named), else the organisation, this message
    names presented, else those the person it names moderated ("which webinar did Sergio
    Cárdenas moderate?")."""
    city = resolve_city(kb, tracker, use_slot=False, guess_names=False).record
    if city is not None:
        return webinars_of_every_city(kb, tracker) or kb.webinars_for_city(city.id)
    organisation = named_organisation(kb, tracker, use_slot=False)
    if organisation is not None:
        return [w for w in kb.webinars.values() if organisation.id in w.presenting_organisations]
    person = resolve_person(kb, tracker)
    if person is not None:
        return [w for w in kb.webinars.values() if w.moderator == person.id]
    return []


def named_organisation(kb: KnowledgeBase, tracker: Tracker, use_slot: bool = True) -> Organisation | None:
    """The organisation this message names, as `resolve_organisation` finds it, but never by one
    everyday word not written in capitals: "who hosted the webinar with the UNHCR?" names the
    UNHCR, not the WHO. Only known organisations: a question about a webinar or a speaker has
    no use for an unknown name."""
    text = message_text(tracker)
    for value in entity_texts(tracker, "organisation"):
        organisation = organisation_named(kb, value)
        if organisation and not _everyday_word(value, text):
            return organisation
    found = organisations_in(kb, text)
    if found:
        return found[0]
    by_part = organisation_by_part(kb, text)
    if by_part is not None:
        return by_part
    return (
        _from_slot(tracker, "organisation", lambda value: organisation_named(kb, value)).record
        if use_slot
        else None
    )


def organisation_by_part(kb: KnowledgeBase, text: str) -> Organisation | None:
    """The one organisation whose name `text` gives in part, enough to tell it (`_tells`):
    "creative cities network", "association of francophone mayors", "francophone mayors'
    association", « villes créatives de l'UNESCO »;
    not "learning cities" nor "open university", which many names and questions say."""
    said = fold(text).split()
    meaning = set(said) - STOP_WORDS
    names, owners = _name_words(kb)
    found = {
        organisation_id
        for named, organisation_id in names
        if len(meaning.intersection(named)) >= 2 and _tells(_shared_run(said, named), owners, named)
    }
    return kb.organisations.get(found.pop()) if len(found) == 1 else None


@functools.lru_cache(maxsize=4)  # per knowledge base (a reload makes a new one): folded once, not per message
def _name_words(kb: KnowledgeBase) -> tuple[list[tuple[list[str], str]], dict[str, set[str]]]:
    """Each organisation name's folded words with its organisation, and each word -> the
    organisations whose names say it."""
    names = [
        (fold(name).split(), organisation_id) for name, organisation_id in kb.organisation_names().items()
    ]
    owners: dict[str, set[str]] = {}
    for named, organisation_id in names:
        for word in named:
            owners.setdefault(word, set()).add(organisation_id)
    return names, owners


def _shared_run(said: list[str], name: list[str]) -> list[str]:
    """The longest run of words `said` and `name` share, in order."""
    best: list[str] = []
    for start in range(len(said)):
        for offset in range(len(name)):
            size = 0
            while (
                start + size < len(said)
                and offset + size < len(name)
                and said[start + size] == name[offset + size]
            ):
                size += 1
            if size > len(best):
                best = said[start : start + size]
    return best


def _tells(run: list[str], owners: dict[str, set[str]], name: list[str]) -> bool:
    """Three meaning-bearing words, or two in a run of three words or more, or the last two
    words of the `name` (folded) when only one organisation's names say them: "the francophone
    mayors' association" (`owners`: word -> the organisations whose names say it), not "the
    French-speaking webinar", which does not end where "… of French-speaking Mayors" does."""
    meaning = [word for word in run if word not in STOP_WORDS]
    only_theirs = (
        len(meaning) == 2 == len(run)
        and name[-2:] == run
        and all(len(owners.get(word, ())) == 1 for word in meaning)
    )
    return len(meaning) >= 3 or (len(meaning) == 2 and len(run) >= 3) or only_theirs


def _everyday_word(value: str, text: str) -> bool:
    """Whether `value` is one everyday word ("who") that `text` does not write in capitals."""
    folded = fold(value)
    everyday = folded in ENGLISH_WORDS or folded in FRENCH_WORDS
    return everyday and folded.upper() not in text


# --- Names (ids, any way of writing them) to records.


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


def _from_slot(tracker: Tracker, slot: str, lookup: Callable[[str], RecordT | None]) -> Found[RecordT]:
    value = slot_text(tracker, slot)
    if not value:
        return NOTHING
    record = lookup(value)
    return Found(record, value, False)


def _may_be_a_city(kb: KnowledgeBase, text: str, value: str) -> bool:
    """Whether words taken for a city the bot does not know may be one: not a topic ("schools"),
    a country (« Maroc »), words the facts say together as this message does (« Merenda em
    Casa », « masques en coton ») or the name of a thing they speak of ("videos on Vimeo")."""
    return not (
        _is_topic_word(kb, value)
        or kb.is_country(value)
        or kb.fact_index.says_as_the_facts_do(text, value)
        or _names_things_of_the_facts(kb, value)
    )


def _names_things_of_the_facts(kb: KnowledgeBase, value: str) -> bool:
    """Whether every word of `value` names a thing the facts speak of ("Vimeo"): the model took
    it for a city, and the question is about that thing."""
    said = fold(value).split()
    return bool(said) and all(kb.fact_index.names_a_thing_of_the_facts(word) for word in said)


def _is_topic_word(kb: KnowledgeBase, value: str) -> bool:
    """Whether words taken for a city actually name a topic ("schools" is no city)."""
    return bool(kb.topics.get(value) or kb.find_topic(value))


#: Capitalised words that are not place names ("What did UNESCO..."), checked word by word after folding.
_NOT_PLACES = frozenset(
    {
        "i",
        "covid",
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
    names: list[str] = []
    for match in _CAPITALISED.finditer(text):
        name = match.group(1).strip("'’-")
        if match.start() == 0 and len(re.findall(r"\w+", text)) > len(name.split()):
            continue  # the first word of a sentence is capitalised anyway
        folded = fold(name)
        if len(folded) < 3 or any(
            word in _NOT_PLACES
            or word in MONTH_NAMES
            or kb.find_topic(word)
            or kb.find_organisation(word)
            or kb.find_person(word)
            for word in folded.split()
        ):
            continue
        if _may_be_a_city(kb, text, name):
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
