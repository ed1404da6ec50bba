"""Horizontal scaling with Rasa's own mechanisms: two Rasa server replicas and two action
servers on one machine, sharing a PostgreSQL tracker store and a Redis lock store configured by
bot/endpoints.scaled.yml from environment variables (see docs/deployment.md).

Needs PostgreSQL (POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test) and Redis
(REDIS_URL, default redis://127.0.0.1:6379/0). Skipped when they are unreachable, unless
CITYBOT_REQUIRE_SERVICES=1 (CI), which turns their absence into a failure. Conversations go
to a fresh PostgreSQL schema, dropped at the end.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from citybot.channels import credentials as channel_credentials
from citybot.channels.conversation_ids import conversation_id
from citybot.language.typography import french_typography

REPO_ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
HOW_TO_RUN = (
    "start PostgreSQL and Redis and set POSTGRES_URL / REDIS_URL (defaults "
    f"{POSTGRES_URL}, {REDIS_URL}); CITYBOT_REQUIRE_SERVICES=1 makes this a failure"
)


def missing_service(reason: str) -> None:
    """Skip, or fail when the environment says the services must be there (CI)."""
    if os.environ.get("CITYBOT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (CITYBOT_REQUIRE_SERVICES=1)")
    pytest.skip(f"{reason}: {HOW_TO_RUN}")


def postgres_connection():
    import psycopg2

    try:
        return psycopg2.connect(POSTGRES_URL, connect_timeout=3)
    except psycopg2.Error as error:
        missing_service(f"PostgreSQL unreachable at {POSTGRES_URL}: {str(error).strip()}")


def redis_parts() -> dict[str, str]:
    """Host, port, db, password and TLS of REDIS_URL, as the lock store's variables want them."""
    import redis

    parts = urlsplit(REDIS_URL)
    found = {
        "LOCK_STORE_HOST": parts.hostname or "127.0.0.1",
        "LOCK_STORE_PORT": str(parts.port or 6379),
        "LOCK_STORE_DB": (parts.path or "/0").strip("/") or "0",
        "LOCK_STORE_PASSWORD": parts.password or "",
        "LOCK_STORE_USE_SSL": "true" if parts.scheme == "rediss" else "false",
    }
    try:
        redis.Redis(
            host=found["LOCK_STORE_HOST"],
            port=int(found["LOCK_STORE_PORT"]),
            db=int(found["LOCK_STORE_DB"]),
            password=found["LOCK_STORE_PASSWORD"] or None,
            ssl=found["LOCK_STORE_USE_SSL"] == "true",
            socket_timeout=3,
        ).ping()
    except redis.RedisError as error:
        missing_service(f"Redis unreachable at {REDIS_URL}: {error}")
    return found


class Replicas:
    """Two Rasa replicas, each with its own action server, sharing PostgreSQL and Redis."""

    def __init__(self, log_dir: Path, token: str) -> None:
        self.log_dir = log_dir
        self.token = token
        self.actions: list[Any] = []
        self.rasa: list[Any] = []

    def url(self, index: int) -> str:
        return self.rasa[index % len(self.rasa)].url

    def say(self, index: int, sender: str, text: str) -> list[str]:
        from servers import http_post_json

        status, body = http_post_json(
            f"{self.url(index)}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=120
        )
        assert status == 200, body
        return [m.get("text") or "" for m in json.loads(body)]

    def tracker(self, index: int, sender: str) -> dict[str, Any]:
        """The conversation of the REST ``sender`` (filed under ``rest:<sender>``)."""
        from servers import http_get

        conversation = conversation_id("rest", sender)
        body = http_get(
            f"{self.url(index)}/conversations/{conversation}/tracker?token={self.token}", timeout=30
        )
        assert body is not None
        return json.loads(body)

    def stop(self) -> None:
        for server in self.rasa + self.actions:
            server.stop()


