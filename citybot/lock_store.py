"""Rasa's Redis lock store, with its ticket bookkeeping made atomic across replicas.

Why: Rasa 3.6's `RedisLockStore` issues a ticket by reading the conversation's lock from Redis,
adding the ticket and writing it back, with nothing in between to stop another replica doing the
same. When two replicas get messages of one conversation at the same instant (a new user whose
two first messages are spread by the load balancer), both can read "no lock", both take ticket
0 and both handle their message at once; one message then ends up outside the conversation
(seen once in tests/test_scaling.py on two replicas).

Here every read-modify-write of a lock is one Redis transaction on the lock's own key
(WATCH, GET, then MULTI/SET/EXEC, retried when another replica wrote the key in between).
Not a separate mutex key (this module's first version): any key of ours is also a key some
conversation id could name ("<victim>:mutex" was the lock of the victim's mutex, so a client
could block or unlock another conversation), a mutex needs a timeout that must outlast the
slowest Redis call yet not block the conversation long when a replica dies holding it, and
redis-py's blocking acquire sleeps in the Rasa server's event loop. A transaction writes no
other key, holds nothing, and never waits.

Used through Rasa's own extension point, in bot/endpoints.scaled.yml:

    lock_store:
      type: citybot.lock_store.AtomicRedisLockStore
      url: ${LOCK_STORE_HOST}
      port: ${LOCK_STORE_PORT}
      db: ${LOCK_STORE_DB}
      password: ${LOCK_STORE_PASSWORD}    # empty: no password
      use_ssl: ${LOCK_STORE_USE_SSL}      # true/false

Rasa's environment variables always expand to text, and redis-py takes any non-empty text for
`use_ssl` as true ("false" included), so both are read here (`_flag`), not passed on as they are.
With TLS, the server's certificate must also name the host (redis-py 4 checks only that a
trusted CA signed it, which any certificate for any domain passes); for a private CA, add
`ssl_ca_certs: /path/to/ca.pem` to the section (Rasa passes it on).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

ResultT = TypeVar("ResultT")
#: What a change does to a lock: the lock to save (None: delete it) and what to return.
Change = Callable[[Any], tuple[Any, ResultT]]

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}


class LockStoreConfigError(ValueError):
    """A lock_store setting of the endpoints file that cannot be used; the message names it."""


def _flag(name: str, value: Any) -> bool:
    """A yes/no setting, from YAML (a boolean) or from an environment variable (text)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise LockStoreConfigError(f"lock_store: {name} must be true or false, not {value!r}")


def redis_settings(endpoint_config: EndpointConfig) -> dict[str, Any]:
    """`RedisLockStore`'s keyword arguments from the endpoints file's `lock_store` section."""
    settings: dict[str, Any] = dict(endpoint_config.kwargs)
    settings["host"] = endpoint_config.url or "localhost"
    for name in ("username", "password"):
        if name in settings:
            settings[name] = str(settings[name]) if settings[name] not in (None, "") else None
    if "use_ssl" in settings:
        settings["use_ssl"] = _flag("use_ssl", settings["use_ssl"])
    return settings


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket issue, release and expiry are atomic per conversation."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        settings = redis_settings(endpoint_config)
        super().__init__(**settings)
        if settings.get("use_ssl"):  # before the first connection: the pool makes them all alike
            self.red.connection_pool.connection_kwargs["ssl_check_hostname"] = True

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Any) -> tuple[Any, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, int(lock.issue_ticket(lock_lifetime))

        try:
            return self._change(conversation_id, issue)
        except (RedisError, ValueError) as error:  # Rasa's contract: a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def expire(lock: Any) -> tuple[Any, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, self._release(ticket_number, delete_when_idle=False))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Release the ticket and delete the lock when nobody waits, in one step."""
        self._change(conversation_id, self._release(ticket_number, delete_when_idle=True))

    @staticmethod
    def _release(ticket_number: int, delete_when_idle: bool) -> Change[None]:
        def release(lock: Any) -> tuple[Any, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            if delete_when_idle and not lock.is_someone_waiting():
                return None, None
            return lock, None

        return release

    def _change(self, conversation_id: str, change: Change[ResultT]) -> ResultT:
        """Apply `change` to the conversation's lock in one transaction on the lock's key:
        retried from the start whenever another replica wrote the key after it was read."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> ResultT:
            stored = pipe.get(key)  # WATCHed: executed at once
            before = TicketLock.from_dict(json.loads(stored)) if stored else None
            after, result = change(before)
            pipe.multi()
            if after is not None:
                pipe.set(key, after.dumps())
            elif before is not None:
                pipe.delete(key)
            return result

        result: ResultT = self.red.transaction(attempt, key, value_from_callable=True)
        return result
