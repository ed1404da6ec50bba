"""L3: the Redis lock store of the scaled set-up, against the real Redis (REDIS_URL).

A conversation id is chosen by the client (REST senders may contain ":"), so no id may reach
another conversation's lock: "<victim>:mutex" named the victim's mutex in the first version of
citybot/lock_store.py. The password and TLS settings of bot/endpoints.scaled.yml reach Redis.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from pathlib import Path

import pytest
from test_scaling import redis_parts

pytestmark = pytest.mark.redis

ENDPOINTS = Path(__file__).resolve().parents[2] / "bot" / "endpoints.scaled.yml"


def store_from_endpoints(monkeypatch: pytest.MonkeyPatch, **overrides: str):
    """The lock store as a Rasa replica builds it from bot/endpoints.scaled.yml."""
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import read_endpoint_config

    others = {  # the file's other variables: Rasa expands the whole file
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:1/webhook",
        "ACTION_SERVER_TOKEN": "unused",
        "TRACKER_STORE_URL": "sqlite:///x.db",
    }
    for name, value in {**others, **redis_parts(), **overrides}.items():
        monkeypatch.setenv(name, value)
    return LockStore.create(read_endpoint_config(str(ENDPOINTS), "lock_store"))


@pytest.fixture
def store(monkeypatch):
    return store_from_endpoints(monkeypatch)


def test_the_scaled_endpoints_build_our_store(store):
    from citybot.lock_store import AtomicRedisLockStore

    assert type(store) is AtomicRedisLockStore


def test_a_conversation_named_victim_mutex_cannot_block_the_victim(store):
    victim = f"victim-{uuid.uuid4().hex}"
    attacker = f"{victim}:mutex"
    held = store.issue_ticket(attacker)  # and never released, as a stalled client would
    try:
        started = time.monotonic()
        ticket = store.issue_ticket(victim)
        assert time.monotonic() - started < 1.0  # the first version waited 5 s, then failed

        async def take_turn() -> None:
            async with store.lock(victim, wait_time_in_seconds=0.05):
                pass

        store.cleanup(victim, ticket)
        asyncio.run(asyncio.wait_for(take_turn(), timeout=2))
        assert store.get_lock(victim) is None
    finally:
        store.cleanup(attacker, held)


def test_a_conversation_named_victim_mutex_cannot_unlock_the_victim(store):
    """Both conversations take turns as fast as they can: the victim's tickets stay its own."""
    victim = f"victim-{uuid.uuid4().hex}"
    attackers = [f"{victim}:mutex", f"{victim}:mutex:mutex"]
    stop = threading.Event()
    errors: list[BaseException] = []

    def attack(conversation: str) -> None:
        while not stop.is_set():
            try:
                store.cleanup(conversation, store.issue_ticket(conversation))
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)

    threads = [threading.Thread(target=attack, args=(a,)) for a in attackers]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 1.5
        turns = 0
        while time.monotonic() < deadline:
            first = store.issue_ticket(victim)
            second = store.issue_ticket(victim)  # waits behind the first
            lock = store.get_lock(victim)
            assert lock is not None and second == first + 1
            assert lock.is_locked(second) and not lock.is_locked(first)
            store.finish_serving(victim, first)
            assert not store.get_lock(victim).is_locked(second)  # its turn now, nobody else's
            store.cleanup(victim, second)
            assert store.get_lock(victim) is None
            turns += 1
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors, errors[:3]
    assert turns > 10


def test_no_conversation_id_writes_a_key_outside_its_own_lock(store):
    """Whatever the id, the store writes exactly one key, the id's own lock key."""
    import redis

    token = uuid.uuid4().hex
    ids = [f"{token}", f"{token}:mutex", f"citybot-mutex:{token}", f"{token}\n", f"{token} é 🙂"]
    tickets = {conversation: store.issue_ticket(conversation) for conversation in ids}
    client = redis.Redis(connection_pool=store.red.connection_pool)
    keys = {key.decode() for key in client.scan_iter(match=f"*{token}*")}
    assert keys == {store.key_prefix + conversation for conversation in ids}
    for conversation, ticket in tickets.items():
        store.cleanup(conversation, ticket)
    assert not list(client.scan_iter(match=f"*{token}*"))


def test_the_password_setting_reaches_redis(monkeypatch):
    import redis

    if redis_parts()["LOCK_STORE_PASSWORD"]:
        pytest.skip("this Redis has a password: a wrong one is refused either way")
    store = store_from_endpoints(monkeypatch, LOCK_STORE_PASSWORD="wrong-password")
    with pytest.raises(redis.RedisError, match="(?i)auth"):
        store.red.ping()  # a Redis without a password refuses AUTH: so the password was sent
    assert store_from_endpoints(monkeypatch, LOCK_STORE_PASSWORD="").red.ping()  # empty: none


def test_the_tls_setting_is_read_as_a_boolean(monkeypatch):
    from citybot.lock_store import LockStoreConfigError

    if redis_parts()["LOCK_STORE_USE_SSL"] == "true":
        pytest.skip("this Redis speaks TLS")
    # Passed on as text, "false" would turn TLS on (any non-empty text is true to redis-py).
    plain = store_from_endpoints(monkeypatch, LOCK_STORE_USE_SSL="false")
    assert plain.red.connection_pool.connection_class.__name__ == "Connection"
    assert plain.red.ping()
    tls = store_from_endpoints(monkeypatch, LOCK_STORE_USE_SSL="True")
    assert tls.red.connection_pool.connection_class.__name__ == "SSLConnection"
    # and the certificate must name the host: redis-py 4 only checks that a trusted CA signed it
    assert tls.red.connection_pool.make_connection().check_hostname is True
    with pytest.raises(LockStoreConfigError, match="use_ssl must be true or false, not 'maybe'"):
        store_from_endpoints(monkeypatch, LOCK_STORE_USE_SSL="maybe")
