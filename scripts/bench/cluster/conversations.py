"""The cluster test's conversations, and what each reply must contain, from the knowledge base.

Every conversation names a city and a topic, then follows up on another city ("And Chefchaouen?",
« Et à Chefchaouen ? ») and then on another topic ("What about masks?"): the second and third
questions only make sense with the first one's context, so a replica that answers them without the
conversation's tracker, or in the other language, gives a reply that does not contain the expected
measures. The expected texts are the measures' own texts in the conversation's language (French as
the reader sees it, with its typography), so any one of them in the reply proves the city, the topic
and the language at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from citybot.kb import KnowledgeBase
from citybot.language.typography import french_typography

#: (question, city id, topic id) per turn; English and French side by side, same order.
CONVERSATIONS: dict[str, list[list[tuple[str, str, str]]]] = {
    "en": [
        [
            ("What has Évry done for vulnerable families?", "evry-courcouronnes", "social_support"),
            ("And Chefchaouen?", "chefchaouen", "social_support"),
            ("What about masks?", "chefchaouen", "masks"),
        ],
        [
            ("What did Osan do about masks?", "osan", "masks"),
            ("And Goyang?", "goyang", "masks"),
            ("What about schools?", "goyang", "schooling"),
        ],
        [
            ("What did Mayo-Baléo do about schools?", "mayo-baleo", "schooling"),
            ("And Chefchaouen?", "chefchaouen", "schooling"),
            ("What about health?", "chefchaouen", "health"),
        ],
    ],
    "fr": [
        [
            ("Qu'a fait Évry pour les familles vulnérables ?", "evry-courcouronnes", "social_support"),
            ("Et à Chefchaouen ?", "chefchaouen", "social_support"),
            ("Et pour les masques ?", "chefchaouen", "masks"),
        ],
        [
            ("Qu'a fait Osan pour les masques ?", "osan", "masks"),
            ("Et à Goyang ?", "goyang", "masks"),
            ("Et pour les écoles ?", "goyang", "schooling"),
        ],
        [
            ("Qu'a fait Mayo-Baléo pour les écoles ?", "mayo-baleo", "schooling"),
            ("et à Chefchaouen ?", "chefchaouen", "schooling"),
            ("Et pour la santé ?", "chefchaouen", "health"),
        ],
    ],
}

#: The bot's answer when a custom action failed (ActionServerDownPolicy): a server-side error, which
#: the user meets by asking again, not a wrong answer.
APOLOGY_RESPONSE = "utter_technical_problem"


def expected_texts(kb: KnowledgeBase, city: str, topic: str, lang: str) -> list[str]:
    """The city's measures on the topic, as the reader of ``lang`` sees them."""
    texts = [measure.text.get(lang) for measure in kb.measures_for(city, topic)]
    if not texts:
        raise ValueError(f"the knowledge base has no {topic} measure for {city}: change the script")
    return [french_typography(text) if lang == "fr" else text for text in texts]


def apologies(domain: Path) -> list[str]:
    """Every language's text of the technical-problem response, from the domain."""
    responses = yaml.safe_load(domain.read_text(encoding="utf-8"))["responses"][APOLOGY_RESPONSE]
    return [french_typography(r["text"]) if r.get("condition") else r["text"] for r in responses]


def script(kb: KnowledgeBase) -> dict[str, list[list[dict[str, Any]]]]:
    """The conversations with, per turn, the city the tracker must hold and the texts to expect."""
    return {
        lang: [
            [
                {"text": text, "city": city, "expect": expected_texts(kb, city, topic, lang)}
                for text, city, topic in conversation
            ]
            for conversation in conversations
        ]
        for lang, conversations in CONVERSATIONS.items()
    }
