"""One SQLAlchemy session per request, closed at teardown (what it did not commit is rolled back);
streamed responses get a session of their own (`streamed_with_own_session`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from claims.db import end_transaction, make_engine, make_session_factory
from claims.schema import ensure_sqlite_directory

EXTENSION_KEY = "claimtrack_sessions"


def init_app(app: Flask) -> None:
    factory = app.config.get("SESSION_FACTORY")
    if factory is None:
        ensure_sqlite_directory(app.config["DATABASE_URL"])
        factory = make_session_factory(make_engine(app.config["DATABASE_URL"]))
    app.extensions[EXTENSION_KEY] = factory
    app.teardown_appcontext(_close_session)


def db_session() -> Session:
    if "db_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions[EXTENSION_KEY]
        g.db_session = factory()
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        end_transaction(session, failed=exc is not None)


def streamed_with_own_session(produce: Callable[[Session], Iterable[str]]) -> Iterator[str]:
    """A response body read from the database while it is sent.

    It is sent after the request has ended and teardown has closed the request's session; reading from
    that session would silently reopen a connection (and, on SQLite, the write lock) that nothing closes.
    So the body opens its own session when sending starts and closes it when sending ends, also when the
    client goes away mid-way (the server then closes the generator, which runs `finally`).
    """
    factory: sessionmaker[Session] = current_app.extensions[EXTENSION_KEY]

    def generate() -> Iterator[str]:
        session = factory()
        failed = True
        try:
            yield from produce(session)
            failed = False
        finally:
            end_transaction(session, failed=failed)

    return generate()
