"""Checking a full export before anything is written: each record, the file as a whole, and each row
against the state its audit history gives (the same replay `audit verify` runs on a database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from claims import audit
from claims.export.full.format import LEFT_OUT, TABLES, UNORDERED, ImportRefused, order_columns
from claims.export.full.reading import check_row, read_records
from claims.models import AuditChainHead, AuditEvent
from claims.replay import HISTORY_COLUMNS, Replay, ReplayError, RowComparer
from claims.replay.compare import record_name


@dataclass
class Checked:
    """What the first pass learned: the keys of every table, and the references to resolve."""

    keys: dict[str, set[Any]] = field(default_factory=dict)
    unique_values: dict[tuple[str, str], set[Any]] = field(default_factory=dict)
    last_order: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    references: list[tuple[str, str, str, Any]] = field(default_factory=list)  # where, field, table, key
    article_bodies: dict[int, str] = field(default_factory=dict)
    chain: audit.ChainWalk = field(default_factory=audit.ChainWalk)
    replay: Replay = field(default_factory=Replay)
    head: AuditChainHead | None = None
    counts: dict[str, int] = field(default_factory=dict)


def key_of(table: Table, row: dict[str, Any]) -> Any:
    values = tuple(row[c.key] for c in table.primary_key.columns)
    return values[0] if len(values) == 1 else values


def check_file(lines: Iterable[str]) -> Checked:
    checked = Checked()
    for where, table, raw in read_records(lines):
        row = check_row(table, raw, where)
        _check_key_and_order(table, row, where, checked)
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
    _check_chain_end(checked)
    return checked


def _check_key_and_order(table: Table, row: dict[str, Any], where: str, checked: Checked) -> None:
    keys = checked.keys.setdefault(table.name, set())
    key = key_of(table, row)
    if key in keys:
        raise ImportRefused(where, f"a second {table.name} row with key {key}")
    keys.add(key)
    for column in table.columns:
        if column.unique and column.key not in LEFT_OUT.get(table.name, set()):
            seen = checked.unique_values.setdefault((table.name, column.key), set())
            if row[column.key] in seen:
                raise ImportRefused(where, f"a second {table.name} row with {column.key} {row[column.key]!r}")
            seen.add(row[column.key])
    if table.name in UNORDERED:
        return
    position = tuple(row[name] for name in order_columns(table))
    before = checked.last_order.get(table.name)
    if before is not None and position < before:
        raise ImportRefused(
            where, f"{table.name} rows are out of order: this one must come before the one above"
        )
    checked.last_order[table.name] = position


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
        event = AuditEvent(**row)
        checked.chain.step(event)
        if checked.chain.failure is not None:
            raise ImportRefused(where, f"the audit record does not verify: {checked.chain.failure.problem}")
        try:
            checked.replay.apply(event)
        except ReplayError as exc:
            raise ImportRefused(where, f"the audit record contradicts itself: {exc}") from None
    elif table.name == "audit_chain_head":
        checked.head = AuditChainHead(**row)


def _check_chain_end(checked: Checked) -> None:
    """The head row must name the last event: a database whose head lags its events cannot record."""
    if checked.head is None and checked.chain.checked:
        raise ImportRefused("audit_chain_head", "the row naming the newest audit event is missing")
    result = checked.chain.result(checked.head)
    if not result.ok:
        raise ImportRefused(
            f"audit event #{result.broken_seq}", f"the audit record does not verify: {result.problem}"
        )


def compare_with_history(lines: Iterable[str], replay: Replay) -> None:
    """Second pass: every row must be exactly what its history gives, and every row the history
    gives must be in the file."""
    comparer = RowComparer(replay, "the file")
    for where, table, raw in read_records(lines):
        if table.name in HISTORY_COLUMNS:
            row = check_row(table, raw, where)
            problem = comparer.problem(table.name, key_of(table, row), row)
            if problem is not None:
                raise ImportRefused(where, problem)
    for table in TABLES:
        if table.name in HISTORY_COLUMNS:
            missing = comparer.left_over(table.name)
            if missing is not None:
                raise ImportRefused(record_name(table.name, missing[0]), missing[1])