@pytest.fixture(scope="module")
def replicas():
    from servers import find_model, start_action_server, start_rasa_server

    model = find_model()
    if model is None:
        pytest.skip("no trained model in models/: run `make train` (or set CITYBOT_MODEL)")
    lock_env = redis_parts()
    schema = f"citybot_scaling_{time.time_ns()}"
    connection = postgres_connection()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    log_dir = Path(tempfile.mkdtemp(prefix="citybot-scaling-"))
    credentials = channel_credentials.write_credentials({}, log_dir / "credentials.yml")
    group = Replicas(log_dir, f"scaling{time.time_ns()}")
    group.schema = schema
    try:
        group.actions = [start_action_server(log_dir) for _ in range(2)]
        envs = [
            dict(
                lock_env,
                TRACKER_STORE_URL=POSTGRES_URL,
                POSTGRESQL_SCHEMA=schema,
                ACTION_ENDPOINT_URL=f"{actions.url}/webhook",
            )
            for actions in group.actions
        ]
        with ThreadPoolExecutor(2) as pool:  # both replicas load the model at the same time
            starting = [
                pool.submit(
                    start_rasa_server,
                    model,
                    credentials,
                    REPO_ROOT / "bot" / "endpoints.scaled.yml",
                    log_dir,
                    [],
                    env,
                    group.token,
                )
                for env in envs
            ]
            group.rasa = [future.result() for future in starting]
        yield group
    finally:
        group.stop()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.close()


def unique(prefix: str) -> str:
    return f"scale-{prefix}-{time.time_ns()}-{threading.get_ident() % 10_000}"


def measure_texts(kb, city: str, topic: str, lang: str) -> list[str]:
    texts = [m.text.get(lang) for m in kb.measures_for(city, topic)]
    return [french_typography(t) for t in texts] if lang == "fr" else texts  # as the reader sees them


def mentions_any(replies: list[str], texts: list[str]) -> bool:
    said = "\n".join(replies)
    return bool(texts) and any(text in said for text in texts)


