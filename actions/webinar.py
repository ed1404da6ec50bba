"""Questions about the webinars of the series and the series itself.

Questions about "the webinar" without anything saying which mean the series' featured webinar; a
question naming a date, an order word ("the last webinar"), a presenting city or organisation, or
what a webinar was about answers about that webinar (`resolve_webinar`): fully when a published
summary of it is among the sources, else from its series entry (title and presenters, as the
sources give them). "Which webinars were about X?" lists every webinar that matches, best first.
"""

from __future__ import annotations

import re

from rasa_sdk.events import EventType

from actions.base import KnowledgeAction
from actions.dates import month_named, parse_day
from actions.facts import (
    Reply,
    bullets,
    button,
    day,
    join_words,
    main_webinar,
    month,
    presenters,
    remember_question,
    speaker_label,
)
from actions.phrasing import asks_what_was_said, beyond_phrasing
from actions.resolve import (
    NOTHING,
    Found,
    asked_beyond_webinar,
    asks_attendance,
    asks_which_webinar,
    in_part_of_month,
    latest_intent,
    matching_webinars,
    message_entities,
    message_text,
    organisations_in,
    resolve_day,
    resolve_person,
    resolve_webinar,
    webinar_in_language_named,
)
from actions.webinar_order import position_in
from citybot.kb import KnowledgeBase
from citybot.kb.model import Link, Organisation, Person, Remark, Series, Webinar
from citybot.kb.normalize import fold
from citybot.retrieval.analysis import terms

#: A question about several webinars ("which webinars…", « quels webinaires… »): it gets every
#: webinar that matches, not only the best one.
_PLURAL = re.compile(r"\b(webinars|webinaires|sessions|seances|which ones|lesquels|quels|quelles)\b")


class AnswerWebinar(KnowledgeAction):
    facts_first = True

    def name(self) -> str:
        return "action_answer_webinar"

    def answer(self, reply: Reply) -> list[EventType]:
        if asks_moderator(message_text(reply.tracker)):  # read as a question about the webinar
            return AnswerWebinarModerator().answer(reply)
        if _say_matching_webinars(reply):
            return [remember_question("webinar")]
        return self.answer_found(reply, resolve_webinar(reply.kb, reply.tracker))

    def answer_found(self, reply: Reply, found: Found[Webinar]) -> list[EventType]:
        """The featured webinar's overview, or the entry of the webinar the question names."""
        webinar = _found_webinar(reply, found)
        if webinar is None:
            return [remember_question("webinar")]
        if webinar is not main_webinar(reply.kb):
            if webinar.summary is not None:
                return _say_summarised(reply, webinar)
            return _say_series_entry(reply, webinar)
        kb, lang = reply.kb, reply.lang
        host = kb.organisations.get(webinar.host) if webinar.host else None
        series = kb.series.get(webinar.series) if webinar.series else None
        reply.cite([webinar])
        reply.say(
            "utter_webinar",
            date=day(webinar.date, lang),
            title=webinar.title.get(lang),
            host=host.short_name(lang) if host else "",
            language=webinar.language.get(lang) if webinar.language else "",
            series=series.title.get(lang) if series else "",
            presenters=presenters(kb, webinar, lang),
            attendance=webinar.attendance.get(lang) if webinar.attendance else "",
        )
        return [remember_question("webinar")]


#: "who moderated…?", « qui a animé le webinaire… ? », "who chaired it?", "the moderator" (folded).
_MODERATOR = re.compile(
    r"\b(?:who|qui)\b(?: \w+){0,2} (?:moderat\w*|chair\w*|anim\w*|modere\w*)\b"
    r"|\b(?:moderators?|moderatrice|moderateur|animateur|animatrice)\b"
)


def asks_moderator(text: str) -> bool:
    """Whether `text` asks who moderated a webinar, not which webinar someone moderated."""
    return bool(_MODERATOR.search(fold(text))) and not asks_which_webinar(text)


