"""The facts that answer a message, whatever question the classifier read it as (issue 16).

The classifier picks a kind of question; people ask about one thing. "What was Wuhan's
community grid?" looks like a question about Wuhan's webinar, « qui a dit que seule l'éducation
peut changer les comportements ? » like nothing the bot knows. Before an action with
`KnowledgeAction.facts_first` gives its own answer, the message gets, in this order:

0. for what the series' webinars as a whole can be found with ("where are the recordings of the
   webinars?"), the series' links that have it (`webinar.answer_from_series_links`);
   for "which cities…?" naming no city, person, organisation nor webinar, the cities whose
   measures match it (`answer_which_cities`; not for an action listing cities itself,
   `KnowledgeAction.lists_cities`);
1. the words of whoever said what it quotes, for "who said…?" naming no one (`said_by_anyone`),
   or of the person it names when it asks about them ("what did Atchoarena write in his op-ed?");
   then the webinar it names by who presented at it ("the culture webinar with Puebla and
   Pécs", "which webinar had the WHO?": `answer_from_shared_webinar`), or, for a city question naming no city,
   by what it was about, its date or order (`answer_from_named_webinar`);
2. the facts of the city it names that answer what it asks beyond the phrasing of the question
   read (`answer_from_city_facts`);
3. the facts of the organisation it names that do (`answer_from_organisation_facts`);
4. the remarks made at the webinar it names that do (`answer_from_remarks`);
5. the fact saying the name of a thing it names, when it names nothing else the bot knows
   (`answer_from_named_thing`: "CanDoBristol" read as a question on a webinar's attendance).

None of them answers when the message asks nothing beyond its kind of question ("when did
Sidon present?") or when no fact matches it: then the action answers as usual.

A message the classifier could not place that names nothing the bot knows ("What is EMAPUR?")
gets, before any torn reading or "I am not sure what you mean", the fact that answers it on its
own (`answer_from_anywhere`, `retrieved.fact_anywhere`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rasa_sdk.events import EventType

from actions.city import CITY_INTENTS, AnswerCityRepresentative, AnswerCityTopic, answer_from_city_facts
from actions.facts import Reply
from actions.organisation import (
    SAID_FACTS,
    AnswerOrganisation,
    AnswerPerson,
    AnswerSaid,
    answer_from_organisation_facts,
    asks_a_person_words,
    asks_an_organisation_words,
    asks_what_it_presented,
    said_by_anyone,
    say_words,
)
from actions.phrasing import asks_what_was_said
from actions.resolve import (
    AT_ONE_OF_THEM,
    NOTHING,
    PRESENTED,
    SAYS_WEBINAR,
    Found,
    asked_beyond_webinar,
    asks_attendance,
    asks_which_webinar,
    asks_who,
    latest_intent,
    matching_webinars,
    message_text,
    named_organisation,
    resolve_cities,
    resolve_city,
    resolve_person,
    resolve_webinar,
    says_part_of_month,
    webinar_of_presenters,
    webinars_of_described_cities,
)
from actions.retrieved import (
    ANYWHERE,
    asks_for_cities,
    asks_which_cities_did,
    asks_who_did_what_measures_do,
    dominant_fact,
    fact_alone,
    fact_anywhere,
    named_fact,
)
from actions.topics import AnswerCitiesByTopic
from actions.webinar import (
    PART_INTENTS,
    AnswerDirectorClosing,
    AnswerDirectorOpening,
    AnswerWebinar,
    AnswerWebinarAttendance,
    answer_described_presenters,
    answer_from_series_links,
    asks_moderator,
    dated_or_ordered,
)
from citybot.kb.model import Organisation, Person, Remark
from citybot.kb.normalize import fold
from citybot.report.reasons import NOT_UNDERSTOOD, OUT_OF_SCOPE, RESPONSE_REASONS, UNKNOWN_CITY, UNKNOWN_TOPIC
from citybot.retrieval import Fact
from citybot.retrieval.analysis import asks_what_is


def answer_from_facts(reply: Reply, steps: Sequence[Step]) -> list[EventType] | None:
    """The answer from the facts the message asks about, by `steps` in turn (`FACT_STEPS`, the
    order above, or `WORDS_STEPS`), or None to let the action answer."""
    for step in steps:
        events = step(reply)
        if events is not None:
            return events
    return None


#: Words of a webinar's opening or closing (folded).
_SAYS_PART = re.compile(
    r"\b(?:open(?:ed|ing|s)?|clos(?:e|ed|es|ing)|ouv\w*|clotur\w*|conclu\w*|welcom\w*|accueil\w*|director\w*|directeur)\b"
)


def answer_from_shared_webinar(reply: Reply) -> list[EventType] | None:
    """The webinar the message names by who presented at it (`resolve.webinar_of_presenters`:
    cities or organisations that presented there together, or one of them when it asks which
    webinar), for a question about a city, an organisation or a webinar as a whole ("culture and
    education webinar Puebla Wyndham Pécs", « Tataj Innovation, c'était à quel webinaire ? »);
    its attendance when it asks how many took part (« ils étaient combien au webinaire avec
    Évry, Chefchaouen et Mayo-Baléo ? »). None otherwise: a question about one side of a
    webinar (its host, language, moderator, remarks) has its own action, which finds it too."""
    intent = latest_intent(reply.tracker) or ""
    text = message_text(reply.tracker)
    if intent.startswith("ask_webinar_") or intent == "ask_city_webinar":
        return None
    if intent in PART_INTENTS and (_SAYS_PART.search(fold(text)) or not asks_which_webinar(text)):
        return None  # how it opened or closed; but "which session did the Finnish city present at?"
    webinar = webinar_of_presenters(reply.kb, reply.tracker)
    if webinar is None:
        return None
    if asks_attendance(text) and not asks_which_webinar(text):  # « à quel webinaire a-t-elle participé ? »
        return AnswerWebinarAttendance().answer(reply)
    return AnswerWebinar().answer_found(reply, Found(webinar, None, True))


#: Asking who spoke for a city: "who presented Espoo…?", "who spoke for Ioannina…?", "Jubail
#: presenter", « qui a représenté Jubaïl… ? », « qui parlait pour Évry ? » (folded).
_PRESENTED_FOR = re.compile(
    r"\b(?:presented|presenting|presenters?|represented|representing|spoke for|speaking for|talked for"
    r"|presente|presentait|presentateur|presentatrice|represente|representait|parle pour|parlait pour)\b"
)


#: "who was the mayor of Seoul…?", « qui est le maire de… ? » (folded): the city's people answer.
_MAYOR_OF = re.compile(
    r"\b(?:who (?:is|was|s) the (?:deputy )?mayor|qui (?:est|etait) (?:le|la) (?:maire|adjointe?))\b"
)


def answer_which_cities(reply: Reply) -> list[EventType] | None:
    """The first step: the cities whose measures match a message asking which cities did something
    ("did any city create a crisis committee?" read as a webinar's attendance), when it names no
    city, person, organisation nor webinar; None otherwise."""
    text = message_text(reply.tracker)
    if SAYS_WEBINAR.search(fold(text)):
        return None
    if _names_a_record(reply, unknown_cities=True) or dated_or_ordered(reply):
        return None
    # out of scope, only when the measures hold every word it asks: "which cities had the best weather?"
    if not asks_which_cities_did(reply.kb, text, every_word=latest_intent(reply.tracker) == "out_of_scope"):
        return None
    return AnswerCitiesByTopic().answer_matching(reply, NOTHING)


def answer_from_city_presenter(reply: Reply) -> list[EventType] | None:
    """Step 0: who spoke for the one city a message names ("who presented Espoo at the 1 April
    webinar?", "jubail presenter arab countries webinar", "who was the mayor of Seoul who held a
    video conference?"): its representatives, rather than the
    webinar it also names or words someone said "for Ioannina". None for any other message, and
    for what they said or which cities presented."""
    text = message_text(reply.tracker)
    folded = fold(text)
    if not (_PRESENTED_FOR.search(folded) or _MAYOR_OF.search(folded)) or asks_for_cities(text):
        return None
    if asks_what_was_said(_PRESENTED_FOR.sub(" ", folded)):  # "spoke for Ioannina" says nothing
        return None
    if not (asks_who(text) or re.search(r"\bpresenters?\b|\bpresentat(?:eur|rice)s?\b", folded)):
        return None
    cities = resolve_cities(reply.kb, reply.tracker) or [
        resolve_city(
            reply.kb, reply.tracker, use_slot=False, guess_names=False
        )  # « la commune camerounaise »
    ]
    if len(cities) != 1:
        return None
    if cities[0].record is None:  # no city: "who represented the AIMF at the French webinar?"
        person = _organisation_presenter(reply)
        return AnswerPerson().say_who(reply, person) if person is not None else None
    if not cities[0].record.representatives:
        return None
    return AnswerCityRepresentative().answer_city(reply, cities[0])


#: "when did…?", « quand… ? », « à quelle date… ? » (folded), opening a question.
_WHEN = re.compile(r"^(?:and |so |et )?(?:when (?:did|was|were|do|does|is|are)|quand|a quelle date)\b")
#: "… a session where a Polish and an Irish city spoke: which one was it?", « lequel ? » (folded).
_WHICH_ONE = re.compile(r"\bwhich one (?:was|is) it\b|\b(?:lequel|laquelle) (?:c etait|etait ce|est ce)\b")
#: Asking what, how or why (folded): "what did the Chinese cities say at one of the
#: webinars about schools?" asks their words, not which webinar.
_NOT_WHICH = re.compile(r"\b(?:what|how|why|comment|pourquoi|quoi)\b")


def answer_from_described_presenters(reply: Reply) -> list[EventType] | None:
    """When, or at which webinars, the cities a message describes by their country presented
    ("when did the Greek cities present?", "which webinar had the Polish and Irish cities?", « à
    quels webinaires les villes chinoises ont-elles présenté ? »): the one of their webinars it
    asks about by what it was about, else their only one, else each with the cities that
    presented there. None when it names a city (by its name: "the Finnish city" is described),
    an organisation or a person, or asks neither when nor which webinar."""
    text = message_text(reply.tracker)
    folded = fold(text)
    asks_which = asks_which_webinar(text) or AT_ONE_OF_THEM.search(folded) or _WHICH_ONE.search(folded)
    asks_other = _NOT_WHICH.search(folded) and not asks_which_webinar(text)
    if not (asks_which or _WHEN.search(folded)) or asks_other:
        return None
    if not (SAYS_WEBINAR.search(folded) or PRESENTED.search(folded)):
        return None
    if named_organisation(reply.kb, reply.tracker, use_slot=False) or resolve_person(reply.kb, reply.tracker):
        return None  # "which webinar did the Thai open university present at?"
    webinars = webinars_of_described_cities(reply.kb, text)
    if not webinars:
        return None
    asked = (
        matching_webinars(reply.kb, _without_countries(reply, folded), among=webinars)
        if len(webinars) > 1
        else []
    )
    if len(webinars) == 1 or asked:
        return AnswerWebinar().answer_found(reply, Found((asked or webinars)[0], None, True))
    return answer_described_presenters(reply, webinars, text)


def _without_countries(reply: Reply, folded: str) -> str:
    """A folded message less its countries' names and adjectives: "Irish" is no theme."""
    for country in reply.kb.countries_described_in(folded):
        said = reply.kb.country_said(country)
        folded = said.sub(" ", folded) if said else folded
    return folded


def _organisation_presenter(reply: Reply) -> Person | None:
    """The one person of the organisation a message names who spoke for it, at the webinar it
    names when it names one; None when there are none or several."""
    organisation = named_organisation(reply.kb, reply.tracker, use_slot=False)
    if organisation is None:
        return None
    people = list(organisation.people)
    webinar = resolve_webinar(reply.kb, reply.tracker).record
    if webinar is not None:
        spoke = {r.speaker for r in webinar.remarks} | {
            f.reported_by for f in organisation.facts if f.webinar == webinar.id
        }
        people = [person for person in people if person.id in spoke] or people
    return people[0] if len(people) == 1 else None


def answer_from_words(reply: Reply) -> list[EventType] | None:
    """Step 1: the words someone said, when the message asks who said them, what a person it
    names said or what the people of an organisation it names said (except at a part of a
    webinar, `PART_INTENTS`, by someone who spoke at that part); None otherwise."""
    at_a_part = latest_intent(reply.tracker) in PART_INTENTS and _speaks_at_the_part(reply)
    if said_by_anyone(reply) or (
        not at_a_part and (asks_a_person_words(reply) or asks_an_organisation_words(reply))
    ):
        return AnswerSaid().answer(reply)
    return None


def _speaks_at_the_part(reply: Reply) -> bool:
    """Whether whoever the message names (a person, else an organisation's people), if anyone,
    ever spoke at the part of a webinar its intent asks about (opening, closing): « selon la
    première adjointe au maire d'Évry, c'est quoi la clé ? » or "the UNHCR woman said…", read as
    a question on a closing, ask for their words wherever they said them."""
    kb = reply.kb
    part = "opening" if latest_intent(reply.tracker) == "ask_director_opening" else "closing"
    person = resolve_person(kb, reply.tracker)
    organisation = None if person else named_organisation(kb, reply.tracker, use_slot=False)
    speakers = {person.id} if person else {p.id for p in organisation.people} if organisation else None
    return speakers is None or any(
        remark.speaker in speakers and remark.part == part
        for webinar in kb.webinars.values()
        for remark in webinar.remarks
    )


def answer_from_remarks(reply: Reply) -> list[EventType] | None:
    """Step 4: the remarks made at the webinar the message names by its date or order that match
    what it asks beyond the phrasing of the question read and beyond the words that name the
    webinar: « quels effets sur les étudiants ont été évoqués à l'ouverture du 15 avril ? »; None
    otherwise ("what was the 22 April webinar about?" asks nothing more). A webinar found by its
    theme counts only for a message that asks what was said there (`_asks_remarks_of_a_theme`):
    "webinar about how universities help local communities" asks for the webinar."""
    text = message_text(reply.tracker)
    named = dated_or_ordered(reply)
    if not named and not _asks_remarks_of_a_theme(reply, text):
        return None
    if _asks_a_side(text):  # "who moderated the 24 March webinar?": not the words naming her
        return None
    webinar = resolve_webinar(reply.kb, reply.tracker).record
    if webinar is None:
        return None
    specific = asked_beyond_webinar(reply.kb, text, latest_intent(reply.tracker), webinar)
    if not specific:
        return None
    hits = reply.kb.fact_index.matching(" ".join(specific), kinds={"remark"}, webinar=webinar.id)
    part = _PART_ASKED.get(latest_intent(reply.tracker) or "")
    if part is not None:  # "what question opened the debate on 23 April?" is about the debate
        hits = [hit for hit in hits if isinstance(hit.fact.record, Remark) and hit.fact.record.part == part]
    return say_words(reply, [hit.fact for hit in hits[:SAID_FACTS]], "") if hits else None


#: Asking which language a webinar was held in (folded): « se tenait dans quelle langue ? ».
_WHICH_LANGUAGE = re.compile(r"\b(?:what|which|quelles?|quels?) (?:languages?|langues?)\b")


def _asks_a_side(text: str) -> bool:
    """Whether `text` asks who moderated a webinar or its language, which the webinar's own
    answer says, whatever remark of it says the same words."""
    return (asks_who(text) and asks_moderator(text)) or bool(_WHICH_LANGUAGE.search(fold(text)))


#: The part of a webinar an intent asks about: its remarks there, not those of another part.
_PART_ASKED = {
    "ask_masks_debate": "debate",
    "ask_director_opening": "opening",
    "ask_director_closing": "closing",
}


#: Words asking why, or about who spoke at a webinar or how it opened or closed (folded).
_SPEAKING_AT = re.compile(
    r"\b(?:why|pourquoi|reasons?|raisons?|host|hote|speakers?|intervenant\w*|director|directeur|directrice"
    r"|opened|opening|ouvert|ouverture|closed|closing|cloture|conclu\w*)\b"
)


def _asks_remarks_of_a_theme(reply: Reply, text: str) -> bool:
    """Whether a message names a webinar by its theme and asks why, who spoke or what was said
    there, but neither which webinar nor how many took part, nor one side of it the classifier
    read (its host, language, moderator) or the series: "why did the host think the Latin
    America webinar mattered?" asks what was said there, not what the webinar was."""
    intent = latest_intent(reply.tracker) or ""
    return (
        bool(_THE_WEBINAR.search(fold(text)))
        and (asks_what_was_said(text) or bool(_SPEAKING_AT.search(fold(text))))
        and not _asks_side_read(intent, text)
        and not intent.startswith("ask_series")
        and not asks_which_webinar(text)
        and not asks_attendance(text)
        and webinar_of_presenters(reply.kb, reply.tracker) is None
    )


#: Per intent asking one side of a webinar, the words (folded) a message asking it says: « pourquoi
#: disait-on que la région pouvait apprendre de l'Asie ? » read as a question on attendance says
#: none, and asks what was said. Attendance is `asks_attendance`'s, read beside it.
_SIDES: dict[str, re.Pattern[str]] = {
    "ask_webinar_host": re.compile(r"\b(?:host\w*|hote\w*|accueil\w*|organi[sz]\w*|ran|run)\b"),
    "ask_webinar_language": re.compile(
        r"\b(?:languages?|langues?|french|english|francais|anglais|francophone|spoken|parlee?)\b"
    ),
    "ask_webinar_moderator": re.compile(r"\b(?:moderat\w*|modera\w*|modere\w*|chair\w*|anim\w*)\b"),
}


def _asks_side_read(intent: str, text: str) -> bool:
    """Whether `text` asks the side of a webinar its `intent` was read as (its host, language or
    moderator)."""
    side = _SIDES.get(intent)
    return side is not None and bool(side.search(fold(text)))


#: Intents asking about one city or which cities: naming a webinar and no city, they ask about
#: the webinar ("how many took part in the higher education webinar?").
ABOUT_CITIES = CITY_INTENTS | {"ask_cities_by_topic", "list_cities"}
#: "the culture webinar", « au webinaire sur… », "the April session on refugees", "one of the
#: webinars", "was there a webinar for…?", not "a webinar" nor
#: "webinars" (which cities held webinars is a question about their measures), folded.
_THE_WEBINAR = re.compile(
    r"(?<!\ba )(?<!\ban )(?<!\bun )(?<!\bune )\b(?:webinar|webinaire|seminar|seminaire|session|seance)\b"
    r"|\b(?:one of the|l un des|un des) (?:webinars|webinaires|seminars|seminaires)\b"
    r"|\b(?:was|is) there (?:a|an|one) (?:webinar|seminar|session)\b"
    r"|\by (?:a t il eu|avait il|a t il|avait t il) (?:un|une) (?:webinaire|seminaire|seance|session)\b"
)


def answer_from_named_webinar(reply: Reply) -> list[EventType] | None:
    """A question about a city, or which cities (or which webinar, read as one on how a webinar
    opened or closed), that names no city but one webinar, by what it was about, its date or its
    order: that webinar, whose answer says who presented (« qui a
    présenté au webinaire sur l'enseignement supérieur ? », "which cities were at the mental
    health webinar?"), or how many took part when it asks that. None otherwise."""
    text = message_text(reply.tracker)
    intent = latest_intent(reply.tracker)
    # "which webinar took place at the end of May?", « de quoi parlait le webinaire du début du
    # mois de mai ? », read as questions on how one closed or opened
    which_at_a_part = (
        intent in PART_INTENTS
        and (asks_which_webinar(text) or says_part_of_month(text))
        and not _SAYS_PART.search(fold(text))
    )
    if not (intent in ABOUT_CITIES or which_at_a_part) or not _THE_WEBINAR.search(fold(text)):
        return None
    city = resolve_city(reply.kb, reply.tracker, use_slot=False, guess_names=False)
    webinar = resolve_webinar(reply.kb, reply.tracker).record
    if city.known or city.unknown or webinar is None or asks_what_it_presented(reply):
        return None
    if (
        asks_attendance(text) and not asks_who(text) and not asks_which_webinar(text)
    ):  # who took part: presenters
        return AnswerWebinarAttendance().answer(reply)
    return AnswerWebinar().answer_found(reply, Found(webinar, None, True))


def answer_from_named_thing(reply: Reply) -> list[EventType] | None:
    """Step 5: for a message that names no city, person, organisation nor webinar the bot knows
    but a thing of its facts ("CanDoBristol", "de Blasio's fund"), the fact that says it
    (`FactIndex.naming`), whatever kind of question the classifier read; None otherwise."""
    text = message_text(reply.tracker)
    if not _by_name(reply) or SAYS_WEBINAR.search(fold(text)) or asks_for_cities(text):
        return None  # a webinar's own facts, or the cities of a list, answer those
    hits = reply.kb.fact_index.naming(text, kinds=ANYWHERE)
    return _answer_with(reply, hits[0].fact) if hits else None


Step = Callable[[Reply], "list[EventType] | None"]

#: A webinar's opening or closing said beside the webinar ("how did he close the 23 April
#: webinar?", « sur quoi a-t-il conclu le webinaire du 23 avril ? »), folded.
_PART_OF_THE_WEBINAR = {
    "closing": re.compile(
        r"\b(?:conclu\w*|clotur\w*|close the|closed|ended|wrapped up)\b(?: \w+){0,3} (?:webinar|webinaire|session|seance)\b"
    ),
    "opening": re.compile(
        r"\b(?:(?:a|ont|avait) ouvert|opened|opens)\b(?: \w+){0,3} (?:webinar|webinaire|session|seance)\b"
    ),
}


def answer_from_part_said(reply: Reply) -> list[EventType] | None:
    """The remarks that opened or closed a webinar, for a message saying so that the classifier
    read as another question (« sur quoi David Atchoarena a-t-il conclu le webinaire du 23
    avril ? » as one on the webinar), when that webinar's sources report them; None otherwise."""
    if latest_intent(reply.tracker) in PART_INTENTS:
        return None  # its own action answers
    folded = fold(message_text(reply.tracker))
    part = next((part for part, said in _PART_OF_THE_WEBINAR.items() if said.search(folded)), None)
    webinar = resolve_webinar(reply.kb, reply.tracker).record if part else None
    person = resolve_person(reply.kb, reply.tracker)
    spoke = [r for r in webinar.remarks if r.part == part] if webinar else []
    if not spoke or (person is not None and all(r.speaker != person.id for r in spoke)):
        return None  # not the webinar their words are from: "when she opened the recovery webinar"
    return (AnswerDirectorClosing() if part == "closing" else AnswerDirectorOpening()).answer(reply)


#: The steps of `answer_from_facts`, in order, for a `KnowledgeAction.facts_first` action.
FACT_STEPS: tuple[Step, ...] = (
    answer_from_described_presenters,
    answer_from_series_links,
    answer_which_cities,
    answer_from_city_presenter,
    answer_from_part_said,
    answer_from_words,
    answer_from_shared_webinar,
    answer_from_named_webinar,
    answer_from_city_facts,
    answer_from_organisation_facts,
    answer_from_remarks,
    answer_from_named_thing,
)
#: Those for a `KnowledgeAction.words_first` action: its own answer ranks the facts it is about.
WORDS_STEPS: tuple[Step, ...] = (
    answer_from_described_presenters,
    answer_from_series_links,
    answer_from_city_presenter,
    answer_from_part_said,
    answer_from_words,
    answer_from_shared_webinar,
)


def answer_naming_no_city(reply: Reply) -> list[EventType] | None:
    """For a city question naming no city: the one fact it names something of, else what was
    said at the webinar it names, when it asks that ("does social distancing hurt mental health?
    what was said about that at the webinar"), the webinar it names by what it was about ("was
    one of the webinars about mental health? when?") or the facts of the organisation it names
    that answer it; None when none does."""
    steps = (
        answer_from_anywhere,
        answer_from_remarks,
        answer_from_named_webinar,
        answer_from_organisation_facts,
    )
    for step in steps:
        events = step(reply)
        if events is not None:
            return events
    return None


def answer_from_anywhere(reply: Reply) -> list[EventType] | None:
    """The answer from the one fact that holds every word of a message naming nothing the bot
    knows, or from the fact naming the thing it names when it names no city the bot does not
    know ("the SMART MOOC in Lagos" is not Thailand's), said as its city's, speaker's or
    organisation's; None when there is no such fact."""
    if _names_a_record(reply):
        return None  # their own facts answer (`answer_from_facts`), not anyone's
    fact = fact_anywhere(reply.kb, message_text(reply.tracker), by_name=_by_name(reply))
    return _answer_with(reply, fact) if fact is not None else None


def answer_from_dominant_fact(reply: Reply) -> list[EventType] | None:
    """The answer from the fact standing far ahead of every other for the message
    (`retrieved.dominant_fact`: "how long was CODAE going to last and who was it aimed at?"),
    when it names no city, person or organisation; None otherwise."""
    if _names_a_record(reply, unknown_cities=True):
        return None
    fact = dominant_fact(reply.kb, message_text(reply.tracker))
    return _answer_with(reply, fact) if fact is not None else None


def answer_from_one_fact(reply: Reply) -> list[EventType] | None:
    """The last resort, for a message the action said no fact for (out of scope, not
    understood, a list it could not make): the fact that names the thing it asks about and holds
    every word it asks with, else the one holding every one of its several specific words, when
    it names no city, person or organisation (`retrieved.fact_anywhere`, `retrieved.fact_alone`),
    else the one far ahead of the others or naming a rare thing it names (`retrieved.dominant_fact`,
    `retrieved.named_fact`); first, "which cities…?" gets the cities whose measures match. A message naming one
    organisation and no city nor anyone else's name gets that organisation: « l'ACIJ c'est basé
    où ? » read as a question on sources. None otherwise."""
    if _said_none_honestly(reply):
        return None
    organisation = _organisation_alone(reply)
    if organisation is not None:
        return AnswerOrganisation().answer_organisation(reply, Found(organisation, organisation.id, True))
    text = message_text(reply.tracker)
    if _names_a_record(reply, unknown_cities=True):
        # "the video conference of Mayor Park, planned for 45 minutes: how long did it last?": the
        # fact far ahead of the others, when it is of whoever the message names
        fact = dominant_fact(reply.kb, text)
        return _answer_with(reply, fact) if fact is not None and _of_the_named(reply, fact) else None
    # out of scope, who did it only when the measures hold every word it asks: "who won the match?"
    in_scope = latest_intent(reply.tracker) != "out_of_scope"
    if asks_which_cities_did(reply.kb, text) or asks_who_did_what_measures_do(
        reply.kb, text, every_word=not in_scope
    ):
        return AnswerCitiesByTopic().answer_matching(reply, NOTHING)
    fact = (
        fact_anywhere(reply.kb, text, by_name=_by_name(reply))
        or fact_alone(reply.kb, text)
        or dominant_fact(reply.kb, text)
        or named_fact(reply.kb, text)
    )
    if fact is None:
        return None
    webinar = reply.kb.webinars.get(fact.webinar or "")
    if fact.kind == "webinar" and webinar is not None:
        return AnswerWebinar().answer_found(reply, Found(webinar, None, True))
    return _answer_with(reply, fact)


#: Why the bot gave up (citybot/report/reasons.py) when the last resort may still answer: it did
#: not understand the message or a topic it names, or asked "which city?" of a message naming
#: none (one naming a city the bot does not know gets no last resort).
_GIVING_UP = frozenset({NOT_UNDERSTOOD.key, OUT_OF_SCOPE.key, UNKNOWN_TOPIC.key, UNKNOWN_CITY.key})


def _by_name(reply: Reply) -> bool:
    """Whether a name of a thing the message says may pick its fact (`FactIndex.naming`): not
    beside a city the bot does not know ("the SMART MOOC in Lagos"), nor in a message the
    classifier put out of scope ("the contact details of the UNESCO press office") unless it asks
    what the thing is ("What is SMART MOOC Lifelong Learning?": the facts name few such things)."""
    in_scope = latest_intent(reply.tracker) != "out_of_scope" or asks_what_is(message_text(reply.tracker))
    return in_scope and not _names_a_record(reply, unknown_cities=True)


def _said_none_honestly(reply: Reply) -> bool:
    """Whether the answer says that the sources have nothing on what the message names ("none
    of the cities has a measure about working from home"): true, and no other fact is better."""
    reasons = (RESPONSE_REASONS.get(str(message.get("response"))) for message in reply.dispatcher.messages)
    return any(reason is not None and reason.key not in _GIVING_UP for reason in reasons)


def _organisation_alone(reply: Reply) -> Organisation | None:
    """The organisation a message names when it names no city (a country is no city) and no
    person but one of that organisation's; None otherwise."""
    kb, tracker = reply.kb, reply.tracker
    organisation = named_organisation(kb, tracker, use_slot=False)
    if organisation is None:
        return None
    person = resolve_person(kb, tracker)
    if person is not None and person.organisation != organisation.id:
        return None
    city = resolve_city(kb, tracker, use_slot=False, guess_names=False)
    if city.known or (city.unknown and not kb.is_country(city.typed)):
        return None
    return organisation


def _names_a_record(reply: Reply, unknown_cities: bool = False) -> bool:
    """Whether the message names an organisation, a person or a city the bot knows (or, with
    `unknown_cities`, any city but a country: "what did Lagos do about free art courses?" is not
    Wuhan's)."""
    kb, tracker = reply.kb, reply.tracker
    if named_organisation(kb, tracker, use_slot=False) or resolve_person(kb, tracker):
        return True
    city = resolve_city(kb, tracker, use_slot=False, guess_names=False)
    return city.known or (unknown_cities and city.unknown and not kb.is_country(city.typed))


def _of_the_named(reply: Reply, fact: Fact) -> bool:
    """Whether `fact` is of the person, organisation or city the message names: said by the
    person or of their city, about the organisation, of the city."""
    kb, tracker = reply.kb, reply.tracker
    person = resolve_person(kb, tracker)
    organisation = named_organisation(kb, tracker, use_slot=False)
    city = resolve_city(kb, tracker, use_slot=False, guess_names=False).record
    return (
        (person is not None and fact.speaker == person.id)
        or (person is not None and person.city is not None and fact.city == person.city)
        or (organisation is not None and fact.organisation == organisation.id)
        or (city is not None and fact.city == city.id)
    )


def _answer_with(reply: Reply, fact: Fact) -> list[EventType] | None:
    """`fact` said as its city's, organisation's or speaker's; None for another kind of fact."""
    kb = reply.kb
    city = kb.cities.get(fact.city or "")
    if fact.kind == "measure" and city is not None:
        return AnswerCityTopic().answer_about(reply, Found(city, city.id, True), NOTHING)
    organisation = kb.organisations.get(fact.organisation or "")
    if fact.kind == "organisation_fact" and organisation is not None:
        return AnswerOrganisation().answer_organisation(reply, Found(organisation, organisation.id, True))
    if fact.speaker:
        return say_words(reply, [fact], "")
    return None
