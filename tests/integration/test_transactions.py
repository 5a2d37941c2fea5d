"""How a unit of work ends (`claims.db.end_transaction`): what it did not commit is gone, on SQLite and
PostgreSQL, and a transaction that only read keeps PostgreSQL's prepared statements."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from claims.db import end_transaction, make_engine


@pytest.fixture
def notes(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY)"))
    yield engine
    engine.dispose()


def count_notes(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT count(*) FROM notes"))


def test_a_write_left_uncommitted_is_rolled_back(notes: Engine) -> None:
    assert_rolled_back(notes, "INSERT INTO notes (id) VALUES (1)")


@pytest.mark.parametrize("empty_database_url", ["postgresql"], indirect=True)
def test_a_write_inside_a_with_query_counts_as_a_write(notes: Engine) -> None:
    assert_rolled_back(
        notes, "WITH added AS (INSERT INTO notes (id) VALUES (1) RETURNING id) SELECT id FROM added"
    )


def assert_rolled_back(notes: Engine, write: str) -> None:
    session = Session(notes)
    session.execute(text("SELECT count(*) FROM notes"))
    session.execute(text(write))
    session.execute(text("SELECT count(*) FROM notes"))  # a read after the write does not hide it

    end_transaction(session)

    assert count_notes(notes) == 0


def test_a_failed_unit_of_work_is_rolled_back_even_if_it_looks_read_only(notes: Engine) -> None:
    session = Session(notes)
    session.execute(text("SELECT count(*) FROM notes"))

    end_transaction(session, failed=True)

    assert not session.in_transaction()


@pytest.mark.parametrize("empty_database_url", ["postgresql"], indirect=True)
def test_a_read_only_unit_of_work_keeps_postgresqls_prepared_statements(notes: Engine) -> None:
    for n in range(8):  # psycopg prepares a statement after its fifth run on a connection
        session = Session(notes)
        session.execute(text("SELECT count(*) FROM notes WHERE id > :n"), {"n": n})
        end_transaction(session)

    with notes.connect() as connection:  # the pool's one connection, which ran them
        prepared = connection.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM notes WHERE id >" in statement for statement in prepared)


@pytest.mark.parametrize("empty_database_url", ["postgresql"], indirect=True)
def test_a_pooled_connection_the_server_dropped_is_replaced_before_use(notes: Engine) -> None:
    with notes.connect() as pooled:  # back in the pool after, idle, as if alive
        dropped = pooled.scalar(text("SELECT pg_backend_pid()"))
    server = notes.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(server, autocommit=True) as other:  # not the pool's
        other.execute("SELECT pg_terminate_backend(%s)", [dropped])

    session = Session(notes)
    assert session.scalar(text("SELECT count(*) FROM notes")) == 0
    end_transaction(session)