def answer_presenter_webinars(reply: Reply, organisation: Organisation) -> list[EventType] | None:
    """ "Which webinar did C40 present at?": the webinar(s) where the organisation presented
    (asked like a city's webinar question); None when it presented at none."""
    return _say_webinars(
        reply, [w for w in reply.kb.webinars.values() if organisation.id in w.presenting_organisations]
    )


def answer_moderated_webinars(reply: Reply, person: Person) -> list[EventType] | None:
    """ "Which webinars did Marie Macauley moderate?" (asked like a question about her): the
    webinars she moderated; None when none."""
    return _say_webinars(reply, [w for w in reply.kb.webinars.values() if w.moderator == person.id])


def _say_webinars(reply: Reply, webinars: list[Webinar]) -> list[EventType] | None:
    """One webinar's answer, or the list of several; None for none."""
    if len(webinars) == 1:
        return AnswerWebinar().answer_found(reply, Found(webinars[0], None, True))
    if not webinars:
        return None
    reply.cite(webinars)
    reply.say("utter_webinars_matching", webinars=bullets(_webinar_line(reply, w) for w in webinars))
    return [remember_question("webinar")]


def answer_described_presenters(reply: Reply, webinars: list[Webinar], text: str) -> list[EventType]:
    """ "When did the Greek cities present?": each webinar at which cities of the countries the
    message describes presented, with those cities, so that the answer says which city was when."""
    described = {city.id for city in reply.kb.cities_described_in(text)}
    lines = []
    for webinar in webinars:
        cities = [reply.kb.cities[c].label(reply.lang) for c in webinar.presenting_cities if c in described]
        lines.append(f"{join_words(cities, reply.lang)}: {_webinar_line(reply, webinar)}")
    reply.cite(webinars)
    reply.say("utter_described_cities_webinars", webinars=bullets(lines))
    return [remember_question("webinar")]


class AnswerSeries(KnowledgeAction):
    facts_first = True

    def name(self) -> str:
        return "action_answer_series"

    def answer(self, reply: Reply) -> list[EventType]:
        """The series and its webinars; the webinar asked about when the question names one by
        date, order or presenter ("the last webinar" may be taken for a question on the series);
        the matching webinars when it asks which of them were about something."""
        if _say_matching_webinars(reply):
            return [remember_question("series")]
        found = resolve_webinar(reply.kb, reply.tracker)
        if not found.missing:
            return AnswerWebinar().answer_found(reply, found)
        kb, lang = reply.kb, reply.lang
        series = list(kb.series.values())
        if not series:
            return _say_not_in_source(reply, main_webinar(kb))
        current = series[0]
        organiser = kb.organisations.get(current.organiser) if current.organiser else None
        lines = [_webinar_line(reply, w) for w in kb.webinars.values() if w.series == current.id]
        reply.say(
            "utter_series",
            title=current.title.get(lang),
            organiser=organiser.short_name(lang) if organiser else "",
            description=current.description.get(lang) if current.description else "",
            webinars=bullets(lines),
            links=bullets(f"{link.label.get(lang)} — {link.url}" for link in current.links),
        )
        return [remember_question("series")]


class AnswerWebinarHost(KnowledgeAction):
    facts_first = True

    def name(self) -> str:
        return "action_answer_webinar_host"

    def answer(self, reply: Reply) -> list[EventType]:
        webinar = _asked_webinar(reply)
        if webinar is None:
            return [remember_question("webinar_host")]
        host = reply.kb.organisations.get(webinar.host) if webinar.host else None
        if host is None:
            return _say_not_in_source(reply, webinar)
        reply.cite([webinar])
        reply.say(
            "utter_webinar_host" if webinar.audience else "utter_webinar_host_only",
            date=day(webinar.date, reply.lang),
            host=host.short_name(reply.lang),
            host_name=host.name.get(reply.lang),
            audience=webinar.audience.get(reply.lang) if webinar.audience else "",
        )
        return [remember_question("webinar_host")]


