"""The project's dialogue policies: the one that tells the user when the action server could not
answer, and the one that sets the conversation's language (and predicts notices) in the Rasa server."""

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from citybot.policies import ActionServerDownPolicy, ConversationLanguagePolicy

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain.yml"))


@pytest.fixture()
def policy(tmp_path) -> ActionServerDownPolicy:
    return ActionServerDownPolicy.create(
        ActionServerDownPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("down"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def custom_action(domain: Domain) -> str:
    return next(a for a in domain.user_actions if a not in domain.responses)


def tracker(domain: Domain, *events) -> DialogueStateTracker:
    start = [ActionExecuted(ACTION_LISTEN_NAME), UserUttered("what about schools in Evry?")]
    return DialogueStateTracker.from_events("someone", start + list(events), slots=domain.slots)


def predicted(policy, domain, tracker_) -> str:
    prediction = policy.predict_action_probabilities(tracker_, domain)
    if max(prediction.probabilities) == 0:
        return None
    return domain.action_names_or_texts[prediction.probabilities.index(1.0)]


def test_a_live_custom_action_without_any_event_is_answered_with_the_apology(policy, domain):
    failed = tracker(domain, ActionExecuted(custom_action(domain), policy="RulePolicy", confidence=1.0))
    assert predicted(policy, domain, failed) == "utter_technical_problem"


def test_after_the_apology_the_bot_listens(policy, domain):
    apologised = tracker(
        domain,
        ActionExecuted(custom_action(domain), policy="RulePolicy", confidence=1.0),
        ActionExecuted("utter_technical_problem", policy="ActionServerDownPolicy", confidence=1.0),
        BotUttered("Sorry"),
    )
    assert predicted(policy, domain, apologised) == ACTION_LISTEN_NAME


def test_a_custom_action_that_answered_is_left_alone(policy, domain):
    answered = tracker(
        domain,
        ActionExecuted(custom_action(domain), policy="RulePolicy", confidence=1.0),
        BotUttered("In Évry-Courcouronnes…"),
    )
    assert predicted(policy, domain, answered) is None


def test_story_replay_without_policy_names_is_left_alone(policy, domain):
    """rasa test and training replay stories whose actions carry no policy: not a failure."""
    replayed = tracker(domain, ActionExecuted(custom_action(domain)))
    assert predicted(policy, domain, replayed) is None


def test_responses_and_listening_are_left_alone(policy, domain):
    assert predicted(policy, domain, tracker(domain)) is None
    greeted = tracker(domain, ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0))
    assert predicted(policy, domain, greeted) is None


def test_make_test_stories_switches_the_policy_off(policy, domain, monkeypatch):
    monkeypatch.setenv("CITYBOT_STORY_REPLAY", "1")
    failed = tracker(domain, ActionExecuted(custom_action(domain), policy="RulePolicy", confidence=1.0))
    assert predicted(policy, domain, failed) is None


# ----- ConversationLanguagePolicy ---------------------------------------------------------------

NOTICE = "action_answer_with_notice"
UNSURE = {"code": None, "confidence": 0.5, "explicit": False}


@pytest.fixture()
def language_policy(tmp_path) -> ConversationLanguagePolicy:
    config = {**ConversationLanguagePolicy.get_default_config(), "knowledge_base": str(ROOT / "knowledge")}
    return ConversationLanguagePolicy.create(
        config, LocalModelStorage(tmp_path), Resource("language"), ExecutionContext(GraphSchema({}), "test")
    )


def message(
    domain: Domain, text: str, language: str = None, intent: str = "ask_city_topic", entities=(), **parse
) -> DialogueStateTracker:
    """A tracker whose latest event is the user message (the first prediction for it)."""
    start = [SlotSet("language", language)] if language else []
    user = UserUttered(
        text,
        {"name": intent, "confidence": 0.9},
        list(entities),
        parse_data={"language_guess": UNSURE, **parse},
    )
    return DialogueStateTracker.from_events(
        "someone", start + [ActionExecuted(ACTION_LISTEN_NAME), user], slots=domain.slots
    )


def decision(policy, domain, tracker_):
    """(predicted action or None when it abstains, the events of the prediction)."""
    prediction = policy.predict_action_probabilities(tracker_, domain)
    action = None
    if max(prediction.probabilities) > 0:
        action = domain.action_names_or_texts[prediction.probabilities.index(1.0)]
    return action, prediction.events


def test_the_language_is_set_before_the_answer_without_predicting_anything(language_policy, domain):
    clear_fr = {"code": "fr", "confidence": 0.97, "explicit": False}
    assert decision(language_policy, domain, message(domain, "Bonjour", language_guess=clear_fr)) == (
        None,
        [SlotSet("language", "fr")],
    )
    assert decision(language_policy, domain, message(domain, "Chefchaouen ?", language="fr")) == (None, [])
    hint = message(
        domain, "ok", metadata={"language": "fr-FR"}, language_guess={"code": None, "confidence": 0.0}
    )
    assert decision(language_policy, domain, hint) == (None, [SlotSet("language", "fr")])


def test_the_page_switch_payload_sets_the_language(language_policy, domain):
    switch = message(
        domain,
        '/switch_language{"language":"fr"}',
        language="en",
        intent="switch_language",
        entities=[{"entity": "language", "value": "fr"}],
    )
    assert decision(language_policy, domain, switch) == (None, [SlotSet("language", "fr")])


def test_nothing_happens_once_the_message_is_answered(language_policy, domain):
    answered = message(
        domain, "Bonjour", language_guess={"code": "fr", "confidence": 0.97, "explicit": False}
    )
    answered.update(ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0))
    answered.update(BotUttered("Bonjour !"))
    assert decision(language_policy, domain, answered) == (None, [])


