"""Answers about the organisations (AIMF, UIL, GNLC) and the people named in the source."""

from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk.events import EventType, SlotSet

from actions.base import Reply, asked, button
from actions.facts import main_webinar, organisation_label, reporters, webinar_days
from actions.resolve import Found, resolve_person
from actions.wording import bullets, day, describe_person, join_words
from citybot.kb.model import Organisation, OrganisationFact

#: Which facts answer which question about an organisation.
ASPECTS = {
    "organisation": ("aims", "publications"),
    "organisation_leader": ("leadership",),
    "organisation_covid": ("covid_response",),
    "organisation_themes": ("themes",),
}


def answer_organisation(reply: Reply, found: Found, kind: str = "organisation") -> list[EventType]:
    """One kind of question (`kind`, a key of ASPECTS) about the organisation named."""
    if not found.known:
        response = "utter_unknown_organisation" if found.unknown else "utter_ask_organisation"
        reply.say(
            response,
            buttons=_organisation_buttons(reply, kind),
            organisation=found.asked or "",
            organisations=join_words(
                [o.short_name(reply.lang) for o in reply.kb.organisations.values()], reply.lang
            ),
        )
        return [asked(kind)]
    organisation: Organisation = found.record
    facts = [f for f in organisation.facts if f.aspect in ASPECTS[kind]]
    events = [SlotSet("organisation", organisation.id), asked(kind)]
    name = organisation_label(organisation, reply.lang)
    if kind == "organisation":
        description = organisation.description.get(reply.lang) if organisation.description else ""
        reply.say(
            "utter_organisation",
            organisation=name,
            description=description,
            facts=bullets(f.text.get(reply.lang) for f in facts if f.text.get(reply.lang) not in description),
        )
    elif kind == "organisation_leader" and not facts and organisation.people:
        reply.say(
            "utter_organisation_people",
            organisation=name,
            facts=bullets(describe_person(p, reply.lang) for p in organisation.people),
        )
    elif facts:
        reply.say(f"utter_{kind}", organisation=name, facts=bullets(f.text.get(reply.lang) for f in facts))
    else:
        reply.say("utter_organisation_no_facts", organisation=name)
        return events
    _say_source(reply, facts)
    return events


def answer_person(reply: Reply) -> list[EventType]:
    """Who someone named in the source is ("Who is Danielle Valéro?")."""
    person = resolve_person(reply.kb, reply.tracker)
    date = day(main_webinar(reply.kb).date, reply.lang)
    if person is None:
        people = join_words([p.display_name(reply.lang) for p in reply.kb.people.values()], reply.lang)
        reply.say("utter_unknown_person", date=date, people=people)
        return [asked("person")]
    role = person.role.get(reply.lang) if person.role else ""
    reply.say("utter_person", person=person.display_name(reply.lang), role=role, date=date)
    return [asked("person")]


def _say_source(reply: Reply, facts: Sequence[OrganisationFact]) -> None:
    """Who reported the facts and at which webinar; else the summary they come from."""
    people = [f.reported_by for f in facts if f.reported_by]
    date = webinar_days(reply.kb, [f.webinar for f in facts], reply.lang)
    if people:
        reply.say("utter_source_speaker", reporter=reporters(reply.kb, people, reply.lang), date=date)
    else:
        webinar = main_webinar(reply.kb)
        summary = webinar.summary
        publisher = reply.kb.organisations.get(summary.publisher) if summary else None
        reply.say(
            "utter_source_summary",
            date=day(webinar.date, reply.lang),
            published=day(summary.published, reply.lang) if summary else "",
            publisher=publisher.short_name(reply.lang) if publisher else "",
        )


def _organisation_buttons(reply: Reply, kind: str) -> list:
    intent = f"ask_{kind}"
    return [
        button(o.short_name(reply.lang), intent, organisation=o.id) for o in reply.kb.organisations.values()
    ]
