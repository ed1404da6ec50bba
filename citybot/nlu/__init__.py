"""The project's own Rasa NLU components: they run in the Rasa server, on every message.

- `message_limit.MessageLimit` (first in the pipeline): cleans each message and cuts it to 300
  characters; flags cut messages `truncated`.
- `components.LanguageDetector`: adds the message's `language_guess` (`citybot.language.detect`).

Both are named in bot/config.yml by these module paths, and both are non-trainable: editing them
changes the running server, not what a training learns. The training data generated from the
knowledge base is another package, `citybot.nlu_data`, run before training (`citybot nlu generate`).
"""