class AnswerWebinarLanguage(KnowledgeAction):
    facts_first = True

    def name(self) -> str:
        return "action_answer_webinar_language"

    def answer(self, reply: Reply) -> list[EventType]:
        if asks_attendance(message_text(reply.tracker)):
            # « le webinaire en langue française, combien de monde ? »: the language names it
            return AnswerWebinarAttendance().answer(reply)
        webinar = _asked_webinar(reply)
        if webinar is None:
            return [remember_question("webinar_language")]
        if webinar.language is None:  # "why a webinar in French, according to Atchoarena?"
            webinar = webinar_in_language_named(reply.kb, message_text(reply.tracker)) or webinar
        if webinar.language is None:
            return _say_not_in_source(reply, webinar)
        reason = _language_reasons(webinar)
        # "why was a webinar held in French?": the reason is the answer, the webinar its setting
        reply.cite(
            [*reason, webinar] if _WHY.search(fold(message_text(reply.tracker))) else [webinar, *reason]
        )
        reply.say(
            "utter_webinar_language",
            date=day(webinar.date, reply.lang),
            language=webinar.language.get(reply.lang),
            reason=" ".join(r.text.get(reply.lang) for r in reason),
        )
        return [remember_question("webinar_language")]


class AnswerWebinarModerator(KnowledgeAction):
    facts_first = True

    def name(self) -> str:
        return "action_answer_webinar_moderator"

    def answer(self, reply: Reply) -> list[EventType]:
        found = resolve_webinar(reply.kb, reply.tracker)
        webinar = _found_webinar(reply, found)
        if webinar is None:
            return [remember_question("webinar_moderator")]
        if not webinar.moderator:
            return _say_not_in_source(reply, webinar)
        if asks_what_was_said(message_text(reply.tracker)):
            # "what did the moderator say covid had revealed?": the moderator's words there
            from actions.organisation import say_words  # it builds on this module

            said = reply.kb.fact_index.rank(
                beyond_phrasing(message_text(reply.tracker), latest_intent(reply.tracker)),
                kinds={"remark"},
                webinar=webinar.id,
                speaker=webinar.moderator,
            )
            if said:
                return say_words(reply, [hit.fact for hit in said], "")
        debate = [r for r in webinar.remarks if r.part == "debate" and r.speaker == webinar.moderator]
        named = resolve_person(reply.kb, reply.tracker)
        if found.missing and (named is None or named.id != webinar.moderator):
            # "who moderated the webinars?": the person is the answer, before where it is stated
            reply.mention(webinar.moderator)
        # else "who moderated the 9 April webinar?" is answered by that webinar's record, which
        # names its moderator, and "which webinar did Sergio Cárdenas moderate?" by the webinar
        reply.cite([webinar, *debate])
        reply.mention(webinar.moderator)
        reply.say(
            "utter_webinar_moderator",
            date=day(webinar.date, reply.lang),
            person=speaker_label(reply.kb, webinar.moderator, reply.lang),
            remark=" ".join(r.text.get(reply.lang) for r in debate),
        )
        return [remember_question("webinar_moderator")]


class AnswerWebinarAttendance(KnowledgeAction):
    facts_first = True

    def name(self) -> str:
        return "action_answer_webinar_attendance"

    def answer(self, reply: Reply) -> list[EventType]:
        webinar = _asked_webinar(reply)  # also "which webinar had 250 people?" (`resolve_webinar`)
        if webinar is None:
            return [remember_question("webinar_attendance")]
        if webinar.attendance is None:
            return _say_not_in_source(reply, webinar)
        reply.cite([webinar])
        reply.say(
            "utter_webinar_attendance",
            date=day(webinar.date, reply.lang),
            attendance=webinar.attendance.get(reply.lang),
        )
        return [remember_question("webinar_attendance")]


#: A question asking why ("why", « pourquoi », "for what reason", « pour quelle raison »), folded.
_WHY = re.compile(r"\b(?:why|how come|pourquoi|pk|pq|reason|raison)\b")


#: Intents asking for what was said at one part of a webinar: a person they name is whose words
#: at that part are the answer (`DirectorRemarks`), not their words anywhere.
PART_INTENTS = frozenset({"ask_director_opening", "ask_director_closing"})


