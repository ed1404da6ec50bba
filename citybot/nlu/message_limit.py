"""`MessageLimit`: the first NLU component, bounding what the rest of the pipeline reads.

Why: the cost of tokenising, featurising and classifying a message grows with its length, and
while one message is parsed every other user waits (measurements: docs/benchmarks.md, "Huge
messages"). No real question to this bot is longer than a few hundred characters (a greeting,
some context and a question fit in 300), so the text is cut to `max_chars` (300, at a word
boundary) before tokenisation. The text is also cleaned (`citybot.text.clean_text`).

It adds the output property `truncated` (true when the text was cut); the conversation-language
policy then sends the turn to `action_answer_with_notice`, which tells the user their message was
shortened before answering it.
Registered like `LanguageDetector`: a non-trainable INTENT_CLASSIFIER, so it sits only in the
prediction graph, in pipeline order (it must be listed first).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from citybot.text import clean_text

TRUNCATED = "truncated"
DEFAULT_MAX_CHARS = 300

#: How far back from the limit a word boundary is looked for before cutting mid-word.
_BOUNDARY_WINDOW = 100


def shorten(text: str, max_chars: int) -> str:
    """`text` cut to at most `max_chars` characters, at the last word boundary before the limit.

    A text without a space in its last `_BOUNDARY_WINDOW` characters (one endless "word") is cut
    at the limit itself.
    """
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    boundary = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    if boundary >= max_chars - _BOUNDARY_WINDOW and head[:boundary].strip():
        head = head[:boundary]
    return head.rstrip()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageLimit(GraphComponent):
    """Cleans each message and cuts it to `max_chars`; marks cut messages `truncated: true`."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`max_chars`: longest text the rest of the pipeline sees."""
        return {"max_chars": DEFAULT_MAX_CHARS}

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max(1, int(max_chars))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageLimit:
        return cls(config.get("max_chars") or DEFAULT_MAX_CHARS)

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace each message's text by its cleaned, bounded form; flag cut ones."""
        for message in messages:
            original = message.get(TEXT)
            if not isinstance(original, str):
                continue
            head = original[: 2 * self.max_chars]  # only this much is ever read: clean only it
            cleaned = clean_text(head)
            bounded = shorten(cleaned, self.max_chars)
            if bounded != original:
                message.set(TEXT, bounded)
            truncated = len(bounded) < len(cleaned) or len(head) < len(original)
            message.set(TRUNCATED, truncated, add_to_output=True)
        return messages
