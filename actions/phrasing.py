"""The words each intent is asked with, read from its own training examples.

Whether a message asks about one thing ("does Espoo have a coronavirus chatbot?") or for a whole
answer ("when did Sidon present?", "list all cities") cannot be told from the words alone:
"present", "list" or « pays » are ordinary words that some fact may contain. But the training
examples of each intent (data/nlu/, hand-written and generated) show how people ask that
question, so a word its own examples use is phrasing *for that intent*, not something specific
asked. Entity values (the annotated spans: cities, topics, people) are names, not phrasing.

Read once per process from the files Rasa trains on, so the phrasing grows with the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from citybot.kb.normalize import fold
from citybot.paths import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
#: An annotated entity in Rasa's training format: "[Évry](city)" or '[Évry]{"entity": "city"}'.
_ENTITY = re.compile(r"\[[^\]]*\](?:\([^)]*\)|\{[^}]*\})")
_WORD = re.compile(r"[^\W_]+")


def beyond_phrasing(text: str, intent: str | None) -> str:
    """`text` without the words the examples of `intent` are asked with (all of it when the
    intent is unknown): what is left is what this message asks beyond that kind of question."""
    phrasing = intent_phrasing().get(intent or "", frozenset())
    return " ".join(word for word in _WORD.findall(fold(text)) if word not in phrasing)


@lru_cache(maxsize=1)
def intent_phrasing() -> dict[str, frozenset[str]]:
    """intent -> the folded words of its training examples, outside annotated entities."""
    words: dict[str, set[str]] = {}
    for intent, example in _examples(NLU_DIR):
        words.setdefault(intent, set()).update(_WORD.findall(fold(_ENTITY.sub(" ", example))))
    return {intent: frozenset(found) for intent, found in words.items()}


def _examples(folder: Path) -> Iterator[tuple[str, str]]:
    """(intent, example text) of every NLU file under `folder`."""
    for path in sorted(folder.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if isinstance(block, dict) and "intent" in block:
                for line in str(block.get("examples") or "").splitlines():
                    example = line.strip().removeprefix("- ")
                    if example:
                        yield str(block["intent"]), example


@lru_cache(maxsize=1)
def everyday_phrasing() -> frozenset[str]:
    """The words of every intent's examples: what people ask this bot anything with. A word
    outside them that few facts hold ("EMAPUR") says which fact a message is about."""
    return frozenset().union(*intent_phrasing().values())


#: Verbs of saying, folded ("say", "said", « dit », « déclaré »...): a "who is" question with one
#: of them asks what the person said.
SAYING = frozenset(
    [
        "say",
        "says",
        "said",
        "saying",
        "disant",
        "tell",
        "told",
        "explain",
        "explained",
        "mention",
        "mentioned",
        "state",
        "stated",
        "talk",
        "talked",
        "speak",
        "spoke",
        "dire",
        "dit",
        "dite",
        "disait",
        "declare",
        "declaree",
        "explique",
        "expliquee",
        "mentionne",
        "evoque",
        "souligne",
        "raconte",
        "parle",
        # suggesting, stressing, warning: how summaries report a speaker's point
        "suggest",
        "suggests",
        "suggested",
        "recommend",
        "recommended",
        "argue",
        "argued",
        "stress",
        "stressed",
        "emphasise",
        "emphasised",
        "emphasize",
        "emphasized",
        "insist",
        "insisted",
        "warn",
        "warned",
        "claim",
        "claimed",
        "according",
        "suggere",
        "recommande",
        "insiste",
        "affirme",
        "rappele",
        "averti",
        "selon",
        "describe",
        "described",
        "asked",
        "noted",
        "decrit",
        "demande",
        "plaide",
        "estime",
        "releve",
        "note",
        # a view: "how does Turin's deputy mayor see the city's role?", « quel est son avis ? »
        "view",
        "views",
        "opinion",
        "opinions",
        "think",
        "thinks",
        "believe",
        "believes",
        "avis",
        "pense",
        "pensait",
        "voit",
        # an idea put forward: "whose idea was it?", « l'idée vient de qui ? »
        "idea",
        "idee",
        "proposed",
        "propose",
    ]
)


#: The words right after a saying verb that make it a request to the bot ("tell me who…",
#: « pouvez-vous me dire qui… »), or right before it.
_TO_THE_BOT_AFTER = frozenset(["me", "us", "moi", "nous"])
_TO_THE_BOT_BEFORE = frozenset(["me", "nous"])


#: "how does Turin's deputy mayor see…?": a view asked for (not "can I see…?"), folded.
_HOW_SEEN = re.compile(r"\bhow (?:do|does|did) \w+(?: \w+){0,4} see\b")


def asks_what_was_said(text: str) -> bool:
    """A saying verb, unless it asks the bot to tell ("tell me who she is"), or a view asked for."""
    if _HOW_SEEN.search(fold(text)):
        return True
    folded = _WORD.findall(fold(text))
    return any(
        word in SAYING
        and (i + 1 >= len(folded) or folded[i + 1] not in _TO_THE_BOT_AFTER)
        and (i == 0 or folded[i - 1] not in _TO_THE_BOT_BEFORE)
        for i, word in enumerate(folded)
    )
