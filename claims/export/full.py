"""Full-fidelity export and import: every table as versioned JSON lines, restored with nothing lost.

The file is a header line followed by one record per line, tables in dependency order:
    {"format": "claimtrack-export", "version": 1}
    {"table": "users", "row": {...}}
    ...
Users carry no password hash: after an import each user sets a new password. Export streams table by
table, so memory stays flat as the desk grows. Import checks the whole file first (types, lengths,
references, claim spans, the audit chain) and writes nothing unless all of it is valid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO, Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.type_api import TypeEngine

from claims import audit
from claims.errors import ClaimtrackError
from claims.export.jsonfile import dumps
from claims.models import (
    Appearance,
    Article,
    AuditChainHead,
    AuditEvent,
    Claim,
    Comment,
    Evidence,
    Setting,
    Source,
    User,
)

FORMAT, VERSION = "claimtrack-export", 1
TABLES: tuple[Table, ...] = tuple(
    model.__table__  # type: ignore[misc]
    for model in (
        Setting,
        User,
        Article,
        Source,
        Claim,
        Appearance,
        Evidence,
        Comment,
        AuditEvent,
        AuditChainHead,
    )
)
TABLES_BY_NAME = {table.name: table for table in TABLES}
LEFT_OUT = {"users": {"password_hash"}}
# The chain is checked while reading, so events are written in chain order.
EXPORT_ORDER = {"audit_events": [AuditEvent.__table__.c.seq]}
NO_PASSWORD = "!imported: set a new password"
BATCH = 1000


class ImportRefused(ClaimtrackError):
    """The file cannot be imported; nothing was written. `where` names the line and record."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")


# --- export -------------------------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_lines(session: Session) -> Iterator[str]:
    yield dumps({"format": FORMAT, "version": VERSION}) + "\n"
    for table in TABLES:
        columns = [c for c in table.columns if c.key not in LEFT_OUT.get(table.name, set())]
        query = select(*columns).order_by(*EXPORT_ORDER.get(table.name, table.primary_key.columns))
        query = query.execution_options(yield_per=BATCH)
        with session.execute(query) as result:
            for row in result.mappings():
                yield dumps({"table": table.name, "row": {k: to_json(v) for k, v in row.items()}}) + "\n"


# --- import: checking ---------------------------------------------------------------------------------


