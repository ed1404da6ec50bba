"""Which language, French or English, one user message is written in.

langdetect alone is right on about 84% of realistic chat messages and on only half of the very short
ones ("schools evry", "ok merci", "radio ?"): names such as "Chefchaouen" or "AIMF" and a single
word give it almost nothing to work on. So `detect` first removes the names the knowledge base
knows (`NameStripper`), then adds small but strong evidence of its own (function words, chat words,
accents, elisions, the topic vocabulary of each language) to langdetect's fr/en probabilities, and
says "don't know" when the evidence is thin. An explicit request ("in English please") is a guess
of its own, marked `explicit`. What the conversation then answers in is `citybot.language.decision`'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from citybot.kb.normalize import fold, strip_accents
from citybot.language.codes import LANGUAGES, normalise_code
from citybot.language.names import NO_NAMES, WORD, NameStripper
from citybot.language.ngrams import fr_minus_en
from citybot.language.words import ENGLISH_WORDS, FRENCH_WORDS

# Only the start of a message is judged: its language is clear from there, and langdetect's cost
# grows with the text (a pasted document must not stall the bot while other users wait).
MAX_CHARS = 300
# Weight of one word of the knowledge base's per-language vocabulary, like a function word
# (calibrated: half weight lost short messages such as "radio lessons").
_KB_WORD_WEIGHT = 1.0
# Below this confidence `detect` answers "don't know" (code None).
MIN_CONFIDENCE = 0.6

# Letters that English words practically never carry.
_FRENCH_LETTERS = frozenset("éèêëàâîïôûùüçœæ")
_ENGLISH_CONTRACTION = re.compile(r"[^\W\d_]'(?:re|ve|ll|d|m|t)$")


@dataclass(frozen=True)
class LanguageGuess:
    """One message's language: `code` is "en", "fr" or None when the message cannot be judged.

    `explicit` marks a request to switch language ("in English please", « parle français »):
    such a request is obeyed whatever the rest of the conversation says.
    """

    code: str | None
    confidence: float
    explicit: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The form stored in the parse data and read back from the tracker."""
        return {"code": self.code, "confidence": round(self.confidence, 4), "explicit": self.explicit}


UNKNOWN = LanguageGuess(None, 0.0, False)


# ---------------------------------------------------------------------------------------------
# Explicit requests to switch language
# ---------------------------------------------------------------------------------------------

_EN = r"(?:english|anglaise?|eng)"
_FR = r"(?:french|francaise?|fr)"
_POLITE = r"(?:please|pls|plz|svp|stp|s il (?:te|vous) plait|merci|thanks|thank you|now|maintenant)"
_OPENER = r"(?:(?:ok|okay|alors|so|hey|hi|hello|bonjour|salut|sorry|pardon|desole|excuse me|um|euh|oh)\s+)*"


def _switch_patterns(lang: str) -> list[re.Pattern[str]]:
    """Patterns, on folded clauses, that ask the bot to use `lang` (a regex alternative)."""
    verbs_en = r"(?:speak|talk|answer|reply|respond|write|chat|continue|switch|change|go|swap|use)"
    verbs_fr = (
        r"(?:parle|parlez|parles|reponds|repondez|ecris|ecrivez|passe|passez|continue|continuez|"
        r"bascule|basculez|change|changez|utilise|utilisez)"
    )
    inf_fr = r"(?:parler|repondre|ecrire|passer|continuer|basculer|discuter|echanger|utiliser)"
    return [
        re.compile(p)
        for p in (
            # the whole clause is the request: "english", "in English please", « en français svp »
            rf"^{_OPENER}(?:{_POLITE}\s+)?(?:(?:in|en|to|into|l|le)\s+)?{lang}(?:\s+(?:{_POLITE}|version|language|"
            rf"langue|only|seulement|uniquement|svp|stp))*$",
            rf"^{_OPENER}(?:la\s+|the\s+|an?\s+)?version\s+{lang}(?:\s+{_POLITE})*$",
            # a polite tail on a question: "..., in English please"
            rf"(?:^|\s)(?:in|en)\s+{lang}\s+{_POLITE}$",
            rf"(?:^|\s){_POLITE}\s+(?:in|en)\s+{lang}$",
            # English verbs: "can you speak English", "switch to French", "do you speak french"
            rf"(?:can|could|would|will|do|would you mind|cant|can t) you\s+(?:please\s+)?{verbs_en}\w*"
            rf"(?:\s+(?:to|in|into|back|me|with me|back to))*\s+{lang}\b",
            rf"^{_OPENER}(?:please\s+)?(?:lets\s+|let s\s+|let us\s+)?{verbs_en}\w*"
            rf"(?:\s+(?:to|in|into|back|me|with me|back to|the language to|language to))*\s+{lang}\b",
            rf"\bi (?:would like|d like|want|prefer|would prefer|d prefer|need)(?: to)?"
            rf"(?:\s+(?:speak|talk|chat|continue|switch|use|read|get|have|answers|replies))?(?:\s+(?:in|to))*\s+{lang}\b",
            # French: « tu parles anglais ? », « parle français », « je préfère l'anglais »
            rf"\b(?:tu|vous|t)\s+(?:ne\s+)?(?:parles?|parlez|peux|pouvez|sais|savez|veux bien|voudrais|"
            rf"pourrais|pourriez)(?:\s+{inf_fr})?(?:\s+(?:en|l|le|a|moi))*\s+{lang}\b",
            rf"\b(?:parles|parlez|peux|pouvez|pourrais|pourriez|sais|savez)\s+(?:tu|vous)(?:\s+{inf_fr})?"
            rf"(?:\s+(?:en|l|le|a|moi))*\s+{lang}\b",
            rf"^{_OPENER}(?:{_POLITE}\s+)?{verbs_fr}(?:\s+(?:moi|nous|en|a|l|au|vers|le|la|langue|la langue))*\s+{lang}\b",
            rf"\b(?:je|j|on)\s+(?:prefere|prefererais|voudrais|veux|souhaite|souhaiterais|aimerais|peut|pourrait|"
            rf"parle|passe|continue)(?:\s+(?:qu on|que tu|que vous|parle|parles|parliez))?(?:\s+{inf_fr})?"
            rf"(?:\s+(?:en|l|le|a))*\s+{lang}\b",
        )
    ]


_SWITCHES = {"en": _switch_patterns(_EN), "fr": _switch_patterns(_FR)}
_CLAUSES = re.compile(r"[.,;:!?\n]+")


def explicit_request(text: str) -> str | None:
    """The language a message explicitly asks for ("in English please" -> "en"), else None.

    Judged clause by clause on folded text, so "Évry et les écoles, in English please" is a request
    but "Was the webinar in French?" is a question about the webinar, not a request.
    """
    clauses = [fold(clause) for clause in _CLAUSES.split(text[:MAX_CHARS])]
    found = [
        code
        for clause in clauses
        if clause
        for code, patterns in _SWITCHES.items()
        if any(p.search(clause) for p in patterns)
    ]
    # "pas en français, in English please": when both are asked for, the last request counts
    return found[-1] if found else None


# ---------------------------------------------------------------------------------------------
# Evidence from the words of the message


def coerce_guess(guess: Any) -> LanguageGuess | None:
    """A `LanguageGuess` from what reaches the tracker (a dict), or None for junk."""
    if isinstance(guess, LanguageGuess):
        return guess
    if not isinstance(guess, Mapping):
        return None
    code = normalise_code(guess.get("code"))
    try:
        confidence = float(guess.get("confidence") or 0.0)
    except (TypeError, ValueError):
        confidence = 0.0
    if math.isnan(confidence):
        confidence = 0.0
    return LanguageGuess(
        code, min(max(confidence, 0.0), 1.0), guess.get("explicit") is True and code is not None
    )


# ---------------------------------------------------------------------------------------------
# Evidence from the words of the message
# ---------------------------------------------------------------------------------------------


