"""What users can type, as hypothesis strategies, and the settings every property test uses.

Any Unicode text, lone surrogates included (socket.io and JSON deliver them), control and
escape characters, bidirectional controls, combining marks, emoji sequences, right-to-left and
CJK scripts, the knowledge base's own names and the words language detection weighs, spread
through each other; plus long texts.

Reproducible: `derandomize=True` makes every run try the same examples (derived from each test),
so a failure in CI fails the same way on a laptop, and no example database is read or written
(`database=None`), so a laptop's saved failures do not make its runs differ from CI's. To search
wider once, run with CITYBOT_HYPOTHESIS_EXPLORE=1 (random examples, ten times as many), then
add what it finds as an `@example`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXPLORE = os.environ.get("CITYBOT_HYPOTHESIS_EXPLORE") == "1"


def property_settings(max_examples: int) -> settings:
    """`max_examples` derandomized examples, no deadline (a first call may load a model)."""
    return settings(
        max_examples=max_examples * (10 if EXPLORE else 1),
        deadline=None,
        derandomize=not EXPLORE,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


#: Pieces that have broken or could break text handling somewhere.
PIECES = [
    "\x1b]0;pwned\x07",  # OSC: window title
    "\x1b[2J",  # CSI: clear screen
    "\x1b[31m",
    "\x1b",
    "\x9b31m",  # 8-bit CSI
    "\x00",
    "\x07",
    "\x7f",
    "\x85",
    "\r\n",
    "\t",
    "\u2028",
    "\ud800",  # lone surrogates
    "\udfff",
    "\ud83d",
    "\u202e",  # right-to-left override
    "\u200b",
    "\ufeff",
    "\u0301",  # a combining accent with nothing to combine with
    "e\u0301",
    "ﬁ",  # folds to two letters
    "İ",  # lower-cases to two code points
    "ß",
    "Ⅻ",
    "½",
    "🙂",
    "👩\u200d👩\u200d👧",
    "🇫🇷",
    "漢字",
    "العربية",
    "שלום",
    "Ελληνικά",
    "Русский",
    "=HYPERLINK(",
    "=1+1",
    "+cmd|",
    "-2+3",
    "@SUM(",
    "Chefchaouen",
    "Mayo-Baléo",
    "Lagos",
    "Gdynia",
    "Saint-Étienne",
    "AIMF",
    "UIL",
    "GNLC",
    "UNESCO",
    "écoles",
    "schools",
    "exams",
    "What did",
    "Qu'a fait",
    " pour les ",
    " the ",
    " et ",
    "in English please",
    "en français",
    "12 mai 2020",
    "2020-05-12",
    "31/02/2020",
    "99999999999999999999",
    "/greet",
    '/ask_city_topic{"city":"x"}',
    "{city}",
    "${HOME}",
    "%s",
    "\\",
    "'",
    "’",
    "?",
    " ",
    "   ",
    "",
]

#: Any code point, surrogates and unassigned ones included.
any_character = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())

#: Any text: random code points, pieces above mixed with random runs, or one piece repeated.
hostile_text = st.one_of(
    st.text(any_character, max_size=80),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(any_character, max_size=6)), max_size=25).map(
        "".join
    ),
    st.builds(lambda piece, times: piece * times, st.sampled_from(PIECES), st.integers(1, 400)),
)

#: What a JSON value from a client can be: text, numbers, nothing, lists, objects.
json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        hostile_text,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)

#: Texts longer than any message limit: examples for `@example`, cheap to build once.
HUGE_TEXTS = [
    "blah " * 200_000,  # 1 MB of words
    "\x1b]" * 100_000,  # unterminated escape introducers
    "\ud800" * 50_000,
    "=" + "a" * 300_000,  # one endless word
]
