"""The project's Rasa dialogue policies, named in bot/config.yml, and the plain logic they share.

- `ConversationLanguagePolicy` (`language.py`): sets the `language` slot before each answer and
  hands messages that call for a notice to `action_answer_with_notice`.
- `ActionServerDownPolicy` (`server_down.py`): tells the user when the action server could not answer.
- `turn.py`: the language and notice decisions, without Rasa; the action server uses them too.

The policy classes are imported on first use (PEP 562 `__getattr__`): importing Rasa's policy
code loads TensorFlow (~8 s, ~700 MB), which the action server, importing `citybot.policies.turn`,
must not pay.
"""

from __future__ import annotations

import importlib
from typing import Any

_POLICIES = {
    "ActionServerDownPolicy": "citybot.policies.server_down",
    "ConversationLanguagePolicy": "citybot.policies.language",
}

__all__ = sorted(_POLICIES)


def __getattr__(name: str) -> Any:
    if name in _POLICIES:
        return getattr(importlib.import_module(_POLICIES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
