"""Cleaning what users type before anything stores or reads it.

Messages reach the bot from channels (`citybot.channels.rest`) and the NLU pipeline
(`citybot.nlu.message_limit.MessageLimit`); both remove the same characters with `clean_text`:
control characters (NUL, whole terminal escape sequences...) and unpaired UTF-16 surrogates mean
nothing to the classifiers, break some storage back-ends and could drive the terminal of whoever
reads them later.
"""

from __future__ import annotations

import re
from typing import Any

#: Control characters (Unicode category Cc) except tab and newline, which separate words.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
#: Terminal escape sequences, removed whole (not only their ESC) so that no "]0;title" debris is
#: left: CSI (colours, cursor moves, screen clears), OSC (window title, hyperlinks) and DCS/SOS/
#: PM/APC strings with their terminators, any other ESC + one final byte, and the 8-bit (C1)
#: forms. Bodies are bounded, so a string of unterminated introducers costs linear time.
_ESCAPE_SEQUENCES = re.compile(
    r"\x1b\[[0-?]{0,64}[ -/]{0,8}[@-~]"
    r"|\x9b[0-?]{0,64}[ -/]{0,8}[@-~]"
    r"|[\x1b][\]P_X^][^\x07\x1b\x9c]{0,512}(?:\x07|\x1b\\|\x9c)"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]{0,512}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]{0,8}[0-~]"
)


def clean_text(text: Any) -> str:
    """`text` without terminal escape sequences and control characters, unpaired surrogates as
    "?" ("" for non-strings).

    Newlines and tabs are kept (they separate words); other control characters are dropped
    rather than replaced so that words they split join up again. Regular expressions, not a
    loop over characters: this runs on every message, huge ones included.
    """
    if not isinstance(text, str):
        return ""
    return _CONTROLS.sub("", _ESCAPE_SEQUENCES.sub("", _SURROGATES.sub("?", text)))
