"""`FactIndex`: the facts of one knowledge base, ranked by how well they match a question.

BM25 (the `bm25s` library) over the stemmed words of each fact in both languages (`analysis`), a
question's word scoring by the better of its English and French stems, inside a scope (a city, a
topic, a webinar, a speaker...). Rare words weigh most, which is what a question about one thing
needs: "laptops" picks the fact about lending devices among a city's school measures. BM25 rather
than TF-IDF cosine: a fact's score is the sum of what each question word adds, so one rare word
found only among a fact's topic synonyms ("borders") is not drowned by a common word found in
another fact's text ("closed"), and a long list of synonyms does not dilute a fact's own words.
A fact's own words count fully; the words around it (its topics' synonyms, a speaker's role)
count `CONTEXT_WEIGHT`.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TypedDict

import bm25s
import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import OSA
from typing_extensions import Unpack

from citybot.kb.index import allowed_typos
from citybot.kb.knowledge_base import KnowledgeBase
from citybot.kb.normalize import fold
from citybot.language.words import ENGLISH_WORDS, FRENCH_WORDS
from citybot.retrieval.analysis import (
    CALENDAR_WORDS,
    GENERAL_WORDS,
    NEGATIONS,
    STOP_WORDS,
    asks_ahead,
    asks_how_long,
    asks_how_many,
    asks_since_when,
    asks_what_is,
    asks_what_it_does,
    asks_who_did,
    asks_who_paid,
    counted_words,
    counts_something,
    is_a_word,
    names_actors,
    negated_terms,
    of_every_city,
    proper_words,
    quoted_terms,
    related_terms,
    says_ahead,
    speaks_of_money,
    states_duration,
    states_origin,
    stems,
    terms,
    words,
)
from citybot.retrieval.documents import Document, Fact, FactKind, documents

#: How much the words around a fact (topics' synonyms, roles) count against its own words.
CONTEXT_WEIGHT = 0.6
#: How much a word related to a question's word (knowledge/related_words.yml: "loaned" for
#: "lent") counts against the question's word itself: less, since "related" is not "the same".
#: Both checked with `evaluate_retrieval.py --index` (4 December 2026, open English questions):
#: CONTEXT_WEIGHT 0.4-0.8 x RELATED_WEIGHT 0.5-0.9 move precision@1 by 3 points at most (80.7-83.7%);
#: 0.6 and 0.7 kept the best list recall (95.5%) for a list precision within 2 points of the best.
#: Since a word scores by its best stem (`_term_scores`), 0.8 (end to end: open en 92.3 -> 92.8%,
#: dev2 fr 78.2 -> 77.6%, the other parts equal; it keeps Bristol's phone line in "cities with a
#: telephone hotline", whose floor 0.7 missed by 1%).
RELATED_WEIGHT = 0.8
#: The share of a topic's facts whose own text must have a word of the topic's synonyms for the
#: word to only name the topic (`specific_words`).
NAMING_SHARE = 0.5
#: How much of a question's word a fact holds when it has only a related word of it, not the
#: word itself (`_coverage`): "broadcast" is not "concerts online". 0.5 raised the list precision
#: (open en 75.7 -> 79.2%) at the same recall; 0.3-0.4 lost French list recall (4 December 2026).
RELATED_HELD = 0.5
#: How much more a fact counts when the question names the person who said it or the
#: organisation it is about (`rank`): 1.5 and 2 gave the same open precision@1 as 3, with a
#: lower English recall@3 (4 December 2026).
NAME_BOOST = 3.0
#: How much more the fact that introduces a thing counts for a question asking what it is
#: (`_introducing`): enough to come first among the facts that say its name.
INTRODUCING_BOOST = 5.0
#: How much more the fact introducing a thing a question names counts, whatever it asks of it
#: (`_things_named`): the fact introducing TTASUM says what its masks were.
THING_BOOST = 1.5
#: At most how many facts may say the name of a thing for `FactIndex.naming` to answer with them.
NAMED_FACTS = 3
#: How much more a fact that gives a number counts for a question asking "how many?" (`rank`):
#: 1.5 and 2 helped French recall@3 only; 3 also the English precision@1 (4 December 2026).
COUNT_BOOST = 3.0
#: How much more a fact saying where money came from counts for "who paid for…?" (`_boost`): a
#: fact saying nothing of money does not answer it (3 let « qui a payé l'offre en ligne de Gdynia ? »
#: get the online offer first; 6 changed no other question, 6 December 2026).
MONEY_BOOST = 6.0
#: How much more a fact saying how long something lasts counts for "how long…?" (`_boost`), as
#: a fact giving a number does for "how many?".
DURATION_BOOST = COUNT_BOOST
#: How much more a fact saying since when something has been counts for "how old…?", « depuis
#: quand… ? » (`_boost`), as for "how long…?".
ORIGIN_BOOST = DURATION_BOOST
#: How much more a fact saying what would come ("would", "will") counts for a question asking
#: it ("what did Park say the webinar would look at?"), against facts saying what was done.
AHEAD_BOOST = 1.5
#: How much a remark saying what would come (an agenda: "said the webinar would look at the ways
#: universities support communities") counts for a question that does not ask what would come
#: (`_boost`): "what can universities offer, according to Edith Hammer?" asks what she said they
#: offer. 0.6 gained 5 dev questions and lost none (6 December 2026).
AGENDA_SHARE = 0.6
#: What a question may ask besides its words, what a fact says to answer it, and how much more
#: such a fact counts then (`_boost`).
ASKED_AND_SAID: tuple[tuple[Callable[[str], bool], Callable[[str], bool], float], ...] = (
    (asks_how_many, counts_something, COUNT_BOOST),
    (asks_who_paid, speaks_of_money, MONEY_BOOST),
    (asks_how_long, states_duration, DURATION_BOOST),
    (asks_since_when, states_origin, ORIGIN_BOOST),
    (asks_ahead, says_ahead, AHEAD_BOOST),
)
#: How much more a fact counts in `rank`, for each pair of the question's neighbouring words its
#: text says together: "homeless people" "training" finds the training of homeless people before
#: their hotels. 1.3 and 1.5 gained 3 dev questions and lost none, 2.0 lost 4; in `matching` too,
#: 1.5 cut the lists' recall by up to 11 points (5 December 2026).
PAIR_BOOST = 1.3
#: How much more a fact naming who acted (partners, departments, volunteers) counts for "who
#: did…?" inside a city (`rank`); without a city, "who did…?" asks which city did.
ACTOR_BOOST = 3.0
#: What a general word (`GENERAL_WORDS`: "crisis", "used", « pendant la crise ») weighs in the
#: share of a question's meaning a fact holds, against a word that asks something: « quelles
#: villes se sont servies de Facebook pendant la crise ? » is matched by the Facebook facts that
#: do not say "crisis" (dev2 and open fr +1 each; 0.3 gave the same, 0.1 lost a list).
GENERAL_SHARE = 0.5
# bm25s sets its own logger to DEBUG, which puts "Building index from tokens" in the servers' logs
# at every (re)load of the knowledge base: its warnings are all we want from it.
logging.getLogger("bm25s").setLevel(logging.WARNING)

#: The `speaker` of a scope holding the facts anyone said ("who said that…?").
ANY_SPEAKER = "*"
#: The `topic` of `FactIndex.specific_words` for facts that have none (remarks): no topic's words
#: then only name it ("what did he say about solidarity?" asks about solidarity).
NO_TOPIC = ""

#: How many specific words a message naming nothing must ask with for one fact holding them all
#: to answer it when the bot has no other answer (`answering`): two are held together by chance
#: ("take care", « conseille-moi un film »: 11 of the 627 small-talk and out-of-scope examples of
#: data/nlu and tests/nlu), three by one (« quel temps fait-il aujourd'hui ? », 5 December 2026).
WORDS_ALONE = 3

#: How many terms' scores an index keeps (2 KB each for 250 facts).
_CACHED_TERMS = 4096

#: A word written with a hyphen in a fact ("pre-paid", « rendez-vous »): its two parts.
_HYPHENATED = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")

# What `matching` keeps, calibrated with `scripts/evaluate_retrieval.py --sweep` (list precision and
# recall of the cities kept, on the reverse questions of tests/retrieval/; docs/benchmarks.md):
# on the 24 English ones, the scores alone (0.5 of the best, no coverage) gave a list F1 of 67%
# (precision 52%, recall 95%), 0.6 of the best and half the meaning 77% (67%, 92%). Requiring 0.6
# of the meaning scored 81% but 0.7 falls to 67%: half keeps a margin from that cliff. The French
# open set (43 reverse questions, written later) agrees: its best F1 is the same setting (77.0%:
# precision 70.6%, recall 84.7%; 0.5 of the best 75.7%, 0.7 of the best 72.9%).
#: The lowest score a fact needs to count as matching a question at all (BM25 units: one
#: uncommon word shared scores about 2-4).
MIN_SCORE = 1.0
#: A matching fact also scores at least this share of the best fact's score.
RELATIVE_SCORE = 0.6
#: And holds at least this share of the question's meaning (`_coverage`): its main words, not
#: one minor word shared by chance ("online" of "online concerts").
MIN_COVERAGE = 0.5
#: And at least this share of it in their own text, not only in their context: "which cities
#: set up a phone hotline?" is not answered by a fact whose topic's synonyms say "phone" (open
#: set: 0.2 raised the English list precision from 73.0 to 75.7% and the French from 74.1 to
#: 74.3% at the same recall; 0.3 lost recall, 0.4 and more lost it in both parts).
MIN_TEXT_COVERAGE = 0.2


class Scope(TypedDict, total=False):
    """The facts a ranking looks at: every filter given (not None) must hold. The keywords of
    `FactIndex.facts`, `rank` and `matching`: `rank(query, kinds={"measure"}, city="osan")`."""

    kinds: Collection[FactKind] | None
    city: str | None
    organisation: str | None
    webinar: str | None
    #: a person's id, or `ANY_SPEAKER` for the facts anyone said
    speaker: str | None
    topic: str | None


@dataclass(frozen=True)
class _WordScores:
    """Per word of a question (lists in its order), per fact: its score, how much of it the fact
    holds (0-1) and whether the fact's own text has it."""

    scores: list[NDArray[np.float64]]
    held: list[NDArray[np.float64]]
    in_text: list[NDArray[np.bool_]]