class DirectorRemarks(KnowledgeAction):
    """The remarks made at one `part` of a webinar ("opening" or "closing"), usually the UIL
    Director's: those of the person the question names, if they spoke then, and those matching
    what it asks first ("how did Atchoarena close the francophone webinar, what did he say cities
    must do first?"). A question naming a person and no webinar is about a webinar they spoke at
    that part ("what did Jonghwi Park say when she opened the webinar?")."""

    facts_first = True  # but not their words anywhere: actions/precise.py, `PART_INTENTS`

    part: str

    def answer(self, reply: Reply) -> list[EventType]:
        person = resolve_person(reply.kb, reply.tracker)
        found = resolve_webinar(reply.kb, reply.tracker)
        if person is not None and not self._spoke_at(found.record, person) and not dated_or_ordered(reply):
            # a webinar they did not open, found by its theme or none: one they did
            spoken = self._spoken_at(reply, person)
            found = found if spoken.missing else spoken
        webinar = _found_webinar(reply, found, same_day=False)
        if webinar is None:
            return [remember_question(f"director_{self.part}")]
        remarks = [r for r in webinar.remarks if r.part == self.part]
        theirs = [r for r in remarks if person is not None and r.speaker == person.id]
        remarks = _best_first(reply, webinar, theirs or remarks)
        if not remarks:
            return _say_not_in_source(reply, webinar)
        speakers = join_words(
            list(dict.fromkeys(speaker_label(reply.kb, r.speaker, reply.lang) for r in remarks if r.speaker)),
            reply.lang,
        )
        reply.cite(remarks)  # the answer, before the other webinars of its day are named
        _say_same_day(reply, webinar)
        reply.say(
            f"utter_director_{self.part}",
            date=day(webinar.date, reply.lang),
            speaker=speakers,
            facts=bullets(r.text.get(reply.lang) for r in remarks),
        )
        return [remember_question(f"director_{self.part}")]

    def _spoke_at(self, webinar: Webinar | None, person: Person) -> bool:
        return webinar is not None and any(
            r.part == self.part and r.speaker == person.id for r in webinar.remarks
        )

    def _spoken_at(self, reply: Reply, person: Person) -> Found[Webinar]:
        """The webinar at which `person` spoke at this part whose remarks there best match the
        question, else the first; `NOTHING` when they never did."""
        spoken = [w for w in reply.kb.webinars.values() if self._spoke_at(w, person)]
        if not spoken:
            return NOTHING
        asked = beyond_phrasing(message_text(reply.tracker), latest_intent(reply.tracker))
        hits = reply.kb.fact_index.rank(asked, kinds={"remark"}, speaker=person.id)
        by_id = {w.id: w for w in spoken}
        best = next((by_id[hit.fact.webinar] for hit in hits if hit.fact.webinar in by_id), spoken[0])
        return Found(best, None, True)


def dated_or_ordered(reply: Reply) -> bool:
    """Whether the message names a webinar by its date or its order ("the 24 March webinar", « le
    tout premier webinaire »)."""
    return not resolve_day(reply.tracker).missing or position_in(message_text(reply.tracker)) is not None


def _best_first(reply: Reply, webinar: Webinar, remarks: list[Remark]) -> list[Remark]:
    """`remarks`, those matching what the message asks beyond its phrasing and the words naming
    the webinar first, the others after them in knowledge-base order: "how did Macauley open the
    webinar on recovery strategies?" asks for the opening as it was said, whichever of its
    remarks says "recovery" or "strategies"."""
    text, intent = message_text(reply.tracker), latest_intent(reply.tracker)
    asked = " ".join(asked_beyond_webinar(reply.kb, text, intent, webinar))
    hits = reply.kb.fact_index.rank(asked, kinds={"remark"}, webinar=webinar.id) if asked else []
    order = {hit.fact.id: i for i, hit in enumerate(hits)}
    if asks_why_in_its_language(reply.kb, text, webinar):
        # "why did the director say the webinar was in French?": his reason, whatever else matches
        order = order | {remark.id: -1 for remark in _language_reasons(webinar)}
    return sorted(remarks, key=lambda remark: order.get(remark.id, len(order)))


