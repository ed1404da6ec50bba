"""Custom Rasa 3.6 NLU components.

`LanguageDetector` adds `language_guess = {"code", "confidence", "explicit"}` to every parsed
message (`citybot.language.detect.detect`); the dialogue policy
`citybot.policies.language.ConversationLanguagePolicy` turns it into the `language` slot
(`citybot.language.decision.message_language`). Detecting in the NLU pipeline (not in the action server)
means the guess is stored with the message in the tracker and visible in `rasa shell nlu`.

Registered as a non-trainable INTENT_CLASSIFIER: in Rasa 3.6's default recipe that kind of
component only enters the prediction graph (a featurizer would also run over every training
example at each `rasa train` for nothing). It sets no intent, only the extra property.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from citybot.kb import KnowledgeBaseError
from citybot.kb.shared import shared_knowledge_base
from citybot.language.detect import MAX_CHARS, LanguageGuess, detect
from citybot.language.kb_words import language_vocabulary, name_stripper
from citybot.language.names import NO_NAMES, NameStripper
from citybot.paths import knowledge_dir

logger = logging.getLogger(__name__)

LANGUAGE_GUESS = "language_guess"


def _kb_words(configured: str | None) -> tuple[NameStripper, dict[str, str]]:
    """Names and per-language words of the knowledge base, or none if it cannot be read.

    A broken or missing knowledge base must not stop the bot from parsing messages: detection
    still works without the names, only less well on very short messages. The action server
    reports the knowledge-base problem itself.
    """
    folder = knowledge_dir(configured)
    try:
        kb = shared_knowledge_base(folder)
    except (KnowledgeBaseError, OSError) as error:
        logger.warning(
            "LanguageDetector: knowledge base %r not loaded, detecting without its names: %s",
            str(folder),
            error,
        )
        return NO_NAMES, {}
    return name_stripper(kb), language_vocabulary(kb)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Guesses whether each message is French or English, ignoring the KB's names."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`knowledge_base`: the KB folder, from the project root ($CITYBOT_KNOWLEDGE wins)."""
        return {"knowledge_base": "knowledge"}

    def __init__(self, names: NameStripper, vocabulary: dict[str, str]) -> None:
        self._names = names
        self._vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """Read the knowledge base once, when the model is loaded."""
        names, vocabulary = _kb_words(config.get("knowledge_base"))
        return cls(names, vocabulary)

    def process(self, messages: list[Message]) -> list[Message]:
        """Attach the language guess to each message (an empty message gets code None)."""
        for message in messages:
            message.set(LANGUAGE_GUESS, self.guess(message.get(TEXT)).as_dict(), add_to_output=True)
        return messages

    def guess(self, text: Any | None) -> LanguageGuess:
        """The `LanguageGuess` for one text; only its first MAX_CHARS characters are judged."""
        if not isinstance(text, str):
            text = ""
        return detect(text[:MAX_CHARS], self._names, self._vocabulary)
