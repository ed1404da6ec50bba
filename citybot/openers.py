"""The greeting or thanks a message opens with, before the question it carries.

People greet and ask in one message ("Hi! which cities cancelled exams?", « Merci ! et Séoul ? »).
Read whole, such a message can be classified as a greeting and answered "Hello!", or its
greeting can tilt the question towards another intent, and the word "bonjour" can rank facts
("jour"). So the NLU pipeline classifies what follows the opening words (`OpeningTokenizer`),
the actions read the question without them (`actions.resolve.message_text`), and the greeting
policy asks whether what follows is a question (`citybot.policies.greeting`). The text stored
with the message stays as typed. A message that is only a greeting keeps its words: nothing
follows them.
"""

from __future__ import annotations

import re

#: Greetings and thanks in either language, as a message opens with them; "thanks to the
#: lockdown" thanks nobody, and a bare "morning" may be the morning classes asked about.
_OPENER = (
    r"(?:hi|hello|hey|hiya|heya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|(?:ok(?:ay)?\s*,?\s*|great\s*,?\s*)?(?:thanks|thank\s+you|thx|many\s+thanks|cheers)(?!\s+(?:to|for)\b)"
    r"(?:\s+(?:so\s+much|very\s+much|a\s+lot))?"
    r"|bonjour|bonsoir|rebonjour|salut|coucou|(?:ok\s*,?\s*|d'accord\s*,?\s*)?merci(?:\s+(?:beaucoup|bien))?)"
    r"(?:\s+(?:there|again|bot|à\s+tous|a\s+tous))?"
)
#: One or more openers at the start, each ending the word and followed by punctuation or spaces.
_OPENING = re.compile(rf"^\s*(?:{_OPENER}\b[\s,;:.!?)(-]*)+", re.IGNORECASE)
#: What makes the rest a message of its own: a letter or a digit.
_CONTENT = re.compile(r"\w")


def opening_length(text: str) -> int:
    """How many characters of `text` its opening greetings or thanks take, with the punctuation
    and spaces after them; 0 when it opens with none or when nothing would follow them."""
    found = _OPENING.match(text)
    if found is None or not _CONTENT.search(text, found.end()):
        return 0
    return found.end()


def without_opening(text: str) -> str:
    """`text` without the greetings or thanks it opens with, when a message follows them."""
    return text[opening_length(text) :]
