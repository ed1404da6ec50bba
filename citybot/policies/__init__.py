"""The project's Rasa dialogue policies, named in bot/config.yml; they run in the Rasa server only.

- `ConversationLanguagePolicy` (`language.py`): sets the `language` slot before each answer and
  hands messages that call for a notice to `action_answer_with_notice`. The rules it applies are
  `citybot.language.decision`'s, which the action server uses too.
- `ActionServerDownPolicy` (`server_down.py`): tells the user when the action server could not answer.
- `GreetingWithQuestionPolicy` (`greeting.py`): a greeting or thanks naming a city, topic or
  organisation is answered as the question it carries (issue 16).

Importing this package imports Rasa (and TensorFlow): the action server never does.
"""

from citybot.policies.greeting import GreetingWithQuestionPolicy
from citybot.policies.language import ConversationLanguagePolicy
from citybot.policies.server_down import ActionServerDownPolicy

__all__ = ["ActionServerDownPolicy", "ConversationLanguagePolicy", "GreetingWithQuestionPolicy"]