@dataclass(frozen=True)
class Hit:
    """A fact and how well it matches the query (comparable within one query; higher is better)."""

    fact: Fact
    score: float


#: A word as typed (letters only), for `FactIndex.spelled`.
_WORD = re.compile(r"[^\W\d_]+")


class FactIndex:
    """Every retrievable fact of a knowledge base, ready to be ranked against a question."""

    def __init__(self, kb: KnowledgeBase) -> None:
        docs = list(documents(kb))
        self._facts = [doc.fact for doc in docs]
        self._position = {fact.id: i for i, fact in enumerate(self._facts)}
        # Names of cities, people and organisations select the scope, never a fact; everyday
        # words that are also names ("Lima", "Turin" are not; "Cork" is rare) stay meaningful.
        # Of organisations, only one-word names ("UIL", "AIMF", "HCR"): the words of the longer
        # ones ("World Health Organization", "UN Refugee Agency") mean something elsewhere.
        one_word_organisations = [name for name in kb.organisation_names() if len(fold(name).split()) == 1]
        self._names = frozenset(
            word
            for name in [*kb.city_names(), *kb.person_names(), *one_word_organisations]
            for word in fold(name).split()
            if word not in ENGLISH_WORDS and word not in FRENCH_WORDS
        )
        # Whole names of several words ("Global Network of Learning Cities"), longest first: what
        # `asks_something_specific` takes out of a question before judging its words.
        long_names = sorted(
            {
                folded
                for name in [*kb.city_names(), *kb.person_names(), *kb.organisation_names()]
                if len((folded := fold(name)).split()) > 1
            },
            key=len,
            reverse=True,
        )
        self._long_names = (
            re.compile(rf"\b(?:{'|'.join(map(re.escape, long_names))})\b") if long_names else None
        )
        # folded name of a speaker or an organisation -> its facts (`_named_boost`)
        self._named_facts = _named_facts(kb, docs)
        self._longest_name = max((len(name.split()) for name in self._named_facts), default=0)
        self._proper, self._proper_pairs = proper_words(doc.text for doc in docs)
        # a term of several words a fact quotes -> the facts quoting it (`_quoted_boost`)
        self._quoting: dict[tuple[str, ...], list[int]] = {}
        for i, doc in enumerate(docs):
            for term in quoted_terms(doc.text):  # not a capitalised name: `_things_named` has those
                if not set(zip(term, term[1:], strict=False)) <= self._proper_pairs:
                    self._quoting.setdefault(term, []).append(i)
        # the stems of two neighbouring words of a fact's text -> the facts saying them
        # (`_pair_boost`, `says_as_the_facts_do`: "merenda em", "em casa", "masques coton")
        self._pair_facts = _pair_facts(docs)
        # a country names no thing of the facts: "a joke about Finland" is about no fact; nor
        # does the adjective of a country of the cities: "the Chilean Project Hope" locates it
        # (but "the Thai open university" is an organisation's name: no city is Thai)
        of_cities = {city.country for city in kb.cities.values()}
        self._countries = frozenset(
            word
            for c in kb.countries.values()
            for name in (c.name.en, c.name.fr, *(c.adjectives.all() if c.id in of_cities else ()))
            for word in fold(name).split()
        )
        # a place named makes "which municipalities…?" a question about that place (`_as_asked`)
        self._places = frozenset(
            word
            for name in [
                *kb.city_names(),
                *(n for c in kb.countries.values() for n in (c.name.en, c.name.fr)),
            ]
            for word in words(name)
        )
        # per kind of answer of ASKED_AND_SAID ("says a number"...), which facts give it
        self._saying = {
            says: np.array([says(doc.text) for doc in docs], dtype=bool) for _, says, _ in ASKED_AND_SAID
        }
        # which facts are remarks (`AGENDA_SHARE`)
        self._remarks = np.array([doc.fact.kind == "remark" for doc in docs], dtype=bool)
        # what each fact says was not done ("without restricting movement": `denies`)
        self._negated = [negated_terms(doc.text) for doc in docs]
        # a city's context says its situation, not who acted ("alliances with local health
        # services" are a challenge Santiago faced, not Project Hope's partners)
        self._actors = [names_actors(doc.text) if doc.fact.kind != "city" else frozenset() for doc in docs]
        self._text = _bm25([terms(doc.text, self._names) for doc in docs])
        self._context = _bm25([terms(doc.context, self._names) for doc in docs])
        self._related = related_terms(kb.related_words)
        # what a misspelt question word may have meant: the facts' own words, the words of
        # related_words.yml ("compulsory") and the names; a general word is known too (« coudre »
        # is no « couvre »)
        spellings = {word for doc in docs for word in words(f"{doc.text} {doc.context}", self._names)}
        general = {term for word in GENERAL_WORDS for term in stems(word)}
        self._fact_terms = frozenset(term for word in spellings for term in stems(word))
        self._known_terms = self._fact_terms | set(self._related) | general
        related = {word for group in kb.related_words for entry in group for word in words(entry)}
        self._spellings = sorted(spellings | related | self._names)
        # "prepaid" -> the words of the facts' "pre-paid" (`_query_words`)
        self._hyphenated = {
            fold(first + second): (fold(first), fold(second))
            for doc in docs
            for first, second in _HYPHENATED.findall(f"{doc.text} {doc.context}")
        }
        self._spelled: dict[str, str | None] = {}
        self._cache: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
        self._none = np.zeros(len(self._facts))
        self._naming_terms = _naming_terms(kb, docs)
        self._topic_terms = frozenset(term for named in self._naming_terms.values() for term in named)

    def spelled(self, text: str) -> str:
        """`text` with each word that misspells a fact word written as the facts write it
        ("the last webniar" -> "the last webinar"), the rest as typed. The actions read words
        such as "webinar", "language" or "committee" in the question to pick what to answer;
        ranking corrects its own words, but those readings would miss a typo."""
        return _WORD.sub(self._spelled_word, text)

    def _spelled_word(self, match: re.Match[str]) -> str:
        typed = match.group()
        folded = fold(typed)
        if folded in STOP_WORDS:  # « combien » is no typo of "combine": ranking never reads it
            return typed
        spelled = self._spelling(folded)
        return spelled if spelled and spelled != folded else typed

    def facts(self, **scope: Unpack[Scope]) -> list[Fact]:
        """The facts in that scope (every filter given must hold), in knowledge-base order."""
        return [self._facts[i] for i in self._scope(scope)]

    def rank(self, query: str, **scope: Unpack[Scope]) -> list[Hit]:
        """The facts in that scope sharing meaning-bearing words with `query`, best first
        (knowledge-base order between equals); facts sharing none are left out.

        A fact's score is its BM25 score times the share of the question's meaning it holds
        (`_coverage`): "did Osan give masks to children?" is answered by the one mask fact about
        pupils before the facts that say "masks" more often but nothing of children. Words the
        question says together count more in a fact that says them together (`_pair_boost`)."""
        in_scope = self._scope(scope)
        query = self._as_asked(query, scope)
        scores, coverage, _ = self._scores(query, in_scope)
        boost = self._boost(query, in_scope, within_city=bool(scope.get("city")))
        boost = boost * self._pair_boost(query) * self._quoted_boost(query, in_scope)
        return self._hits(scores * coverage * boost, in_scope)

    def matching(self, query: str, **scope: Unpack[Scope]) -> list[Hit]:
        """The facts that match `query`, ranked as `rank` does: those whose BM25 score is at
        least `MIN_SCORE` and `RELATIVE_SCORE` of the best one, that hold `MIN_COVERAGE` of the
        question's meaning, and `MIN_TEXT_COVERAGE` of it in their own text. What reverse lists
        filter by."""
        in_scope = self._scope(scope)
        query = self._as_asked(query, scope)
        scores, coverage, in_text = self._scores(query, in_scope)
        if not in_scope:
            return []
        # boosted, so that what the question asks besides its words counts here too: the fact
        # that gives the number "how many food cards?" asks for is no weaker match than the others
        scores = scores * self._boost(query, in_scope, within_city=bool(scope.get("city")))
        floor = max(MIN_SCORE, RELATIVE_SCORE * float(scores[in_scope].max()))
        order = scores * coverage * self._quoted_boost(query, in_scope)
        return [
            hit
            for hit in self._hits(order, in_scope)
            if scores[self._position[hit.fact.id]] >= floor
            and coverage[self._position[hit.fact.id]] >= MIN_COVERAGE
            and in_text[self._position[hit.fact.id]] >= MIN_TEXT_COVERAGE
        ]

    def _as_asked(self, query: str, scope: Scope) -> str:
        """`query` as `of_every_city` reads it, unless it is asked of one city or of a place it
        names: « Project Hope au Chili, quelles communes ? » asks which municipalities."""
        if scope.get("city") or self._places.intersection(words(query)) or self._of_one_city(query):
            return query
        return of_every_city(query)

    def _of_one_city(self, query: str) -> bool:
        """Whether `query` names a thing only one city's facts say ("Project Hope"): it is asked
        of that city, as if it named it ("which municipalities does Project Hope work in?")."""
        asked = self._query_words(query)
        pairs = set(zip(asked, asked[1:], strict=False)) & self._proper_pairs
        if pairs:  # a name of two words is said by the facts saying them together
            saying = {i for first, second in pairs for i in self._saying_together(first, second)}
        else:
            named = self._things_named(query)
            saying = {i for word in named for i in np.flatnonzero(self._term_scores(list(stems(word)))[0])}
        cities = {self._facts[i].city for i in saying}
        return len(cities) == 1 and None not in cities

    def answering(
        self, query: str, *, kinds: Collection[FactKind] | None = None, named: bool = True
    ) -> list[Hit]:
        """The facts that answer `query` on their own, for a message in which nothing was
        resolved (no city, person, organisation nor webinar): "What is EMAPUR?", « les cascades
        d'Akchour ». Strict, so that chit-chat matches nothing: the question must ask something
        specific (`specific_words`) and name something the facts speak of (`_names_a_thing`),
        every meaning-bearing word of it must be a word the facts know as typed (by their text,
        context or related words; "taxi", "pizza", a misspelling: []), and each fact kept holds
        all of them. Ranked as `rank` does.

        `named=False` is the last resort of a message the bot would otherwise not answer ("are
        there video interviews with mayors?"): it need not name a thing, but it must ask with at
        least `WORDS_ALONE` specific words, and each fact kept holds every one of them."""
        asked = words(query, self._names)
        specific = self.specific_words(query)
        if not specific or any(self._spelling(word) != word for word in asked):  # no guessing what was meant
            return []
        if named and not self._names_a_thing(asked):
            return []
        if not named and len(specific) < WORDS_ALONE:
            return []
        said = query if named else " ".join(specific)
        # a general word no fact says ("what kind of masks…?") asks nothing a fact must hold
        per_word = [
            scores
            for scores, word in zip(self._word_scores(said).scores, self._query_words(said), strict=True)
            if word not in GENERAL_WORDS or scores.max() > 0
        ]
        if not per_word or any(float(scores.max()) <= 0 for scores in per_word):
            return []
        holds_all = np.all([scores > 0 for scores in per_word], axis=0)
        return [hit for hit in self.rank(query, kinds=kinds) if holds_all[self._position[hit.fact.id]]]

    def naming(self, query: str, *, kinds: Collection[FactKind] | None = None) -> list[Hit]:
        """The facts that say the rarest name of a thing `query` says, when at most
        `NAMED_FACTS` do, ranked as `rank` does: "what is EMAPUR and why did the Cameroon commune
        team up with them?" is about the one fact naming EMAPUR, whatever else it asks that no
        fact holds word for word (`answering` needs every word), as long as the fact holds some
        other word it asks with. A country and a word with related words ("TV") name no such
        thing. [] when it names none."""
        named = [
            word
            for word in words(query, self._names)
            if word in self._proper - self._countries
            and not any(stem in self._related for stem in stems(word))
        ]
        holders = [set(np.flatnonzero(sum(self._term_scores(list(stems(word)))))) for word in named]
        rarest = min(holders, key=len, default=set())
        if not rarest or len(rarest) > NAMED_FACTS:
            return []
        # and something else the question asks: "the weather in Paris" is not the mayor of Paris
        rest = " ".join(word for word in self.specific_words(query, NO_TOPIC) if word not in named)
        sharing = {hit.fact.id for hit in self.rank(rest, kinds=kinds)} if rest else set()
        return [
            hit
            for hit in self.rank(query, kinds=kinds)
            if self._position[hit.fact.id] in rarest and hit.fact.id in sharing
        ]

    def denies(self, query: str, fact: Fact) -> bool:
        """Whether `fact` says it did not do what `query` asks: "which cities restricted travel?"
        is not answered by Seoul, which kept functioning "without restricting" movement. A
        question that negates too ("which cities did not close schools?") is denied by none."""
        if NEGATIONS.intersection(fold(query).split()):
            return False
        asked = {term for word in self.specific_words(query) for term in stems(word)}
        # and their related words, one word each: « restreint » is denied by « sans restreindre »
        asked |= {
            term
            for own in list(asked)
            for entry in self._related.get(own, ())
            if len(entry) == 1
            for term in entry[0]
        }
        return bool(asked & self._negated[self._position[fact.id]])

    def names_a_thing_of_the_facts(self, word: str) -> bool:
        """Whether `word` (folded) is the name of a thing the facts speak of ("Vimeo", "EMAPUR"),
        not of a city, person or organisation: "which cities put videos on Vimeo?" names no city."""
        return word in self._proper and word not in self._names

    def held_words(self, query: str, fact: Fact) -> list[str]:
        """The specific words of `query` (`specific_words`) that `fact` holds by their own stems,
        in its text or context, not through a related word."""
        asked = self._query_words(query)
        specific = set(self.specific_words(query))
        found = self._word_scores(query)
        i = self._position[fact.id]
        return [
            word for word, held in zip(asked, found.held, strict=True) if word in specific and held[i] == 1.0
        ]

    def says_every_word(self, fact: Fact, text: str) -> bool:
        """Whether `fact`'s own text holds every meaning-bearing word of `text`, by its stems or a
        related word ("émission télé": « l'émission… diffusée », "TV programme"); False for a
        text with none."""
        found = self._word_scores(text).in_text
        i = self._position[fact.id]
        return bool(found) and all(bool(in_text[i]) for in_text in found)

    def says_as_the_facts_do(self, text: str, value: str) -> bool:
        """Whether `text` says `value` (words the model took for a place) beside a word a fact says
        it with: "Casa" in « Merenda em Casa », "coton" in « masques en coton ». Such words are
        part of what the facts speak of, not a city the bot does not know."""
        said, wanted = words(text), set(fold(value).split())
        return any(
            wanted & {first, second} and self._said_together(first, second)
            for first, second in zip(said, said[1:], strict=False)
        )

    def _said_together(self, first: str, second: str) -> bool:
        """Whether some fact's text says these two words (by their stems) one after the other."""
        return bool(self._saying_together(first, second))

    def _saying_together(self, first: str, second: str) -> set[int]:
        """The positions of the facts whose text says these two words (by their stems) one after
        the other."""
        return {i for a in stems(first) for b in stems(second) for i in self._pair_facts.get((a, b), ())}

    def _names_a_thing(self, asked: list[str]) -> bool:
        """Whether these words (a question's, in order) hold a name of something the facts
        speak of: a word the facts only write capitalised ("EMAPUR", "Akchour") or two words they
        write together capitalised ("Urban Solutions"); "thanks, that's clear" holds none."""
        pairs = zip(asked, asked[1:], strict=False)
        return any(word in self._proper for word in asked) or any(
            pair in self._proper_pairs for pair in pairs
        )

    def _boost(self, query: str, scope: list[int], *, within_city: bool) -> NDArray[np.float64]:
        """Per fact, how much more it counts for what `query` asks besides its words: the facts of
        a speaker or organisation it names (`_named_boost`), the facts that say what its kind of
        question asks (`ASKED_AND_SAID`: "how many?" a number, "476,566 cards were delivered";
        "who paid?" where money came from, "the city's budget covered all the costs"; "how
        long?" a length of time; "how old?" since when), those naming who acted when it asks, of
        one city, who did something (`ACTOR_BOOST`: "who helped make Kashan's TV show?" is
        answered by the fact naming its partners); and less, a remark giving an agenda for a
        question asking no plan (`AGENDA_SHARE`)."""
        boost = self._named_boost(query)
        if asks_what_is(query) or (asks_what_it_does(query) and self._names_only_things(query)):
            boost = boost * self._introducing(query, scope)
        else:
            boost = boost * self._introducing(query, scope, self._things_named(query), THING_BOOST)
        for asks, says, factor in ASKED_AND_SAID:
            if asks(query):
                saying = (
                    self._saying[says] & self._counting(query, scope)
                    if says is counts_something
                    else self._saying[says]
                )
                boost = boost * np.where(saying, factor, 1.0)
        if not asks_ahead(query):
            boost = boost * np.where(self._saying[says_ahead] & self._remarks, AGENDA_SHARE, 1.0)
        if within_city and asks_who_did(query) and not asks_who_paid(query):
            asked = names_actors(query)  # "the crisis committee" is what is asked about, not who
            acted = np.array([bool(actors - asked) for actors in self._actors], dtype=bool)
            boost = boost * np.where(acted, ACTOR_BOOST, 1.0)
        return boost

    def _counting(self, query: str, scope: list[int]) -> NDArray[np.bool_]:
        """Per fact, whether it holds every word naming what a "how many…?" question counts
        (`counted_words`): São Paulo's 476,566 cards, not the 700,000 students its lunch
        programme feeds, for "how many grocery cards…?". Every fact when none in `scope` giving
        a number holds them (they may be said another way), or the question names nothing."""
        asked = self._query_words(query)
        counted = [asked.index(word) for word in counted_words(query) if word in asked]
        if not counted:
            return np.ones(len(self._facts), dtype=bool)
        held = self._word_scores(query).held
        holding = np.all([held[i] > 0 for i in counted], axis=0)
        numbers = self._saying[counts_something][scope]
        return holding if bool((holding[scope] & numbers).any()) else np.ones(len(self._facts), dtype=bool)

    def _pair_boost(self, query: str) -> NDArray[np.float64]:
        """Per fact, `PAIR_BOOST` for each pair of the question's neighbouring words its own text
        says together ("higher education", « banques alimentaires »), whatever the language."""
        said = self._query_words(query)
        found = np.zeros(len(self._facts))
        for first, second in zip(said, said[1:], strict=False):
            found[list(self._saying_together(first, second))] += 1
        return np.power(PAIR_BOOST, found)

    def _quoted_boost(self, query: str, scope: list[int]) -> NDArray[np.float64]:
        """Per fact, `THING_BOOST` for the first fact of `scope` (in knowledge-base order) that
        quotes a term `query` says ("Who sits on Sidon's crisis committee?": the fact setting up
        the 'crisis committee', not the hotline set up "through the crisis committee"). It
        orders the facts that match, and never decides which do (`matching`'s thresholds): the
        facts of another city doing the same thing in other words still match "which cities
        set up a crisis committee?"."""
        boost = np.ones(len(self._facts))
        asked = self._query_words(query)
        in_scope = set(scope)
        for term, quoting in self._quoting.items():
            first = next((i for i in quoting if i in in_scope), None)  # the one written first
            if first is not None and self._says_term(asked, term):
                boost[first] = THING_BOOST
        return boost

    def _says_term(self, asked: list[str], term: tuple[str, ...]) -> bool:
        """Whether the words `asked` say every word of `term` in a row (`_means`): "stay at home"
        is not the 'Goyang Buskers Staying-at-Home Concert'."""
        return any(
            all(self._means(word, said) for word, said in zip(asked[start:], term, strict=False))
            for start in range(len(asked) - len(term) + 1)
        )

    def _means(self, word: str, said: str) -> bool:
        """Whether `word` is the facts' word `said`, by its stems or a one-word related word
        (« cellule de crise » says the 'crisis committee')."""
        own = set(stems(word))
        meant = set(stems(said))
        related = {
            term
            for stem in own
            for entry in self._related.get(stem, ())
            if len(entry) == 1
            for term in entry[0]
        }
        return bool((own | related) & meant)

    def _names_only_things(self, query: str) -> bool:
        """Whether every word `query` asks with is the name of a thing (« que fait la CODAE ? »),
        not something done ("what does Osan do for schools?")."""
        asked = self._query_words(query)
        return bool(asked) and all(word in self._proper for word in asked)

    def _introducing(
        self,
        query: str,
        scope: list[int],
        among: Collection[str] | None = None,
        factor: float = INTRODUCING_BOOST,
    ) -> NDArray[np.float64]:
        """Per fact, `factor` for the first fact of `scope`, in knowledge-base order, whose own
        text holds every word `query` asks what it is (of them, those `among` when given), else
        1: staff write a thing's defining fact before the facts that say more of it ("a digital
        platform called 'Wilma'" before "Wilma was also used to share guidelines")."""
        boost = np.ones(len(self._facts))
        found = self._word_scores(query).in_text
        asked = self._query_words(query)
        in_text = [held for word, held in zip(asked, found, strict=True) if among is None or word in among]
        if not in_text:
            return boost
        holds_all = np.all(in_text, axis=0)
        first = next((i for i in scope if holds_all[i]), None)
        if first is not None:
            boost[first] = factor
        return boost

    def _things_named(self, query: str) -> list[str]:
        """The words of `query` that name a thing of the facts ("TTASUM", "Lantern", the words of
        "Lifelong Learning Cloud"): whatever else it asks of the thing ("what sort of masks did
        TTASUM give?", « c'était pour qui ? »), the fact that introduces it says it first."""
        asked = self._query_words(query)
        pairs = set(zip(asked, asked[1:], strict=False)) & self._proper_pairs
        return [
            word
            for word in asked
            if (word in self._proper or any(word in pair for pair in pairs)) and not self._common(word)
        ]

    def _common(self, word: str) -> bool:
        """Whether `word`, written capitalised by the facts, still names no one thing: a month, a
        country, a word of the topics or of related_words.yml ("TV", "SMS", "PCR")."""
        return (
            word in CALENDAR_WORDS
            or word in self._countries
            or any(stem in self._related or stem in self._topic_terms for stem in stems(word))
        )

    def _named_boost(self, query: str) -> NDArray[np.float64]:
        """Per fact, `NAME_BOOST` when it was said by a person or is about an organisation that
        `query` names ("what did Lopes say about health?"), else 1: names never make a fact
        match, but among the facts that match, those of the one named come first."""
        boost = np.ones(len(self._facts))
        found = fold(query).split()
        for size in range(1, self._longest_name + 1):
            for start in range(len(found) - size + 1):
                named = self._named_facts.get(" ".join(found[start : start + size]))
                if named is not None:
                    boost[named] = NAME_BOOST
        return boost

    def _hits(self, scores: NDArray[np.float64], scope: list[int]) -> list[Hit]:
        """The facts of `scope` that score, best first (knowledge-base order between equals)."""
        hits = [Hit(self._facts[i], float(scores[i])) for i in scope if scores[i] > 0]
        return sorted(hits, key=lambda hit: -hit.score)

    def _scores(
        self, query: str, scope: list[int]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Per fact, the BM25 score of `query`'s words, the share of its meaning it holds, and
        the share its own text holds (not its context: a topic's synonyms are in every fact of
        the topic)."""
        found = self._word_scores(query)
        asked = self._query_words(query)
        weights = [
            float(scores[scope].max()) * (GENERAL_SHARE if word in GENERAL_WORDS else 1.0) if scope else 0.0
            for scores, word in zip(found.scores, asked, strict=True)
        ]
        if asks_who_paid(query):
            found, weights = self._money_asked(asked, found, weights)
        return (
            sum(found.scores, np.zeros(len(self._facts))),
            self._coverage(weights, found.held),
            self._coverage(weights, found.in_text),
        )

    def _money_asked(
        self, asked: list[str], found: _WordScores, weights: list[float]
    ) -> tuple[_WordScores, list[float]]:
        """For "who paid for…?", the words asking about money (`asked`: the question's) held in
        full by the facts that speak of money, and weighing as much as its other words together
        (at least as much as its weightiest): "paid" is the point of the question, "the city's
        budget covered all the costs" answers it in other words, and what was paid for ("Gdynia's
        online programme") is what the fact that paid need not repeat."""
        money = [speaks_of_money(word) for word in asked]
        held = [
            np.where(self._saying[speaks_of_money], 1.0, share) if paid else share
            for share, paid in zip(found.held, money, strict=True)
        ]
        others = sum(weight for weight, paid in zip(weights, money, strict=True) if not paid)
        top = max(others / max(1, sum(money)), max(weights, default=0.0))
        weights = [top if paid else weight for weight, paid in zip(weights, money, strict=True)]
        return _WordScores(found.scores, held, found.in_text), weights

    def _coverage(
        self, weights: list[float], held: Sequence[NDArray[np.float64] | NDArray[np.bool_]]
    ) -> NDArray[np.float64]:
        """Per fact, the share of the question's meaning it holds: the weights of the question's
        words times how much of each it holds (`held`, per word: 0-1) over all their weights.

        A word weighs the most any fact of the scope scores for it (a general word `GENERAL_SHARE`
        of that), so a rare word weighs much and a word no fact in scope has weighs nothing: « portaient » (were about) is in many
        measures but in no webinar, so it does not keep every webinar out. "Which cities held
        online concerts?" then needs a fact about concerts: sharing only "online", the commonest
        of the two, is not enough.
        """
        total = sum(weights)
        if total <= 0:
            return np.zeros(len(self._facts))
        coverage: NDArray[np.float64] = (
            sum(
                (w * mask.astype(float) for w, mask in zip(weights, held, strict=True)),
                np.zeros(len(self._facts)),
            )
            / total
        )
        return coverage

    def asks_something_specific(self, query: str) -> bool:
        """Whether `query` asks about one thing rather than a whole (`specific_words`)."""
        return bool(self.specific_words(query))

    def specific_words(self, query: str, topic: str | None = None) -> list[str]:
        """The words of `query` that ask something specific, as the facts spell them: not names,
        question words, words that only name a topic (`topic`, or any when None), nor words that
        ask for a whole (`GENERAL_WORDS`: "a summary of Osan's response to the crisis").
        "what did Osan do about masks?" names a topic, "did Osan hand out masks to pupils?" asks
        about one thing ("pupils"). A word of a topic's synonyms that few of its facts say
        ("cancelled" of "cancelled exams", "thermal" of "thermal cameras") still asks something
        (`_naming_terms`). Names of several words count as names ("what is the Global Network of
        Learning Cities?" asks for the whole). `NO_TOPIC`: no word only names a topic."""
        if self._long_names is not None:
            query = self._long_names.sub(" ", fold(query))
        naming = self._naming_terms.get(topic, frozenset()) if topic is not None else self._topic_terms
        return [
            word
            for word in self._query_words(query)
            if word not in GENERAL_WORDS and not set(stems(word)) <= naming
        ]

    def names_topic(self, query: str, topic: str) -> bool:
        """Whether `query` says a word that names `topic` as a whole (`_naming_terms`): "school
        supplies" does; "phone", one of digital access's words that few of its facts say, does not."""
        naming = self._naming_terms.get(topic, frozenset())
        return any(set(stems(word)) <= naming for word in self._query_words(query))

    def _query_words(self, query: str) -> list[str]:
        """The meaning-bearing words of `query` (each once), as the facts spell them; not those of
        the names of several words it says ("the University of Glasgow"), which name a thing,
        as one-word names do, and never ask about "university"."""
        if self._long_names is not None:
            query = self._long_names.sub(" ", fold(query))
        asked = (part for word in dict.fromkeys(words(query, self._names)) for part in self._apart(word))
        found = (self._spelling(word) for word in asked)
        return list(dict.fromkeys(word for word in found if word))

    def _apart(self, word: str) -> tuple[str, ...]:
        """`word`, or the two words of a fact's hyphenated word it writes as one: people type
        "prepaid" or "wellbeing" as often as "pre-paid" and "well-being", which the facts' words
        give apart."""
        parts = self._hyphenated.get(word)
        if parts is None or set(stems(word)) & self._fact_terms:
            return (word,)
        return parts

    def _spelling(self, word: str) -> str | None:
        """`word`, or the fact word it misspells ("lockdwon": "lockdown"); None for a misspelt
        name ("chefchauen"), which must not count either.

        A word the facts know (by its stems) stays; so does an English or French word the facts do
        not say (`is_a_word`), and one with no fact word within the typos its length allows
        (`allowed_typos`, as for names: none under six letters).
        """
        if word in self._spelled:
            return self._spelled[word]
        spelled: str | None = word
        allowed = allowed_typos(word)
        if allowed and not set(stems(word)) & self._known_terms and not is_a_word(word):
            match = process.extractOne(word, self._spellings, scorer=OSA.distance, score_cutoff=allowed)
            if match is not None:
                spelled = None if match[0] in self._names else str(match[0])
        if len(self._spelled) >= _CACHED_TERMS:
            self._spelled.clear()
        self._spelled[word] = spelled
        return spelled

    def _word_scores(self, query: str) -> _WordScores:
        """Per meaning-bearing word of `query` (each once), what it adds to each fact's score:
        its stems in the fact's text and, at `CONTEXT_WEIGHT`, its context, plus its best related
        word or phrase at `RELATED_WEIGHT`; how much of the word the fact holds (all of it by its
        own stems, `RELATED_HELD` by a related word only); and whether the fact's own text has
        it or a related word, not only its context."""
        query_words = self._query_words(query)
        asked = list(dict.fromkeys(term for word in query_words for term in stems(word)))
        seen: set[str] = set()
        found = _WordScores([], [], [])
        for word in query_words:
            own = [stem for stem in stems(word) if stem not in seen]  # a stem shared by two words counts once
            seen.update(own)
            text, context = self._term_scores(own) if own else (self._none, self._none)
            related, related_text = self._related_scores(word, asked)
            found.scores.append(text + CONTEXT_WEIGHT * context + RELATED_WEIGHT * related)
            found.held.append(np.where(text + context > 0, 1.0, RELATED_HELD * (related > 0)))
            found.in_text.append((text > 0) | related_text)
        return found

    def _term_scores(self, word_terms: list[str]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per fact, the BM25 score of one word in its text and in its context: the best of its
        stems (`word_terms`), not their sum, so a word whose English and French stems differ
        (« quartiers »: quartier, quarti) weighs no more than a word with one (« quadrillage »)."""
        scored = [self._stem_scores(term) for term in word_terms]
        if len(scored) == 1:
            return scored[0]
        text = np.max([scores[0] for scores in scored], axis=0)
        context = np.max([scores[1] for scores in scored], axis=0)
        return text, context

    def _stem_scores(self, term: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per fact, the BM25 score of one term in its text and in its context. Kept per term:
        a question's words and their related words come back from question to question, and the
        index never changes."""
        cached = self._cache.get(term)
        if cached is None:
            if len(self._cache) >= _CACHED_TERMS:
                self._cache.clear()
            cached = (self._text.get_scores([term]), self._context.get_scores([term]))
            for scores in cached:
                scores.setflags(write=False)
            self._cache[term] = cached
        return cached

    def _related_scores(self, word: str, asked: list[str]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Per fact, the best score of one word or phrase related to `word` none of whose words
        the question already uses ("flights" finds "air links" once, however many synonyms it has;
        "doctor or nurse" finds "nursing staff" once, for "nurse"),
        and whether the fact's text has one. A phrase counts only in the facts that have each of
        its words: "air links", not every fact saying "links" (its words' scores summed, as for
        the question's own words)."""
        entries = {entry: None for stem in stems(word) for entry in self._related.get(stem, ())}
        best, in_text = np.zeros(len(self._facts)), np.zeros(len(self._facts), dtype=bool)
        for entry in entries:
            if not {term for part in entry for term in part} & set(asked):
                parts = [self._term_scores(list(part)) for part in entry]
                held = np.all([text + context > 0 for text, context in parts], axis=0)
                scores = sum(text + CONTEXT_WEIGHT * context for text, context in parts)
                best = np.maximum(best, np.where(held, scores, 0.0))
                in_text |= np.all([text > 0 for text, _ in parts], axis=0)
        return best, in_text

    def _scope(self, scope: Scope) -> list[int]:
        """The positions of the facts in `scope`."""
        kinds, speaker, topic = scope.get("kinds"), scope.get("speaker"), scope.get("topic")
        city, organisation, webinar = scope.get("city"), scope.get("organisation"), scope.get("webinar")
        return [
            i
            for i, fact in enumerate(self._facts)
            if (kinds is None or fact.kind in kinds)
            and (city is None or fact.city == city)
            and (organisation is None or fact.organisation == organisation)
            and (webinar is None or fact.webinar == webinar)
            and (
                speaker is None or fact.speaker == speaker or (speaker == ANY_SPEAKER and bool(fact.speaker))
            )
            and (topic is None or topic in fact.topics)
        ]


def _pair_facts(docs: list[Document]) -> dict[tuple[str, str], list[int]]:
    """The stems of each two neighbouring words of the facts' texts -> the facts that say them."""
    facts: dict[tuple[str, str], set[int]] = {}
    for i, doc in enumerate(docs):
        said = words(doc.text)
        for first, second in zip(said, said[1:], strict=False):
            for pair in itertools.product(stems(first), stems(second)):
                facts.setdefault(pair, set()).add(i)
    return {pair: sorted(held) for pair, held in facts.items()}


def _naming_terms(kb: KnowledgeBase, docs: list[Document]) -> dict[str, frozenset[str]]:
    """Topic id -> the terms that only name it: those of its labels, and those of its synonyms
    that the own text of more than `NAMING_SHARE` of its facts has ("exam" of exams, not "cancel"
    of its synonym "cancelled exams": one exam fact is about cancelling; not « soignants » of
    health, which few health facts say). Counting as naming also the synonyms many facts of any
    topic say (four or more) lost precision and list recall everywhere (4 December 2026, dev fr
    83.2 -> 83.7%, its list recall 56 -> 63%, blind fr 79.5 -> 80.8%): « livres » is in many facts
    and still asks for books."""
    texts: dict[str, list[set[str]]] = {}
    for doc in docs:
        said = set(terms(doc.text))
        for topic_id in doc.fact.topics:
            texts.setdefault(topic_id, []).append(said)
    naming: dict[str, frozenset[str]] = {}
    for topic in kb.topics.values():
        in_topic = texts.get(topic.id, [])
        names = [words(name) for name in topic.synonyms.all()]
        labels = {term for name in (topic.label.en, topic.label.fr) for term in terms(name)}
        synonyms = {term for name in names for word in name for term in stems(word)} - labels
        common = {
            t
            for t in synonyms
            if not in_topic or sum(t in text for text in in_topic) > NAMING_SHARE * len(in_topic)
        }
        naming[topic.id] = frozenset(labels | common)
    return naming


def _named_facts(kb: KnowledgeBase, docs: list[Document]) -> dict[str, list[int]]:
    """Folded name of each person and organisation -> the positions of the facts they said, are
    about or that name them in their text ("Deputy Mayor Michał Guć called on every resident...");
    names that are everyday words ("WHO", "Hope") are left out."""
    positions: dict[tuple[str, str], set[int]] = {}
    for i, doc in enumerate(docs):
        for key in (("person", doc.fact.speaker), ("organisation", doc.fact.organisation)):
            if key[1]:
                positions.setdefault((key[0], key[1]), set()).add(i)
    surfaces = [(("person", p.id), name) for p in kb.people.values() for name in (p.name, p.last_name)]
    surfaces += [(("organisation", org), name) for name, org in kb.organisation_names().items()]
    texts = [f" {fold(doc.text)} " for doc in docs]
    named: dict[str, list[int]] = {}
    for key, name in surfaces:
        folded = fold(name)
        if not words(folded) or folded in ENGLISH_WORDS | FRENCH_WORDS:
            continue
        found = positions.get(key, set()) | {i for i, text in enumerate(texts) if f" {folded} " in text}
        if found:
            named[folded] = sorted({*named.get(folded, []), *found})
    return named


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    """A BM25 index of these documents' terms (an empty document gets a placeholder term, which
    bm25s requires and no query produces)."""
    index = bm25s.BM25()
    index.index([doc or [""] for doc in corpus], show_progress=False)
    return index


__all__ = ["Document", "FactIndex", "Hit", "Scope"]