def _word_evidence(words: list[str], vocabulary: Mapping[str, str]) -> tuple[float, float]:
    """(English, French) evidence from function words, chat words, accents and apostrophes."""
    en = fr = 0.0
    accented = 0
    for word in words:
        if word.endswith("'"):  # an elision split off by `tokens`: "l'", "qu'"
            fr += 1.0
            continue
        if word == "'s" or _ENGLISH_CONTRACTION.search(word):  # "Évry's", "didn't", "you're"
            en += 1.0
            continue
        bare = word.replace("'", "")
        code, weight = _vocabulary_code(bare), 1.0
        if code is None and vocabulary:
            code, weight = vocabulary.get(bare), _KB_WORD_WEIGHT
        if code == "en":
            en += weight
        elif code == "fr":
            fr += weight
        elif any(ch in _FRENCH_LETTERS for ch in word):
            accented += 1
    return en, fr + min(accented, 3) * 1.0


def _vocabulary_code(word: str) -> str | None:
    """The language a function or chat word belongs to, or None when unknown."""
    if word in ENGLISH_WORDS:
        return "en"
    if word in FRENCH_WORDS:
        return "fr"
    return None


def vocabulary_from_phrases(phrases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Word -> language for words used by only one language in `phrases` ({"en": [...], "fr": [...]}).

    Built from the knowledge base's topic synonyms and country names, so "schools" counts as English
    and "écoles" as French, while "radio", "culture" or "education" (French typed without accents)
    count as neither.
    """
    words: dict[str, set[str]] = {code: set() for code in LANGUAGES}
    for code in LANGUAGES:
        for phrase in phrases.get(code, ()) or ():
            if isinstance(phrase, str):
                words[code].update(
                    w.lower() for w in WORD.findall(phrase.replace("'", " ").replace("’", " "))
                )
    folded = {code: {strip_accents(w) for w in ws} for code, ws in words.items()}
    vocabulary = {}
    for code in LANGUAGES:
        elsewhere = set().union(*(folded[other] for other in LANGUAGES if other != code))
        for word in words[code]:
            if len(word) > 2 and strip_accents(word) not in elsewhere:
                vocabulary[word] = code
    return vocabulary


# ---------------------------------------------------------------------------------------------
# The guess
# ---------------------------------------------------------------------------------------------


def detect(
    text: Any, names: NameStripper = NO_NAMES, vocabulary: Mapping[str, str] | None = None
) -> LanguageGuess:
    """Guess the language of one message, ignoring the knowledge-base `names` it contains.

    Returns code None when the message has nothing to judge ("ok", "Chefchaouen ?", "covid")
    or when the evidence is too weak, so that the conversation keeps its language.
    `vocabulary` (word -> "en"/"fr", see `vocabulary_from_phrases`) adds the KB's own words.
    """
    if not isinstance(text, str) or not text.strip():
        return UNKNOWN
    text = text[:MAX_CHARS]
    requested = explicit_request(text)
    if requested:
        return LanguageGuess(requested, 1.0, True)
    words = names.words_without_names(text)
    if not words:
        return UNKNOWN
    en, fr = _word_evidence(words, vocabulary or {})
    score = fr - en + _langdetect_weight(words) * fr_minus_en(" ".join(words))
    confidence = 1.0 / (1.0 + math.exp(-1.5 * abs(score)))
    if score == 0 or confidence < MIN_CONFIDENCE:
        return LanguageGuess(None, round(confidence, 4), False)
    return LanguageGuess("fr" if score > 0 else "en", round(confidence, 4), False)


def _langdetect_weight(words: list[str]) -> float:
    """How much langdetect counts: nothing on one short word ("radio", "covid"), up to 3 words' worth.

    On a word or two its answer is noise (upstream: "dog" -> Portuguese), on a sentence it is good.
    """
    letters = sum(len(w) for w in words)
    return min(3.0, max(0.0, 0.1 * (letters - 8)))
