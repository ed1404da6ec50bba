"""Which language (French or English) a user message is written in, and which language to answer in.

langdetect alone is right on about 84% of realistic chat messages and on only half of the very short
ones ("schools evry", "ok merci", "radio ?"): names such as "Chefchaouen" or "AIMF" and a single
word give it almost nothing to work on. So `detect` first removes the names the knowledge base
knows, then adds small but strong evidence of its own (function words, chat words, accents,
elisions, the topic vocabulary of each language) to langdetect's fr/en probabilities, and says
"don't know" when the evidence is thin. `choose_language` turns one message's guess into the
conversation's language: explicit requests win, clear messages switch, unclear ones keep it.

Pure functions, no Rasa import: the NLU component and the actions both call them.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from rapidfuzz import fuzz

from citybot.kb.normalize import fold, strip_accents

LANGUAGES = ("en", "fr")
#: The slot holding the conversation's language (bot/domain.yml); read by the policy, the actions, the report.
LANGUAGE_SLOT = "language"
DEFAULT_LANGUAGE = "en"

# Only the start of a message is judged: its language is clear from there, and langdetect's cost
# grows with the text (a pasted document must not stall the bot while other users wait).
MAX_CHARS = 300
# A clear message in the other language switches the conversation at or above this confidence
# (calibrated with scripts/evaluate_language.py, see docs/benchmarks.md).
SWITCH_CONFIDENCE = 0.75
# Weight of one word of the knowledge base's per-language vocabulary, like a function word
# (calibrated: half weight lost short messages such as "radio lessons").
_KB_WORD_WEIGHT = 1.0
# Below this confidence `detect` answers "don't know" (code None).
MIN_CONFIDENCE = 0.6

# Words that, on their own, say which language a chat message is in. Words shared by both
# languages or by chat in both ("a", "on", "me", "ok", "covid", "radio", "info") are left out.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "an",
        "of",
        "to",
        "in",
        "at",
        "by",
        "for",
        "from",
        "with",
        "about",
        "into",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "done",
        "doing",
        "have",
        "has",
        "had",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "not",
        "no",
        "yes",
        "yeah",
        "yep",
        "nope",
        "and",
        "or",
        "but",
        "if",
        "then",
        "than",
        "that",
        "this",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "their",
        "its",
        "it",
        "he",
        "she",
        "his",
        "her",
        "him",
        "we",
        "our",
        "us",
        "you",
        "your",
        "yours",
        "i",
        "my",
        "mine",
        "me",
        "am",
        "any",
        "anything",
        "some",
        "something",
        "every",
        "everything",
        "all",
        "also",
        "only",
        "just",
        "more",
        "most",
        "other",
        "such",
        "tell",
        "show",
        "give",
        "know",
        "want",
        "need",
        "like",
        "please",
        "thanks",
        "thank",
        "hello",
        "hi",
        "hey",
        "bye",
        "goodbye",
        "cheers",
        "sorry",
        "cool",
        "great",
        "nice",
        "good",
        "morning",
        "evening",
        "afternoon",
        "city",
        "cities",
        "town",
        "towns",
        "country",
        "countries",
        "did",
        "measures",
        "measure",
        "kind",
        "sort",
        "did",
        "happened",
        "happen",
        "took",
        "take",
        "done",
        "doing",
        "help",
        "helped",
        "helping",
        "people",
        "children",
        "school",
        "schools",
        "about",
        "pls",
        "plz",
        "thx",
        "ty",
        "u",
        "ur",
        "wat",
        "wht",
        "abt",
        "hiya",
        "cya",
        "gonna",
        "wanna",
        "dunno",
        "whats",
        "hows",
        "wheres",
        "whos",
        "lets",
        "im",
        "dont",
        "didnt",
        "doesnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "cant",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "ive",
        "youre",
        "theyre",
        "thats",
        "webinar",
        "webinars",
        "talk",
        "talked",
        "said",
        "say",
        "says",
        "during",
        "against",
        "around",
        "after",
        "before",
        "over",
        "under",
        "representative",
        "mayor",
        "network",
        "member",
        "members",
        "status",
        "speaker",
        "host",
        "hosted",
        "language",
        "whatever",
        "never",
        "mind",
        "sure",
        "really",
        "yo",
        "nah",
        "alright",
        "anyway",
        "today",
        "tomorrow",
        "yesterday",
        "weather",
        "time",
        "january",
        "february",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)

FRENCH_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d",
        "au",
        "aux",
        "et",
        "ou",
        "est",
        "sont",
        "était",
        "étaient",
        "etait",
        "etaient",
        "été",
        "ete",
        "être",
        "etre",
        "quoi",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "qui",
        "que",
        "qu",
        "quand",
        "comment",
        "pourquoi",
        "où",
        "combien",
        "lequel",
        "laquelle",
        "lesquels",
        "pour",
        "par",
        "sur",
        "sous",
        "dans",
        "avec",
        "sans",
        "chez",
        "vers",
        "entre",
        "pendant",
        "contre",
        "depuis",
        "après",
        "apres",
        "avant",
        "je",
        "tu",
        "il",
        "elle",
        "nous",
        "vous",
        "ils",
        "elles",
        "moi",
        "toi",
        "lui",
        "leur",
        "leurs",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "tes",
        "son",
        "sa",
        "ses",
        "notre",
        "nos",
        "votre",
        "vos",
        "ce",
        "cette",
        "ces",
        "cet",
        "ça",
        "ca",
        "cela",
        "ceci",
        "celui",
        "celle",
        "ceux",
        "celles",
        "y",
        "ne",
        "pas",
        "plus",
        "rien",
        "jamais",
        "aussi",
        "très",
        "tres",
        "bien",
        "beaucoup",
        "peu",
        "tout",
        "tous",
        "toute",
        "toutes",
        "autre",
        "autres",
        "fait",
        "faire",
        "fais",
        "font",
        "ont",
        "avez",
        "avons",
        "as",
        "ai",
        "sais",
        "sait",
        "peux",
        "peut",
        "pouvez",
        "veux",
        "veut",
        "voudrais",
        "dire",
        "dis",
        "dit",
        "parle",
        "parler",
        "parlez",
        "raconte",
        "racontez",
        "explique",
        "expliquez",
        "donne",
        "donnez",
        "montre",
        "montrez",
        "merci",
        "bonjour",
        "bonsoir",
        "salut",
        "coucou",
        "svp",
        "stp",
        "oui",
        "non",
        "si",
        "alors",
        "donc",
        "mais",
        "car",
        "sinon",
        "ben",
        "bah",
        "bref",
        "voilà",
        "voila",
        "daccord",
        "accord",
        "ouais",
        "ouai",
        "oki",
        "dac",
        "enfin",
        "slt",
        "cc",
        "bjr",
        "mrc",
        "koi",
        "kwa",
        "pr",
        "ds",
        "qd",
        "tt",
        "bcp",
        "jsp",
        "pk",
        "pq",
        "pkoi",
        "cmt",
        "keske",
        "kesk",
        "kel",
        "kelle",
        "c",
        "cest",
        "mdr",
        "jcomprends",
        "ville",
        "villes",
        "pays",
        "mesure",
        "mesures",
        "aide",
        "aides",
        "face",
        "crise",
        "pendant",
        "gens",
        "enfants",
        "école",
        "écoles",
        "ecole",
        "ecoles",
        "représentant",
        "representant",
        "maire",
        "réseau",
        "reseau",
        "membre",
        "membres",
        "statut",
        "webinaire",
        "webinaires",
        "langue",
        "wesh",
        "bof",
        "ouf",
        "zut",
        "bon",
        "laisse",
        "tomber",
        "aujourd'hui",
        "aujourdhui",
        "demain",
        "hier",
        "temps",
        "janvier",
        "février",
        "fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
        "decembre",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    ]
)

# Letters that English words practically never carry.
_FRENCH_LETTERS = frozenset("éèêëàâîïôûùüçœæ")

_MAX_WORD = 40  # longer "words" are noise (keyboard mashing, base64), not language
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_FRENCH_ELISION = re.compile(r"^(?:l|d|j|qu|c|n|s|m|t|jusqu|lorsqu|puisqu)'(?=[^\W\d_])")
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


def _switch_patterns(lang: str) -> list[re.Pattern]:
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
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameIndex:
    """Known names (cities, people, organisations) as folded token sequences, built once.

    Removing them keeps "Chefchaouen" from looking Portuguese and "Valéro" from looking French.
    """

    sequences: frozenset[tuple[str, ...]]
    longest: int
    fuzzy_tokens: tuple[str, ...]

    @classmethod
    def build(cls, names: Iterable[str]) -> NameIndex:
        """Index `names`; single long tokens are also kept for typo-tolerant removal ("chefchauen")."""
        sequences = {tuple(fold(n).split()) for n in names if n and isinstance(n, str)}
        sequences.discard(())
        common = {strip_accents(w) for w in ENGLISH_WORDS | FRENCH_WORDS}
        fuzzy = sorted({t for seq in sequences for t in seq if len(t) >= 5 and t not in common})
        return cls(frozenset(sequences), max((len(s) for s in sequences), default=0), tuple(fuzzy))


_EMPTY_INDEX = NameIndex(frozenset(), 0, ())
_INDEX_CACHE: dict[tuple[str, ...], NameIndex] = {}


def _name_index(names: Iterable[str] | NameIndex) -> NameIndex:
    """Cache the index per name list: the component passes the same KB names on every message."""
    if isinstance(names, NameIndex):
        return names
    key = tuple(names or ())
    if not key:
        return _EMPTY_INDEX
    if key not in _INDEX_CACHE:
        if len(_INDEX_CACHE) > 16:
            _INDEX_CACHE.clear()
        _INDEX_CACHE[key] = NameIndex.build(key)
    return _INDEX_CACHE[key]


def _tokens(text: str) -> list[str]:
    """Lowercased words, with French elisions ("l'", "qu'") and English "'s" split off as tokens.

    Splitting them lets "l'AIMF" and "Chefchaouen's" lose their name while the apostrophe
    part still counts as French or English evidence.
    """
    tokens: list[str] = []
    for word in _WORD.findall(_URL.sub(" ", text)):
        if len(word) > _MAX_WORD:
            continue
        word = word.lower().replace("’", "'")
        elision = _FRENCH_ELISION.match(word)
        if elision:
            tokens.append(elision.group(0))
            word = word[elision.end() :]
        if word.endswith("'s") and len(word) > 2:
            tokens.extend([word[:-2], "'s"])
        else:
            tokens.append(word)
    return tokens


def _words_without_names(text: str, index: NameIndex) -> list[str]:
    """The message's tokens minus the known names (exact, or misspelt when long enough)."""
    words = _tokens(text)
    folded = [strip_accents(w).replace("'", "") for w in words]
    kept: list[str] = []
    i = 0
    while i < len(words):
        size = _longest_name_at(folded, i, index)
        if size:
            i += size
        elif len(folded[i]) >= 5 and _is_fuzzy_name(folded[i], index):
            i += 1
        else:
            kept.append(words[i])
            i += 1
    return kept


