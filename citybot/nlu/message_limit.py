"""`MessageLimit`: the first NLU component, bounding what the rest of the pipeline reads.

Why: the cost of tokenising, featurising and classifying a message grows with its length (on a
bare Rasa 3.6 bot one 20 000-word message kept the server busy 21 s and took memory from 1.1 to
14.5 GB), and while one message is parsed every other user waits. No real question to this bot
is longer than a few hundred characters (the longest of our 1 800 training and held-out examples
has 87; a greeting, some context and a question fit in 300), so the text is cut to `max_chars`
(300, at a word boundary) before tokenisation. Measured: parsing 2 000 characters took 36 ms,
500 characters 14 ms, an ordinary question 5 ms; while a huge message is parsed every other user
waits, so the limit is what keeps their replies near their normal time (docs/benchmarks.md,
"Huge messages").

The component also removes control characters (NUL, escape sequences...) and unpaired UTF-16
surrogates, which mean nothing to the classifiers and break some storage back-ends.

It adds the output property `truncated` (true when the text was cut); the conversation-language
policy then sends the turn to `action_answer_with_notice`, which tells the user their message was
shortened before answering it.
Registered like `LanguageDetector`: a non-trainable INTENT_CLASSIFIER, so it sits only in the
prediction graph, in pipeline order (it must be listed first).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

TRUNCATED = "truncated"
DEFAULT_MAX_CHARS = 300

#: How far back from the limit a word boundary is looked for before cutting mid-word.
_BOUNDARY_WINDOW = 100
#: Control characters (Unicode category Cc) except tab and newline, which separate words.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: Any) -> str:
    """`text` without control characters, unpaired surrogates as "?" ("" for non-strings).

    Newlines and tabs are kept (they separate words); other control characters are dropped
    rather than replaced so that words they split join up again. Regular expressions, not a
    loop over characters: this runs on every message, huge ones included.
    """
    if not isinstance(text, str):
        return ""
    return _CONTROLS.sub("", _SURROGATES.sub("?", text))


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
