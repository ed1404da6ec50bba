"""French typography of the bot's replies: the no-break spaces French requires and typographic
apostrophes, added when a French reply is rendered so that staff never type invisible characters
(or hunt for ’) in YAML.

The convention is the Imprimerie nationale's (*Lexique des règles typographiques en usage à
l'Imprimerie nationale*), as issue 12 asks:

- a narrow no-break space (U+202F) before ``;``, ``!`` and ``?``;
- a no-break space (U+00A0) before ``:``;
- a no-break space (U+00A0) after ``«`` and before ``»`` (the Lexique's *espace-mot insécable*
  for the guillemets, like the colon's; the narrow one is a later, Swiss/computer habit).

Whatever staff wrote before the mark (an ordinary space, a no-break space of the other width,
several spaces, or none) becomes that one space, so "Source:" and "Source :" both render as
"Source" followed by U+00A0 and ":". The rule adds a space only where the mark ends a phrase: the
cluster of marks must be followed by white space, the end of the text, or a closing ``» " ” ) ] * _``. That leaves times
and ratios (10:30, 1:2), ``a?b`` query strings and ``![image]`` alone; URLs, e-mail addresses,
markdown link targets, inline code and emoticons (``:)``, ``;-)``, ``:D``) are skipped whole.

An apostrophe between two letters (l'UIL, aujourd'hui) becomes ’ (U+2019), as edited French
writes it; straight quotes around words ('Learning cities'), after digits and inside URLs stay.
The NLU is indifferent: Rasa's WhitespaceTokenizer splits words at both forms alike, and
`citybot.language` and `citybot.kb` read both, so a user who copies « Qu’a fait… » from a reply
is understood as one who types « Qu'a fait… » (checked on the trained model: same intents,
entities and confidences for both forms).

Only spaces and apostrophes change: every other character keeps its place (the property tests
check it), and applying the rule twice changes nothing more than once.
"""

from __future__ import annotations

import re

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
APOSTROPHE = "\u2019"

#: Horizontal spaces staff may have typed (or an earlier pass put) next to a mark; never newlines.
_SPACES = "[ \t\u00a0\u202f\u2009\u2007]"

#: :) ;-) :D :P :/ ... (a colon or semicolon followed by one of these, then no letter).
_EMOTICON = r"[:;][-']?[()\[\]DPpOo3/\\|](?!\w)"
_KEEP = (
    r"`[^`\n]*`"  # inline code
    r"|\]\([^)\s]*\)"  # a markdown link's target: [text](https://...)
    r"|<[a-z][a-z0-9+.-]*:[^>\s]*>"  # <https://...>
    r"|\b[a-z][a-z0-9+.-]*://\S+"  # URLs with a scheme
    r"|\b(?:www\.|mailto:)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    rf"|{_EMOTICON}"
)
_RULES = re.compile(
    rf"(?P<keep>{_KEEP})"
    # « then its inner space (none, or any), unless nothing or only » follows on the line
    rf"|«{_SPACES}*(?=[^\s»])"
    # the inner space before », after something
    rf"|(?:{_SPACES}+|(?<=\S))»"
    # ; ! ? : (a cluster such as ?! takes one space, before its first mark), ending a phrase
    rf"|(?P<space>{_SPACES}+|(?<=[^\s(\[«]))(?!{_EMOTICON})(?P<marks>[;:!?]+)(?=[\s»\"”)\]*_]|$)"
    # an apostrophe between two letters (l'UIL, aujourd'hui); quotes around words are not touched
    r"|(?P<apostrophe>(?<=[^\W\d_])'(?=[^\W\d_]))",
    re.IGNORECASE,
)


def _replace(match: re.Match[str]) -> str:
    if match.group("keep") is not None:
        return match.group("keep")
    if match.group("apostrophe") is not None:
        return APOSTROPHE
    marks = match.group("marks")
    if marks is not None:
        return (NBSP if marks[0] == ":" else NARROW_NBSP) + marks
    text = match.group(0)
    return "«" + NBSP if text.startswith("«") else NBSP + "»"


def french_typography(text: str) -> str:
    """`text` with the no-break spaces French puts before ``; ! ? :`` and inside « », and its
    apostrophes typographic (’).

    Call it on French text only (English puts no space there). Idempotent; changes spaces and
    apostrophes only.
    """
    return _RULES.sub(_replace, text)
