"""Restoring a full export into an empty database, after the whole file has been checked."""

from __future__ import annotations

from typing import IO, Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from claims.export.full.checking import check_file, compare_with_history
from claims.export.full.format import TABLES, ImportRefused
from claims.export.full.reading import check_row, read_records
from claims.models import Article, AuditChainHead, AuditEvent, User

BATCH = 1000
NO_PASSWORD = "!imported: set a new password"  # no password hashes to this


def database_is_empty(session: Session) -> bool:
    tables = (User.__table__, Article.__table__, AuditEvent.__table__)
    return all(session.scalar(select(func.count()).select_from(t)) == 0 for t in tables)


def import_file(session: Session, stream: IO[str]) -> dict[str, int]:
    """Check the whole file, then restore it into an empty database; returns rows per table.
    The caller commits; on any refusal nothing has been written."""
    if not database_is_empty(session):
        raise ImportRefused("database", "is not empty; import only restores into an empty database")
    checked = check_file(stream)
    stream.seek(0)
    compare_with_history(stream, checked.replay)
    stream.seek(0)
    # The chain head row made by the first migration is replaced by the file's.
    session.execute(AuditChainHead.__table__.delete())
    batch: list[dict[str, Any]] = []
    current: Table | None = None
    for where, table, raw in read_records(stream):
        if table is not current and batch:
            session.execute(insert(current), batch)  # type: ignore[arg-type]
            batch = []
        current = table
        batch.append(_with_left_out_secret(table, check_row(table, raw, where)))
        if len(batch) >= BATCH:
            session.execute(insert(table), batch)
            batch = []
    if batch and current is not None:
        session.execute(insert(current), batch)
    _advance_sequences(session)
    return checked.counts


def _with_left_out_secret(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    if table.name == "users":
        row["password_hash"] = NO_PASSWORD
    elif table.name == "api_tokens":
        # Unique per token and never a SHA-256 hex digest, so no presented token matches it.
        row["token_hash"] = f"!imported {row['id']}"
    return row


def _advance_sequences(session: Session) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids do not move; move them past the max."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        if "id" in table.columns and table.c.id.autoincrement and len(table.primary_key.columns) == 1:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )
