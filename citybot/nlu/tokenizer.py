"""`CourtesyTokenizer`: Rasa's whitespace tokenizer; a parsed message's courtesies left out.

The classifier and the entity extractor read tokens, so when a user's message wraps its question
in courtesies ("Hi!", « tu peux me dire », "thanks!": `citybot.courtesies`), their words are
dropped from the tokens they read: "Hi! can you tell me which cities cancelled exams, thanks!" is
classified as "which cities cancelled exams". The message's text is untouched and the tokens keep
their places in it, so entities still point at the words typed. A message that is only a
greeting or a thanks keeps its tokens, and is classified as one.

Only parsing drops them. The training examples the NLU generator opens with a greeting keep
theirs: dropping them in training too gave a differently trained model whose readings moved on
every evaluation part, both ways (docs/benchmarks.md, "Issue 16, sixteenth session").
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from citybot.courtesies import question_span


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class CourtesyTokenizer(WhitespaceTokenizer):
    """Whitespace tokens; those of a parsed message's courtesies dropped."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in super().process(messages):
            tokens = message.get(TOKENS_NAMES[TEXT])
            begin, end = question_span(str(message.get(TEXT) or ""))
            kept = [token for token in tokens or [] if begin <= token.start and token.end <= end]
            if kept and len(kept) < len(tokens):
                message.set(TOKENS_NAMES[TEXT], kept)
        return messages
