"""Issue 16: a language the user asked for holds against keyword messages that look like the other.

The rules (`citybot.language.decision`, `citybot.language.hold`) on parse data as the Rasa server
stores it, with the real detector and the real knowledge base's names; both directions. The policy
and the action server reading the same events: tests/test_policies.py, tests/test_dialogue_stack.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from action_harness import KB, slot_events, tracker_for
from rasa_sdk import Tracker

from actions.resolve import reply_language
from actions.session import MAX_SESSION_TURNS, session_events
from citybot.language.decision import is_clear_sentence, message_language
from citybot.language.detect import detect
from citybot.language.hold import HELD_SLOT, Step, asked_language, held_language, history_from_dicts
from citybot.language.kb_words import language_vocabulary, name_stripper

NAMES = KB.name_words
_STRIPPER, _VOCABULARY = name_stripper(KB), language_vocabulary(KB)


def parsed(text: str) -> dict[str, Any]:
    """A message's parse data as the NLU leaves it: text and the real detector's guess."""
    return {
        "text": text,
        "intent": {"name": "ask_city_topic"},
        "language_guess": detect(text, _STRIPPER, _VOCABULARY).as_dict(),
    }


SWITCH_FR = {
    "text": '/switch_language{"language": "fr"}',
    "intent": {"name": "switch_language"},
    "entities": [{"entity": "language", "value": "fr"}],
}


def newest_first(*steps: Step) -> list[Step]:
    return list(reversed(steps))


@pytest.mark.parametrize(
    ("held", "text"),
    [
        ("fr", "Osan masks"),
        ("fr", "Goyang testing?"),
        ("fr", "masks in Osan?"),
        ("fr", "thanks"),
        ("en", "Osan masques"),
        ("en", "Goyang dépistage ?"),
        ("en", "écoles à Séoul"),
        ("en", "merci"),
    ],
)
def test_a_keyword_message_keeps_the_requested_language(held, text):
    message = parsed(text)
    other = "en" if held == "fr" else "fr"
    assert message["language_guess"]["code"] == other  # it does look like the other language
    assert message_language(held, message, NAMES, held=held) == held
    assert message_language(held, message, NAMES) == other  # without the hold: what issue 16 saw


@pytest.mark.parametrize(
    ("held", "text", "other"),
    [
        ("fr", "What did Osan do about masks?", "en"),
        ("fr", "Hi! what did Osan do about masks?", "en"),
        ("fr", "tell me about Goyang", "en"),
        ("en", "Qu'a fait Osan pour les masques ?", "fr"),
        ("en", "parle-moi de Goyang", "fr"),
    ],
)
def test_a_clear_sentence_in_the_other_language_ends_the_hold(held, text, other):
    message = parsed(text)
    assert is_clear_sentence(text, message["language_guess"], NAMES)
    assert message_language(held, message, NAMES, held=held) == other


def test_asking_for_the_other_language_ends_the_hold_even_in_few_words():
    message = parsed("in English please")
    assert message["language_guess"]["explicit"] is True
    assert message_language("fr", message, NAMES, held="fr") == "en"
    switch_en = dict(SWITCH_FR, entities=[{"entity": "language", "value": "en"}])
    assert message_language("fr", switch_en, NAMES, held="fr") == "en"


def test_a_clear_sentence_needs_both_the_words_and_the_confidence():
    assert not is_clear_sentence("Osan masks", {"code": "en", "confidence": 1.0}, NAMES)
    assert not is_clear_sentence("what did they do", {"code": "en", "confidence": 0.8}, NAMES)
    assert is_clear_sentence("what did they do", {"code": "en", "confidence": 0.95}, NAMES)
    assert not is_clear_sentence("what did they do", {"code": None, "confidence": 0.95}, NAMES)
    assert not is_clear_sentence(None, "junk", NAMES)
    # names do not count as words: "Chefchaouen Évry-Courcouronnes Mayo-Baléo" is no sentence
    assert not is_clear_sentence(
        "Chefchaouen Évry-Courcouronnes Mayo-Baléo", {"code": "en", "confidence": 1.0}, NAMES
    )


def test_the_hold_is_the_last_request_while_the_slot_kept_its_language():
    assert held_language([]) is None
    assert held_language(newest_first(("message", parsed("hello")), ("slot", "en"))) is None
    assert held_language(newest_first(("message", SWITCH_FR), ("slot", "fr"))) == "fr"
    assert (
        held_language(
            newest_first(
                ("message", SWITCH_FR), ("slot", "fr"), ("message", parsed("Osan masks")), ("slot", "fr")
            )
        )
        == "fr"
    )
    # a clear English sentence moved the slot: the hold is over, keywords then follow the slot
    over = newest_first(
        ("message", SWITCH_FR), ("slot", "fr"), ("message", parsed("What did Osan do?")), ("slot", "en")
    )
    assert held_language(over) is None
    # a later request in words starts a new hold
    again = [("message", parsed("réponds en français s'il te plaît")), *over]
    assert held_language(again) == "fr"


def test_what_counts_as_a_request():
    assert asked_language(SWITCH_FR) == "fr"
    assert asked_language(parsed("en anglais svp")) == "en"
    assert asked_language(parsed("Was the webinar in French?")) is None
    assert asked_language({"intent": "junk", "entities": 42, "language_guess": [1]}) is None


def test_history_from_serialised_events_skips_junk_and_reads_newest_first():
    events = [
        {"event": "user", "parse_data": SWITCH_FR},
        {"event": "slot", "name": "language", "value": "fr"},
        {"event": "slot", "name": "city", "value": "osan"},
        "junk",
        {"event": "user", "parse_data": parsed("Osan masks")},
    ]
    assert list(history_from_dicts(events)) == [
        ("message", parsed("Osan masks")),
        ("slot", "fr"),
        ("message", SWITCH_FR),
    ]


def _sdk_tracker(events: list[dict[str, Any]], latest: dict[str, Any], slot: str | None) -> Tracker:
    return Tracker("hold-user", {"language": slot}, latest, events, False, None, {}, "action_listen")


def test_the_action_server_decides_as_the_policy_when_the_slot_is_missing():
    keyword = parsed("Osan masks")
    events = [
        {"event": "user", "parse_data": SWITCH_FR},
        {"event": "user", "parse_data": keyword},
    ]
    assert reply_language(_sdk_tracker(events, keyword, None)) == "fr"
    assert reply_language(_sdk_tracker(events[1:], keyword, None)) == "en"  # nothing asked: the guess
    # the slot, set by the policy, always wins
    assert reply_language(tracker_for("Osan masks", lang="en")) == "en"


def test_the_action_server_leaves_names_out_of_a_clear_sentence_as_the_policy_does():
    keyword = parsed("Osan Goyang Seoul masks please")  # two words besides three names
    events = [{"event": "user", "parse_data": SWITCH_FR}, {"event": "user", "parse_data": keyword}]
    assert message_language("fr", keyword, NAMES, held="fr") == "fr"
    assert message_language("fr", keyword, frozenset(), held="fr") == "en"  # names counted: 5 words
    assert reply_language(_sdk_tracker(events, keyword, None)) == "fr"


# ----- a hold carried into a new conversation session (actions/session.py) ----------------------


def test_a_carried_hold_stands_for_the_request_before_the_session():
    carried = [("slot", "fr"), ("held", "fr")]  # what the new session starts with, oldest first
    assert held_language(newest_first(*carried, ("message", parsed("Osan masks")))) == "fr"
    moved = newest_first(*carried, ("message", parsed("What did Osan do?")), ("slot", "en"))
    assert held_language(moved) is None  # ended by a clear sentence, as a request's hold is
    newer = [("message", parsed("in English please")), ("slot", "en"), *newest_first(*carried)]
    assert held_language(newer) == "en"
    assert held_language([("held", None), ("held", "junk")]) is None
    events = [{"event": "slot", "name": HELD_SLOT, "value": "fr"}]
    assert list(history_from_dicts(events)) == [("held", "fr")]


def _full_session(first: dict[str, Any], then: dict[str, Any]) -> list[dict[str, Any]]:
    """A session of `MAX_SESSION_TURNS` user messages: `first`, then `then` again and again, each
    answered in the language the policy set."""
    events: list[dict[str, Any]] = [{"event": "session_started"}]
    for index in range(MAX_SESSION_TURNS):
        message = first if index == 0 else then
        events.append({"event": "user", "text": message["text"], "parse_data": message})
        lang = message_language(None, message, NAMES, held=held_language(history_from_dicts(events)))
        events.append({"event": "slot", "name": "language", "value": lang})
    return events


def _rolled_over(events: list[dict[str, Any]], slots: dict[str, Any]) -> list[dict[str, Any]]:
    """The events the answer to the session's last message ends with (empty: no new session)."""
    tracker = Tracker("hold-user", slots, events[-2]["parse_data"], events, False, None, {}, "action_listen")
    return session_events(tracker, [])