def asks_why_in_its_language(kb: KnowledgeBase, text: str, webinar: Webinar) -> bool:
    """Whether `text` asks why `webinar` was held in its language ("why a webinar in French?"):
    the language names the webinar, and is also what the question asks about."""
    return bool(_WHY.search(fold(text))) and webinar_in_language_named(kb, text) == webinar


def _language_reasons(webinar: Webinar) -> list[Remark]:
    """The remarks of `webinar` that say its language: why it was held in it."""
    if webinar.language is None:
        return []
    return [r for r in webinar.remarks if webinar.language.en.lower() in r.text.en.lower()]


class AnswerDirectorOpening(DirectorRemarks):
    part = "opening"

    def name(self) -> str:
        return "action_answer_director_opening"


class AnswerDirectorClosing(DirectorRemarks):
    part = "closing"

    def name(self) -> str:
        return "action_answer_director_closing"


class AnswerMasksDebate(KnowledgeAction):
    facts_first = True

    def name(self) -> str:
        return "action_answer_masks_debate"

    def answer(self, reply: Reply) -> list[EventType]:
        """The debate on protective masks: the audience's question, then each city's answer."""
        kb, lang = reply.kb, reply.lang
        webinar = main_webinar(kb)
        asked = [r for r in webinar.remarks if r.part == "debate"]
        question = [r.text.get(lang) for r in asked]
        measures = [
            m
            for city in kb.cities.values()
            for m in city.measures
            if m.part == "debate" and m.webinar == webinar.id
        ]
        order = {city_id: i for i, city_id in enumerate(webinar.presenting_cities)}
        measures.sort(key=lambda m: order.get(m.city, len(order)))
        reply.cite([*asked, *measures])
        lines = [
            f"{kb.cities[m.city].label(lang)} ({speaker_label(kb, m.reported_by, lang)}) — {m.text.get(lang)}"
            for m in measures
        ]
        reply.say(
            "utter_masks_debate",
            date=day(webinar.date, lang),
            question=" ".join(question),
            facts=bullets(lines),
        )
        return [remember_question("masks_debate")]


def _webinar_line(reply: Reply, webinar: Webinar) -> str:
    """ "8 April 2020 — <title>", with the presenters when the title names none of them."""
    return f"{day(webinar.date, reply.lang)} — {_titled(reply, webinar)}"


def _titled(reply: Reply, webinar: Webinar) -> str:
    """The webinar's title, with its presenters when the title names none of them."""
    title = webinar.title.get(reply.lang)
    names = [reply.kb.cities[c].label(reply.lang) for c in webinar.presenting_cities if c in reply.kb.cities]
    if names and not any(name in title for name in names):
        return f"{title} ({presenters(reply.kb, webinar, reply.lang)})"
    return title


def _found_webinar(reply: Reply, found: Found[Webinar], same_day: bool = True) -> Webinar | None:
    """The webinar found (the featured one when the question names none), after naming the other
    webinars of its day unless `same_day` is False (the caller names them); None after saying
    that the series had no webinar on the date named."""
    if found.missing:
        return main_webinar(reply.kb)
    webinar = found.record
    if webinar is None and _say_month(reply, found.typed or ""):
        return None
    if webinar is None:
        held = dict.fromkeys(w.date for w in reply.kb.webinars.values())  # 10 June 2020 once
        wanted = parse_day(found.typed)
        reply.say(
            "utter_no_webinar_on",
            date=day(wanted, reply.lang) if wanted else (found.typed or ""),
            dates=join_words([day(d, reply.lang) for d in held], reply.lang),
        )
        return None
    if same_day:
        _say_same_day(reply, webinar)
    return webinar


