"""Writing a full export: streamed table by table, ending with the trailer that proves the file whole."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.export.full.format import FORMAT, LEFT_OUT, TABLES, VERSION, order_columns
from claims.export.jsonfile import dumps

BATCH = 1000


def to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_lines(session: Session) -> Iterator[str]:
    """Every line of the file. Run it in a transaction that sees one moment
    (`db.snapshot_unit_of_work`), or a desk being written to exports rows its history does not give."""
    yield dumps({"format": FORMAT, "version": VERSION}) + "\n"
    counts = dict.fromkeys((table.name for table in TABLES), 0)
    audit_hash = None
    for table in TABLES:
        columns = [c for c in table.columns if c.key not in LEFT_OUT.get(table.name, set())]
        query = select(*columns).order_by(*(table.c[name] for name in order_columns(table)))
        with session.execute(query.execution_options(yield_per=BATCH)) as result:
            for row in result.mappings():
                counts[table.name] += 1
                if table.name == "audit_events":
                    audit_hash = row["hash"]
                yield dumps({"table": table.name, "row": {k: to_json(v) for k, v in row.items()}}) + "\n"
    yield dumps({"trailer": {"counts": counts, "audit_hash": audit_hash}}) + "\n"
