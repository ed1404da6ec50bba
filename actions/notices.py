"""Notices said before the answer: the message was shortened, or it is in another language.

`MessageLimit` (first NLU component) flags messages it cut (`truncated`); users should know
their message was not read to the end. A message clearly in a third language (German,
Spanish...) gets the conversation's language as always, plus a word saying which languages the
bot understands, instead of a confusing answer to a misunderstood question.

The Rasa server's language policy decides that a notice is due and predicts
`action_answer_with_notice`, which says them with `add_notices` and then answers. Both sides use
the same rules, `citybot.language.decision.notices`.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from citybot.kb import KnowledgeBase
from citybot.language import decision


def add_notices(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase | None) -> None:
    """Utter the notices this message calls for (none for ordinary messages)."""
    for response in decision.notices(tracker.latest_message or {}, _name_words(kb)):
        dispatcher.utter_message(response=response)


def is_third_language(text: str, kb: KnowledgeBase | None = None) -> bool:
    """Whether `text` is clearly written in a language other than English and French."""
    return decision.is_third_language(text, _name_words(kb))


def _name_words(kb: KnowledgeBase | None) -> frozenset[str]:
    """Folded words of every city, person and organisation name (they are in no language)."""
    return kb.name_words if kb is not None else frozenset()