def test_a_message_needing_a_notice_goes_to_the_notice_action_then_the_bot_listens(language_policy, domain):
    german = message(domain, "Was hat Chefchaouen für die Schulen gemacht?", language="fr")
    assert decision(language_policy, domain, german) == (NOTICE, [])  # the language is kept
    shortened = message(domain, "hello " * 400, language="en", intent="greet", truncated=True)
    assert decision(language_policy, domain, shortened) == (NOTICE, [])
    shortened.update(ActionExecuted(NOTICE, policy="ConversationLanguagePolicy", confidence=1.0))
    shortened.update(BotUttered("Your message was very long"))
    assert decision(language_policy, domain, shortened) == (ACTION_LISTEN_NAME, [])


def test_a_failed_notice_action_is_left_to_the_action_server_down_policy(language_policy, policy, domain):
    failed = message(domain, "hello " * 400, language="en", intent="greet", truncated=True)
    failed.update(ActionExecuted(NOTICE, policy="ConversationLanguagePolicy", confidence=1.0))
    assert decision(language_policy, domain, failed) == (None, [])
    assert predicted(policy, domain, failed) == "utter_technical_problem"


def test_priorities_let_the_notice_win_over_the_rules(language_policy, policy):
    assert language_policy.priority > policy.priority > 6  # RulePolicy's default priority


