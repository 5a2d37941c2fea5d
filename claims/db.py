"""Engines, sessions and the unit of work; the one place that knows about database URLs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

# PostgreSQL's answers to a transaction that lost a race: serialization_failure and deadlock_detected.
LOST_RACE_SQLSTATES = frozenset({"40001", "40P01"})


def make_engine(url: str, **options: Any) -> Engine:
    if not url.startswith("sqlite"):
        # A pooled connection the server has dropped (a restart, a failover, an idle timeout) is noticed
        # and replaced before use, instead of failing the request that drew it.
        options.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        _make_sqlite_transactional(engine)
    else:
        _note_writes(engine)
    return engine


def _note_writes(engine: Engine) -> None:
    """Mark a connection's transaction once it runs anything but a SELECT (`end_transaction` reads it)."""

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.info.pop(WROTE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info[WROTE] = True


WROTE = "claimtrack_wrote"


def end_transaction(session: Session, *, failed: bool = False) -> None:
    """End the session's transaction, discarding what it did not commit, and close it.

    A transaction that only read is committed rather than rolled back: the two end it alike, but psycopg
    forgets its prepared statements on every ROLLBACK, so PostgreSQL parsed and planned each page's
    queries afresh on every request. Anything else, pending changes or a failure: rolled back."""
    if failed or not _only_read(session):
        session.rollback()
    else:
        session.commit()
    session.close()


def _only_read(session: Session) -> bool:
    """Whether the session's open transaction ran only SELECTs on PostgreSQL (on SQLite the two ends cost
    the same, and asking for the connection there could wait on the write lock)."""
    if session.get_bind().dialect.name == "sqlite" or not session.in_transaction():
        return False
    if session.new or session.dirty or session.deleted:
        return False
    return not session.connection().info.get(WROTE)


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, issue BEGIN, so SAVEPOINTs and rollbacks are real;
    and turn on foreign keys, which SQLite leaves off by default."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that rolls back unless the caller commits: scripts and the CLI use this."""
    session = session_factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def lost_race(error: BaseException) -> bool:
    """Whether `error` means a concurrent transaction got there first: a versioned UPDATE that matched no
    row (the version moved on meanwhile), a serialisation failure or a deadlock. The answer to the user is
    the same conflict as a stale form, not a server error."""
    if isinstance(error, StaleDataError):
        return True
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in LOST_RACE_SQLSTATES


@contextmanager
def snapshot_unit_of_work(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work whose reads all see one moment, for work that reads many tables and must find
    them consistent with each other (verifying the audit record, a full export). SQLite's transaction
    is such a snapshot already; PostgreSQL's default isolation gives each statement its own."""
    with unit_of_work(session_factory) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session
