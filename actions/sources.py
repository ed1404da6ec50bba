""" "Where does this come from?": the full references of the facts of the previous answer.

Every fact answer ends with a short source line and leaves the ids of its sources in the slot
`sources` (`Reply.finish`, actions/facts.py); this action reads that slot and gives, for each
source, its title, publisher, date and address. The web page (socket.io) renders markdown, so
there the title is a link to the address; messaging channels show markdown as typed, so there
the address is written out. `is_web_page` is the one place that tells the two apart.
"""

from __future__ import annotations

import datetime

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import KnowledgeAction
from actions.facts import SOURCES_SLOT, Reply, bullets, day, publisher_name
from citybot.kb import KnowledgeBase
from citybot.kb.model import Source

#: The web page's channel (citybot/channels/socketio.py): Rasa's name for it, and the prefix of
#: its conversation ids (citybot/channels/conversation_ids.py).
WEB_CHANNEL = "socketio"


class AnswerSource(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_source"

    def answer(self, reply: Reply) -> list[EventType]:
        """The references of the sources the previous answer named; politely none without one."""
        ids = remembered_sources(reply.tracker)
        known = [reply.kb.sources[s] for s in ids if s in reply.kb.sources]
        if not known:
            reply.say("utter_source_none")
        else:
            web = is_web_page(reply.tracker)
            reply.say(
                "utter_source_references",
                references=bullets(
                    reference(reply.kb, s, reply.lang, web) for s in ordered(known, reply.lang)
                ),
            )
        # Keep the slot: "source?" asked twice, or after another language switch, answers the same.
        return [SlotSet(SOURCES_SLOT, ids or None)]


def remembered_sources(tracker: Tracker) -> list[str]:
    """The source ids the previous fact answer stored (junk from other callers ignored)."""
    value = tracker.get_slot(SOURCES_SLOT)
    if not isinstance(value, (list, tuple)):
        return []
    return [item for item in value if isinstance(item, str)]


def is_web_page(tracker: Tracker) -> bool:
    """Whether the conversation is on the web page, which shows markdown links as links.

    The channel Rasa recorded on the latest user message, else the conversation id's prefix
    (every channel namespaces its ids, e.g. "socketio:<session>").
    """
    channel = tracker.get_latest_input_channel()
    if channel:
        return str(channel) == WEB_CHANNEL
    return str(tracker.sender_id or "").startswith(f"{WEB_CHANNEL}:")


def ordered(sources: list[Source], lang: str) -> list[Source]:
    """Official publishers first, then pages in the conversation's language, then by date
    (undated pages last; stable otherwise)."""
    return sorted(
        sources, key=lambda s: (not s.official, s.language != lang, s.published or datetime.date.max)
    )


def reference(kb: KnowledgeBase, source: Source, lang: str, web: bool) -> str:
    """ "Title, publisher, date" and the address: a markdown link on the web page, plain text elsewhere."""
    title = _markdown_text(source.title) if web else source.title
    details = publisher_name(kb, source, lang)
    if source.published:
        details += f", {day(source.published, lang)}"
    if web:
        url = source.url.replace("(", "%28").replace(")", "%29")  # a parenthesis would end the link
        return f"[{title}]({url}), {details}"
    return f"{title}, {details} — {source.url}"


def _markdown_text(text: str) -> str:
    """A title safe inside a markdown link's brackets."""
    return text.replace("[", "(").replace("]", ")")
