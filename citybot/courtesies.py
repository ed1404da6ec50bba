"""The courtesies around a question: the greeting or thanks it opens with, the "can you tell me"
that wraps it, the thanks or "please" it ends with.

People greet, ask politely and thank in the message that asks ("Hi! can you tell me which cities
cancelled exams, thanks!", « Bonjour, tu peux me dire qui a fait quoi à Osan, merci ! »). Read
whole, such a message can be classified as a greeting, a thanks or a question about what the bot
can tell; its courtesies can tilt the question towards another intent, and a word such as
"bonjour" can rank facts (« jour »). So the NLU pipeline classifies the question alone
(`citybot.nlu.tokenizer.CourtesyTokenizer`), the actions read it alone
(`actions.resolve.message_text`), and the greeting policy asks whether it is a question
(`citybot.policies.greeting`). The text stored with the message stays as typed. A message that is
only courtesies ("hello", "thanks!") keeps its words: no question is left without them.
"""

from __future__ import annotations

import re

#: Greetings and thanks a message opens with; "thanks to the lockdown" thanks nobody, and a bare
#: "morning" may be the morning classes asked about.
_GREETING = (
    r"(?:hi|hello|hey|hiya|heya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|(?:ok(?:ay)?\s*,?\s*|great\s*,?\s*)?(?:thanks|thank\s+you|thx|many\s+thanks|cheers)(?!\s+(?:to|for)\b)"
    r"(?:\s+(?:so\s+much|very\s+much|a\s+lot))?"
    r"|bonjour|bonsoir|rebonjour|salut|coucou|(?:ok\s*,?\s*|d'accord\s*,?\s*)?merci(?:\s+(?:beaucoup|bien))?)"
    r"(?:\s+(?:there|again|bot|à\s+tous|a\s+tous))?"
)
#: How a greeting goes on, before a question or alone ("hey, how are you?", « salut, ça va ? »):
#: courtesies after a greeting only ("how are you helping cities?" asks something).
_GOING_ON = (
    r"(?:how\s+are\s+you|how\s+r\s+u|how'?s\s+it\s+going|what'?s\s+up|anyone\s+there"
    r"|may\s+i\s+ask\s+(?:you\s+)?(?:some|a\s+few)\s+questions|i\s+have\s+a\s+(?:quick\s+)?question"
    r"|(?:ça|ca)\s+va|y\s+a\s+(?:quelqu'un|qqn)|(?:vous\s+allez|tu\s+vas)\s+bien"
    r"|puis-je\s+vous\s+poser\s+(?:quelques|des)\s+questions|j'ai\s+une\s+(?:petite\s+)?question)"
)
#: Asking to be told, before the question it wraps ("can you tell me which…", "…did Osan…",
#: « tu peux me dire qui… »); only before a question word or an auxiliary: "tell me about Osan"
#: asks about Osan.
_WRAPPER = (
    r"(?:please\s+)?(?:(?:can|could|would)\s+you\s+(?:please\s+)?tell\s+me|tell\s+me|do\s+you\s+know"
    r"|i(?:'d|\s+would)\s+like\s+to\s+know|i\s+want\s+to\s+know|i\s+wonder"
    r"|(?:tu\s+peux|peux[\s-]tu|pouvez[\s-]vous|vous\s+pouvez|pourriez[\s-]vous|pourrais[\s-]tu)\s+me\s+dire"
    r"|dis[\s-]moi|dites[\s-]moi|(?:est[\s-]ce\s+que\s+)?(?:tu\s+sais|vous\s+savez|sais[\s-]tu|savez[\s-]vous)"
    r"|je\s+voudrais\s+savoir|j'aimerais\s+savoir|je\s+me\s+demande)"
    r"(?=[\s,]+(?:which|what|who|whom|whose|when|where|how|why|whether|if"
    r"|did|does|do|was|were|is|are|has|have|had"
    r"|quel|quelle|quels|quelles|qui|quand|où|ou|comment|pourquoi|combien|si|s'il|s'ils|ce\s+qu)\b)"
)
_OPENING = re.compile(
    rf"^\s*(?:{_GREETING}\b[\s,;:.!?)(-]*(?:{_GOING_ON}\b[\s,;:.!?)(-]*)?)*(?:{_WRAPPER}[\s,]*)?",
    re.IGNORECASE,
)
#: Thanks or "please" a message ends with, after a comma or a space.
_CLOSING = re.compile(
    r"(?:[\s,;.!?-]+(?:thanks|thank\s+you(?:\s+(?:so|very)\s+much)?|thx|cheers|please|pls|plz"
    r"|merci(?:\s+(?:beaucoup|bien|d'avance))?|svp|stp|s'il\s+(?:vous|te)\s+pla[iî]t))+[\s!?.:)]*$",
    re.IGNORECASE,
)
#: What the rest must be for the courtesies to be left out: a question, by its question mark, its
#: first words ("and" / « et » allowed before them; « c'est qui le maire d'Osan svp ») or "how
#: many" / « combien » anywhere.
#: "thanks mate", « merci pour ces précisions », "great help, thanks" and "Thank you, that is
#: exactly what I was looking for" are small talk, which the classifier reads whole.
_QUESTION = re.compile(
    r"\?|^\W*(?:(?:and|et|so|alors)\W+)?(?:c'est\s+|c\s+est\s+)?"
    r"(?:which|what|whats|who|whom|whose|when|where|how|why|whether|if"
    r"|did|does|do|is|are|was|were|has|have|had|can|could|will|would|any|tell"
    r"|quel|quelle|quels|quelles|qui|quoi|quand|où|ou|comment|pourquoi|combien|est-ce|est\s+ce|que|qu|si"
    r"|y\s+a-t-il|y\s+avait-il)\b"
    r"|\b(?:how\s+many|how\s+much|combien)\b",  # anywhere: "project hope how many tests a day"
    re.IGNORECASE,
)


def question_span(text: str) -> tuple[int, int]:
    """Where the question of `text` starts and ends, its courtesies left out; the whole text when
    it has none, or when what is left is no question (small talk, a bare keyword)."""
    start = _OPENING.match(text)
    begin = start.end() if start else 0
    closing = _CLOSING.search(text, begin)
    end = closing.start() if closing else len(text)
    if (begin, end) != (0, len(text)) and not (_QUESTION.search(text[begin:end]) or "?" in text[begin:]):
        return 0, len(text)
    return begin, end


def without_courtesies(text: str) -> str:
    """The question `text` asks, without the courtesies around it."""
    begin, end = question_span(text)
    return text[begin:end]
