"""Order words of the webinar series ("the first webinar", « le dernier webinaire ») and the series'
order they count in.

The series' order is its date order, one webinar per date: the webinar "the webinar of <date>"
means (`KnowledgeBase.webinars_on(date)[0]`, the one whose id is the bare date). On 10 June 2020 the
series held its own webinar (human and civic rights) and a regional one for Arab countries that
UIL's overview lists beside it; the regional one does not take a place in the count, so "the last
webinar" is the series' own of 10 June, and the answer about it names the regional one of the same
day (`utter_webinar_same_day`), as any answer about that date does.
"""

from __future__ import annotations

import re

from citybot.kb import KnowledgeBase
from citybot.kb.model import Webinar
from citybot.kb.normalize import fold, strip_accents

#: Place words (folded) -> position in the series: 1 = first, -1 = last, -2 = last but one.
#: "previous" / « précédent » have no position of their own: see `PREVIOUS`.
_POSITIONS: dict[str, int] = {
    **dict.fromkeys(("first", "1st", "premier", "premiere", "1er", "1re", "1ere"), 1),
    **dict.fromkeys(("second", "2nd", "deuxieme", "seconde", "2e", "2eme"), 2),
    **dict.fromkeys(("third", "3rd", "troisieme", "3e", "3eme"), 3),
    **dict.fromkeys(("fourth", "4th", "quatrieme", "4e", "4eme"), 4),
    **dict.fromkeys(("fifth", "5th", "cinquieme", "5e", "5eme"), 5),
    **dict.fromkeys(("sixth", "6th", "sixieme", "6e", "6eme"), 6),
    **dict.fromkeys(("seventh", "7th", "septieme", "7e", "7eme"), 7),
    **dict.fromkeys(("eighth", "8th", "huitieme", "8e", "8eme"), 8),
    **dict.fromkeys(("ninth", "9th", "neuvieme", "9e", "9eme"), 9),
    **dict.fromkeys(("tenth", "10th", "dixieme", "10e", "10eme"), 10),
    **dict.fromkeys(("eleventh", "11th", "onzieme", "11e", "11eme"), 11),
    **dict.fromkeys(("twelfth", "12th", "douzieme", "12e", "12eme"), 12),
    **dict.fromkeys(("thirteenth", "13th", "treizieme", "13e", "13eme"), 13),
    **dict.fromkeys(("fourteenth", "14th", "quatorzieme", "14e", "14eme"), 14),
    **dict.fromkeys(("last", "latest", "final", "dernier", "derniere"), -1),
    "penultimate": -2,
}
#: "most recent" / « plus récent » mean the last; "second to last" the one before it.
_PHRASES: dict[str, int] = {
    "most recent": -1,
    "plus recent": -1,
    "second to last": -2,  # folding turns hyphens into spaces: "second-to-last" too
    "last but one": -2,
    "avant dernier": -2,  # « avant-dernier », « avant-dernière »
}
#: The webinar that opened or closed the series (« le webinaire qui a clos la série »): the first
#: or the last; their words stay words of the question ("who opened the webinar?" is no order).
_ENDS: dict[str, int] = {
    "opened the series": 1,
    "started the series": 1,
    "ouvert la serie": 1,
    "closed the series": -1,
    "ended the series": -1,
    "clos la serie": -1,
    "cloture la serie": -1,
    "termine la serie": -1,
}
#: The webinar before the one "the webinar" means (the featured one): there is no webinar slot,
#: and the featured webinar is what the conversation is about until a date or order is named.
PREVIOUS = frozenset({"previous", "precedent", "precedente"})
#: Every word that may say a webinar's place in the series (what a question asks beyond them is
#: something else: "the second webinar" is no question about a "second wave").
ORDER_WORDS = frozenset([*_POSITIONS, *PREVIOUS, *(word for phrase in _PHRASES for word in phrase.split())])
#: An order word counts only in a sentence about a webinar: "what were his last words?" asks
#: about the closing remarks, not about the last webinar.
_SERIES_WORDS = re.compile(
    r"\b(webinars?|webinaires?|sessions?|seances?|seminars?|seminaires?|conferences?|events?|one|ones|"
    r"celui|celle|ceux|edition)\b"
)
_WORD = re.compile(r"[\w-]+")
#: Words naming whose series it is, skipped between an order word and "webinar" ("the second
#: GNLC webinar", « le premier webinaire UIL »).
_SERIES_NAMES = frozenset({"gnlc", "uil", "unesco", "covid", "19", "covid-19"})
#: Words stressing an order word, skipped too ("the very first webinar", « le tout premier »).
_STRESS = frozenset({"very", "tout", "toute", "tres"})
#: Articles that make an order word name one of the series ("the first", « la dernière », « l'avant »).
_ARTICLES = frozenset({"the", "its", "le", "la", "l", "son", "sa"})


