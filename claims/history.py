"""Reading the audit record: timelines, the desk feed, and a claim as it stood at a moment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from claims.errors import NotFound
from claims.models import AuditEvent, Claim

FEED_PAGE_SIZE = 50


@dataclass(frozen=True)
class FeedFilters:
    actor_id: int | None = None
    action: str | None = None
    article_id: int | None = None
    claim_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class FeedPage:
    events: Sequence[AuditEvent]
    next_before: int | None  # pass as `before_seq` for the next (older) page


def feed(
    session: Session, filters: FeedFilters, *, before_seq: int | None = None, limit: int = FEED_PAGE_SIZE
) -> FeedPage:
    """Newest first, keyset-paginated on `seq` so deep pages cost what the first one does."""
    query = select(AuditEvent).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.seq.desc())
    conditions = {
        AuditEvent.actor_id: filters.actor_id,
        AuditEvent.action: filters.action,
        AuditEvent.article_id: filters.article_id,
        AuditEvent.claim_id: filters.claim_id,
    }
    for column, value in conditions.items():
        if value is not None:
            query = query.where(column == value)
    if filters.since is not None:
        query = query.where(AuditEvent.occurred_at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEvent.occurred_at < filters.until)
    if before_seq is not None:
        query = query.where(AuditEvent.seq < before_seq)
    rows = session.scalars(query.limit(limit + 1)).all()
    events = rows[:limit]
    return FeedPage(events, events[-1].seq if len(rows) > limit else None)


def all_events(session: Session, filters: FeedFilters) -> list[AuditEvent]:
    """Every matching event, newest first, read page by page."""
    events: list[AuditEvent] = []
    before: int | None = None
    while True:
        page = feed(session, filters, before_seq=before, limit=1000)
        events.extend(page.events)
        if page.next_before is None:
            return events
        before = page.next_before


def claim_timeline(session: Session, claim_id: int) -> Sequence[AuditEvent]:
    """Every event about the claim, its evidence, sources and comments, oldest first."""
    query = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .where(AuditEvent.claim_id == claim_id)
        .order_by(AuditEvent.seq)
    )
    return session.scalars(query).all()


def changes_since_version(session: Session, claim_id: int, version: int) -> Sequence[AuditEvent]:
    """The claim's own changes made after the editor's `version`: what someone changed meanwhile.

    Every update of a claim row bumps its version and writes one claim event, and version 1 is the
    creation event, so the events after the first `version` claim events are exactly the newer ones."""
    query = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .where(AuditEvent.claim_id == claim_id, AuditEvent.entity_type == "claim")
        .order_by(AuditEvent.seq)
        .offset(version)
    )
    return session.scalars(query).all()


@dataclass
class ClaimSnapshot:
    """A claim rebuilt from its events alone, as it stood at `moment`."""

    claim_id: int
    moment: datetime
    fields: dict[str, Any] = field(default_factory=dict)
    evidence: dict[int, dict[str, Any]] = field(default_factory=dict)
    sources: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: list[dict[str, Any]] = field(default_factory=list)
    last_seq: int = 0

    def apply(self, event: AuditEvent) -> None:
        new_values = {name: change[1] for name, change in event.changes.items()}
        if event.entity_type == "claim":
            self.fields.update(new_values)
        elif event.entity_type == "evidence":
            self.evidence.setdefault(event.entity_id, {}).update(new_values)
        elif event.entity_type == "source" and event.action == "source.added":
            self.sources[event.entity_id] = new_values
        elif event.entity_type == "source":
            self.sources.pop(event.entity_id, None)
        elif event.entity_type == "comment":
            self.comments.append({**new_values, "actor_id": event.actor_id, "at": event.occurred_at})
        self.last_seq = event.seq

    @property
    def active_evidence(self) -> list[dict[str, Any]]:
        return [item for item in self.evidence.values() if not item.get("retracted_at")]


def claim_as_of(session: Session, claim_id: int, moment: datetime) -> ClaimSnapshot | None:
    """The claim at `moment`, or None if it did not exist yet."""
    if session.get(Claim, claim_id) is None:
        raise NotFound("claim", claim_id)
    query = (
        select(AuditEvent)
        .where(AuditEvent.claim_id == claim_id, AuditEvent.occurred_at <= moment)
        .order_by(AuditEvent.seq)
    )
    snapshot = ClaimSnapshot(claim_id, moment)
    for event in session.scalars(query):
        snapshot.apply(event)
    return snapshot if snapshot.last_seq else None