def test_a_new_session_carries_the_hold_in_force_and_the_next_keywords_keep_it():
    events = _full_session(SWITCH_FR, parsed("Osan masks"))
    assert events[-1]["value"] == "fr"  # held all session long
    new = _rolled_over(events, {"language": "fr"})
    assert slot_events(new) == {"language": "fr", HELD_SLOT: "fr"}
    keyword = parsed("Goyang masks")
    session = [{"event": "session_started"}, *new[1:-1], {"event": "user", "parse_data": keyword}]
    assert held_language(history_from_dicts(session)) == "fr"
    assert reply_language(_sdk_tracker(session, keyword, None)) == "fr"
    # without the carried hold: what issue 16's follow-up saw
    bare = [e for e in session if e.get("name") != HELD_SLOT]
    assert reply_language(_sdk_tracker(bare, keyword, None)) == "en"


def test_a_hold_ended_since_it_was_carried_is_not_carried_again():
    sentence = parsed("What did Osan do about masks?")
    events = _full_session(SWITCH_FR, sentence)
    events[1:1] = [{"event": "slot", "name": HELD_SLOT, "value": "fr"}]  # carried in before
    assert events[-1]["value"] == "en"
    new = _rolled_over(events, {"language": "en", HELD_SLOT: "fr"})  # the slot still says fr
    assert slot_events(new) == {"language": "en"}
    # a request in this session's last message is carried as well
    switched = [
        {"event": "user", "parse_data": SWITCH_FR},
        {"event": "slot", "name": "language", "value": "fr"},
    ]
    asked = _rolled_over([*events, *switched], {"language": "fr", HELD_SLOT: "fr"})
    assert slot_events(asked) == {"language": "fr", HELD_SLOT: "fr"}