def test_a_requested_language_holds_against_keywords_until_a_clear_sentence(language_policy, domain):
    """Issue 16, read back from Rasa's own events: the page's switch to French, then "Osan masks"
    (guessed English) stays French; a clear English sentence moves the slot; both directions."""
    keyword_en = {"code": "en", "confidence": 0.82, "explicit": False}
    clear_en = {"code": "en", "confidence": 1.0, "explicit": False}
    for asked, other, keyword, sentence, guess in (
        ("fr", "en", "Osan masks", "What did Osan do about masks?", keyword_en),
        ("en", "fr", "Osan masques", "Qu'a fait Osan pour les masques ?", None),
    ):
        guess = guess or {"code": "fr", "confidence": 0.82, "explicit": False}
        clear = clear_en if other == "en" else {"code": "fr", "confidence": 1.0, "explicit": False}
        switch = UserUttered(
            f'/switch_language{{"language":"{asked}"}}',
            {"name": "switch_language", "confidence": 1.0},
            [{"entity": "language", "value": asked}],
        )
        history = [
            SlotSet("language", other),
            ActionExecuted(ACTION_LISTEN_NAME),
            switch,
            SlotSet("language", asked),
            ActionExecuted("utter_language_switched", policy="RulePolicy", confidence=1.0),
            ActionExecuted(ACTION_LISTEN_NAME),
        ]
        keyword_turn = UserUttered(
            keyword, {"name": "ask_city_topic", "confidence": 0.9}, [], parse_data={"language_guess": guess}
        )
        held = DialogueStateTracker.from_events("someone", [*history, keyword_turn], slots=domain.slots)
        assert decision(language_policy, domain, held) == (None, [])  # stays `asked`
        sentence_turn = UserUttered(
            sentence, {"name": "ask_city_topic", "confidence": 0.9}, [], parse_data={"language_guess": clear}
        )
        ends = DialogueStateTracker.from_events("someone", [*history, sentence_turn], slots=domain.slots)
        assert decision(language_policy, domain, ends) == (None, [SlotSet("language", other)])
        # once moved, the hold is over: the same keyword now follows the conversation's language
        after = DialogueStateTracker.from_events(
            "someone",
            [
                *history,
                sentence_turn,
                SlotSet("language", other),
                ActionExecuted(ACTION_LISTEN_NAME),
                keyword_turn,
            ],
            slots=domain.slots,
        )
        assert decision(language_policy, domain, after) == (None, [])


# ----- GreetingWithQuestionPolicy -----------------------------------------------------------------


@pytest.fixture()
def greeting_policy(tmp_path):
    from citybot.policies import GreetingWithQuestionPolicy

    return GreetingWithQuestionPolicy.create(
        GreetingWithQuestionPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("greeting"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def test_a_thanks_naming_a_city_is_answered_as_a_follow_up_then_the_bot_listens(
    greeting_policy, policy, domain
):
    for intent, text in (("thank", "great thanks. and Puebla?"), ("greet", "salut, et Puebla ?")):
        carrying = message(domain, text, intent=intent, entities=[{"entity": "city", "value": "puebla"}])
        assert decision(greeting_policy, domain, carrying) == ("action_answer_follow_up", [])
        carrying.update(
            ActionExecuted("action_answer_follow_up", policy="GreetingWithQuestionPolicy", confidence=1.0)
        )
        # a failed call: both predict, the apology's policy ranks higher
        assert decision(greeting_policy, domain, carrying) == (ACTION_LISTEN_NAME, [])
        assert decision(policy, domain, carrying) == ("utter_technical_problem", [])
        assert policy.priority > greeting_policy.priority > 6  # RulePolicy's default priority
        carrying.update(BotUttered("In Puebla…"))
        assert decision(greeting_policy, domain, carrying) == (ACTION_LISTEN_NAME, [])


def test_pure_greetings_thanks_and_questions_are_left_to_the_rules(greeting_policy, domain):
    assert decision(greeting_policy, domain, message(domain, "thanks!", intent="thank")) == (None, [])
    assert decision(
        greeting_policy,
        domain,
        message(domain, "hello", intent="greet", entities=[{"entity": "language", "value": "fr"}]),
    ) == (None, [])
    city = [{"entity": "city", "value": "puebla"}]
    assert decision(
        greeting_policy, domain, message(domain, "and Puebla?", intent="inform", entities=city)
    ) == (None, [])


def test_a_goodbye_opening_with_a_question_word_is_a_question(greeting_policy, domain):
    """ "where could you see a doctor online?" read as goodbye ("see you") is answered."""
    for text in (
        "where could you see a doctor or nurse by video or online",
        "où pouvait-on voir un médecin ?",
        "Hi! where could you see a doctor online?",  # the question after the greeting
    ):
        asked = message(domain, text, intent="goodbye")
        assert decision(greeting_policy, domain, asked) == ("action_answer_follow_up", []), text
    for text in ("bye, see you", "ok merci, au revoir"):
        assert decision(greeting_policy, domain, message(domain, text, intent="goodbye")) == (None, []), text