def _convert(column_type: TypeEngine[Any], value: Any) -> Any:
    """The Python value for a JSON value of a column, or ValueError naming what was expected."""
    impl = getattr(column_type, "impl", column_type)
    if isinstance(impl, Boolean):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if isinstance(impl, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        return value
    if isinstance(impl, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        return float(value)
    if isinstance(impl, DateTime):
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is None or moment.tzinfo is None:
            raise ValueError("must be a date and time with a UTC offset")
        return moment
    if isinstance(impl, Date):
        if not isinstance(value, str):
            raise ValueError("must be a date as YYYY-MM-DD")
        return date.fromisoformat(value)
    if isinstance(impl, String | Text):
        if not isinstance(value, str):
            raise ValueError("must be text")
        if "\x00" in value:
            raise ValueError("contains a NUL character")
        if isinstance(impl, String) and impl.length and len(value) > impl.length:
            raise ValueError(f"is longer than {impl.length} characters")
        return value
    return value  # JSON columns take any JSON value


def check_row(table: Table, raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ImportRefused(where, "the row must be a JSON object")
    left_out = LEFT_OUT.get(table.name, set())
    known = {c.key for c in table.columns} - left_out
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ImportRefused(where, f"unknown field(s) {', '.join(unknown)}")
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.key in left_out:
            continue
        if raw.get(column.key) is None:
            if not column.nullable:
                raise ImportRefused(where, f"field {column.key!r} is required")
            row[column.key] = None
            continue
        try:
            row[column.key] = _convert(column.type, raw[column.key])
        except ValueError as exc:
            raise ImportRefused(where, f"field {column.key!r} {exc}") from None
    return row


@dataclass
class Checked:
    """What the first pass learned: the keys of every table, and the references to resolve."""

    keys: dict[str, set[Any]] = field(default_factory=dict)
    references: list[tuple[str, str, str, Any]] = field(default_factory=list)  # where, field, table, key
    article_bodies: dict[int, str] = field(default_factory=dict)
    chain: audit.ChainWalk = field(default_factory=audit.ChainWalk)
    head: AuditChainHead | None = None
    counts: dict[str, int] = field(default_factory=dict)


def read_records(lines: Iterable[str]) -> Iterator[tuple[str, Table, dict[str, Any]]]:
    """Each record as (where, table, raw row), after checking the header and the record's shape."""
    iterator = iter(enumerate(lines, start=1))
    header_line = next(iterator, None)
    if header_line is None:
        raise ImportRefused("line 1", "the file is empty")
    header = _json(header_line[1], "line 1")
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportRefused("line 1", f"not a claimtrack export (expected a header with format {FORMAT!r})")
    if header.get("version") != VERSION:
        raise ImportRefused(
            "line 1", f"export version {header.get('version')!r} is not supported (only {VERSION})"
        )
    order = [table.name for table in TABLES]
    position = 0
    for number, line in iterator:
        if not line.strip():
            continue
        record = _json(line, f"line {number}")
        if not isinstance(record, dict) or set(record) != {"table", "row"}:
            raise ImportRefused(f"line {number}", 'each record must be {"table": ..., "row": {...}}')
        name = record["table"]
        if name not in TABLES_BY_NAME:
            raise ImportRefused(f"line {number}", f"unknown table {name!r}")
        if order.index(name) < position:
            raise ImportRefused(f"line {number}", f"{name} rows must come before {order[position]} rows")
        position = order.index(name)
        yield f"line {number} ({_record_name(name, record['row'])})", TABLES_BY_NAME[name], record["row"]


def _record_name(table: str, row: Any) -> str:
    """`claims 12` for a row with an id, else just the table (appearances have a two-part key)."""
    return f"{table} {row['id']}" if isinstance(row, dict) and isinstance(row.get("id"), int) else table


def _json(line: str, where: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportRefused(where, f"not valid JSON ({exc.msg})") from None


def _key(table: Table, row: dict[str, Any]) -> Any:
    values = tuple(row[c.key] for c in table.primary_key.columns)
    return values[0] if len(values) == 1 else values


def check_file(lines: Iterable[str]) -> Checked:
    checked = Checked()
    for where, table, raw in read_records(lines):
        row = check_row(table, raw, where)
        keys = checked.keys.setdefault(table.name, set())
        key = _key(table, row)
        if key in keys:
            raise ImportRefused(where, f"a second {table.name} row with key {key}")
        keys.add(key)
        checked.counts[table.name] = checked.counts.get(table.name, 0) + 1
        for column in table.columns:
            for foreign_key in column.foreign_keys:
                if row.get(column.key) is not None:
                    checked.references.append(
                        (where, column.key, foreign_key.column.table.name, row[column.key])
                    )
        _check_meaning(table, row, where, checked)
    for where, field_name, target, key in checked.references:
        if key not in checked.keys.get(target, set()):
            raise ImportRefused(
                where, f"field {field_name!r} refers to {target} {key}, which is not in the file"
            )
    result = checked.chain.result(checked.head)
    if not result.ok:
        raise ImportRefused(
            f"audit event #{result.broken_seq}", f"the audit record does not verify: {result.problem}"
        )
    return checked


def _check_meaning(table: Table, row: dict[str, Any], where: str, checked: Checked) -> None:
    if table.name == "articles":
        checked.article_bodies[row["id"]] = row["body"]
    elif table.name == "claims":
        body = checked.article_bodies.get(row["article_id"])
        if body is not None and body[row["start"] : row["end"]] != row["sentence"]:
            raise ImportRefused(
                where, "its span does not match the article text (start/end/sentence disagree)"
            )
    elif table.name == "audit_events":
        checked.chain.step(AuditEvent(**row))
    elif table.name == "audit_chain_head":
        checked.head = AuditChainHead(**row)


# --- import: writing ----------------------------------------------------------------------------------


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
    # The chain head row made by the first migration is replaced by the file's.
    session.execute(AuditChainHead.__table__.delete())
    batch: list[dict[str, Any]] = []
    current: Table | None = None
    for where, table, raw in read_records(stream):
        if table is not current and batch:
            session.execute(insert(current), batch)  # type: ignore[arg-type]
            batch = []
        current = table
        row = check_row(table, raw, where)
        if table.name == "users":
            row["password_hash"] = NO_PASSWORD
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(table), batch)
            batch = []
    if batch and current is not None:
        session.execute(insert(current), batch)
    _advance_sequences(session)
    return checked.counts


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