def test_the_policy_reads_a_carried_hold_from_rasa_events(tmp_path):
    """The Rasa server's side: a new session starting with the carried slots, then keywords."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from citybot.policies import ConversationLanguagePolicy

    root = Path(__file__).resolve().parents[1]
    domain = Domain.load(str(root / "bot" / "domain.yml"))
    config = {**ConversationLanguagePolicy.get_default_config(), "knowledge_base": str(root / "knowledge")}
    policy = ConversationLanguagePolicy.create(
        config, LocalModelStorage(tmp_path), Resource("language"), ExecutionContext(GraphSchema({}), "t")
    )
    keyword = parsed("Goyang masks")
    said = UserUttered(keyword["text"], keyword["intent"], [], parse_data=keyword)

    def slot_set_by_policy(*carried: SlotSet) -> list[Any]:
        events = [SessionStarted(), *carried, ActionExecuted(ACTION_LISTEN_NAME), said]
        tracker = DialogueStateTracker.from_events("hold-user", events, slots=domain.slots)
        return policy.predict_action_probabilities(tracker, domain).events

    assert slot_set_by_policy(SlotSet("language", "fr"), SlotSet(HELD_SLOT, "fr")) == []  # stays fr
    assert slot_set_by_policy(SlotSet("language", "fr")) == [SlotSet("language", "en")]
