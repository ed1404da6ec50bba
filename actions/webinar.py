"""Questions about the webinar of 23 April 2020 and the series it belongs to.

Questions about "the webinar" mean the one the source summarises in detail; a question naming
another date answers from that date's series entry (title and presenters only).
"""

from __future__ import annotations

import datetime

from rasa_sdk.events import EventType

from actions.base import KnowledgeAction
from actions.facts import (
    Reply,
    bullets,
    button,
    day,
    join_words,
    main_webinar,
    presenters,
    remember_question,
    speaker_label,
)
from actions.resolve import Found, resolve_day
from citybot.kb.model import Webinar


class AnswerWebinar(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar"

    def answer(self, reply: Reply) -> list[EventType]:
        return self.answer_day(reply, resolve_day(reply.tracker))

    def answer_day(self, reply: Reply, when: Found[datetime.date]) -> list[EventType]:
        """The main webinar's overview, or the series entry for the date asked about."""
        webinar = _dated_webinar(reply, when)
        if webinar is None:
            return [remember_question("webinar")]
        if webinar is not main_webinar(reply.kb):
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


class AnswerSeries(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_series"

    def answer(self, reply: Reply) -> list[EventType]:
        """The series and its webinars, or the webinar held on the date asked about."""
        when = resolve_day(reply.tracker)
        if when.known or when.unknown:
            webinar = _dated_webinar(reply, when)
            if webinar is None:
                return [remember_question("series")]
            if webinar is main_webinar(reply.kb):
                return AnswerWebinar().answer_day(reply, when)
            return _say_series_entry(reply, webinar)
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
    def name(self) -> str:
        return "action_answer_webinar_host"

    def answer(self, reply: Reply) -> list[EventType]:
        webinar = main_webinar(reply.kb)
        host = reply.kb.organisations.get(webinar.host) if webinar.host else None
        if host is None:
            return _say_not_in_source(reply, webinar)
        reply.say(
            "utter_webinar_host",
            date=day(webinar.date, reply.lang),
            host=host.short_name(reply.lang),
            host_name=host.name.get(reply.lang),
            audience=webinar.audience.get(reply.lang) if webinar.audience else "",
        )
        return [remember_question("webinar_host")]


class AnswerWebinarLanguage(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar_language"

    def answer(self, reply: Reply) -> list[EventType]:
        webinar = main_webinar(reply.kb)
        if webinar.language is None:
            return _say_not_in_source(reply, webinar)
        reason = [r for r in webinar.remarks if webinar.language.en.lower() in r.text.en.lower()]
        reply.cite(reason)
        reply.say(
            "utter_webinar_language",
            date=day(webinar.date, reply.lang),
            language=webinar.language.get(reply.lang),
            reason=" ".join(r.text.get(reply.lang) for r in reason),
        )
        return [remember_question("webinar_language")]


class AnswerWebinarModerator(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar_moderator"

    def answer(self, reply: Reply) -> list[EventType]:
        webinar = main_webinar(reply.kb)
        if not webinar.moderator:
            return _say_not_in_source(reply, webinar)
        debate = [r for r in webinar.remarks if r.part == "debate" and r.speaker == webinar.moderator]
        reply.cite(debate)
        reply.say(
            "utter_webinar_moderator",
            date=day(webinar.date, reply.lang),
            person=speaker_label(reply.kb, webinar.moderator, reply.lang),
            remark=" ".join(r.text.get(reply.lang) for r in debate),
        )
        return [remember_question("webinar_moderator")]


class AnswerWebinarAttendance(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_webinar_attendance"

    def answer(self, reply: Reply) -> list[EventType]:
        webinar = main_webinar(reply.kb)
        if webinar.attendance is None:
            return _say_not_in_source(reply, webinar)
        reply.say(
            "utter_webinar_attendance",
            date=day(webinar.date, reply.lang),
            attendance=webinar.attendance.get(reply.lang),
        )
        return [remember_question("webinar_attendance")]


class DirectorRemarks(KnowledgeAction):
    """The UIL Director's remarks at one `part` of the webinar ("opening" or "closing")."""

    part: str

    def answer(self, reply: Reply) -> list[EventType]:
        webinar = main_webinar(reply.kb)
        remarks = [r for r in webinar.remarks if r.part == self.part]
        if not remarks:
            return _say_not_in_source(reply, webinar)
        speakers = join_words(
            list(dict.fromkeys(speaker_label(reply.kb, r.speaker, reply.lang) for r in remarks if r.speaker)),
            reply.lang,
        )
        reply.cite(remarks)
        reply.say(
            f"utter_director_{self.part}",
            date=day(webinar.date, reply.lang),
            speaker=speakers,
            facts=bullets(r.text.get(reply.lang) for r in remarks),
        )
        return [remember_question(f"director_{self.part}")]


class AnswerDirectorOpening(DirectorRemarks):
    part = "opening"

    def name(self) -> str:
        return "action_answer_director_opening"


class AnswerDirectorClosing(DirectorRemarks):
    part = "closing"

    def name(self) -> str:
        return "action_answer_director_closing"


class AnswerMasksDebate(KnowledgeAction):
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
            f"{kb.cities[m.city].name} ({speaker_label(kb, m.reported_by, lang)}) — {m.text.get(lang)}"
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
    title = webinar.title.get(reply.lang)
    names = [reply.kb.cities[c].name for c in webinar.presenting_cities if c in reply.kb.cities]
    line = f"{day(webinar.date, reply.lang)} — {title}"
    if names and not any(name in title for name in names):
        line += f" ({presenters(reply.kb, webinar, reply.lang)})"
    return line


def _dated_webinar(reply: Reply, when: Found[datetime.date]) -> Webinar | None:
    """The webinar for the date asked about (main webinar when none); None after saying there is none."""
    if when.missing:
        return main_webinar(reply.kb)
    wanted = when.record
    webinar = reply.kb.webinar_on(wanted) if wanted else None
    if webinar is None:
        dates = join_words([day(w.date, reply.lang) for w in reply.kb.webinars.values()], reply.lang)
        reply.say(
            "utter_no_webinar_on", date=day(wanted, reply.lang) if wanted else (when.typed or ""), dates=dates
        )
    return webinar


def _say_series_entry(reply: Reply, webinar: Webinar) -> list[EventType]:
    who = presenters(reply.kb, webinar, reply.lang)
    response = "utter_series_webinar" if who else "utter_series_webinar_no_presenters"
    buttons = [button(reply.kb.cities[c].name, "ask_city_webinar", city=c) for c in webinar.presenting_cities]
    reply.say(
        response,
        buttons=buttons,
        date=day(webinar.date, reply.lang),
        title=webinar.title.get(reply.lang),
        presenters=who,
        main_date=day(main_webinar(reply.kb).date, reply.lang),
    )
    return [remember_question("series")]


def _say_not_in_source(reply: Reply, webinar: Webinar) -> list[EventType]:
    reply.say("utter_not_in_source", date=day(webinar.date, reply.lang))
    return []
