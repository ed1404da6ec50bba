"""The facts that answer the question, not the whole topic (issue 16).

People ask about one thing ("were flights stopped in Chefchaouen?"), and a city's whole topic or
overview buries it. When the question says more than a city and a topic
(`FactIndex.asks_something_specific`), the answers rank the facts in scope by what the question
says (`FactIndex.matching`, citybot/retrieval/) and say the best ones first: a city's measures
(actions/city.py; the rest of the topic one "more" away, actions/more.py) or the cities whose
measures match (actions/topics.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.facts import official_first
from actions.phrasing import everyday_phrasing
from citybot.kb import KnowledgeBase
from citybot.kb.countries import TOWN_WORDS
from citybot.kb.model import City, Measure, Topic
from citybot.kb.normalize import fold, singular
from citybot.retrieval import Fact, FactKind
from citybot.retrieval.analysis import in_a_clause, names_a_thing_only, terms, words

#: Most facts said first: the best one and the next ones that match as well (1-3).
MAX_BEST = 3
#: At most how many measures come closest to a "which cities…?" question none matches, and the
#: share of the best one's score each of them needs (`closest_measures`).
MAX_CLOSEST, CLOSEST_SHARE = 3, 0.5
#: The score the closest measure needs (rank's units: BM25 times the share of the question held).
CLOSEST_SCORE = 0.5
#: How much better a city's best-matching measure off the topic read must score than its best on
#: it to be the answer instead: the topic comes from a word of the question, which may mean
#: something else there ("social policy" staff working from home).
OFF_TOPIC_MARGIN = 2.0


@dataclass(frozen=True)
class Picked:
    """The measures that answer a question about one city, and the rest of their topic."""

    best: tuple[Measure, ...]
    topic: Topic | None
    rest: tuple[Measure, ...]


def asks_something_specific(kb: KnowledgeBase, text: str, topic: Topic | None = None) -> bool:
    """Whether `text` asks more than a city and `topic` ("did Osan hand out masks to pupils?"):
    words beyond names and topics (`FactIndex.asks_something_specific`), or a second topic
    ("did Osan give masks to vulnerable groups?": masks, and the vulnerable among them)."""
    return bool(_specific_words(kb, text, topic) or _other_topics(kb, text, topic))


def _specific_words(kb: KnowledgeBase, text: str, topic: Topic | None) -> list[str]:
    """The words of `text` that say what it asks beyond names, question words and `topic`
    (`FactIndex.specific_words`: "will children in Évry have to wear masks?" read as masks asks
    about children). With no topic resolved, a word of any topic's names says what is asked too
    (« Bristol a cherché des familles d'accueil ? »: "familles")."""
    if topic is not None:
        return kb.fact_index.specific_words(text, topic.id)
    topical = [word for word in words(text) if terms(word) and _names_a_topic(kb, word)]
    return list(dict.fromkeys([*kb.fact_index.specific_words(text), *topical]))


def _names_a_topic(kb: KnowledgeBase, word: str) -> bool:
    folded = singular(fold(word))
    return any(folded in names for names, _ in kb.topic_words)


def _other_topics(kb: KnowledgeBase, text: str, topic: Topic | None) -> set[str]:
    """The ids of the topics `text` names besides `topic` (none when no topic is resolved)."""
    if topic is None:
        return set()
    return {named.id for named in kb.find_topics_in(text)} - {topic.id}


#: Where a question starts listing examples of what it asks ("…their health workers, e.g.
#: childcare, protective gear or a support line?"), and what separates them.
_EXAMPLES = re.compile(
    r"[,;(:]?\s*\b(?:e\.?\s?g\b\.?|such as|for example|for instance|including|par exemple|notamment"
    r"|tel(?:le)?s? que)|,\s*(?:like|comme)\b",
    re.IGNORECASE,
)
_EXAMPLE_SEPARATORS = re.compile(r"\s*(?:[,;/)?!.]|\bor\b|\band\b|\bou\b|\bet\b)\s*", re.IGNORECASE)


def _examples(text: str) -> tuple[str, list[str]]:
    """The question before its examples, and each example it lists (none when it lists none)."""
    found = _EXAMPLES.search(text)
    if found is None:
        return text, []
    listed = _EXAMPLE_SEPARATORS.split(text[found.end() :])
    return text[: found.start()], [example for example in listed if example.strip()]


def matching_measures(
    kb: KnowledgeBase, text: str, *, city: str | None = None, topic: Topic | None = None
) -> list[Measure]:
    """The measures in that scope that answer `text` (`_matching`), best first; for a question
    listing examples of what it asks, those answering it without them, then those answering it
    with each example: no measure does every one of "childcare, protective gear, money or a
    support line", and each answers the question. A message naming a country or describing its
    towns keeps the measures of its cities."""
    asked, examples = _examples(text)
    questions = [asked, *(f"{asked} {example}" for example in examples)] if examples else [text]
    found = {
        measure.id: measure
        for question in questions
        for measure in _matching(kb, question, city=city, topic=topic)
    }
    # "which Korean cities gave out masks?": Osan's and Goyang's, not Évry's
    places = {place.id for place in kb.cities_described_in(text)} if city is None else set()
    return [measure for measure in found.values() if not places or measure.city in places]


def _matching(
    kb: KnowledgeBase, text: str, *, city: str | None = None, topic: Topic | None = None
) -> list[Measure]:
    """The measures in that scope that answer `text`, best first: those `FactIndex.matching`
    keeps that share a word of what the question asks beyond names and the topic, or that are
    on another topic it names.

    Words that name the topic are in every fact of the topic (in its text or its topics'
    synonyms), so on their own they would make the whole topic "match" ("which cities held
    exams online?" is not answered by a city that cancelled its exams); and a question whose
    other words no measure has ("which cities sold masks to tourists?") matches none.
    """
    words, others = _specific_words(kb, text, topic), _other_topics(kb, text, topic)
    if not words and not others:
        return []
    index = kb.fact_index
    named = others | ({topic.id} if topic is not None else set())
    # one city, two topics ("will children in Évry have to wear masks?" read as schooling): its
    # measures on either count, not only those of the topic the classifier picked
    topic_id = topic.id if topic is not None and not (city is not None and others) else None
    if city is None and topic is not None and words and not index.names_topic(text, topic.id):
        # "which cities set up a phone hotline?": the topic was read from words that say what was
        # done ("phone": digital access), not how every such measure is filed: all measures count
        topic_id, named = None, set()
    in_scope = [
        f
        for f in index.facts(kinds={"measure"}, city=city, topic=topic_id)
        if named & set(f.topics) or not named
    ]
    # answering: on the topics named (both, when one was resolved and another named) or sharing its words
    needed = 2 if topic is not None else 1
    answering = {f.id for f in in_scope if others and len(named & set(f.topics)) >= needed}
    if words:
        kept = {f.id for f in in_scope}
        sharing = index.rank(" ".join(words), kinds={"measure"}, city=city, topic=topic_id)
        answering |= {hit.fact.id for hit in sharing if hit.fact.id in kept}
    hits = index.matching(text, kinds={"measure"}, city=city, topic=topic_id)
    if city is None:  # which cities did it: not those whose measure says they did not
        hits = [hit for hit in hits if not index.denies(text, hit.fact)]
    return [
        hit.fact.record for hit in hits if hit.fact.id in answering and isinstance(hit.fact.record, Measure)
    ]


def closest_measures(kb: KnowledgeBase, text: str) -> list[Measure]:
    """For a "which cities…?" question naming no topic that no measure matches in full (« dans
    quelles villes l'armée a été mobilisée ? »: the fact says "military doctors"), the measures
    that come closest to what it asks, best first; [] when it asks nothing specific or no measure
    shares enough of it. The answer says they are the closest, not that they did it."""
    asked = _specific_words(kb, text, None)
    if not asked:
        return []
    hits = kb.fact_index.rank(" ".join(asked), kinds={"measure"})
    if not hits or hits[0].score < CLOSEST_SCORE:
        return []
    floor = CLOSEST_SHARE * hits[0].score
    return [
        hit.fact.record
        for hit in hits[:MAX_CLOSEST]
        if hit.score >= floor and isinstance(hit.fact.record, Measure)
    ]


def pick_measures(
    kb: KnowledgeBase, text: str, city: City, topic: Topic | None, topic_said: str = ""
) -> Picked | None:
    """The city's measures that answer `text` within `topic`, else among all of its measures
    (when it names none, or when none on it answers); None when none matches. The rest is the
    other measures of the topic asked about when the best are on it, else of the best measure's
    first topic, official pages' first, as the topic's answer orders them."""
    text = without_country(kb, text, city)
    if names_a_thing_only(text):  # "Sidon comité de crise": what the committee is
        text = f"what is {text}"
    best = matching_measures(kb, text, city=city.id, topic=topic)[:MAX_BEST]
    if topic is not None and (not best or _off_topic_answers_better(kb, text, city, best[0])):
        # none of the city's measures on the topic answers it (it did nothing on that topic: "kids
        # without internet" in a city with no measure on internet access), or the topic was read
        # from a word that meant something else ("could Évry's staff running social policy work
        # remotely?" is no social measure): its facts that match the question, any topic
        hits = kb.fact_index.matching(text, kinds={"measure"}, city=city.id)
        best = [hit.fact.record for hit in hits if isinstance(hit.fact.record, Measure)][:MAX_BEST]
    if not best:
        return None
    best = _best_ranked_first(kb, text, city, topic, best, topic_said)
    rest_topic = topic if topic is not None and topic.id in best[0].topics else _first_topic(kb, best[0])
    rest: list[Measure] = []
    if rest_topic is not None:
        shown = {m.id for m in best}
        measures = official_first(kb, kb.measures_for(city.id, rest_topic.id))
        rest = [m for m in measures if m.id not in shown]
    return Picked(tuple(best), rest_topic, tuple(rest))


def without_country(kb: KnowledgeBase, text: str, city: City) -> str:
    """`text` less the ways of saying `city`'s country (folded when it has one): "Sidon in
    Lebanon" locates the city, and the one fact of it that says "Lebanon" is no better answer for
    it; nor is a fact saying "Polish" for "the Polish city"."""
    names = kb.country_said(city.country)
    if names is None:
        return text
    folded = fold(text)
    # the text as typed keeps "What's"; the folded one keeps a clause break where the country
    # was: "In Lebanon, who sits on Sidon's crisis committee?" still asks "who…?"
    return names.sub(_plural_towns, folded) if names.search(folded) else text


def _plural_towns(said: re.Match[str]) -> str:
    """What is left of a country said: the towns it says in the plural, which describe no one
    city but ask about several (« dans quelles communes chiliennes… ? » asks which communes)."""
    towns = [word for word in said.group().split() if _plural_town(word)]
    return f" {' '.join(towns)} , " if towns else " , "


def _plural_town(word: str) -> bool:
    one = f"{word[:-3]}y" if word.endswith("ies") else singular(word)
    return one != word and one in TOWN_WORDS


def _best_ranked_first(
    kb: KnowledgeBase, text: str, city: City, topic: Topic | None, best: list[Measure], topic_said: str
) -> list[Measure]:
    """`best`, with the city's measure that ranks first for `text` before them when `matching`'s
    thresholds (set for lists of cities) left it out and it outranks them: "how many grocery cards
    did São Paulo hand out?" is answered by the fact giving the number, which says "cards" only."""
    hits = kb.fact_index.rank(text, kinds={"measure"}, city=city.id)
    if not hits or not isinstance(hits[0].fact.record, Measure) or hits[0].fact.record in best:
        return best
    top = hits[0].fact.record
    scores = {hit.fact.id: hit.score for hit in hits}
    # on the topic read, or saying the words it was read from (« l'émission télé » of Kashan's
    # daily broadcast, filed under health, where "TV" also names distance learning); or the best
    # are off it too: the topic answered nothing ("tests" read as COVID testing of Beijing's exams)
    on_topic = (
        topic is None
        or topic.id in top.topics
        or topic.id not in best[0].topics
        or _says(kb, hits[0].fact, topic_said)
    )
    margin = 1.0 if on_topic else OFF_TOPIC_MARGIN
    if hits[0].score > margin * scores.get(best[0].id, 0.0):
        return [top, *best][:MAX_BEST]
    return best


def _says(kb: KnowledgeBase, fact: Fact, words: str) -> bool:
    return bool(words) and kb.fact_index.says_every_word(fact, words)


def _off_topic_answers_better(kb: KnowledgeBase, text: str, city: City, on_topic: Measure) -> bool:
    """Whether the city's measure that best matches `text` is off the topic read and scores at
    least `OFF_TOPIC_MARGIN` times the best measure on it."""
    hits = kb.fact_index.rank(text, kinds={"measure"}, city=city.id)
    scores = {hit.fact.id: hit.score for hit in hits}
    return (
        bool(hits)
        and hits[0].fact.id != on_topic.id
        and (hits[0].score >= OFF_TOPIC_MARGIN * scores.get(on_topic.id, 0.0))
    )


def facts_answer(kb: KnowledgeBase, text: str, city: City, topic: Topic | None) -> bool:
    """Whether `text` asks about one thing `city` did that some of its measures, or its context,
    answer: then they are the answer, whatever else the message could be read as."""
    return asks_something_specific(kb, text, topic) and (
        context_answers(kb, text, city) or pick_measures(kb, text, city, topic) is not None
    )


def context_answers(kb: KnowledgeBase, text: str, city: City) -> bool:
    """Whether `city`'s context answers `text` before any of its measures: "why did Osan win the
    UNESCO Learning City Award?" and "was Espoo ready when schools closed?" ask about the city's
    situation, which its overview says, and no measure does."""
    if city.context is None:
        return False
    hits = kb.fact_index.rank(without_country(kb, text, city), kinds={"measure", "city"}, city=city.id)
    return bool(hits) and hits[0].fact.kind == "city"


#: The facts a message naming nothing the bot knows may be answered from.
ANYWHERE: frozenset[FactKind] = frozenset({"measure", "remark", "organisation_fact"})


#: A message asking which cities did something ("which cities…", « quelles mairies… », "any
#: city…", "which Korean cities…", "cities that…", « villes qui… », "was there a city that…",
#: « une ville qui… », "where were there…"), folded.
_ASKS_FOR_CITIES = re.compile(
    r"\b(?:which|what|any|some|des|quelles?|quels?|combien de)\s+(?:cities|city|towns?|places|councils?|villes?|mairies?|municipalit\w+|\w+ (?:cities|towns|councils|villes|municipalities))\b"
    r"|\b(?:cities|towns|councils|villes|mairies|municipalit\w+) (?:that|which|where|qui|ou|ayant)\b"
    r"|\b(?:a|one|another|une|une autre) (?:city|town|council|ville|mairie|municipalite) (?:that|which|where|qui|ou)\b"
    r"|\bwhere (?:were|was) there\b|\bou y (?:a|avait)\b"
    r"|\bwhere (?:did|have|has|had) (?:anyone|anybody|people|they)\b|\bou (?:a t|est ce qu) on\b"
)


#: A fact ranked this high (`FactIndex.rank`), this many times above every other and holding this
#: many of the message's specific words stands out (measured on the development parts and on the
#: small-talk examples of data/nlu: "what is this chatbot?" holds one word of Espoo's chatbot fact).
DOMINANT_SCORE = 6.0
DOMINANT_RATIO = 3.0
DOMINANT_WORDS = 3


def dominant_fact(kb: KnowledgeBase, text: str) -> Fact | None:
    """The fact that stands far ahead of every other for a message the bot found nothing to say
    to: « c'est quoi cette idée de mettre la moitié des élèves au musée ? » names no one, and one
    remark speaks of museums and of half the pupils. None when no fact stands out."""
    hits = kb.fact_index.rank(text, kinds=ANYWHERE)
    if not hits or hits[0].score < DOMINANT_SCORE:
        return None
    second = hits[1].score if len(hits) > 1 else 0.0
    best = hits[0].fact
    if hits[0].score < DOMINANT_RATIO * second:
        return None
    return best if len(kb.fact_index.held_words(text, best)) >= DOMINANT_WORDS else None


def named_fact(kb: KnowledgeBase, text: str) -> Fact | None:
    """The fact naming the rare thing a message names (`FactIndex.naming`) when it also holds
    `DOMINANT_WORDS` of the words it asks with: "who was de Blasio's emergency relief fund meant
    to help?" is about New York's fund, whatever the classifier read. None otherwise."""
    hits = kb.fact_index.naming(text, kinds=ANYWHERE)
    if not hits or len(kb.fact_index.held_words(text, hits[0].fact)) < DOMINANT_WORDS:
        return None
    return hits[0].fact


def asks_for_cities(text: str) -> bool:
    return bool(_ASKS_FOR_CITIES.search(fold(text)))


def asks_which_cities_did(kb: KnowledgeBase, text: str, *, every_word: bool = False) -> bool:
    """Whether `text` asks which cities did something some measures do: a list of those cities
    answers it, whatever the classifier read. With `every_word`, for a message read as out of
    scope, only when those measures hold every specific word it asks with: "which cities had the
    best weather?" shares "best" with some facts, and is still out of scope."""
    measures = matching_measures(kb, text) if asks_for_cities(text) else []
    return bool(measures) and (not every_word or _hold_every_word(kb, text, measures))


def asks_who_did_what_measures_do(
    kb: KnowledgeBase, text: str, *, every_word: bool = False, min_words: int = 0
) -> bool:
    """Whether `text` asks who did something, or where one could, that some measures do ("who
    told people to stay at home?"): the cities that did answer it. `every_word` as for
    `asks_which_cities_did` ("who won the match?" shares no word with any measure); `min_words`,
    how many specific words it must ask with (a message the classifier understood not at all:
    "who ran the Q&A?" asks about a webinar, and measures "ran" things too)."""
    if not asks_who_or_where(text) or (min_words and len(kb.fact_index.specific_words(text)) < min_words):
        return False
    measures = matching_measures(kb, text)
    return bool(measures) and (not every_word or _hold_every_word(kb, text, measures))


def _hold_every_word(kb: KnowledgeBase, text: str, measures: list[Measure]) -> bool:
    """Whether `measures` together hold every specific word `text` asks with."""
    index, listed = kb.fact_index, {measure.id for measure in measures}
    facts = [fact for fact in index.facts(kinds={"measure"}) if fact.id in listed]
    held = {word for fact in facts for word in index.held_words(text, fact)}
    return set(index.specific_words(text)) <= held


#: A question asking who did something ("who helped vulnerable people get their medicines?", « qui
#: a fait passer des messages… ? »), not who someone is, said, presented or moderated, or where one
#: could do something ("where could you watch concerts online?", « où pouvait-on… ? ») (folded).
_ASKS_WHO_OR_WHERE = re.compile(
    r"^(?:(?:and|so|but|ok|okay|et|alors|mais|donc) )*(?:who|qui|c est qui qui)\b"
    r"(?! (?:(?:a|has|had|have|avait|ont) )?(?:is|was|are|were|s|est|etait|sont|etaient|said|says|say|dit|disait|parlait|wrote|spoke|hosted"
    r"|moderat\w*|present\w*|anim\w*|organi[sz]\w*)\b)"
    r"|\bwhere (?:could|can|would) (?:you|one|people|anyone|anybody|i|we)\b|\bou (?:pouvait|peut|pourrait) on\b"
)


def asks_who_or_where(text: str) -> bool:
    """Whether `text` asks who did something or where one could: asked in scope, of no city,
    person nor organisation, which cities did (the last resort, actions/precise.py). Out of
    scope, "who won the match?" and "where can I get vaccinated?" are no such question."""
    return in_a_clause(_ASKS_WHO_OR_WHERE, text)


def fact_anywhere(kb: KnowledgeBase, text: str, by_name: bool = True) -> Fact | None:
    """For a message naming no city, person, organisation or webinar ("What is EMAPUR?"), the
    fact that answers it on its own (`FactIndex.answering`: it names something the facts speak
    of, and one fact holds every word it asks with), else the best of the few facts that say the
    rarest name it says (`FactIndex.naming`: "ENAIP Piemonte"), unless `by_name` is False; None
    otherwise.

    A message of the words people ask this bot anything with ("English please", "and Paris?",
    every word in some intent's examples) is not about a fact, whatever fact holds them.
    """
    hits = kb.fact_index.answering(text, kinds=ANYWHERE)
    if not hits and by_name:
        hits = kb.fact_index.naming(text, kinds=ANYWHERE)
    if not hits or set(words(text)) <= everyday_phrasing():
        return None
    return hits[0].fact


def fact_alone(kb: KnowledgeBase, text: str) -> Fact | None:
    """The last resort for a message naming nothing the bot knows that it would otherwise not
    answer ("are there video interviews with mayors?"): the fact holding every one of the
    several specific words it asks with (`FactIndex.answering`, not named), webinars included;
    None otherwise."""
    hits = kb.fact_index.answering(text, kinds=ANYWHERE | {"webinar"}, named=False)
    if not hits or set(words(text)) <= everyday_phrasing():
        return None
    return hits[0].fact


def _first_topic(kb: KnowledgeBase, measure: Measure) -> Topic | None:
    return next((kb.topics[t] for t in measure.topics if t in kb.topics), None)