def _longest_name_at(folded: list[str], start: int, index: NameIndex) -> int:
    """Number of tokens of the longest known name starting at `start` (0 when none)."""
    for size in range(min(index.longest, len(folded) - start), 0, -1):
        if tuple(folded[start : start + size]) in index.sequences:
            return size
    return 0


def _is_fuzzy_name(token: str, index: NameIndex) -> bool:
    """A misspelt known name ("chefchauen", "courcouronne") that is not a word of either language."""
    if token in _FOLDED_VOCABULARY:
        return False
    return any(
        fuzz.ratio(token, name) >= 85 for name in index.fuzzy_tokens if abs(len(name) - len(token)) <= 2
    )


_FOLDED_VOCABULARY = frozenset(strip_accents(w) for w in ENGLISH_WORDS | FRENCH_WORDS)


def _word_evidence(words: list[str], vocabulary: Mapping[str, str]) -> tuple[float, float]:
    """(English, French) evidence from function words, chat words, accents and apostrophes."""
    en = fr = 0.0
    accented = 0
    for word in words:
        if word.endswith("'"):  # an elision split off by _tokens: "l'", "qu'"
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
                    w.lower() for w in _WORD.findall(phrase.replace("'", " ").replace("’", " "))
                )
    folded = {code: {strip_accents(w) for w in ws} for code, ws in words.items()}
    vocabulary = {}
    for code, other in (("en", "fr"), ("fr", "en")):
        for word in words[code]:
            if len(word) > 2 and strip_accents(word) not in folded[other]:
                vocabulary[word] = code
    return vocabulary