def turns_of(tracker: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The events after each user message, up to the next one."""
    turns: list[list[dict[str, Any]]] = []
    for event in tracker["events"]:
        if event["event"] == "user":
            turns.append([event])
        elif turns:
            turns[-1].append(event)
    return turns


def assert_complete_turns(tracker: dict[str, Any], sent: list[str]) -> None:
    """Every message sent is in the conversation once, in order, each followed by its own
    complete answer (bot messages, then listening) before the next user message."""
    turns = turns_of(tracker)
    assert [turn[0]["text"] for turn in turns] == sent
    for turn in turns:
        kinds = [event["event"] for event in turn]
        assert "bot" in kinds, f"turn {turn[0]['text']!r} has no answer: {kinds}"
        actions = [event.get("name") for event in turn if event["event"] == "action"]
        assert actions and actions[-1] == "action_listen", f"turn {turn[0]['text']!r} unfinished: {actions}"


SCALED_ENV = {
    "ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
    "ACTION_SERVER_TOKEN": "token-shared-by-every-replica",
    "TRACKER_STORE_URL": "postgresql://citybot@db:5432/citybot",
    "LOCK_STORE_HOST": "redis",
    "LOCK_STORE_PORT": "6380",
    "LOCK_STORE_DB": "2",
    "LOCK_STORE_PASSWORD": "s3cret",
    "LOCK_STORE_USE_SSL": "true",
}


def test_scaled_endpoints_take_every_value_from_the_environment(monkeypatch):
    from rasa.utils.endpoints import read_endpoint_config

    for name, value in SCALED_ENV.items():
        monkeypatch.setenv(name, value)
    path = str(REPO_ROOT / "bot" / "endpoints.scaled.yml")
    action_endpoint = read_endpoint_config(path, "action_endpoint")
    assert action_endpoint.url == SCALED_ENV["ACTION_ENDPOINT_URL"]
    assert action_endpoint.kwargs == {"enable_selective_domain": True}
    assert action_endpoint.headers == {"X-Citybot-Action-Token": SCALED_ENV["ACTION_SERVER_TOKEN"]}
    tracker_store = read_endpoint_config(path, "tracker_store")
    assert (tracker_store.type, tracker_store.url) == ("SQL", SCALED_ENV["TRACKER_STORE_URL"])
    lock_store = read_endpoint_config(path, "lock_store")
    assert (lock_store.type, lock_store.url) == ("citybot.lock_store.AtomicRedisLockStore", "redis")
    assert lock_store.kwargs == {"port": "6380", "db": "2", "password": "s3cret", "use_ssl": "true"}


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints.scaled.yml"])
def test_no_endpoint_value_is_a_quoted_variable_that_rasa_would_not_expand(name):
    """Rasa 3.6 expands ${VAR} only in unquoted YAML scalars: "${VAR}" stays literal text."""
    text = (REPO_ROOT / "bot" / name).read_text()
    quoted = [
        line
        for line in text.splitlines()
        if not line.lstrip().startswith("#") and ('"' in line or "'" in line) and "${" in line
    ]
    assert not quoted, f"bot/{name}: unquote these lines: {quoted}"


@pytest.mark.server
@pytest.mark.model
@pytest.mark.postgres
@pytest.mark.redis
def test_context_and_language_carry_across_replicas(replicas, kb):
    english, french = unique("en"), unique("fr")
    replies = replicas.say(0, english, "What has Évry done for vulnerable families?")
    assert mentions_any(replies, measure_texts(kb, "evry-courcouronnes", "social_support", "en")), replies
    replies = replicas.say(1, english, "And Chefchaouen?")
    assert mentions_any(replies, measure_texts(kb, "chefchaouen", "social_support", "en")), replies

    replies = replicas.say(1, french, "Qu'a fait Évry pour les familles vulnérables ?")
    assert mentions_any(replies, measure_texts(kb, "evry-courcouronnes", "social_support", "fr")), replies
    replies = replicas.say(0, french, "Et Chefchaouen ?")
    assert mentions_any(replies, measure_texts(kb, "chefchaouen", "social_support", "fr")), replies

    for sender, lang in ((english, "en"), (french, "fr")):
        for index in (0, 1):
            tracker = replicas.tracker(index, sender)
            assert tracker["slots"]["language"] == lang
            assert tracker["slots"]["city"] == "chefchaouen"
    assert replicas.tracker(0, english)["events"] == replicas.tracker(1, english)["events"]


CONVERSATION = {
    "en": [
        "Hello",
        "What did Mayo-Baleo do about schools?",
        "And Chefchaouen?",
        "What about exams?",
        "Which cities distributed food?",
        "thanks",
    ],
    "fr": [
        "Bonjour",
        "Qu'a fait Mayo-Baléo pour les écoles ?",
        "Et Chefchaouen ?",
        "Et pour les examens ?",
        "Quelles villes ont distribué de la nourriture ?",
        "merci",
    ],
}
CONVERSATIONS = 12


def talk(replicas, lang: str) -> str:
    """One conversation, its turns alternating between the replicas; returns its id."""
    sender = unique(f"many-{lang}")
    for index, text in enumerate(CONVERSATION[lang]):
        assert "\n".join(replicas.say(index, sender, text)).strip(), f"no answer to {text!r}"
    return sender


@pytest.mark.server
@pytest.mark.model
@pytest.mark.postgres
@pytest.mark.redis
def test_many_conversations_at_once_lose_and_reorder_nothing(replicas):
    languages = ["en", "fr"] * (CONVERSATIONS // 2)
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        senders = list(pool.map(lambda lang: talk(replicas, lang), languages))
    for sender, lang in zip(senders, languages, strict=False):
        tracker = replicas.tracker(1, sender)
        assert_complete_turns(tracker, CONVERSATION[lang])
        assert tracker["slots"]["language"] == lang


@pytest.mark.server
@pytest.mark.model
@pytest.mark.postgres
@pytest.mark.redis
def test_one_conversation_hit_on_both_replicas_at_once_is_serialised(replicas):
    """The Redis lock store makes the second message wait for the first one's answer."""
    senders = [unique("same") for _ in range(4)]
    texts = ["What did Mayo-Baleo do about schools?", "What has Évry done for vulnerable families?"]
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(
                lambda job: replicas.say(job[0], job[1], texts[job[0]]),
                [(index, sender) for sender in senders for index in (0, 1)],
            )
        )
    assert all("\n".join(replies).strip() for replies in answers)
    for sender in senders:
        tracker = replicas.tracker(0, sender)
        sent = [turn[0]["text"] for turn in turns_of(tracker)]
        assert sorted(sent) == sorted(texts)
        assert_complete_turns(tracker, sent)


