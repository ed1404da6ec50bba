"""Rasa's Redis lock store, with its ticket bookkeeping made atomic across replicas.

Why: Rasa 3.6's `RedisLockStore` issues a ticket by reading the conversation's lock from Redis,
adding the ticket and writing it back, with nothing in between to stop another replica doing the
same. When two replicas get messages of one conversation at the same instant (a new user whose
two first messages are spread by the load balancer), both can read "no lock", both take ticket
0 and both handle their message at once; one message then ends up outside the conversation
(seen once in tests/test_scaling.py on two replicas). Here every read-modify-write of a lock
runs under a short Redis mutex (redis-py's `Lock`: SET NX with a timeout) per conversation.

Used through Rasa's own extension point, in bot/endpoints.scaled.yml:

    lock_store:
      type: citybot.lock_store.AtomicRedisLockStore
      url: ${LOCK_STORE_HOST}
      port: ${LOCK_STORE_PORT}
      db: ${LOCK_STORE_DB}
"""

from __future__ import annotations

from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

#: Longest a replica may hold a conversation's mutex (a few Redis round trips need milliseconds).
MUTEX_TIMEOUT_S = 5.0


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket issue, release and expiry are atomic per conversation."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _mutex(self, conversation_id: str) -> Any:
        return self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex",
            timeout=MUTEX_TIMEOUT_S,
            blocking_timeout=MUTEX_TIMEOUT_S,
        )

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return int(super().issue_ticket(conversation_id, lock_lifetime))

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            self._release(conversation_id, ticket_number, delete_when_idle=False)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Release the ticket and delete the lock when nobody waits, in one step."""
        with self._mutex(conversation_id):
            self._release(conversation_id, ticket_number, delete_when_idle=True)

    def _release(self, conversation_id: str, ticket_number: int, delete_when_idle: bool) -> None:
        lock: TicketLock = self.get_lock(conversation_id)
        if lock is None:
            return
        lock.remove_ticket_for(ticket_number)
        if delete_when_idle and not lock.is_someone_waiting():
            self.delete_lock(conversation_id)
        else:
            self.save_lock(lock)
