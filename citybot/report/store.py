"""Read the events Rasa's SQL tracker store saved, straight from its `events` table.

Why read the table rather than ask a running Rasa server: staff run the report on a copy of
the conversations (or on production's database) without a bot running, and the table holds
every session of every conversation, which the HTTP API does not list. The table layout is
Rasa 3.6's `SQLTrackerStore.SQLEvent`: one row per event, in insertion order (`id`), the
event serialised as JSON in `data`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

#: Where the report finds the conversations when `--store` is not given.
STORE_URL_ENV = "TRACKER_STORE_URL"
#: Rasa's own variable for a PostgreSQL schema (`search_path`); the report honours it the same way.
SCHEMA_ENV = "POSTGRESQL_SCHEMA"

_EVENTS = sa.table(
    "events", sa.column("id"), sa.column("sender_id"), sa.column("timestamp"), sa.column("data")
)


class StoreError(Exception):
    """The conversation store cannot be read; the message says which store and why."""


@dataclass(frozen=True)
class StoredEvent:
    """One row of the `events` table: whose conversation, when, and the event itself."""

    sender_id: str
    timestamp: float
    event: dict[str, Any]


def store_url(given: str | None) -> str | None:
    """The URL to read: the one given, else $TRACKER_STORE_URL, else None."""
    return given or os.environ.get(STORE_URL_ENV) or None


def read_events(url: str, since: dt.date | None = None) -> Iterator[StoredEvent]:
    """Every stored event (from midnight UTC of `since` on), conversation by conversation,
    each conversation's events in the order Rasa saved them."""
    engine = _engine(url)
    query = sa.select(_EVENTS.c.sender_id, _EVENTS.c.timestamp, _EVENTS.c.data)
    if since is not None:
        query = query.where(_EVENTS.c.timestamp >= _midnight_utc(since))
    query = query.order_by(_EVENTS.c.sender_id, _EVENTS.c.id)
    try:
        with engine.connect() as connection:
            _require_events_table(connection, url)
            for sender_id, timestamp, data in connection.execute(query):
                event = _decode(data)
                if event is not None:
                    yield StoredEvent(sender_id, float(timestamp or event.get("timestamp") or 0), event)
    except SQLAlchemyError as error:
        raise StoreError(f"cannot read {_shown(url)}: {_first_line(error)}") from error
    finally:
        engine.dispose()


def _engine(url: str) -> Engine:
    """An engine for `url`; refuses SQLite paths that do not exist (SQLite would create them)."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(
            f"not a database URL: {url!r} (expected e.g. sqlite:///var/conversations.db "
            "or postgresql://user@host:5432/db)"
        ) from error
    if parsed.get_backend_name() == "sqlite":
        _require_sqlite_file(parsed, url)
    kwargs: dict[str, Any] = {}
    schema = os.environ.get(SCHEMA_ENV)
    if schema and parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    try:
        return sa.create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as error:
        raise StoreError(f"cannot open {_shown(url)}: {_first_line(error)}") from error


def _require_sqlite_file(parsed: URL, url: str) -> None:
    if not parsed.database or parsed.database == ":memory:":
        raise StoreError(f"{url!r} names no SQLite file (expected e.g. sqlite:///var/conversations.db)")
    if not Path(parsed.database).is_file():
        raise StoreError(
            f"no conversation store at {parsed.database} (from {url!r}): "
            "check the path, or the tracker_store url in the endpoints file"
        )


def _require_events_table(connection: sa.engine.Connection, url: str) -> None:
    if not sa.inspect(connection).has_table("events"):
        where = f" (schema {os.environ[SCHEMA_ENV]})" if os.environ.get(SCHEMA_ENV) else ""
        raise StoreError(
            f"{_shown(url)}{where} has no `events` table: is it the tracker store "
            "of a Rasa server that has had conversations?"
        )


def _midnight_utc(day: dt.date) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()


def _decode(data: str | None) -> dict[str, Any] | None:
    """The event as a dict; None for a row that is not JSON (never written by Rasa)."""
    try:
        event = json.loads(data or "")
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return str(make_url(url).render_as_string(hide_password=True))
    except ArgumentError:
        return url


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
