"""Questions about the organisations (AIMF, UIL, GNLC) and the people named in the sources."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rasa_sdk.events import EventType, SlotSet

from actions.base import KnowledgeAction
from actions.city import AnswerCityStatus, answer_from_city_facts
from actions.facts import (
    Reply,
    bullets,
    button,
    by_webinar,
    city_label,
    describe_person,
    join_words,
    official_first,
    organisation_label,
    presented,
    remember_question,
    reporters,
    webinar_days,
)
from actions.phrasing import SAYING, asks_what_was_said, beyond_phrasing
from actions.resolve import (
    ASKING_NAME,
    NOTHING,
    ROLE_WORDS,
    SAYS_WEBINAR,
    SPEAKING_FOR,
    Found,
    latest_intent,
    message_text,
    named_organisation,
    resolve_city,
    resolve_organisation,
    resolve_person,
    resolve_webinar,
    without_webinar_names,
)
from actions.retrieved import ANYWHERE, asks_for_cities, asks_something_specific, asks_which_cities_did
from actions.topics import AnswerCitiesByTopic
from actions.webinar import (
    PART_INTENTS,
    answer_moderated_webinars,
    asks_why_in_its_language,
    dated_or_ordered,
)
from citybot.kb import KnowledgeBase
from citybot.kb.model import City, Organisation, OrganisationFact, Person, Webinar
from citybot.kb.normalize import fold
from citybot.retrieval import ANY_SPEAKER, Fact
from citybot.retrieval.analysis import words

#: The organisation a city's `network_status` is about (the schema's member | prospective).
NETWORK = "gnlc"

#: Which facts answer which kind of question about an organisation. "What is it?" includes its
#: leadership facts: the description does not repeat them (each fact is written once).
ASPECTS = {
    "organisation": ("aims", "leadership", "publications"),
    "organisation_leader": ("leadership",),
    "organisation_covid": ("covid_response",),
    "organisation_themes": ("themes",),
}


class OrganisationAction(KnowledgeAction):
    """One kind of question about the organisation named: `kind` (a key of ASPECTS, also the
    slot `last_question` and the intent `ask_<kind>`) says which facts answer it."""

    kind: str
    words_first = True  # "who suggested half the class go to museums?" read as who leads something

    def answer(self, reply: Reply) -> list[EventType]:
        """ "who leads the AIMF?" is about the AIMF, not the WHO (`named_organisation`); "is
        Jubail part of the GNLC?" is about Jubail's status in the network; a message naming a
        city and no organisation asks about what the city did, when its facts answer it."""
        named = named_organisation(reply.kb, reply.tracker, use_slot=False)
        if named is not None and named.id == NETWORK and _city_named(reply):
            return AnswerCityStatus().answer(reply)
        if named is None or (not named.facts and _asks_beyond_its_name(reply, named)):
            # "Gdynia's free advice for companies": the city's facts, if they answer; so too for an
            # organisation the sources only list as presenting ("the University of Glasgow's talks"),
            # though "what is the University of Glasgow?" asks what the sources say of it
            events = answer_from_city_facts(reply)
            if events is not None:
                return events
        if named is None and asks_which_cities_did(reply.kb, message_text(reply.tracker)):
            # « dans quelles villes une université a-t-elle été partenaire ? »: those cities
            return AnswerCitiesByTopic().answer_matching(reply, NOTHING)
        found = Found(named, named.id, True) if named else resolve_organisation(reply.kb, reply.tracker)
        return self.answer_organisation(reply, found)

    def answer_organisation(self, reply: Reply, found: Found[Organisation]) -> list[EventType]:
        """This question about `found`, also for a follow-up naming a new organisation."""
        if found.record is None:
            reply.say(
                "utter_unknown_organisation" if found.unknown else "utter_ask_organisation",
                buttons=_organisation_buttons(reply, self.kind),
                organisation=found.typed or "",
                organisations=join_words(
                    [o.short_name(reply.lang) for o in reply.kb.organisations.values()], reply.lang
                ),
            )
            return [remember_question(self.kind)]
        organisation = found.record
        asked = _asked_facts(reply, organisation) if self.kind != "organisation_leader" else []
        facts = asked or official_first(
            reply.kb, [f for f in organisation.facts if f.aspect in ASPECTS[self.kind]]
        )
        events = [SlotSet("organisation", organisation.id), remember_question(self.kind)]
        if not self.say_facts(reply, organisation, facts):
            reply.say(
                "utter_organisation_no_facts", organisation=organisation_label(organisation, reply.lang)
            )
            return events
        _say_reporters(reply, facts)
        self.say_after_reporters(reply, organisation)
        return events

    def say_after_reporters(self, reply: Reply, organisation: Organisation) -> None:
        """What follows the line naming who said the facts (which is about the facts alone)."""

    def say_facts(self, reply: Reply, organisation: Organisation, facts: list[OrganisationFact]) -> bool:
        """Utter the facts of this kind (`utter_<kind>`); False when there is nothing to say."""
        if not facts:
            return False
        reply.say(
            f"utter_{self.kind}",
            organisation=organisation_label(organisation, reply.lang),
            facts=bullets(f.text.get(reply.lang) for f in facts),
        )
        return True


def _asks_beyond_its_name(reply: Reply, organisation: Organisation) -> bool:
    """Whether the message asks something specific besides naming `organisation`."""
    text = _without_its_name(message_text(reply.tracker), organisation)
    return asks_something_specific(reply.kb, beyond_phrasing(text, latest_intent(reply.tracker)))


def _city_named(reply: Reply) -> bool:
    return resolve_city(reply.kb, reply.tracker, use_slot=False, guess_names=False).known


def answer_from_organisation_facts(reply: Reply) -> list[EventType] | None:
    """The facts of the organisation the message names that answer what it asks beyond the
    phrasing of the question the classifier read ("did UIL run another series with PASCAL?" read
    as a question on the series): what it is, those facts first; None when none matches."""
    organisation = named_organisation(reply.kb, reply.tracker, use_slot=False)
    if organisation is None or latest_intent(reply.tracker) in PART_INTENTS:
        return None  # "how did UIL's director open the 10 June session?": the opening's words
    asked = beyond_phrasing(message_text(reply.tracker), latest_intent(reply.tracker))
    index = reply.kb.fact_index
    if _presented_facts(reply.kb, organisation, message_text(reply.tracker)):  # "what did C40 present?"
        return AnswerOrganisation().answer_organisation(reply, Found(organisation, organisation.id, True))
    if not asks_something_specific(reply.kb, asked):  # topics' words too: "about culture"
        return None
    if not index.matching(asked, kinds={"organisation_fact"}, organisation=organisation.id):
        return None
    if _said_at_the_webinar_named(reply, asked):
        return None  # « d'après l'intervenant de l'UIL le 22 avril, pourquoi… ? »: what was said there
    if _asks_about_a_webinar(reply):
        return None  # « c'était quand le tout premier webinaire de l'UIL ? »: that webinar
    return AnswerOrganisation().answer_organisation(reply, Found(organisation, organisation.id, True))


def _said_at_the_webinar_named(reply: Reply, asked: str) -> bool:
    """Whether the message names a webinar by its date or order and remarks made there match what
    it asks: the organisation named is who spoke, and their words there answer."""
    if not dated_or_ordered(reply):
        return False
    webinar = resolve_webinar(reply.kb, reply.tracker).record
    return webinar is not None and bool(
        reply.kb.fact_index.matching(asked, kinds={"remark"}, webinar=webinar.id)
    )


#: A message about a series of webinars, not one (folded): "a follow-up webinar series on
#: recovery", « une nouvelle série de webinaires ».
_A_SERIES = re.compile(
    r"\bwebinar series\b|\bseries of webinars\b|\bseries de webinaires\b|\bserie de webinaires\b"
    r"|\b(?:new|another|second|follow up|other|later) series\b|\b(?:nouvelle|autre|deuxieme|seconde) serie\b"
)


def _asks_about_a_webinar(reply: Reply) -> bool:
    """Whether the message, read as a question about a webinar, names one by its date, order or
    theme: the organisation it names ran it or the series (UIL), and the webinar is the answer.
    Not when it asks about a series of webinars ("did UIL run a follow-up webinar series on
    recovery?"): the organisation's fact about it answers."""
    intent = latest_intent(reply.tracker) or ""
    text = fold(message_text(reply.tracker))
    return (
        intent.startswith("ask_webinar")
        and not _A_SERIES.search(text)
        and bool(SAYS_WEBINAR.search(text))
        and resolve_webinar(reply.kb, reply.tracker).record is not None
    )


#: "what did C40 present?", « qu'est-ce que le C40 a présenté ? », « le C40 a présenté quoi ? » (folded).
_WHAT_PRESENTED = re.compile(
    r"\bwhat(?: \w+){0,6} (?<!the )present(?:ed|s)?\b|\bqu est ce qu(?:e|i)?(?: \w+){0,6} presente"
    r"|\bqu a presente\b|\bpresente(?:e|s|es)? quoi\b"
)


#: "what did C40 bring to the webinar?", « qu'a apporté le C40 au webinaire ? » (folded): what it
#: presented, when the message says it was at a webinar.
_WHAT_BROUGHT = re.compile(
    r"\bwhat(?: \w+){0,6} (?:bring|brought|show|showed|shown|share|shared|contribute|contributed"
    r"|talk about|talked about|discuss|discussed)\b"
    r"|\bqu est ce qu(?:e|i)?(?: \w+){0,6} (?:apporte|montre|partage)|\bqu a (?:apporte|montre|partage)\b"
    r"|\b(?:apporte|montre|partage)(?:e|s|es)? quoi\b"
)


def _presented_facts(kb: KnowledgeBase, organisation: Organisation, text: str) -> list[OrganisationFact]:
    """The organisation's facts reported at a webinar, for a message asking what it presented
    there ("what did C40 present?", "what did C40 bring to the webinar?": its taskforce, not what
    C40 is); [] for any other message, and for "what did UIL bring to it?" (UIL ran the series)."""
    folded = fold(text)
    presenting = any(organisation.id in webinar.presenting_organisations for webinar in kb.webinars.values())
    brought = presenting and _WHAT_BROUGHT.search(folded) and SAYS_WEBINAR.search(folded)
    if not _WHAT_PRESENTED.search(folded) and not brought:
        return []
    return [fact for fact in organisation.facts if fact.webinar]


def asks_what_it_presented(reply: Reply) -> bool:
    """Whether the message names an organisation and asks what it presented at a webinar ("what
    did C40 present at the recovery webinar in May?"): its facts reported there answer, not the
    webinar the message names to place them."""
    organisation = named_organisation(reply.kb, reply.tracker, use_slot=False)
    return organisation is not None and bool(
        _presented_facts(reply.kb, organisation, message_text(reply.tracker))
    )


def _asked_facts(reply: Reply, organisation: Organisation) -> list[OrganisationFact]:
    """The organisation's facts that match a question asking something specific ("What is C40's
    taskforce?"), best first and cited first; [] for a general question ("what is the AIMF?"),
    which gets the facts of its kind. Not for "who leads it?": its people answer that."""
    index, text = reply.kb.fact_index, message_text(reply.tracker)
    presented = _presented_facts(reply.kb, organisation, text)
    if presented:
        reply.cite(presented)
        return presented
    text = _without_its_name(text, organisation)  # "the association of francophone mayors": no word asked
    if not asks_something_specific(reply.kb, text):  # an organisation's facts have no topic: its words count
        return []
    hits = index.matching(text, kinds={"organisation_fact"}, organisation=organisation.id)
    facts = [hit.fact.record for hit in hits if isinstance(hit.fact.record, OrganisationFact)]
    reply.cite(facts)
    return facts


def _without_its_name(text: str, organisation: Organisation) -> str:
    """`text` (folded) less the words of the organisation's names, in either language: a name
    said in part ("the association of francophone mayors") names it and asks nothing."""
    names = [organisation.name.en, organisation.name.fr, organisation.acronym or "", *organisation.aliases]
    naming = {word for name in names for word in fold(name).split()}
    return " ".join(word for word in fold(text).split() if word not in naming)


class AnswerOrganisation(OrganisationAction):
    """What the organisation is: its description, aims and publications."""

    kind = "organisation"

    def name(self) -> str:
        return "action_answer_organisation"

    def say_facts(self, reply: Reply, organisation: Organisation, facts: list[OrganisationFact]) -> bool:
        description = organisation.description.get(reply.lang) if organisation.description else ""
        reply.cite([organisation])
        reply.say(
            "utter_organisation",
            organisation=organisation_label(organisation, reply.lang),
            description=description,
            facts=bullets(_unique_lines([f.text.get(reply.lang) for f in facts], description)),
        )
        return True

    def say_after_reporters(self, reply: Reply, organisation: Organisation) -> None:
        """The network's cities come after "(Presented by … at the webinar of …)", which is about
        the facts above, not about the cities."""
        if organisation.id == NETWORK:
            _say_network_cities(reply)


class AnswerOrganisationLeader(OrganisationAction):
    """Who leads it; the people the source names in it when it says nothing of its leadership."""

    kind = "organisation_leader"

    def name(self) -> str:
        return "action_answer_organisation_leader"

    def say_facts(self, reply: Reply, organisation: Organisation, facts: list[OrganisationFact]) -> bool:
        """The leadership facts, then the people with their roles: a person's role is written
        once, in `people`, so "Who leads the AIMF?" reads it there (Mr Baillet's title)."""
        if not facts and not organisation.people:
            return False
        people = [describe_person(p, reply.lang) for p in organisation.people]
        names = [
            organisation.name.en,
            organisation.name.fr,
            organisation.acronym or "",
            *organisation.aliases,
        ]
        asked = set(words(message_text(reply.tracker), ignored=words(" ".join(names))))
        for person in organisation.people:  # "who is its permanent secretary?": that person first
            if person.role and asked & set(words(f"{person.role.en} {person.role.fr}")):
                reply.mention(person.id)
        reply.cite(facts)  # then the facts, written first, then the other people
        for person in organisation.people:
            reply.mention(person.id)
        reply.say(
            "utter_organisation_leader" if facts else "utter_organisation_people",
            organisation=organisation_label(organisation, reply.lang),
            facts=bullets([f.text.get(reply.lang) for f in facts] + people),
        )
        return True


class AnswerOrganisationCovid(OrganisationAction):
    kind = "organisation_covid"

    def name(self) -> str:
        return "action_answer_organisation_covid"


class AnswerOrganisationThemes(OrganisationAction):
    kind = "organisation_themes"

    def name(self) -> str:
        return "action_answer_organisation_themes"


#: The organisation questions by kind, for follow-ups ("And the AIMF?").
ORGANISATION_QUESTIONS: dict[str, OrganisationAction] = {
    action.kind: action
    for action in (
        AnswerOrganisation(),
        AnswerOrganisationLeader(),
        AnswerOrganisationCovid(),
        AnswerOrganisationThemes(),
    )
}


class AnswerPerson(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_person"

    def answer(self, reply: Reply) -> list[EventType]:
        """Who someone named in the sources is ("Who is Danielle Valéro?"), cited from the file
        that names them (their city's or organisation's), whichever page that file comes from."""
        kb = reply.kb
        person = resolve_person(kb, reply.tracker)
        if person is not None and _MODERATED.search(fold(message_text(reply.tracker))):
            moderated = answer_moderated_webinars(reply, person)  # « quels webinaires a-t-elle modérés ? »
            if moderated is not None:
                return moderated
        if person is not None and _asks_about_words(kb, message_text(reply.tracker), person):
            return AnswerSaid().answer(reply)  # "what did Ms Valéro say about…?" taken for "who is"
        if person is None:
            people = join_words([p.display_name(reply.lang) for p in kb.people.values()], reply.lang)
            reply.say("utter_unknown_person", people=people)
            return [remember_question("person")]
        return self.say_who(reply, person)

    def say_who(self, reply: Reply, person: Person) -> list[EventType]:
        """Who `person` is: their name and role, cited from the file that names them."""
        kb = reply.kb
        named_in = kb.cities.get(person.city or "") or kb.organisations.get(person.organisation or "")
        reply.mention(person.id)
        reply.cite([named_in] if named_in else [])
        role = person.role.get(reply.lang) if person.role else ""
        reply.say(
            "utter_person" if role else "utter_person_role_unknown",
            person=person.display_name(reply.lang),
            role=role,
        )
        return [remember_question("person")]


#: "moderated", « modérés », "moderator", « animé par », "chaired", "hosted" (folded), not "modern".
_MODERATED = re.compile(r"\b(?:moder(?!n)|anim(?:e|ee|ees|es|ait|er)\b|chair(?:ed|s)?\b|hosted\b)")


class AnswerSaid(KnowledgeAction):
    """What someone said at the webinars (remarks, the measures they reported, the organisation
    facts they presented), ranked by what the question asks: "What did Évry's representative say
    a crisis shows about learning cities?". The speaker is the person named, else the
    representatives of the city named, else the people of the organisation named."""

    def name(self) -> str:
        return "action_answer_said"

    def answer(self, reply: Reply) -> list[EventType]:
        anyone = said_by_anyone(reply)  # "who said that only education can change behaviour?"
        if anyone:
            return say_words(reply, anyone, "")
        speakers = _speakers(reply)
        organisation = named_organisation(reply.kb, reply.tracker, use_slot=False)
        if not speakers and organisation is not None:
            # "what did C40 present about recovery?": nobody of it is named in the sources, its facts are
            return AnswerOrganisation().answer_organisation(reply, Found(organisation, organisation.id, True))
        if not speakers:
            # "why did they say Latin America could learn from Asia and Europe?": whoever said it
            words = _anyone_s_words(reply.kb, _said_query(message_text(reply.tracker)))
            if words:
                return say_words(reply, words, "")
            people = join_words([p.display_name(reply.lang) for p in _speaking_people(reply)], reply.lang)
            reply.say("utter_said_whom", people=people)
            return [remember_question("said")]
        text = message_text(reply.tracker)
        if len(speakers) == 1 and ASKING_NAME & set(fold(text).split()) and not asks_what_was_said(text):
            return AnswerPerson().say_who(reply, speakers[0])  # « comment s'appelle l'adjointe… ? »
        facts, matched = _said_facts(reply, [p.id for p in speakers])
        who = join_words([describe_person(p, reply.lang) for p in speakers], reply.lang)
        city = _speakers_city(reply, speakers)
        if not facts and city is not None and _say_city_words(reply, city, who):
            return [remember_question("said")]
        if not facts:
            reply.say("utter_said_nothing", person=who)
            return [remember_question("said")]
        if not matched:
            reply.say("utter_said_unmatched", person=who)
        return say_words(reply, facts, who)


def say_words(reply: Reply, facts: list[Fact], who: str) -> list[EventType]:
    """The words said, with who said them and when (`who` when the facts name no speaker)."""
    reply.cite([fact.record for fact in facts])
    dates = webinar_days(reply.kb, [fact.webinar for fact in facts], reply.lang)
    reply.say(
        "utter_said" if dates else "utter_said_undated",
        person=reporters(reply.kb, [fact.speaker for fact in facts], reply.lang) or who,
        date=dates,
        facts=bullets(_said_text(fact, reply.lang) for fact in facts),
    )
    return [remember_question("said")]


#: Words asking who did something ("who said…?", « qui a dit… ? », "someone said…, what was that?").
_WHO = frozenset(["who", "whom", "whose", "qui", "someone", "somebody", "anyone", "anybody", "quelqu"])
#: "what was said about…?", "was anything said about…?", « qu'a-t-on dit de… ? » (folded): whoever
#: said it, as "who said…?" asks.
_WHAT_WAS_SAID = re.compile(
    r"\bwhat (?:was|were|has been|had been|got) (?:said|mentioned|discussed)\b"
    r"|\b(?:was|were) (?:anything|something) (?:said|mentioned)\b"
    r"|\bqu (?:a t on|est ce qu on a|on a) (?:dit|evoque|mentionne)\b"
)


#: "who spoke at the webinar on…?", « qui est intervenu au webinaire sur… ? » (folded): who took
#: part in a webinar, not who said the words that follow.
_SPOKE_AT_A_WEBINAR = re.compile(
    r"\b(?:spoke|speak|speaks|talked|talk|presented|present) (?:at|in|during) (?:the|that|this|a) (?:webinar|session)"
    r"|\b(?:parle|intervenu|intervenue|intervenus|presente|pris la parole) (?:au|lors du|pendant le|dans le) (?:webinaire|seminaire)"
)


def said_by_anyone(reply: Reply) -> list[Fact]:
    """For "who said…?" or "what was said about…?" naming no one, the words of anyone that match
    what was said, best first
    (`SAID_FACTS`): a remark, a measure or an organisation fact someone reported. [] for any other
    question, or when nobody's words match."""
    text = message_text(reply.tracker)
    folded = set(_WORD.findall(fold(text)))
    asks_whose = bool(folded & _WHO) or bool(_WHAT_WAS_SAID.search(fold(text)))
    if not asks_whose or not asks_what_was_said(text) or resolve_person(reply.kb, reply.tracker):
        return []
    if asks_for_cities(text):  # « villes qui ont demandé aux habitants de… »: cities, not a quote
        return []
    if _SPOKE_AT_A_WEBINAR.search(fold(text)):  # "who spoke at the webinar on X?": its speakers
        return []
    city = resolve_city(reply.kb, reply.tracker, use_slot=False, guess_names=False).record
    query = " ".join(w for w in _said_query(text).split() if w not in _WHO)
    words = _anyone_s_words(reply.kb, query, city.id if city else None)
    best = reply.kb.fact_index.matching(query, kinds=ANYWHERE, city=city.id if city else None)
    # « qui a demandé aux habitants de rester à la maison ? »: the measures that did it, which
    # nobody is quoted saying, before whoever's words share some of it
    return words if not best or best[0].fact in words else []


def _anyone_s_words(kb: KnowledgeBase, query: str, city: str | None = None) -> list[Fact]:
    """The words of anyone (of `city`'s people, when the message names one: "what did the person
    who presented Espoo say about schools?") that match `query` when it asks something specific,
    best first (`SAID_FACTS`); [] otherwise."""
    index = kb.fact_index
    if not index.asks_something_specific(query):
        return []
    return [hit.fact for hit in index.matching(query, speaker=ANY_SPEAKER, city=city)][:SAID_FACTS]


_WORD = re.compile(r"[^\W_]+")
#: How many of a speaker's facts answer a question about what they said, best first.
SAID_FACTS = 3
#: Words naming the speaker rather than what they said ("Évry's representative"), with SAYING
#: left out of the text the facts are ranked by.
_SPEAKER_WORDS = ROLE_WORDS | SPEAKING_FOR | frozenset(["people", "person", "someone", "personne", "quelqu"])


def asks_a_person_words(reply: Reply) -> bool:
    """Whether the message names a person and asks about what they said (`_asks_about_words`)."""
    person = resolve_person(reply.kb, reply.tracker)
    return person is not None and _asks_about_words(reply.kb, message_text(reply.tracker), person)


def asks_an_organisation_words(reply: Reply) -> bool:
    """Whether the message names an organisation, no person nor city, and asks what its people
    said that some of their words answer ("according to UIL, what can universities offer?", «
    qu'est-ce que l'UIL a dit sur le secteur culturel ? »): their words, not what it is."""
    kb, text = reply.kb, message_text(reply.tracker)
    organisation = named_organisation(kb, reply.tracker, use_slot=False)
    if organisation is None or not asks_what_was_said(text) or resolve_person(kb, reply.tracker) is not None:
        return False
    if _city_named(reply):
        return False
    query = beyond_phrasing(_said_query(text), latest_intent(reply.tracker))
    return any(
        kb.fact_index.matching(query, kinds={"remark"}, speaker=person.id) for person in organisation.people
    )


def _asks_about_words(kb: KnowledgeBase, text: str, person: Person) -> bool:
    """Whether a question naming `person` asks what they said: a saying verb ("what did Ms Valéro
    say…?"), or words of one of their remarks ("Henrique Lopes second wave") beyond the words
    people ask who someone is with ("tell me who Ms Valéro is", "what is her role?")."""
    if asks_what_was_said(text):
        return True
    if asks_who_they_are(text):  # "I keep seeing her in the notes on… Who is she?"
        return False
    if _IN_THE_VIEW_OF.match(text):  # « Pour Marco Pironti, quel est le rôle de la ville ? »
        return True
    query = beyond_phrasing(_said_query(text), "ask_person")  # not "what is her role?"
    index = kb.fact_index
    hits = index.matching(query, speaker=person.id)
    # topics' words ask about something too when one remark of theirs says them all: « Jonghwi
    # Park enseignement à distance pour les plus vulnérables »
    return bool(hits) and (index.asks_something_specific(query) or index.says_every_word(hits[0].fact, query))


#: "who is she?", "who's he?", « qui est-ce ? », « c'est qui ? », « qui est-elle ? », and where
#: they work or what they head: "which institution is he from?", « il vient de quelle
#: institution ? », « elle dirige quoi ? » (folded): who the person named is, whatever else the
#: message says about where it met them.
_ASKS_WHO_THEY_ARE = re.compile(
    r"\b(?:who (?:is|was) (?:she|he|this person|that person)|who s (?:she|he)|whos (?:she|he)"
    r"|qui est ce|c est qui|qui est (?:elle|il)|qui etait (?:elle|il)"
    r"|(?:which|what) (?:institution|organi[sz]ation|university|body) (?:is|was|does|did) (?:she|he)"
    r"|where (?:is|was|does|did) (?:she|he) (?:from|work)|what (?:does|did) (?:she|he) (?:head|run|lead|direct)"
    r"|(?:vient|venait) d(?:e|u|es)?|de quelle (?:institution|organisation|universite|structure)"
    r"|(?:dirige|dirigeait|preside|presidait) quoi)\b"
)


def asks_who_they_are(text: str) -> bool:
    """Whether `text` asks who the person it names is, or where they work (`_ASKS_WHO_THEY_ARE`)."""
    return bool(_ASKS_WHO_THEY_ARE.search(fold(text)))


#: « Pour Marco Pironti, quel est le rôle de la ville ? »: in their view, a question about what
#: they said, not about who they are. Read on the message as typed: its comma ends the name.
_IN_THE_VIEW_OF = re.compile(
    r"\s*(?:pour|for)\s+(?:(?:m|mme|mr|mrs|ms|dr)\.?\s+)?[^\W\d_]+(?:[ -][^\W\d_]+)?\s*,", re.I
)


def _said_query(text: str) -> str:
    """The question without its saying verbs and speaker words: what the words were about."""
    return " ".join(w for w in fold(text).split() if w not in SAYING and w not in _SPEAKER_WORDS)


def _said_text(fact: Fact, lang: str) -> str:
    """The words of a fact said by someone (a webinar or a city's context is no one's words)."""
    record = fact.record
    return "" if isinstance(record, (Webinar, City)) else record.text.get(lang)


def _speakers(reply: Reply) -> list[Person]:
    """Whose words the question is about: the person named, else the city's representatives,
    else the organisation's people (earlier turns' city or organisation when it names none)."""
    kb, tracker = reply.kb, reply.tracker
    person = resolve_person(kb, tracker)
    if person is not None:
        return [person]
    city = resolve_city(kb, tracker, guess_names=False).record
    if city is not None:
        return list(city.representatives)
    organisation = named_organisation(kb, tracker)
    return list(organisation.people) if organisation is not None else []


def _said_facts(reply: Reply, speaker_ids: list[str]) -> tuple[list[Fact], bool]:
    """The speakers' facts that match the question, best first (`SAID_FACTS` of them), and True;
    else all of them in knowledge-base order, and whether the question asked nothing more specific
    ("what did Ms Valéro say?": True; "what did she say about tourism?" with no match: False)."""
    kb, query = reply.kb, _said_query(message_text(reply.tracker))
    named = _webinar_spoken_at(reply, speaker_ids)
    webinar = named.id if named is not None else None
    if (
        named is not None
        and not dated_or_ordered(reply)
        and not asks_why_in_its_language(kb, message_text(reply.tracker), named)
    ):  # named by its theme: "the Latin America webinar"
        beyond = without_webinar_names(kb, query, named)
        # unless the theme's words are all it asks: "why hold a webinar in French?"
        query = beyond if kb.fact_index.asks_something_specific(beyond) else query
    hits = sorted(
        (
            hit
            for speaker in speaker_ids
            for hit in kb.fact_index.rank(query, speaker=speaker, webinar=webinar)
        ),
        key=lambda hit: -hit.score,
    )
    if hits:
        return [hit.fact for hit in hits[:SAID_FACTS]], True
    asked = kb.fact_index.asks_something_specific(query) or bool(kb.find_topics_in(query))
    said = [fact for speaker in speaker_ids for fact in kb.fact_index.facts(speaker=speaker, webinar=webinar)]
    return said, not asked


def _webinar_spoken_at(reply: Reply, speaker_ids: list[str]) -> Webinar | None:
    """The webinar the message names by its date or order ("what did Lopes say on 24 March?"),
    or as "the … webinar" ("the Latin America webinar"), when the speakers said something there;
    None otherwise (all their words count)."""
    if not dated_or_ordered(reply) and not SAYS_WEBINAR.search(fold(message_text(reply.tracker))):
        return None
    webinar = resolve_webinar(reply.kb, reply.tracker).record
    if webinar is None:
        return None
    spoke = any(reply.kb.fact_index.facts(speaker=speaker, webinar=webinar.id) for speaker in speaker_ids)
    return webinar if spoke else None


def _speakers_city(reply: Reply, speakers: list[Person]) -> str | None:
    """The city the speakers represent, when they are all one city's."""
    cities = {p.city for p in speakers}
    city = cities.pop() if len(cities) == 1 else None
    return city if city in reply.kb.cities else None


def _say_city_words(reply: Reply, city_id: str, who: str) -> bool:
    """When no fact is reported as the speakers' own, the city's facts that match the question,
    said as the city's (pages give a mayor's words as the city's: "The mayor says that Osan…");
    False when none matches."""
    query = _said_query(message_text(reply.tracker))
    hits = reply.kb.fact_index.matching(query, city=city_id, kinds={"measure", "remark"})[:SAID_FACTS]
    if not hits:
        return False
    reply.cite([hit.fact.record for hit in hits])
    reply.say(
        "utter_said_by_city",
        person=who,
        city=reply.kb.cities[city_id].label(reply.lang),
        facts=bullets(_said_text(hit.fact, reply.lang) for hit in hits),
    )
    return True


def _speaking_people(reply: Reply) -> list[Person]:
    """The people the knowledge base reports words of, for "whose words do you mean?"."""
    index = reply.kb.fact_index
    return [p for p in reply.kb.people.values() if index.facts(speaker=p.id)]


def _unique_lines(lines: list[str], shown: str) -> list[str]:
    """`lines` without those already in `shown` or said before: no sentence is shown twice."""
    kept: list[str] = []
    for line in lines:
        if line and line not in shown and line not in kept:
            kept.append(line)
    return kept


def _say_network_cities(reply: Reply) -> None:
    """The cities' statuses in the network, read from each city's `network_status` (written there
    only): "What is the GNLC?" lists its learning cities and prospective cities."""
    for status, response in (
        ("member", "utter_network_members"),
        ("prospective", "utter_network_prospective"),
    ):
        cities = [c for c in reply.kb.cities.values() if c.network_status == status]
        if cities:
            reply.cite(cities)
            reply.say(
                response, cities=join_words([city_label(reply.kb, c, reply.lang) for c in cities], reply.lang)
            )


def _say_reporters(reply: Reply, facts: Sequence[OrganisationFact]) -> None:
    """Who said the facts and at which webinar, one line per webinar, for the facts said there by
    a named person only (a fact from a page says nothing of a webinar); the page they come from
    is the source line `Reply.finish` adds."""
    reply.cite(facts)
    for webinar_id, group in by_webinar(f for f in facts if presented(f)):
        reply.say(
            "utter_source_speaker",
            reporter=reporters(reply.kb, [f.reported_by for f in group], reply.lang),
            date=webinar_days(reply.kb, [webinar_id], reply.lang),
        )


def _organisation_buttons(reply: Reply, kind: str) -> list[dict[str, str]]:
    return [
        button(o.short_name(reply.lang), f"ask_{kind}", organisation=o.id)
        for o in reply.kb.organisations.values()
    ]