def position_in(text: str) -> int | None:
    """The series position an order word of `text` names (1-based; negative from the end), or None.

    The word must be one of the series' (after "the", « le »..., or before "webinar", "one"...):
    "who spoke first at the webinar?" asks about one webinar's speakers, not the first webinar.
    """
    folded = fold(text)
    if not _SERIES_WORDS.search(folded):
        return None
    for phrase, position in {**_PHRASES, **_ENDS}.items():
        if phrase in folded:
            return position
    words = [word for word in _WORD.findall(folded) if word not in _SERIES_NAMES | _STRESS]
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        after = " ".join(words[i + 1 : i + 2])
        if word in _POSITIONS and (before in _ARTICLES or _SERIES_WORDS.fullmatch(after)):
            return _POSITIONS[word]
    return None


def names_previous(text: str) -> bool:
    """Whether `text` asks for "the previous webinar" / « le webinaire précédent »."""
    folded = fold(text)
    return bool(_SERIES_WORDS.search(folded)) and any(word in PREVIOUS for word in _WORD.findall(folded))


def series_order(kb: KnowledgeBase) -> list[Webinar]:
    """The webinars that count in the series' order: the first of each date, oldest first."""
    dates = dict.fromkeys(w.date for w in kb.webinars.values())
    return [kb.webinars_on(date)[0] for date in dates]


def webinar_at(kb: KnowledgeBase, position: int) -> Webinar | None:
    """The webinar at `position` (1 = first, -1 = last), or None when the series is shorter."""
    return at_position(series_order(kb), position)


def at_position(webinars: list[Webinar], position: int) -> Webinar | None:
    """The one of `webinars` at `position` (1 = first, -1 = last), or None when they are fewer:
    the series' order, or one month's part of it ("the last webinar in April")."""
    index = position - 1 if position > 0 else len(webinars) + position
    return webinars[index] if 0 <= index < len(webinars) else None


def webinar_before(kb: KnowledgeBase, webinar: Webinar) -> Webinar | None:
    """The series' webinar held before `webinar`, or None for the first."""
    earlier = [w for w in series_order(kb) if w.date < webinar.date]
    return earlier[-1] if earlier else None


#: "after" / "before" a webinar the message names ("what came after the francophone webinar?",
#: « le webinaire d'avant celui du 23 avril »): the step word, then in the same clause, within a
#: few words, a word for a webinar (lower case, accents dropped, punctuation kept). "before the
#: pandemic" names none, nor does « l'avant-dernier », the last but one.
_BESIDE = re.compile(
    r"\b(after|before|apres|avant)(?![-\s]*dern)\s+(?:[\w'-]+\s+){0,4}?"
    r"(?:webinars?|sessions?|webinaires?|seances?|one|celui|celle)\b"
)


def step_asked(text: str) -> int:
    """+1 when `text` asks for the webinar after the one it names, -1 for the one before, else 0."""
    found = _BESIDE.search(strip_accents(text.lower()))
    if found is None:
        return 0
    return 1 if found.group(1) in ("after", "apres") else -1


def webinar_beside(kb: KnowledgeBase, webinar: Webinar, step: int) -> Webinar | None:
    """The series' webinar `step` places after `webinar` (-1: before it), or None past either end."""
    order = series_order(kb)
    here = next((i for i, w in enumerate(order) if w.date == webinar.date), None)
    there = None if here is None else here + step
    return order[there] if there is not None and 0 <= there < len(order) else None