# ---------------------------------------------------------------------------------------------
# langdetect, restricted to French and English
# ---------------------------------------------------------------------------------------------

_FACTORY_LOCK = threading.Lock()
_factory: DetectorFactory | None = None


def _fr_en_factory() -> DetectorFactory:
    """A langdetect factory knowing only French and English, seeded so results never vary."""
    global _factory
    with _FACTORY_LOCK:
        if _factory is None:
            import langdetect

            profiles = Path(langdetect.__file__).parent / "profiles"
            factory = DetectorFactory()
            factory.load_json_profile([(profiles / code).read_text(encoding="utf-8") for code in LANGUAGES])
            factory.seed = 0
            _factory = factory
        return _factory


def langdetect_fr_minus_en(text: str) -> float:
    """langdetect's P(fr) - P(en) for `text`, between -1 and 1; 0 when it cannot say."""
    factory = _fr_en_factory()
    try:
        detector = factory.create()
        detector.append(text)
        probs = {lang.lang: lang.prob for lang in detector.get_probabilities()}
    except LangDetectException:
        return 0.0
    total = probs.get("fr", 0.0) + probs.get("en", 0.0)
    return (probs.get("fr", 0.0) - probs.get("en", 0.0)) / total if total else 0.0


# ---------------------------------------------------------------------------------------------
# The guess
# ---------------------------------------------------------------------------------------------


