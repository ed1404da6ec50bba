"""The facts that answer a message, whatever question the classifier read it as (issue 16).

The classifier picks a kind of question; people ask about one thing. "What was Wuhan's
community grid?" looks like a question about Wuhan's webinar, « qui a dit que seule l'éducation
peut changer les comportements ? » like nothing the bot knows. Before an action with
`KnowledgeAction.facts_first` gives its own answer, the message gets, in this order:

1. the words of whoever said what it quotes, for "who said…?" naming no one (`said_by_anyone`);
2. the facts of the city it names that answer what it asks beyond the phrasing of the question
   read (`answer_from_city_facts`);
3. the facts of the organisation it names that do (`answer_from_organisation_facts`).

None of them answers when the message asks nothing beyond its kind of question ("when did
Sidon present?") or when no fact matches it: then the action answers as usual.
"""

from __future__ import annotations

from rasa_sdk.events import EventType

from actions.city import answer_from_city_facts
from actions.facts import Reply
from actions.organisation import AnswerSaid, answer_from_organisation_facts, said_by_anyone


def answer_from_facts(reply: Reply) -> list[EventType] | None:
    """The answer from the facts the message asks about, or None to let the action answer."""
    if said_by_anyone(reply):
        return AnswerSaid().answer(reply)
    events = answer_from_city_facts(reply)
    return events if events is not None else answer_from_organisation_facts(reply)