#: The series' webinars as a whole: "the webinars", "the sessions", "the series" (folded).
_THE_SERIES_WEBINARS = re.compile(r"\b(?:webinars|webinaires|sessions|seances|series|serie)\b")
#: The words of a link's label that say only that it is about the webinars, which a question
#: about them says too (stems): they choose no link.
_WEBINAR_TERMS = frozenset(
    terms("webinar webinars webinaire webinaires session sessions séance séances series série")
)


def answer_from_series_links(reply: Reply) -> list[EventType] | None:
    """The series' page that has what the message asks of its webinars as a whole ("where can I
    find the recordings of the webinars?", « les présentations des webinaires ? »): the links
    whose label says a word the message asks with. None when it names no series' webinars, or
    names a city, an organisation or one webinar (Gdynia's presentation is Gdynia's facts)."""
    text = message_text(reply.tracker)
    if not _THE_SERIES_WEBINARS.search(fold(text)) or _names_a_subject(reply, text):
        return None
    found = series_links_asked(reply.kb, text)
    if found is None:
        return None
    series, links = found
    for link in links:  # the answer, then what it is part of
        if link.id:
            reply.mention(link.id)
    reply.mention(series.id)
    reply.cite([series])
    reply.say(
        "utter_series_links",
        title=series.title.get(reply.lang),
        links=bullets(f"{link.label.get(reply.lang)} — {link.url}" for link in links),
    )
    return [remember_question("series")]


def series_links_asked(kb: KnowledgeBase, text: str) -> tuple[Series, list[Link]] | None:
    """The series and those of its links whose label shares the most words with `text`, beyond
    the words for its webinars and its title; None when no label shares one."""
    asked = set(terms(text))
    best: tuple[int, Series | None, list[Link]] = (0, None, [])
    for series in kb.series.values():
        general = _WEBINAR_TERMS | set(terms(f"{series.title.get('en')} {series.title.get('fr')}"))
        for link in series.links:
            said = set(terms(f"{link.label.get('en')} {link.label.get('fr')}")) - general
            shared = len(asked & said)
            if shared and shared > best[0]:
                best = (shared, series, [link])
            elif shared and shared == best[0] and series is best[1]:
                best[2].append(link)
    _, found, links = best
    return (found, links) if found is not None else None


def _names_a_subject(reply: Reply, text: str) -> bool:
    """Whether the message names a city, an organisation, a person or one webinar (by its date
    or its place in the series)."""
    entities = {item.get("entity") for item in message_entities(reply.tracker)}
    return (
        bool(entities & {"city", "organisation", "person"})
        or bool(reply.kb.find_cities_in(text))
        or bool(organisations_in(reply.kb, text))
        or not resolve_day(reply.tracker).missing
        or position_in(text) is not None
    )


def _say_matching_webinars(reply: Reply) -> bool:
    """For "which webinars were about X?": the webinars that match, best first, when there are
    several; False (nothing said) otherwise, the question then being about one webinar."""
    text = message_text(reply.tracker)
    if not _PLURAL.search(fold(text)) or not resolve_day(reply.tracker).missing:
        return False
    webinars = matching_webinars(reply.kb, text)
    if len(webinars) < 2:
        return False
    reply.cite(webinars)
    reply.say("utter_webinars_matching", webinars=bullets(_webinar_line(reply, w) for w in webinars))
    return True


def _say_same_day(reply: Reply, webinar: Webinar) -> None:
    """Name the other webinars of the same date first, so that the answer about the first one is
    never taken for the only one (10 June 2020 had the series' webinar and an Arab-region one)."""
    others = [w for w in reply.kb.webinars_on(webinar.date) if w.id != webinar.id]
    if not others:
        return
    reply.cite([webinar, *others])  # the webinar asked about is the answer: cited first
    reply.say(
        "utter_webinar_same_day",
        count=str(len(others) + 1),
        date=day(webinar.date, reply.lang),
        title=webinar.title.get(reply.lang),
        others=join_words([_titled(reply, w) for w in others], reply.lang),
    )