def detect(
    text: Any, names: Iterable[str] | NameIndex = (), vocabulary: Mapping[str, str] | None = None
) -> LanguageGuess:
    """Guess the language of one message, ignoring the KB `names` it contains.

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
    words = _words_without_names(text, _name_index(names))
    if not words:
        return UNKNOWN
    en, fr = _word_evidence(words, vocabulary or {})
    score = fr - en + _langdetect_weight(words) * langdetect_fr_minus_en(" ".join(words))
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


# ---------------------------------------------------------------------------------------------
# The conversation's language
# ---------------------------------------------------------------------------------------------


def normalise_code(value: Any) -> str | None:
    """ "fr", "FR", "fr-FR", "fr_CA", "French", "français" -> "fr"; anything else -> None."""
    if not isinstance(value, str):
        return None
    key = fold(value).replace(" ", "-")
    key = key.split("-")[0] if key else key
    return {"en": "en", "english": "en", "anglais": "en", "fr": "fr", "french": "fr", "francais": "fr"}.get(
        key
    )


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


def choose_language(current: Any, guess: Any, hint: Any = None, threshold: float = SWITCH_CONFIDENCE) -> str:
    """The language to answer in after this message.

    An explicit request wins. Otherwise the conversation keeps its language (`current`, or the
    channel's `hint` such as "fr-FR" when nothing was said yet) unless the message is clearly
    (confidence >= `threshold`) in the other one. With neither, the guess decides, then English.
    Junk values (None, "", 42, "de") are treated as absent.
    """
    parsed = coerce_guess(guess)
    if parsed and parsed.explicit and parsed.code:
        return parsed.code
    base = normalise_code(current) or normalise_code(hint)
    if parsed and parsed.code and parsed.confidence >= threshold:
        return parsed.code
    if base:
        return base
    if parsed and parsed.code:
        return parsed.code
    return DEFAULT_LANGUAGE
