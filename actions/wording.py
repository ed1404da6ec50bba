"""Language-dependent formatting of values put into the domain's responses.

The sentences themselves live in `bot/domain.yml`; this module only turns values into text
the way each language writes them (lists, dates, people, bullet lists). Babel, which Rasa
already installs, knows the list and date conventions of English and French.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from babel.dates import format_date
from babel.lists import format_list

from citybot.kb import KnowledgeBase
from citybot.kb.model import Person

BULLET = "• "


def join_words(items: Iterable[str], lang: str, style: str = "standard") -> str:
    """ "A, B and C" / "A, B et C" (`style="or"` for "A or B" / "A ou B")."""
    items = [item for item in items if item]
    return format_list(items, style=style, locale=lang) if items else ""


def day(value: datetime.date, lang: str) -> str:
    """ "23 April 2020" / "23 avril 2020" ("1er avril" in French, as French writes it)."""
    text = format_date(value, "d MMMM y", locale=lang)
    return "1er" + text[1:] if lang == "fr" and value.day == 1 else text


def bullets(lines: Iterable[str]) -> str:
    """One line per item; single newlines, because chat channels split messages on blank lines."""
    return "\n".join(BULLET + line for line in lines if line)


def person_label(kb: KnowledgeBase, person_id: str | None, lang: str, with_role: bool = True) -> str:
    """ "Ms Danielle Valéro (First Deputy Mayor of Évry)" (the role only when the KB has one)."""
    if not person_id or person_id not in kb.people:
        return ""
    return describe_person(kb.person(person_id), lang, with_role)


def describe_person(person: Person, lang: str, with_role: bool = True) -> str:
    """A person's title and name, followed by their role when asked and known."""
    name = person.display_name(lang)
    return f"{name} ({person.role.get(lang)})" if with_role and person.role else name
