"""One SQLAlchemy session per request, closed (and rolled back unless committed) at teardown."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from claims.db import make_engine, make_session_factory
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
        session.rollback()
        session.close()
