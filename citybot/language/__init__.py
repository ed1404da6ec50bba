"""The conversation's language, French or English: every rule about it lives in this package.

    codes.py     LANGUAGES, the `language` slot, `normalise_code` (the one way to read a code)
    words.py     the English and French words that give a message's language away
    names.py     `NameStripper`: the knowledge base's names, removed before judging a message
    ngrams.py    langdetect, loaded once, seeded, behind one lock
    detect.py    `detect`: one message's `LanguageGuess` (run by the NLU component)
    decision.py  `message_language`, `notices`: what a message decides before it is answered
                 (applied by the Rasa policy, re-read by the actions)
    hold.py      `held_language`: a language the user asked for, read back from the events,
                 holds against keyword messages until a clear sentence in the other one
    kb_words.py  what detection takes from the knowledge base (names, per-language words)
    hint.py      the channels' metadata hint ``{"language": "fr"}``, written and read back

No Rasa import anywhere here (tests/test_layout.py checks it): the action server
imports this package, and importing Rasa would load TensorFlow. The Rasa classes that use it are
`citybot.nlu.components.LanguageDetector` and `citybot.policies.language.ConversationLanguagePolicy`.

    from citybot.language.detect import detect
    detect("Qu'a fait Chefchaouen pour les écoles ?").code      # "fr"
"""

from citybot.language.codes import DEFAULT_LANGUAGE, LANGUAGE_SLOT, LANGUAGES, normalise_code

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LANGUAGE_SLOT", "normalise_code"]