@pytest.mark.server
@pytest.mark.model
@pytest.mark.postgres
@pytest.mark.redis
def test_a_long_conversation_starts_new_sessions_and_loses_nothing(replicas, kb):
    """After MAX_SESSION_TURNS messages the answer starts a new session (Rasa then loads only
    that one): language and context carry over, and the store keeps every event of every session."""
    from actions.session import MAX_SESSION_TURNS

    sender = unique("long-fr")
    question = "Qu'a fait Évry pour les familles vulnérables ?"
    sent = [question] * MAX_SESSION_TURNS + ["Et Chefchaouen ?", "merci"]
    replies = []
    for index, text in enumerate(sent):
        replies.append(replicas.say(index, sender, text))
    # the first answer of the new session follows up on the last question of the old one, in French
    assert mentions_any(
        replies[MAX_SESSION_TURNS], measure_texts(kb, "chefchaouen", "social_support", "fr")
    ), replies
    assert replies[-1] and replies[-1][0].startswith("Avec plaisir")

    tracker = replicas.tracker(0, sender)  # the whole conversation, every session
    assert_complete_turns(tracker, sent)
    kinds = [event["event"] for event in tracker["events"]]
    assert kinds.count("session_started") == 2  # the first message's, then the rollover
    assert tracker["slots"]["language"] == "fr" and tracker["slots"]["city"] == "chefchaouen"

    import psycopg2

    connect = psycopg2.connect(POSTGRES_URL, options=f"-csearch_path={replicas.schema}")
    with connect as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT type_name, count(*) FROM events WHERE sender_id = %s GROUP BY type_name",
            (conversation_id("rest", sender),),
        )
        stored = dict(cursor.fetchall())
    assert stored["user"] == len(sent) and stored["session_started"] == 2
    assert stored["bot"] == kinds.count("bot")


@pytest.mark.redis
def test_two_replicas_issuing_tickets_at_the_same_instant_never_share_one():
    """Rasa 3.6's RedisLockStore reads, adds and writes a ticket non-atomically: two replicas can
    both get ticket 0 for a new conversation and run its messages at once. Ours must not."""
    from rasa.utils.endpoints import EndpointConfig

    from citybot.lock_store import AtomicRedisLockStore

    parts = redis_parts()
    config = EndpointConfig(
        url=parts["LOCK_STORE_HOST"],
        port=parts["LOCK_STORE_PORT"],
        db=parts["LOCK_STORE_DB"],
        password=parts["LOCK_STORE_PASSWORD"],
        use_ssl=parts["LOCK_STORE_USE_SSL"],
        type="citybot.lock_store.AtomicRedisLockStore",
    )
    replicas = [AtomicRedisLockStore(config), AtomicRedisLockStore(config)]
    for attempt in range(20):
        conversation = unique(f"tickets{attempt}")
        start = threading.Barrier(8)

        def take(index: int, start: threading.Barrier = start, conversation: str = conversation) -> int:
            start.wait()
            return replicas[index % 2].issue_ticket(conversation)

        with ThreadPoolExecutor(8) as pool:
            tickets = list(pool.map(take, range(8)))
        assert sorted(tickets) == list(range(8)), tickets
        for ticket in tickets:
            replicas[ticket % 2].cleanup(conversation, ticket)
        assert replicas[0].get_lock(conversation) is None
