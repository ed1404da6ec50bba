"""Cleaning what users type before anything stores or reads it.

Messages reach the bot from channels (`citybot.channels.rest`) and the NLU pipeline
(`citybot.nlu.message_limit.MessageLimit`); both remove the same characters with `clean_text`:
control characters (NUL, escape sequences...) and unpaired UTF-16 surrogates mean nothing to the
classifiers and break some storage back-ends.
"""

from __future__ import annotations

import re
from typing import Any

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
