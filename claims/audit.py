"""The audit record: one hash-chained event per change, written in the changing transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import AuditChainHead, AuditEvent, Claim, User, utcnow

GENESIS_HASH = "0" * 64
HEAD_ROW_ID = 1
# Never written into an event, whatever a service passes in.
SECRET_FIELDS = frozenset({"password", "password_hash", "token", "token_hash", "secret"})

Changes = dict[str, list[Any]]


def jsonable(value: Any) -> Any:
    """The form a value takes inside an event: plain JSON, stable across databases."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def diff(obj: object, values: Mapping[str, Any]) -> Changes:
    """Field-level old → new for the values that differ from `obj`'s current ones."""
    changes: Changes = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if jsonable(old) != jsonable(new):
            changes[field] = [jsonable(old), jsonable(new)]
    return changes


def apply(obj: object, values: Mapping[str, Any]) -> Changes:
    """Set only what differs and return the diff, so an unchanged value causes no event."""
    changes = diff(obj, values)
    for field in changes:
        setattr(obj, field, values[field])
    return changes


def created(values: Mapping[str, Any]) -> Changes:
    return {field: [None, jsonable(value)] for field, value in values.items() if value is not None}


def canonical_content(event: AuditEvent) -> bytes:
    content = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "action": event.action,
        "changes": event.changes,
        "claim_id": event.claim_id,
        "article_id": event.article_id,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_content(event)).hexdigest()


def _locked_head(session: Session) -> AuditChainHead:
    # FOR UPDATE on the single head row serialises chain writers on PostgreSQL until commit;
    # SQLite serialises writers itself (BEGIN IMMEDIATE).
    head = session.scalars(
        select(AuditChainHead).where(AuditChainHead.id == HEAD_ROW_ID).with_for_update()
    ).one_or_none()
    if head is None:
        head = AuditChainHead(id=HEAD_ROW_ID, seq=0, hash=GENESIS_HASH)
        session.add(head)
    return head


@dataclass(frozen=True)
class Change:
    """One change to record: what it touched, what happened, and the field-level diff."""

    entity_type: str
    entity_id: int
    action: str
    changes: Changes
    claim_id: int | None = None
    article_id: int | None = None


def record_all(session: Session, actor: User | None, entries: list[Change]) -> list[AuditEvent]:
    """Append events to the chain in the caller's transaction, taking the chain head once."""
    head = _locked_head(session)
    events = []
    for entry in entries:
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=utcnow(),
            actor_id=actor.id if actor else None,
            entity_type=entry.entity_type,
            entity_id=entry.entity_id,
            action=entry.action,
            changes={field: change for field, change in entry.changes.items() if field not in SECRET_FIELDS},
            claim_id=entry.claim_id,
            article_id=entry.article_id,
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        head.seq, head.hash = event.seq, event.hash
        events.append(event)
    session.add_all(events)
    session.flush()
    return events


def record(
    session: Session,
    actor: User | None,
    entity_type: str,
    entity_id: int,
    action: str,
    changes: Changes,
    *,
    claim_id: int | None = None,
    article_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain in the caller's transaction."""
    [event] = record_all(
        session, actor, [Change(entity_type, entity_id, action, changes, claim_id, article_id)]
    )
    return event


def record_claim_change(
    session: Session, actor: User | None, claim: Claim, action: str, changes: Changes
) -> None:
    """Flush the claim (bumping its version) and record the change; nothing when nothing changed."""
    if not changes:
        return
    session.flush()
    record_on_claim(session, actor, claim, "claim", claim.id, action, changes)


def record_on_claim(
    session: Session,
    actor: User | None,
    claim: Claim,
    entity_type: str,
    entity_id: int,
    action: str,
    changes: Changes,
) -> AuditEvent:
    """Record a change to something that belongs to a claim, so it shows in the claim's history."""
    return record(
        session,
        actor,
        entity_type,
        entity_id,
        action,
        changes,
        claim_id=claim.id,
        article_id=claim.article_id,
    )


# Everything a new claim starts with, so replaying the history rebuilds the row (claims.replay).
CREATION_FIELDS = (
    "start",
    "end",
    "sentence",
    "text",
    "claimant",
    "score",
    "reasons",
    "status",
    "assignee_id",
)


def claim_created(
    claim: Claim | Mapping[str, Any],
    action: str = "claim.created",
    *,
    source_ids: Iterable[int] = (),
    split_from: int | None = None,
) -> Change:
    """The event that starts a claim's history: its span, sentence, wording, claimant, score, status,
    assignee, and the sources it appears in (`source_ids`, or those of the claim it was `split_from`).
    Takes a claim, or the row (with its `id` and `article_id`) of a claim inserted in bulk."""
    row = (
        claim
        if isinstance(claim, Mapping)
        else {name: getattr(claim, name) for name in ("id", "article_id", *CREATION_FIELDS)}
    )
    values = {name: row.get(name) for name in CREATION_FIELDS}
    values |= {"source_ids": list(source_ids) or None, "split_from": split_from}
    return Change(
        "claim", row["id"], action, created(values), claim_id=row["id"], article_id=row["article_id"]
    )


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


class ChainWalk:
    """Checks events one at a time in `seq` order, so a chain of any length verifies in flat memory."""

    def __init__(self) -> None:
        self.expected_prev, self.expected_seq, self.checked = GENESIS_HASH, 1, 0
        self.failure: VerifyResult | None = None

    def step(self, event: AuditEvent) -> None:
        if self.failure is not None:
            return
        if event.seq != self.expected_seq:
            self._fail(self.expected_seq, f"event #{self.expected_seq} is missing")
        elif event.prev_hash != self.expected_prev:
            self._fail(event.seq, f"event #{event.seq} does not follow the one before it")
        elif event_hash(event) != event.hash:
            self._fail(event.seq, f"event #{event.seq} was altered after it was written")
        else:
            self.expected_prev, self.expected_seq = event.hash, self.expected_seq + 1
            self.checked += 1

    def _fail(self, seq: int, problem: str) -> None:
        self.failure = VerifyResult(self.checked, seq, problem)

    def result(self, head: AuditChainHead | None) -> VerifyResult:
        if self.failure is not None:
            return self.failure
        if head is not None and (head.seq, head.hash) != (self.checked, self.expected_prev):
            removed = head.seq - self.checked
            return VerifyResult(self.checked, self.checked + 1, f"the newest {removed} event(s) were removed")
        return VerifyResult(self.checked)


def verify_chain(events: Iterable[AuditEvent], head: AuditChainHead | None) -> VerifyResult:
    """Walk events in `seq` order; the first gap, reordering or altered event breaks the chain."""
    walk = ChainWalk()
    for event in events:
        walk.step(event)
        if walk.failure is not None:
            break
    return walk.result(head)


def verify(session: Session) -> VerifyResult:
    head = session.get(AuditChainHead, HEAD_ROW_ID)
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000)
    # The context manager closes PostgreSQL's server-side cursor even when verification stops early.
    with session.execute(query) as result:
        return verify_chain(result.scalars(), head)
