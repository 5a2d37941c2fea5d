"""Test databases: a SQLite file, or a database of its own on the PostgreSQL server under test.

PostgreSQL tests run against CLAIMTRACK_TEST_POSTGRES_URL. Without it they skip with a visible reason,
except under CI=true, where a missing or unreachable server fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

POSTGRES_URL_ENV = "CLAIMTRACK_TEST_POSTGRES_URL"
DATABASE_KINDS = ("sqlite", "postgresql")


def postgres_server_url() -> str:
    """The server URL, or skip (fail under CI) when none is configured or reachable."""
    url = os.environ.get(POSTGRES_URL_ENV)
    in_ci = os.environ.get("CI") == "true"
    if not url:
        message = f"PostgreSQL tests need {POSTGRES_URL_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/postgres)"
        if in_ci:
            pytest.fail(f"{message}; CI must not skip them")
        pytest.skip(message)
    return url


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards; never touches any other."""
    server_url = make_url(postgres_server_url())
    name = f"claimtrack_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {server_url.render_as_string(hide_password=True)} is unreachable: {exc}")
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def empty_database(kind: str, directory: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    with postgres_database() as url:
        yield url
