"""What the benchmark clients say: realistic user turns for each bot under test.

Our bot gets short conversations in English and in French touching every kind of question
(city + topic, overview, country, status, representative, webinar, follow-ups, organisations,
the series, small talk). The bare ``rasa init`` bot gets sentences from its own domain, so
neither bot is measured on messages it cannot understand.
"""

from __future__ import annotations

from collections.abc import Sequence

OUR_CONVERSATIONS: list[list[str]] = [
    [
        "Hello",
        "What did Évry-Courcouronnes do about schools?",
        "And Chefchaouen?",
        "what about masks?",
        "Which cities worked on food aid?",
        "Who represented Mayo-Baléo?",
        "When did Gdynia present?",
        "Tell me about the webinar of 23 April 2020",
        "Who moderated it?",
        "thanks",
    ],
    [
        "Bonjour",
        "Qu'a fait Mayo-Baléo pour les écoles ?",
        "et pour la santé ?",
        "Et Évry ?",
        "Quelles villes ont distribué des masques ?",
        "Chefchaouen est dans quel pays ?",
        "Qui a animé le webinaire du 23 avril ?",
        "C'est quoi l'AIMF ?",
        "Qu'a dit le directeur de l'UIL en ouverture ?",
        "merci, au revoir",
    ],
    [
        "hi",
        "what can you do?",
        "which cities do you know",
        "tell me about Wuhan",
        "Is Chefchaouen a member of the network?",
        "What was the debate on masks about?",
        "What is the UNESCO Global Network of Learning Cities?",
        "Who is Pierre Baillet?",
        "tell me about the webinar series",
        "bye",
    ],
    [
        "salut",
        "que sais-tu faire ?",
        "parle-moi de Mayo Baleo",
        "Quelles mesures Évry-Courcouronnes a prises pour l'aide alimentaire ?",
        "Qui représentait Chefchaouen ?",
        "Quand Turin a-t-elle présenté ?",
        "Qui organisait le webinaire du 23 avril 2020 ?",
        "dans quelle langue était-il ?",
        "Qu'a fait l'AIMF face au COVID-19 ?",
        "merci",
    ],
    [  # one aspect of a city, not its whole topic; webinars by theme and order (issue 16)
        "Hi! how did Évry keep pupils motivated?",
        "were flights stopped in Chefchaouen?",
        "which cities lent laptops to families?",
        "which webinar was about culture?",
        "what was the first webinar?",
        "What did Évry's representative say about the crisis?",
        "Osan masks",
        "thank you",
    ],
    [
        "Bonjour, comment Osan a-t-elle fabriqué des masques ?",
        "est-ce que Goyang a testé les gens en voiture ?",
        "quelles villes ont fait des cours à la radio ?",
        "quel était le dernier webinaire ?",
        "de quoi parlait le webinaire sur les droits humains ?",
        "réponds en français",
        "Goyang testing",
        "merci beaucoup",
    ],
]

BARE_CONVERSATIONS: list[list[str]] = [
    ["hello", "I am feeling very good", "are you a bot?", "goodbye"],
    ["hi there", "I am sad", "yes", "bye"],
    ["good morning", "my day was horrible", "no", "see you later"],
    ["hey", "I am great", "am I talking to a human?", "have a nice day"],
]

#: Which conversations each bot is measured on; our bot at another revision says what ours says.
CONVERSATIONS: dict[str, list[list[str]]] = {
    "ours": OUR_CONVERSATIONS,
    "bare": BARE_CONVERSATIONS,
    "baseline": OUR_CONVERSATIONS,
}


def message_stream(conversations: Sequence[Sequence[str]], start: int = 0) -> MessageCycle:
    """An endless, deterministic walk through the conversations, beginning with conversation ``start``."""
    return MessageCycle(conversations, start)


class MessageCycle:
    """Yields (is_first_turn_of_a_conversation, text), cycling through the conversations in order.

    Deterministic so two runs send the same traffic; ``start`` lets concurrent clients begin
    at different conversations.
    """

    def __init__(self, conversations: Sequence[Sequence[str]], start: int = 0) -> None:
        self._flat = [
            (turn == 0, text) for conversation in conversations for turn, text in enumerate(conversation)
        ]
        offset = sum(len(c) for c in conversations[: start % len(conversations)])
        self._position = offset

    def __iter__(self) -> MessageCycle:
        return self

    def __next__(self) -> tuple[bool, str]:
        item = self._flat[self._position % len(self._flat)]
        self._position += 1
        return item
