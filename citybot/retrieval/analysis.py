"""From a text in English or French to the terms facts and questions are compared by.

A fact is stored in both languages and a question arrives in one, sometimes without accents or
with a word of the other language, so every word is folded (case, accents) and reduced to its
Snowball stems in both languages: "écoles", "ecoles" and "school" meet their fact whichever
language it is read in. Words that carry no meaning for retrieval (function words, the bot's
question words) are left out, so "what did Osan do about masks?" is only "masks".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache

import simplemma
import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from citybot.kb.normalize import fold


def _listed(text: str) -> frozenset[str]:
    """The words of a block of text: long word lists read better as text than as literals."""
    return frozenset(text.split())


#: French function words (folded): articles, pronouns, prepositions, auxiliaries, question words.
FRENCH_STOP_WORDS = _listed(
    """
    a au aux avec ce ceci cela ces cet cette ceux chez comme comment dans de des du donc dont elle
    elles en entre est et etaient etait ete etre eu eux il ils je la le les leur leurs lui ma mais
    me meme mes moi mon ne ni nos notre nous on ont ou par pas plus pour qu que quel quelle quelles
    quels qui quoi sa sans se ses si son sont sur ta te tes toi ton tu un une vos votre vous y l d
    s c j n m t ai as avait avaient avez avons aurait ca cet quand pourquoi ya
    tout tous toute toutes aussi bien tres aujourd hui alors deja
    """
)

#: Words of questions to this bot that never select a fact: asking, doing, cities and the
#: pandemic itself are in every question ("what measures did the city take against covid?").
QUESTION_WORDS = _listed(
    """
    tell know say please anything something info information thing things any kind kinds sort sorts type types
    do does did done doing make made makes making take took taken measure measures action actions response
    responses respond responded react reacted handle handled deal dealt approach step steps
    city cities town towns covid covid19 coronavirus corona pandemic virus
    dis dites dire savoir sais connais parle parlez parler quoi chose choses info infos information
    informations fait faire fais font faites fera faisait faisaient fasse mesure mesures action actions reponse reponses
    reagi repondu pris prise prises gere geree ville villes covid19 coronavirus pandemie virus
    svp stp merci concernant niveau sujet propos sorte sortes
    situation situations news latest update updates happening happened happen going
    nouvelles nouveau nouveautes neuf actualite actualites passe passer
    pls plz thx wat wht wich whic whats abt koi kwa pk pq pkoi cmt keske kesk kel kelle cest
    didn doesn don isn wasn aren weren haven hasn hadn won wouldn couldn shouldn ve ll re im ask asking
    set setting put combien quelqu quelque mis mise mises mettre place voulait voulu veut vouloir
    pouvait pu peut pouvoir avoir eu aurait serait
    initiative initiatives
    """
)

#: Words that frame a message rather than say what it asks: greetings and thanks, wanting and
#: asking ("I'd like", « je voudrais », « pourriez-vous »), fillers and chat spellings, and the
#: prepositions of the pandemic's time and fight (« pendant », « contre »).
PHRASING_WORDS = _listed(
    """
    hello hi hey hiya morning evening thanks thank cheers bye goodbye ciao cya ok okay um uh er wait like
    curious interested wondering got went stuff exactly basically
    bonjour bjr bonsoir salut slt coucou revoir bisous beaucoup euh bah ben voila exactement kesako
    voudrais voudrait voudrions aimerais aimerait aimerions peux veux pourriez pourrais pouvez
    auriez souhaite souhaiterais connaitre raconte racontez raconter entendre envie interesse
    interessee sait savez tt kes ke jsp pendant pdt contre lors oeuvre menee menees mene mener
    pr smth qqch cote peu davantage juste ki agit partie connaissent connait contient contain contains grew came guy
    specially specifically especially particularly specialement specifiquement particulierement notamment
    """
)

#: Words that say nothing specific on their own: they ask for the whole of what the bot knows
#: about a city (its response to the crisis, a summary, an overview), frame a question ("how did
#: Osan face the crisis?", « dans le cadre d'une étude », "my mum is a nurse") or are the period
#: every measure is in (the lockdown). Not an organisation's "objective" or a person's "role":
#: facts answer those. A fact may use these words (a recovery "strategy", "face masks"), so they
#: still rank facts, but a question whose other words are names, question words and topics asks
#: for a whole (`FactIndex.specific_words`).
GENERAL_WORDS = _listed(
    """
    summary summarise summarize sum overview rundown overall general picture big story history main
    crisis crises strategy experience coping cope coped fighting fight fought managed manage
    managing adopt adopted implement implemented launch launched introduced outbreak period hit
    explain describe present living dealing helped helping supported use used using far run running
    tackle tackled involved ensured arrangements knowledge reported writing piece briefing note
    notes readers unfamiliar researching article true mum mom dad gran grandma daughter son
    lockdown lockdowns webinar webinars resume resumer apercu synthese bilan ensemble vue grandes
    generale globale global crise strategie experience histoire lutte lutter face cause lance
    lancee lances lancees presenter presente presentation presentee presenteriez exposees explique
    expliquer expliquez decrire genre gros coup donne elements lecteurs approche attaque matiere
    cadre preciser indiquer etude reportage vrai mere pere fille fils dispositif assure garantir
    utilise utilisent utilisee utilisees utilises utilisait utilisaient servi servie servies servis servir sert servent servaient confinement confinements webinaire webinaires question suivante good base quick hear
    heard talk known love vecu mr mrs ms mme mlle dr prof monsieur madame
    propose proposed proposer proposait monte montee montes montees monter
    proposaient proposent proposes proposee proposees
    concerne concernee concernees concernes concernait concernaient concerned
    affected touche touches touchee touchees soutenu soutenus soutenue soutenues soutenir soutenait soutenaient
    """
)

#: scikit-learn's English stop words, less those a measure may turn on ("a call centre", "the
#: health system", "who gets masks first?": in priority) and the numbers written in words ("which
#: four municipalities?": "Project Hope works in four municipalities").
_ENGLISH_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) - {
    "system",
    "call",
    "fire",
    "bill",
    "interest",
    "empty",
    "full",
    "front",
    "first",
    *[
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "forty",
        "fifty",
        "sixty",
        "hundred",
    ],
}

STOP_WORDS = _ENGLISH_STOP_WORDS | FRENCH_STOP_WORDS | QUESTION_WORDS | PHRASING_WORDS

_WORD = re.compile(r"[^\W_]+")
_ENGLISH = snowballstemmer.stemmer("english")
_FRENCH = snowballstemmer.stemmer("french")


#: Phrases whose words mean something else on their own (folded) -> one word that means the
#: phrase: « en ligne » is online, while « ligne » alone is a (phone) line; « plein air » is not
#: the air of flights; "hand out" is no hand washing; « temps partiel » (part-time) is no « temps »
#: (time); « faire appel à l'armée » is to mobilise it, no phone call; to work with someone is to
#: collaborate, not to work; « faire en sorte que » is to ensure, no way out (« s'en sortir »);
#: to see or talk to a doctor is a consultation, not the doctors' own support;
#: « le but » is the aim, not the English stop word "but"; « ces derniers temps » is lately, no
#: time; "class assignments" are homework, no class. Applied to facts and questions alike.
COMPOUNDS = {
    "en ligne": "enligne",
    "plein air": "pleinair",
    "sans abri": "sansabri",
    "tout au long de la vie": "toutaulongdelavie",
    "garde d enfants": "gardedenfants",
    "chez eux": "chezsoi",
    "chez elles": "chezsoi",
    "chez soi": "chezsoi",
    "chez vous": "chezsoi",
    "a la maison": "chezsoi",
    "a domicile": "adomicile",
    # delivering with no contact: what the facts say as "leaves the books on the doorstep"
    "without contact": "contactless",
    "without any contact": "contactless",
    "no contact": "contactless",
    "contact free": "contactless",
    "sans contact": "contactless",
    "sans aucun contact": "contactless",
    # getting over the crisis: what the facts call "recovery"
    "bounce back": "recover",
    "bounces back": "recover",
    "bounced back": "recover",
    "bouncing back": "recover",
    # a car, said so in English only: « car » is also French for "because"
    "your car": "vehicle",
    "their car": "vehicle",
    "my car": "vehicle",
    "a car": "vehicle",
    "the car": "vehicle",
    "by car": "vehicle",
    "cars": "vehicle",
    "hand out": "handout",
    "hands out": "handout",
    "handed out": "handout",
    "handing out": "handout",
    "temps partiel": "parttime",
    "part time": "parttime",
    "chat bot": "chatbot",
    "chat bots": "chatbot",
    "fait appel a": "mobilise",
    "faire appel a": "mobilise",
    "font appel a": "mobilise",
    "worked with": "collaborated",
    "working with": "collaborated",
    "work with": "collaborated",
    "works with": "collaborated",
    "travaille avec": "collabore",
    "travaillent avec": "collabore",
    "travailler avec": "collabore",
    "travaillaient avec": "collabore",
    "travaillait avec": "collabore",
    "main dans la main": "collabore",
    "hand in hand": "collaborated",
    "fait en sorte": "assure",
    "faire en sorte": "assure",
    "font en sorte": "assure",
    "how often": "frequency",
    "how frequently": "frequency",
    "tous les combien": "frequence",
    "a quelle frequence": "frequence",
    "a quel rythme": "frequence",
    "le but": "objectif",
    "son but": "objectif",
    "leur but": "objectif",
    "pour but": "objectif",
    "quel but": "objectif",
    "un but": "objectif",
    "ces derniers temps": "recemment",
    "ces derniers mois": "recemment",
    "lately": "recently",
    "right now": "now",  # a time, no human rights
    # homework: no class held ("which cities offered free art classes?" is no Évry's printed
    # "class assignments")
    "class assignments": "assignments",
    "class assignment": "assignments",
    "older than": "before",
    "keep their distance": "distancing",
    "keep your distance": "distancing",
    "keep a distance": "distancing",
    "keep distance": "distancing",
    "keeping their distance": "distancing",
    "keeping apart": "distancing",
    "keep apart": "distancing",
    "kept apart": "distancing",
    "garder ses distances": "distanciation",
    "garder leurs distances": "distanciation",
    "garder la distance": "distanciation",
    "garder une distance": "distanciation",
    "by hand": "handmade",
    "hand made": "handmade",
    "home made": "homemade",
    "fait main": "handmade",
    "faits main": "handmade",
    "faite main": "handmade",
    "faites main": "handmade",
    "a la main": "handmade",
    "fait maison": "homemade",
    "faits maison": "homemade",
    "sell by date": "expiry",
    "use by date": "expiry",
    "best before": "expiry",
    "go off": "expire",
    "goes off": "expire",
    "going off": "expire",
    "foot the bill": "paid",
    "foots the bill": "paid",
    "footed the bill": "paid",
    "footing the bill": "paid",
    "picked up the bill": "paid",
    "picked up the tab": "paid",
    "put money in": "paid",
    "put money into": "paid",
    "put the money in": "paid",
    "put up the money": "paid",
    "mettre de l argent": "paye",
    "mettre la main a la poche": "paye",
    "corona blue": "coronablue",
    "corona blues": "coronablue",
    "see a doctor": "consultation",
    "see a nurse": "consultation",
    "talk to a doctor": "consultation",
    "talk to a nurse": "consultation",
    "speak to a doctor": "consultation",
    "speak to a nurse": "consultation",
    "speak with a doctor": "consultation",
    "consult a doctor": "consultation",
    "voir un medecin": "consultation",
    "parler a un medecin": "consultation",
    # « mettre sur pied » is setting up: no foot (« à pied », on foot)
    "mis sur pied": "cree",
    "mise sur pied": "cree",
    "mettre sur pied": "cree",
    "met sur pied": "cree",
    "mettent sur pied": "cree",
    "kick off": "launched",
    "kicks off": "launched",
    "kicked off": "launched",
    "kicking off": "launched",
    "reps": "representatives",  # "how many city reps attended?"
    "how old": "since",
    "is it older": "since",
    "was it older": "since",
    "or older": "since",
    "since when": "since",
    "depuis quand": "since",
}
_COMPOUND = re.compile(r"\b(?:" + "|".join(sorted(COMPOUNDS, key=len, reverse=True)) + r")\b")


#: "Which municipalities…?" and « quelles communes… ? » (folded), which ask which cities when
#: asked of every city (`of_every_city`).
_WHICH_MUNICIPALITIES = re.compile(
    r"\b(?:which|what) municipalit(?:y|ies)\b|\bquel(?:le)?s? (?:municipalites?|communes?)\b"
)


#: A letter that is no word of its own, before a word: one name with it ("K quarantine",
#: "e-mail", "e-learning"), which the letter alone would not be kept in (`words` keeps words of
#: two letters or more). Not "h" (« 18 h sur Facebook ») nor the chat spellings "u" and "r".
_LETTER_PREFIX = re.compile(r"\b([befgkopqvwxz]) (?=[^\W\d_]{2})")


def of_every_city(text: str) -> str:
    """`text` (folded) as asked of every city: "which municipalities used Facebook?" asks which
    cities did, and "municipalities" names no fact; asked of one city ("which municipalities did
    Santiago's Project Hope work in?"), the word is what the question asks about, and stays."""
    return _WHICH_MUNICIPALITIES.sub("cities", fold(text))


#: "Called" or "named" ending a clause, and the French reflexive « s'appeler » (folded): they ask
#: what a thing is named ("what was the campaign called?", « comment s'appelait l'émission ? »),
#: no phone call.
_NAMED_AS = re.compile(r"\b(?:called|named)\b(?= *(?:[?,.!;]|$|and\b))|\bs appel\w*")


def compounded(text: str) -> str:
    """`text` folded, each phrase of `COMPOUNDS` as its one word ("footed the bill": "paid"),
    and without the words that ask what a thing is named (`_NAMED_AS`)."""
    return _NAMED_AS.sub(" ", _COMPOUND.sub(lambda match: COMPOUNDS[match.group()], fold(text)))


def words(text: str, ignored: Collection[str] = frozenset()) -> list[str]:
    """The folded words of `text` that can select a fact (not stop words, not `ignored`), each
    phrase of `COMPOUNDS` as its one word. `ignored` is looked up as given, not copied: the fact
    index passes its names (thousands at 1 000 cities) for each of its documents."""
    folded = _LETTER_PREFIX.sub(r"\1", compounded(text))
    return [
        w
        for w in _WORD.findall(folded)
        if len(w) > 1 and w not in STOP_WORDS and w not in ignored and not w.isdigit()
    ]


#: Folded words the stemmers would join to words of another meaning -> the one stem they keep
#: instead: "distancing" (social) is no "distance" (learning), and « distanciation » is it in
#: French; "busy" is no "business", « pays » (country) no "pay", a "port" no « porter » (to
#: wear), "relatives" (family) no "relations", « foyers » (households) no « fois », "Casa" (of
#: Merenda em Casa) no « cas ». (Not « livres », books: folded, « livrés », delivered, is the
#: same word.)
OWN_STEMS = {
    "distancing": "distancing",
    "distanciation": "distancing",
    "busy": "busy",
    "pays": "pays",
    "port": "seaport",
    "ports": "seaport",
    "relative": "relative",
    "relatives": "relative",
    "foyer": "foyer",
    "foyers": "foyer",
    "casa": "casa",
    # the stemmer's "recoveri" would be apart from "recover", "recovering"
    "recovery": "recov",
    "recoveries": "recov",
    # "the 15 min city": minutes, as people shorten them
    "min": "minut",
    "mins": "minut",
}


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The English and French stems of a folded word (one when they agree, or its `OWN_STEMS`
    one): a word's language is unknown, and each fact is indexed through both, so the two stems
    find it in either. The English stem is that of the word's lemma: the stemmer leaves irregular
    forms as they are ("taught" is no "teaching" to it). (French words come folded, which the
    French lemmas do not know: « livrés » would be « livres ».)"""
    if word in OWN_STEMS:
        return (OWN_STEMS[word],)
    english = simplemma.lemmatize(word, lang="en")  # "taught": teach, "paid": pay
    return tuple(dict.fromkeys((_ENGLISH.stemWord(english), _FRENCH.stemWord(_feminine_as_masculine(word)))))


def _feminine_as_masculine(word: str) -> str:
    """A folded French past participle in « -ée(s) » as its « -é » form: the French stemmer
    knows « distribuées » but not « distribuees », which it would leave apart from « distribué »
    and « distribuer ». Only when the accented form is a French word (simplemma's dictionary):
    not "committee", nor the misspelt "commitee", which the spelling check must still see."""
    if not word.endswith(("ee", "ees")):
        return word
    plural = word.endswith("ees")
    accented = word[:-3] + "ées" if plural else word[:-2] + "ée"
    if not simplemma.is_known(accented, lang="fr"):
        return word
    return word[:-2] if plural else word[:-1]


@lru_cache(maxsize=65536)
def is_a_word(word: str) -> bool:
    """Whether a folded word is an English or French word (simplemma's dictionaries), which a
    spelling check must leave as it is: "pushed" is no misspelt "rushed", nor « disait » a
    misspelt « visait », though the facts say only the second."""
    return simplemma.is_known(word, lang="en") or simplemma.is_known(word, lang="fr")


#: Words saying something was not done (folded): "without restricting", « sans restreindre »; a
#: question saying one of them asks about what was not done ("which cities had zero cases?").
NEGATIONS = frozenset(
    ["no", "not", "without", "never", "none", "zero", "sans", "aucun", "aucune", "jamais", "pas", "ni"]
)
#: Those that deny the verb after them ("did not close", "without restricting", « sans
#: restreindre »), not a noun ("without access to computers" gave access to those who had none).
_DENYING = frozenset(["not", "never", "pas", "jamais", "without", "sans"])
#: A verb after "without" / « sans »: "-ing" in English, an infinitive in French.
_VERB = re.compile(r"\w+(?:ing|er|ir|re)$")


def negated_terms(text: str) -> frozenset[str]:
    """The terms of the verbs `text` says were not done ("Seoul kept the city functioning without
    restricting residents' movement"): the meaning-bearing word right after a denying word,
    when it is a verb (phrases of `COMPOUNDS` first: « sans-abri » denies nothing)."""
    said = compounded(text).split()
    denied: set[str] = set()
    for i, word in enumerate(said):
        following = words(" ".join(said[i + 1 : i + 3]))[:1] if word in _DENYING else []
        if following and (word not in ("without", "sans") or _VERB.fullmatch(following[0])):
            denied.update(stems(following[0]))
    return frozenset(denied)


def terms(text: str, ignored: Collection[str] = frozenset()) -> list[str]:
    """The terms of `text`: the stems of its meaning-bearing words, in order (repeats kept)."""
    return [stem for word in words(text, ignored) for stem in stems(word)]


#: A related word or phrase as it is searched: the stems of each of its words.
Entry = tuple[tuple[str, ...], ...]


def related_terms(groups: Iterable[Sequence[str]]) -> dict[str, tuple[Entry, ...]]:
    """Term -> each word or phrase related to it (knowledge/related_words.yml), as the stems of
    its words.

    Keyed by the stems of the one-word entries of each group, which is how a question's word
    is looked up; every other entry of its groups, phrases included ("flights" -> "air links"),
    is what that word also searches for. Entries sharing a stem with the word add nothing.
    """
    related: dict[str, dict[Entry, None]] = {}
    for group in groups:
        entries = [tuple(stems(word) for word in words(entry)) for entry in group]
        for entry in entries:
            if len(entry) != 1:
                continue
            own = set(entry[0])
            for other in entries:
                if other and not own & {term for word in other for term in word}:
                    for term in own:
                        related.setdefault(term, {})[other] = None
    return {term: tuple(others) for term, others in related.items()}


_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\s+[—–-]\s+")
#: A term the text quotes: « comité de crise », 'crisis committee' (an apostrophe inside a word,
#: "Sidon's", opens none).
_QUOTED = re.compile(r"«\s*([^»]+?)\s*»|(?<!\w)'([^'\n]+?)'(?!\w)")


def proper_words(texts: Iterable[str]) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The words of `texts` that are names of things (folded): capitalised inside a sentence and
    never written in lower case ("EMAPUR", "Akchour", "Wilma"), and the pairs of capitalised
    words written together inside a sentence ("Urban Solutions", "Project Hope"), whose words
    may be everyday words on their own."""
    capitalised: set[str] = set()
    lower: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for text in texts:
        for sentence in _SENTENCE.split(text):
            tokens = _WORD.findall(sentence)
            for i, token in enumerate(tokens):
                if not token[0].isupper():
                    lower.add(fold(token))
                elif i > 0:
                    capitalised.add(fold(token))
                    if tokens[i - 1][0].isupper() and i > 1:
                        pairs.add((fold(tokens[i - 1]), fold(token)))
    return frozenset(capitalised - lower), frozenset(pairs)


def quoted_terms(text: str) -> frozenset[tuple[str, ...]]:
    """The terms of several words (as `words` gives them) that `text` quotes: a source quotes
    the name it gives a thing where it introduces it (the 'crisis committee' of Sidon); the
    facts that follow mention it in passing."""
    found = (tuple(words(quoted.group(1) or quoted.group(2))) for quoted in _QUOTED.finditer(text))
    return frozenset(term for term in found if len(term) > 1)


_HOW_MANY = re.compile(r"\b(?:how many|how much|combien|nombre de|number of|quantity|quantite)\b")
#: The months, in English and French (folded).
MONTHS = (
    "january february march april may june july august september october november december "
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre"
)
#: Months and days, which English writes capitalised: they date a fact, and name no thing of it.
CALENDAR_WORDS = frozenset(
    MONTHS.split() + ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_COUNT = re.compile(
    rf"(?<!covid )\b(?!(?:19|20)\d\d\b)\d[\d,.\u202f\u00a0 ]*\d\b(?! (?:{MONTHS.replace(' ', '|')})\b)|\b\d+ ?%"
)


_WHAT_IS = re.compile(
    r"\b(?:what (?:is|was|are|were)|whats|c est quoi|qu est ce que|qu est ce qu|que (?:signifie|veut dire)"
    r"|ca veut dire|meaning of|what does \w+(?: \w+){0,3} mean)\b"
)


#: "what's", which folding reads as a possessive and drops.
_WHATS = re.compile(r"\bwhat['’]s\b", re.IGNORECASE)


def asks_what_is(text: str) -> bool:
    """Whether `text` asks what something is ("What is K-quarantine?", "What's TTASUM?",
    « c'est quoi Wilma ? »); "what is Osan doing for…?" and « qu'est-ce que Gdynia a fait pour… ? »
    ask what was done."""
    folded = fold(text)
    return bool(_WHATS.search(text) or _WHAT_IS.search(folded)) and not _DOING.search(folded)


#: "what is Osan doing…?", « qu'est-ce que Gdynia a fait… ? »: what was done, not what a thing is.
_DOING = re.compile(r"\b(?:doing|fait|faisait|faisaient)\b")


_WHAT_IT_DOES = re.compile(r"\b(?:que (?:fait|font|faisait)|what (?:does|do|did) \w+(?: \w+){0,2} do)\b")


#: A word or mark that makes a message a question or a sentence, rather than the name of a thing
#: ("Sidon comité de crise", "espoo corona chatbot"), folded.
_QUESTION = re.compile(
    r"\?|\b(?:what|how|who|whom|which|when|where|why|did|does|do|is|are|was|were|has|have|had|can|could|will|would"
    r"|quoi|que|qu|comment|qui|quel|quelle|quels|quelles|quand|pourquoi|combien|est|sont|ont|avait|peut)\b"
)
#: « a » (has) and « où » (where) as typed, not folded: « à Saïda » and "masks ou gel" (or)
#: are no sentence.
_HAS_OR_WHERE = re.compile(r"(?<!\w)(?:a|où)(?!\w)")


def names_a_thing_only(text: str) -> bool:
    """Whether `text` is a bare phrase, no question nor sentence ("Sidon comité de crise",
    « comité de crise à Saïda »): it asks what the thing it names is, as "what is Sidon's crisis
    committee?" would."""
    return not _QUESTION.search(fold(text)) and not _HAS_OR_WHERE.search(text.lower())


def asks_what_it_does(text: str) -> bool:
    """Whether `text` asks what something does (« que fait la CODAE ? », "what does TTASUM do?"):
    a "what is" question when what it names is a thing, not a city (`FactIndex`)."""
    return bool(_WHAT_IT_DOES.search(fold(text)))


def asks_how_many(text: str) -> bool:
    """Whether `text` asks for a number ("how many cards?", « combien de tests ? »), not for how
    long something lasted (« combien de temps… ? », `asks_how_long`)."""
    folded = fold(text)
    return bool(_HOW_MANY.search(folded)) and not _HOW_LONG.search(folded)


#: What may come between "how many" and the thing counted ("how many of the", « combien de »).
_BEFORE_COUNTED = frozenset({"of", "the", "de", "d", "des"})


def counted_words(text: str) -> list[str]:
    """The words naming what a "how many…?" question counts, as typed: "how many grocery cards
    did São Paulo give out?": grocery, cards; « combien de masques… ? »: masques. At most three,
    up to the first stop word; [] when it names nothing ("how many were there?")."""
    folded = compounded(text)
    asked = _HOW_MANY.search(folded)
    if asked is None:
        return []
    tokens = folded[asked.end() :].split()
    while tokens and tokens[0] in _BEFORE_COUNTED:
        tokens.pop(0)
    counted = list(itertools.takewhile(lambda token: token.isalpha() and token not in STOP_WORDS, tokens))
    return counted[:3]


#: "how long…?", « combien de temps… ? », « ça a duré… ? » (folded).
_HOW_LONG = re.compile(
    r"\b(?:how long|for how many (?:days|weeks|months|years)|combien de (?:temps|jours|semaines|mois|ans|annees)"
    r"|pendant combien|duree|a dure|ont dure|avait dure|durait|duraient|durera)\b"
)
_NUMBER_WORDS = "one two three four five six seven eight nine ten twelve un une deux trois quatre cinq six sept huit neuf dix douze"
#: A length of time ("lasting five months", « en 5 semaines », "until schools reopen") (folded).
_DURATION = re.compile(
    rf"\b(?:\d+|{_NUMBER_WORDS.replace(' ', '|')})[ -](?:days?|weeks?|months?|years?|jours|semaines|mois|ans|annees)\b"
    r"|\b(?:lasting|lasts|lasted|durer|durera|duree|until|jusqu)\b"
)


def asks_how_long(text: str) -> bool:
    """Whether `text` asks how long something lasted or will last."""
    return bool(_HOW_LONG.search(fold(text)))


def states_duration(text: str) -> bool:
    """Whether `text` says how long something lasts or until when ("an initiative lasting five
    months", « en 5 semaines », "for as long as the pandemic lasts", "until schools reopen")."""
    return bool(_DURATION.search(fold(text)))


#: "how old…?", "was it new with COVID?", « depuis quand… ? », « ça date de quand ? » (folded).
_SINCE_WHEN = re.compile(
    r"\b(?:how old|older than|since when|how long ago|invented|(?:existed|exist|around) before"
    r"|(?:is|was) (?:it|this|that) (?:something |really )?new|something new|brand new|new with"
    r"|depuis quand|dates? de quand|datait de quand|remonte a quand|existait (?:deja )?avant|existe depuis"
    r"|(?:est|etait) (?:ce|c) (?:du |quelque chose de )?nouveau|c (?:est|etait) nouveau|nouveau avec"
    r"|plus ancien(?:ne)?|invente|(?:or|is it|was it|or is it|or was it) older|predates?|predated|before (?:covid|the pandemic)"
    r"|avant (?:le covid|la pandemie))\b"
)
#: Since when something has been (folded): "dates from 2013", « remonte à 2013 », "joined the
#: network in 2016", « admise… en juillet 2019 », "platforms that already existed".
_ORIGIN = re.compile(
    r"\b(?:dates? (?:back )?(?:from|to)|dating (?:back )?from|since (?:19|20)\d\d|remonte a|remontent a"
    r"|depuis (?:19|20)\d\d|already existed|existait deja|deja en place"
    r"|(?:joined|founded|established|created|admitted|rejoint|admise?s?|fondee?s?|creee?s?)\b[^.;]{0,80}?"
    r"\b(?:in|en) (?:[a-z]+ )?(?:19|20)\d\d)\b"
)


def asks_since_when(text: str) -> bool:
    """Whether `text` asks how old something is, or whether it is new."""
    return bool(_SINCE_WHEN.search(fold(text)))


def states_origin(text: str) -> bool:
    """Whether `text` says since when something has been."""
    return bool(_ORIGIN.search(fold(text)))


#: What a question asks would come, at the time it was said: "what did Park say the webinar would
#: look at?", "was it going to…?", "will children have to…?", « on allait regarder quoi ? », « ils
#: vont devoir… ? » (folded).
_ASKS_AHEAD = re.compile(
    r"\b(?:would|will|(?:was|were|is|are) going to|allait|allaient|vont devoir|va devoir|allait devoir)\b"
)
#: What a fact says would come, in either of its languages: its English says "would" or "will".
_AHEAD = re.compile(r"\b(?:would|will)\b")


def asks_ahead(text: str) -> bool:
    """Whether `text` asks what would come (a plan, an announcement, what was expected)."""
    return bool(_ASKS_AHEAD.search(fold(text)))


def says_ahead(text: str) -> bool:
    """Whether `text` says what would come ("said the webinar would look at…", "awaiting guidance
    to see whether children will also be expected to wear masks")."""
    return bool(_AHEAD.search(fold(text)))


#: "who paid for…?", « qui a financé… ? », "how was it funded?", "paid by…" (folded).
_ASKS_FUNDING = re.compile(
    r"\b(?:who|qui)\b(?: \w+){0,3} (?:paid|pays|pay|funded|funds|financed|finance|financait|payait|paye|payaient)\b"
    r"|\b(?:how|comment)\b(?: \w+){0,6} (?:funded|financed|paid for|finance|financee|finances)\b"
    r"|\b(?:funded|financed|paid|finance|financee|paye)s? (?:by|par)\b"
    r"|\bwhere\b(?: \w+){0,6} (?:money|funding|funds|budget)\b(?: \w+){0,6} (?:come|came|coming) from\b"
    r"|\b(?:source of|sources of) (?:the |its |their )?(?:money|funding|funds)\b"
    r"|\b(?:d ou|de ou)\b(?: \w+){0,3} (?:argent|financement|fonds|budget)\b"
)
#: Words with which a fact says where money came from or went (folded).
_MONEY = re.compile(
    r"\b(?:budgets?|costs?|fund|funds|funded|funding|financ\w*|paid|pay|pays|paying|grants?|money|invest\w*"
    r"|frais|couts?|fonds|argent|subventions?|payer|payes?|payees?|payait|payaient|remuner\w*|salar\w*)\b"
)


def asks_who_paid(text: str) -> bool:
    """Whether `text` asks who paid for something or how it was funded ("who footed the bill?"
    too: read with `COMPOUNDS`)."""
    return bool(_ASKS_FUNDING.search(compounded(text)))


def speaks_of_money(text: str) -> bool:
    """Whether `text` says where money came from or went ("the city's budget covered all the
    costs", « un fonds spécial »)."""
    return bool(_MONEY.search(fold(text)))


#: "who made…?", « qui a participé à… ? », "with whom…?", "which partners…?" (folded): a question
#: about who did something, not about what a person said, presented or moderated, nor for whom it
#: was done ("who was it for?", « c'était pour qui ? », « qui passera en premier pour recevoir des
#: masques ? »).
_ASKS_WHO_DID = re.compile(
    r"(?:^(?:(?:and|so|but|ok|okay|hi|hello|hey|then|also) )*who|\bwith whom|\bby whom|^(?:(?:et|mais|alors|donc|et alors) )?qui|\bc est qui|\b(?:avec|par) qui)\b"
    r"(?!(?: \w+){0,2} (?:said|say|says|spoke|speak|presented|present|presents|moderated|chaired|mayor"
    r"|dit|disait|parle|presente|presentait|anime|animait|maire|paid|paye|finance))"
    r"(?!(?: \w+){0,2} (?:phone|call|ring|contact|appeler|telephoner|contacter|joindre)\b)"
    r"(?!.*\b(?:receive|received|receives|receiving|get|gets|got|getting|benefit\w*|eligible|recevoir|recoit"
    r"|recevait|recevaient|recu|recus|recues|beneficie\w*|droit|priorit\w*"
    r"|aimed|meant|intended|designed|targeted|destinee?s?|visait|visaient|vise|visee?s?)\b)"
    r"(?!.*\b(?:for|pour)\b(?: \w+){0,2}$)"
    r"|\b(?:which|what|quels?|quelles?)(?: \w+)? (?:partners|organisations|organizations|institutions"
    r"|departments|groups|partenaires|organismes|organisations|institutions|services|associations)\b"
    r"|\bqui en fait partie\b"
)
#: Words with which a fact names who acted (folded), by what they name in either language:
#: partners, services, groups of people at work.
_ACTOR_GROUPS = {
    "partner": "partner partners partnership partnerships collaboration partenaire partenaires partenariat"
    " partenariats",
    "department": "department departments services departement departements",
    "university": "university universities universite universites",
    "organisation": "organisation organisations organization organizations ngo ngos ong institution"
    " institutions association associations foundation foundations fondation fondations agency agencies"
    " agence agences",
    "volunteer": "volunteer volunteers benevole benevoles",
    "artist": "artist artists artiste artistes",
    "politician": "politicians politiques elu elus",
    "expert": "expert experts specialist specialists specialiste specialistes",
    "ministry": "ministry ministries ministere ministeres",
    "committee": "committee committees comite comites commission commissions",
    "staff": "staff workers professionals personnel agents professionnels",
    "doctor": "doctors medecins",
    "nurse": "nurses infirmier infirmiers infirmiere infirmieres",
    "teacher": "teachers enseignants professeurs",
    "librarian": "librarians bibliothecaires",
    "company": "companies businesses entreprises",
    "team": "team teams equipe equipes",
    "activist": "activists militants",
    "media": "media medias",
    "actor": "actors acteurs",
}
_ACTOR = {form: group for group, forms in _ACTOR_GROUPS.items() for form in forms.split()}
_ACTORS = re.compile(r"\b(?:" + "|".join(sorted(_ACTOR, key=len, reverse=True)) + r")\b")


def in_a_clause(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `pattern` matches one clause of `text` (folded, from its start): the French
    relative « qui » after a comma ("the cities that…") is no "who?"."""
    return any(pattern.search(fold(clause).strip()) for clause in re.split(r"[,;:?!.]", text))


def asks_who_did(text: str) -> bool:
    """Whether `text` asks who did something ("who helped make the TV show?", « qui en fait
    partie ? »), not who said or presented something, for whom it was done, nor whom to call
    ("who can I phone at night?" asks for a helpline, not for who acted)."""
    return in_a_clause(_ASKS_WHO_DID, text)


def names_actors(text: str) -> frozenset[str]:
    """Who `text` names as having acted (partners, departments, volunteers, doctors…), each as
    the English word for it: a question may name one of them as what it asks about ("who is on
    the crisis committee?"), and a fact naming only that one does not say who."""
    return frozenset(_ACTOR[word] for word in _ACTORS.findall(fold(text)))


def counts_something(text: str) -> bool:
    """Whether `text` gives a number that is no year nor day of a date ("476,566 cards", "26,000
    food baskets", "40%")."""
    return bool(_COUNT.search(fold(text)))
