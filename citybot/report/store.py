"""Read the events Rasa's SQL tracker store saved, straight from its `events` table.

Why read the table rather than ask a running Rasa server: staff run the report on a copy of
the conversations (or on production's database) without a bot running, and the table holds
every session of every conversation, which the HTTP API does not list. The table layout is
Rasa 3.6's `SQLTrackerStore.SQLEvent`: one row per event, in insertion order (`id`), the
event serialised as JSON in `data`.

Reading never stops on one bad row: a row that is not a JSON object is skipped, and SQLite text
that is not valid UTF-8 is read with replacement characters instead of failing the query.
A URL in a message never shows its password (`shown_url`), even when it cannot be parsed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

#: `scheme://user:password@` in a URL: the password runs to the last "@" (an unencoded "@" or
#: "/" in a password is common, and SQLAlchemy itself then splits it wrongly).
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:@/\s]*):.*@", re.DOTALL)
#: The same inside a free text (a driver's error line): a password ends at a space.
_PASSWORD_IN_TEXT = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:@/\s]*):\S*@")

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
                    yield StoredEvent(str(sender_id), _seconds(timestamp, event.get("timestamp")), event)
    except SQLAlchemyError as error:
        raise StoreError(f"cannot read {shown_url(url)}: {mask_passwords(_first_line(error))}") from error
    finally:
        engine.dispose()


def _engine(url: str) -> Engine:
    """An engine for `url`; refuses SQLite paths that do not exist (SQLite would create them)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(
            f"not a database URL: {shown_url(url)!r} (expected e.g. sqlite:///var/conversations.db "
            "or postgresql://user@host:5432/db)"
        ) from None  # the chained error would print the URL whole
    if "@" in (parsed.host or ""):
        # SQLAlchemy ends the password at the first "@": the rest would reach the driver, and
        # its error message, as a host name.
        raise StoreError(
            f"cannot read {shown_url(url)}: a password or user name containing @ must be "
            "written %40 in the URL"
        )
    if parsed.get_backend_name() == "sqlite":
        _require_sqlite_file(parsed, url)
    kwargs: dict[str, Any] = {}
    schema = os.environ.get(SCHEMA_ENV)
    if schema and parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError, ArgumentError, ValueError) as error:
        raise StoreError(f"cannot open {shown_url(url)}: {mask_passwords(_first_line(error))}") from None
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _lenient_sqlite_text)
    return engine


def _lenient_sqlite_text(connection: Any, _record: Any) -> None:
    """SQLite returns text as it was written, UTF-8 or not; Python's driver then fails the whole
    query on one bad row. Decode with replacement characters instead."""
    connection.text_factory = lambda raw: raw.decode("utf-8", "replace")


def _require_sqlite_file(parsed: URL, url: str) -> None:
    if not parsed.database or parsed.database == ":memory:":
        raise StoreError(
            f"{shown_url(url)!r} names no SQLite file (expected e.g. sqlite:///var/conversations.db)"
        )
    if not Path(parsed.database).is_file():
        raise StoreError(
            f"no conversation store at {parsed.database} (from {shown_url(url)!r}): "
            "check the path, or the tracker_store url in the endpoints file"
        )


def _require_events_table(connection: sa.engine.Connection, url: str) -> None:
    if not sa.inspect(connection).has_table("events"):
        where = f" (schema {os.environ[SCHEMA_ENV]})" if os.environ.get(SCHEMA_ENV) else ""
        raise StoreError(
            f"{shown_url(url)}{where} has no `events` table: is it the tracker store "
            "of a Rasa server that has had conversations?"
        )


def _midnight_utc(day: dt.date) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()


def _decode(data: str | bytes | None) -> dict[str, Any] | None:
    """The event as a dict; None for a row that is not a JSON object (never written by Rasa),
    too deeply nested to read, or a number too long for Python to convert."""
    try:
        event = json.loads(data or "")
    except (ValueError, RecursionError):  # UnicodeDecodeError (bytes) is a ValueError
        return None
    return event if isinstance(event, dict) else None


def _seconds(column: Any, stored: Any) -> float:
    """The row's timestamp, else the event's, else 0: a finite number in any case."""
    for value in (column, stored):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    return 0.0


def shown_url(url: str) -> str:
    """`url` for a message: its password replaced by "***", whether or not it parses.

    Not SQLAlchemy's `render_as_string(hide_password=True)` alone: it needs a URL it can parse,
    and it shows the part after an unencoded "@" of a password as the host.
    """
    return _URL_PASSWORD.sub(r"\g<head>:***@", url, count=1)


def mask_passwords(text: str) -> str:
    """Every `scheme://user:password@` in a free text with the password as "***"."""
    return _PASSWORD_IN_TEXT.sub(r"\g<head>:***@", text)


def has_password(url: str) -> bool:
    """Whether `url` carries a password (`scheme://user:password@host`)."""
    return shown_url(url) != url


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
