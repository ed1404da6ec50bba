"""French typography at render time: the rule (citybot.language.typography), the Rasa server's
response generator that applies it (citybot.nlg, named in bot/endpoints*.yml), and real replies.

U+202F (narrow no-break space) before ; ! ?, U+00A0 (no-break space) before : and inside « »
(the Imprimerie nationale's convention); English replies are left as they are.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

import pytest
import yaml
from action_harness import DOMAIN, KB, NLG, entity, run, tracker_for
from hypothesis import given
from hypothesis import strategies as st
from rasa.core.nlg import NaturalLanguageGenerator, TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import CollectingDispatcher

from actions.city import AnswerCityTopic
from actions.facts import Reply, button
from citybot.channels.conversation_ids import conversation_id
from citybot.language.typography import NARROW_NBSP as N
from citybot.language.typography import NBSP as S
from citybot.language.typography import french_typography
from citybot.nlg import FrenchTypographyNLG

ROOT = Path(__file__).resolve().parent.parent

CASES = [
    # ; ! ? take U+202F, : takes U+00A0; an ordinary space is converted, a missing one added
    ("Bonjour !", f"Bonjour{N}!"),
    ("Bonjour!", f"Bonjour{N}!"),
    ("Et vous ?", f"Et vous{N}?"),
    ("Et vous?", f"Et vous{N}?"),
    ("d'abord ; ensuite", f"d’abord{N}; ensuite"),
    ("d'abord; ensuite", f"d’abord{N}; ensuite"),
    ("Source : UIL", f"Source{S}: UIL"),
    ("Source: UIL", f"Source{S}: UIL"),
    ("Webinaires :\n• un", f"Webinaires{S}:\n• un"),
    # the other width, several spaces, a thin space: all become the one required
    (f"Et vous{S}?", f"Et vous{N}?"),
    (f"Source{N}: UIL", f"Source{S}: UIL"),
    ("Quoi   ?", f"Quoi{N}?"),
    ("Quoi\u2009?", f"Quoi{N}?"),
    # a cluster takes one space, before its first mark
    ("Vraiment ?!", f"Vraiment{N}?!"),
    ("Vraiment?!", f"Vraiment{N}?!"),
    ("Quoi ?!…", "Quoi ?!…"),  # not the end of a phrase by our rule: left alone
    # guillemets: U+00A0 inside, whatever was there
    ("« que sais-tu faire ? »", f"«{S}que sais-tu faire{N}?{S}»"),
    ("«oui»", f"«{S}oui{S}»"),
    (f"«{N}oui{N}»", f"«{S}oui{S}»"),
    ("le thème « santé » :", f"le thème «{S}santé{S}»{S}:"),
    ("« Ma question ? », dit-il.", f"«{S}Ma question{N}?{S}», dit-il."),
    # marks after a closing bracket or quote, before a closing one or markdown emphasis
    ("(GNLC) : oui", f"(GNLC){S}: oui"),
    ("(vraiment ?)", f"(vraiment{N}?)"),
    ("**Note:** lire", f"**Note{S}:** lire"),
    # left alone: times, ratios, URLs, e-mail addresses, markdown links, code, emoticons
    ("à 10:30 ou 14:00", "à 10:30 ou 14:00"),
    ("un ratio de 1:2", "un ratio de 1:2"),
    ("https://uil.unesco.org/fr/page?id=3&a=b:c", "https://uil.unesco.org/fr/page?id=3&a=b:c"),
    ("Voir https://uil.unesco.org/x?", "Voir https://uil.unesco.org/x?"),
    ("www.uil.unesco.org/a?b", "www.uil.unesco.org/a?b"),
    ("<https://a.org/x:y>", "<https://a.org/x:y>"),
    ("écrire à info@uil.unesco.org: merci", f"écrire à info@uil.unesco.org{S}: merci"),
    ("[le compte rendu](https://a.org/?q=1) : lu", f"[le compte rendu](https://a.org/?q=1){S}: lu"),
    ("tapez `/aide:fr` ici", "tapez `/aide:fr` ici"),
    ("merci :) et ;-) et :D et :P", "merci :) et ;-) et :D et :P"),
    ("merci:)", "merci:)"),
    ("![image](photo.png)", "![image](photo.png)"),
    ("(?)", "(?)"),
    ("«!", f"«{S}!"),
    # no mark at a line's start or the text's start gets a space, nor an empty «
    ("? au début", "? au début"),
    ("ligne\n: suite", "ligne\n: suite"),
    ("« \nfin", "« \nfin"),
    # English-looking text in a French reply: the rule is the French one wherever it applies
    ("", ""),
    ("aucune marque", "aucune marque"),
    # apostrophes between two letters become ’; quotes around words, digits and URLs do not
    ("l'UIL et aujourd'hui, qu'Évry", "l’UIL et aujourd’hui, qu’Évry"),
    ("la série 'Learning cities' : titre", f"la série 'Learning cities'{S}: titre"),
    ("l'an '20, 5'000", "l’an '20, 5'000"),
    ("https://a.org/l'uil", "https://a.org/l'uil"),
    ("déjà l’UIL", "déjà l’UIL"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_french_typography(text, expected):
    assert french_typography(text) == expected
    assert french_typography(expected) == expected  # idempotent on the result


def test_the_rule_is_the_imprimerie_nationale_one():
    """Narrow before ; ! ?, word-width before : and inside « »: the two widths are not mixed up."""
    spaced = french_typography("« a » ; b ! c ? d : e")
    assert spaced == f"«{S}a{S}»{N}; b{N}! c{N}? d{S}: e"
    assert (N, S) == ("\u202f", "\u00a0")


def _non_space(text: str) -> list[str]:
    """The characters other than spaces, an apostrophe counting as one whichever its form."""
    return [c for c in text.replace("’", "'") if not c.isspace()]


#: Text built mostly from the characters the rule looks at, so that examples hit its cases.
_TYPOGRAPHIC = st.text(
    alphabet=st.sampled_from(list("ab1 :;!?«»()[]*_`<>@./-'\n\t") + [S, N, "\u2009", "D", "é"]),
    max_size=40,
)


@given(st.one_of(st.text(max_size=200), _TYPOGRAPHIC))
def test_any_text_keeps_its_other_characters_and_applying_twice_changes_nothing(text):
    spaced = french_typography(text)
    assert _non_space(spaced) == _non_space(text)
    assert spaced.count("\n") == text.count("\n")
    assert french_typography(spaced) == spaced


@given(_TYPOGRAPHIC)
def test_no_ordinary_space_is_left_before_a_mark_that_ends_a_phrase(text):
    spaced = french_typography(text)
    # a mark after an ordinary space and before a space or the end: the rule always converts it
    # (unless it is an emoticon, whose characters this alphabet cannot all make up with a space)
    assert not re.search(r"(?<=\w) +[;!?]+(?=\s|$)", spaced), repr(spaced)
    assert not re.search(r"« +(?=\w)", spaced), repr(spaced)


# --- The Rasa server's generator, configured from bot/endpoints*.yml, with the real domain.


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints.scaled.yml"])
def test_both_endpoint_files_make_rasa_build_the_typography_generator(name):
    section = yaml.safe_load((ROOT / "bot" / name).read_text())["nlg"]
    nlg = NaturalLanguageGenerator.create(EndpointConfig.from_dict(section), DOMAIN)
    assert isinstance(nlg, FrenchTypographyNLG)
    # a TemplatedNaturalLanguageGenerator: Rasa's Agent hands it the responses of each model it loads
    assert isinstance(nlg, TemplatedNaturalLanguageGenerator)
    assert nlg.responses == DOMAIN.responses


def render(response: str, lang: str | None, **values: str) -> dict:
    events = [SlotSet("language", lang)] if lang else []
    state = DialogueStateTracker.from_events("typography", events, slots=DOMAIN.slots)
    reply = asyncio.run(NLG.generate(response, state, "rest", **values))
    assert reply is not None
    return reply


def test_a_static_french_response_gets_its_spaces_and_the_english_one_is_unchanged():
    french = render("utter_greet", "fr")["text"]
    assert french.startswith(f"Bonjour{N}! ")
    assert f"«{S}que sais-tu faire{N}?{S}»" in french
    english = render("utter_greet", "en")["text"]
    assert english == DOMAIN.responses["utter_greet"][0]["text"]
    assert S not in english and N not in english


def test_french_button_titles_of_the_domain_are_spaced():
    reply = render("utter_out_of_scope", "fr")
    assert [b["title"] for b in reply["buttons"]] == [f"Que sais-tu faire{N}?"]
    assert [b["title"] for b in render("utter_out_of_scope", "en")["buttons"]] == ["What can you do?"]


def test_values_are_spaced_with_the_sentence_they_fill():
    reply = render(
        "utter_city_topic", "fr", city="Évry", topic="santé", facts="• a: b", reporter="X", date="1er mai"
    )
    assert reply["text"].startswith(f"Évry, santé{S}:\n• a{S}: b\n")


def _variations(lang: str) -> list[tuple[str, str]]:
    """(response, text) of every variation of the domain in `lang`."""
    found = []
    for name, variations in DOMAIN.responses.items():
        for variation in variations:
            french = any(c.get("value") == "fr" for c in variation.get("condition") or [])
            if french == (lang == "fr") and variation.get("text"):
                found.append((name, variation["text"]))
    return found


def test_every_french_response_of_the_domain_renders_with_no_breaking_space_left():
    """Each French variation, its placeholders filled with "x", as the server renders it."""
    names = {name for name, _ in _variations("fr")}
    assert len(names) > 40  # the whole domain, not a handful
    for name in sorted(names):
        values = {
            key: "x" for key in re.findall(r"{(\w+)}", " ".join(t for n, t in _variations("fr") if n == name))
        }
        text = render(name, "fr", **values)["text"]
        assert not re.search(r" [;:!?»]|« ", text), (name, text)


def test_every_english_response_renders_exactly_as_rasa_s_own_generator_does():
    plain = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    for name, _ in _variations("en"):
        state = DialogueStateTracker.from_events("en", [SlotSet("language", "en")], slots=DOMAIN.slots)
        ours = asyncio.run(NLG.generate(name, state, "rest"))
        theirs = asyncio.run(plain.generate(name, state, "rest"))
        if len(DOMAIN.responses[name]) == 2:  # one English variation: the choice is not random
            assert ours == theirs, name


# --- Replies of custom actions, rendered as the Rasa server renders them.


def test_a_french_fact_answer_carries_the_no_break_spaces():
    text = "Qu'a fait Évry pour l'alimentation ?"
    tracker = tracker_for(
        text, [entity("city", "Évry", text), entity("topic", "alimentation", text)], lang="fr"
    )
    said, _ = run(AnswerCityTopic(), tracker)
    reply = said[0].text
    assert reply.startswith(f"Évry-Courcouronnes, {KB.topics['food'].label.fr}{S}:\n"), reply
    assert not re.search(r" [;:!?»]|« ", reply), reply
    english = run(
        AnswerCityTopic(), tracker_for("What did Évry do for food?", [entity("city", "Évry")], lang="en")
    )
    assert S not in english[0][0].text and N not in english[0][0].text


@pytest.mark.parametrize(("lang", "expected"), [("fr", f"Et ensuite{N}?"), ("en", "Et ensuite ?")])
def test_button_titles_an_action_builds_are_spaced_in_french_only(lang, expected):
    """Rasa adds an action's buttons after rendering the response, so `Reply.say` spaces them."""
    dispatcher = CollectingDispatcher()
    reply = Reply(dispatcher, tracker_for("", lang=lang), KB, lang)
    reply.say("utter_greet", buttons=[button("Et ensuite ?", "greet")])
    assert dispatcher.messages[0]["buttons"] == [{"title": expected, "payload": "/greet"}]


