"""Comparing the replayed history with rows: the database's tables, or the records of an export file."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from claims import audit
from claims.models import AuditChainHead, AuditEvent, Base
from claims.models.snapshot import body_hash
from claims.replay.state import HISTORY_COLUMNS, Key, Replay, ReplayError

RECORD_NAMES = {
    "settings": "setting",
    "users": "user",
    "api_tokens": "API token",
    "articles": "article",
    "sources": "source",
    "claims": "claim",
    "appearances": "appearance",
    "evidence": "evidence",
    "comments": "comment",
    "fact_checks": "fact-check",
    "claim_links": "claim link",
    "evidence_snapshots": "evidence snapshot",
}
BATCH = 2000
HASHED_BODIES = frozenset({"articles", "evidence_snapshots"})


def record_name(table: str, key: Key) -> str:
    """`claim 17`, `setting 'public_url'`, `appearance of source 2 on claim 17`."""
    if table == "appearances":
        return f"appearance of source {key[1]} on claim {key[0]}"
    if table == "settings":
        return f"setting {key!r}"
    return f"{RECORD_NAMES[table]} {key}"


class RowComparer:
    """Takes each row out of the replay as it is compared, so what a table leaves behind is in the
    history but not in the table. `place` says where the rows come from: "the table", "the file"."""

    def __init__(self, replay: Replay, place: str) -> None:
        self.replay, self.place = replay, place
        self.compared = 0

    def problem(self, table: str, key: Key, row: Mapping[str, Any]) -> str | None:
        """What is wrong with this row, or None when its history gives exactly these values."""
        self.compared += 1
        expected = self.replay.rows[table].pop(key, None)
        if expected is None:
            return f"is in {self.place} but not in its history"
        for column in HISTORY_COLUMNS[table]:
            actual = audit.jsonable(row[column])
            if actual != expected[column]:
                return f"{column} is {actual!r} in {self.place}, {expected[column]!r} in its history"
        if table == "articles" and hashlib.sha256(row["body"].encode()).hexdigest() != row["content_hash"]:
            return f"its body in {self.place} is not the text its history imported (content_hash differs)"
        if table == "evidence_snapshots" and body_hash(row["body"]) != row["body_sha256"]:
            return f"its body in {self.place} is not the page its history archived (body_sha256 differs)"
        return None

    def left_over(self, table: str) -> tuple[Key, str] | None:
        """The first row of `table` the history has and the rows did not."""
        remaining = self.replay.rows[table]
        if not remaining:
            return None
        return min(remaining), f"is in its history but not in {self.place}"


@dataclass(frozen=True)
class Difference:
    where: str  # "claim 17", "event #40"
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass(frozen=True)
class StateResult:
    """The chain's verdict, then the first row that differs from what the history gives."""

    chain: audit.VerifyResult
    rows_compared: int = 0
    difference: Difference | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.difference is None


def verify_database(session: Session) -> StateResult:
    """Walk the chain while replaying it, then compare the replay with every audited table.
    Run it in a transaction that sees one moment (`db.snapshot_unit_of_work`) on a live desk."""
    walk, replay = audit.ChainWalk(), Replay()
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=BATCH)
    try:
        with session.execute(query) as result:
            for event in result.scalars():
                walk.step(event)
                if walk.failure is not None:
                    break
                replay.apply(event)
    except ReplayError as exc:
        return StateResult(walk.result(None), difference=Difference(f"event #{exc.seq}", str(exc)))
    chain = walk.result(session.get(AuditChainHead, audit.HEAD_ROW_ID))
    if not chain.ok:
        return StateResult(chain)
    comparer = RowComparer(replay, "the table")
    for name in HISTORY_COLUMNS:
        difference = _compare_table(session, Base.metadata.tables[name], comparer)
        if difference is not None:
            return StateResult(chain, comparer.compared, difference)
    return StateResult(chain, comparer.compared)


def _compare_table(session: Session, table: Table, comparer: RowComparer) -> Difference | None:
    key_columns = list(table.primary_key.columns)
    wanted = [*HISTORY_COLUMNS[table.name], *(["body"] if table.name in HASHED_BODIES else [])]
    columns = [*key_columns, *(table.c[name] for name in wanted)]
    query = select(*columns).order_by(*key_columns).execution_options(yield_per=BATCH)
    with session.execute(query) as result:
        for row in result.mappings():
            keys = tuple(row[column.key] for column in key_columns)
            key = keys[0] if len(keys) == 1 else keys
            problem = comparer.problem(table.name, key, row)
            if problem is not None:
                return Difference(record_name(table.name, key), problem)
    left = comparer.left_over(table.name)
    return Difference(record_name(table.name, left[0]), left[1]) if left else None