def _asked_webinar(reply: Reply) -> Webinar | None:
    """The webinar a detail question (host, moderator...) is about (`resolve_webinar`), else the
    featured one; None after saying that the series had no webinar on the date named."""
    return _found_webinar(reply, resolve_webinar(reply.kb, reply.tracker))


def _say_series_entry(reply: Reply, webinar: Webinar) -> list[EventType]:
    """A webinar no published summary of is among the sources: its title and presenters, as the
    pages listing it give them (without claiming which other webinar is summarised)."""
    who = presenters(reply.kb, webinar, reply.lang)
    response = "utter_series_webinar" if who else "utter_series_webinar_no_presenters"
    reply.cite([webinar])
    reply.say(
        response,
        buttons=_presenter_buttons(reply, webinar),
        date=day(webinar.date, reply.lang),
        title=webinar.title.get(reply.lang),
        presenters=who,
    )
    return [remember_question("series")]


def _say_summarised(reply: Reply, webinar: Webinar) -> list[EventType]:
    """A webinar with a published summary (other than the featured one): its title, the summary,
    its theme and attendance when given, and who presented (or that the sources do not say)."""
    kb, lang = reply.kb, reply.lang
    series = kb.series.get(webinar.series) if webinar.series else None
    reply.cite([webinar, *([webinar.summary] if webinar.summary else [])])
    reply.say(
        "utter_webinar_summarised",
        buttons=_presenter_buttons(reply, webinar),
        date=day(webinar.date, lang),
        title=webinar.title.get(lang),
        series=series.title.get(lang) if series else "",
        summary=_summary_label(reply, webinar),
        theme=f"\n{webinar.theme.get(lang)}" if webinar.theme else "",
        attendance=f"\n{webinar.attendance.get(lang)}" if webinar.attendance else "",
    )
    who = presenters(kb, webinar, lang)
    if who:
        reply.say("utter_webinar_presenters", date=day(webinar.date, lang), presenters=who)
    else:
        reply.say("utter_webinar_presenters_unnamed", date=day(webinar.date, lang))
    return [remember_question("webinar")]


def _summary_label(reply: Reply, webinar: Webinar) -> str:
    """ "“Outcomes of webinar on 7 May” (UIL, 20 May 2020)": the summary as its publisher titled it."""
    summary = webinar.summary
    if summary is None:
        return ""
    organisation = reply.kb.organisations.get(summary.publisher)
    publisher = organisation.short_name(reply.lang) if organisation else summary.publisher
    opening, closing = ("« ", " »") if reply.lang == "fr" else ("“", "”")
    details = f"{publisher}, {day(summary.published, reply.lang)}"
    return f"{opening}{summary.title.get(reply.lang)}{closing} ({details})" if summary.title else details


def _say_month(reply: Reply, typed: str) -> bool:
    """For a month alone ("the webinar in April") in which several webinars took place and
    nothing else picks one: which ones, each a button; False when `typed` names no such month."""
    named = month_named(typed)
    in_month = [w for w in reply.kb.webinars.values() if named is not None and w.date.month == named]
    held = in_part_of_month(message_text(reply.tracker), in_month)  # "early April": the first three
    if len(held) < 2:
        return False
    reply.cite(held)
    reply.say(
        "utter_webinars_in_month",
        buttons=[
            button(day(w.date, reply.lang), "ask_webinar", webinar_date=w.date.isoformat()) for w in held
        ],
        count=str(len(held)),
        month=month(held[0].date, reply.lang),
        webinars=bullets(_webinar_line(reply, w) for w in held),
    )
    return True


def _presenter_buttons(reply: Reply, webinar: Webinar) -> list[dict[str, str]]:
    """Quick replies asking about each city that presented at the webinar."""
    return [
        button(reply.kb.cities[c].label(reply.lang), "ask_city_overview", city=c)
        for c in webinar.presenting_cities
        if c in reply.kb.cities
    ]


def _say_not_in_source(reply: Reply, webinar: Webinar) -> list[EventType]:
    reply.say("utter_not_in_source", date=day(webinar.date, reply.lang))
    return []