# --- The real Rasa server (the shared stack: bot/endpoints.yml, the trained model, the actions).


def rest(stack, sender: str, text: str) -> list[dict]:
    """One REST turn: the bot's messages."""
    from servers import http_post_json

    status, body = http_post_json(
        f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=120
    )
    assert status == 200, body
    return json.loads(body)


@pytest.mark.server
@pytest.mark.model
def test_the_rasa_server_spaces_french_replies_and_keeps_english_ones_as_written(stack):
    french = f"typo-fr-{time.time_ns()}"
    greeting = "\n".join(m.get("text") or "" for m in rest(stack, french, "Bonjour !"))
    assert f"Bonjour{N}! " in greeting and f"«{S}que sais-tu faire{N}?{S}»" in greeting, greeting
    answer = rest(stack, french, "Qu'a fait Évry pour l'alimentation ?")
    assert answer[0]["text"].startswith(f"Évry-Courcouronnes, {KB.topics['food'].label.fr}{S}:\n"), answer
    # the conversation stores what the user read
    events = stack.tracker(conversation_id("rest", french))["events"]
    said = [e["text"] for e in events if e["event"] == "bot"]
    assert said[0] == greeting, said

    english = rest(stack, f"typo-en-{time.time_ns()}", "Hello!")
    assert [m["text"] for m in english] == [DOMAIN.responses["utter_greet"][0]["text"]], english


APOSTROPHE_QUESTIONS = [
    "Qu'a fait Chefchaouen pour les examens ?",
    "c'est quoi l'UIL ?",
    "qu'a fait Évry pour l'alimentation ?",
    "Qu'est-ce que tu sais faire ?",
]


@pytest.mark.server
@pytest.mark.model
@pytest.mark.parametrize("question", APOSTROPHE_QUESTIONS)
def test_a_question_copied_with_typographic_apostrophes_is_understood_as_typed(stack, question):
    """Replies show ’ (users may copy it back); the training data has only '."""

    def understood(text: str) -> tuple:
        sender = f"typo-apostrophe-{time.time_ns()}"
        replies = [m.get("text") for m in rest(stack, sender, text)]
        user = [e for e in stack.tracker(conversation_id("rest", sender))["events"] if e["event"] == "user"][
            -1
        ]
        parse = user["parse_data"]
        entities = sorted((e["entity"], e["value"]) for e in parse["entities"])
        return parse["intent"]["name"], round(parse["intent"]["confidence"], 2), entities, replies

    straight, curly = understood(question), understood(question.replace("'", "’"))
    assert "’" in question.replace("'", "’")
    assert straight == curly
