"""Reading the audit record: timelines, the desk feed, and a claim as it stood at a moment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from claims.errors import NotFound
from claims.models import Article, AuditEvent, Claim
from claims.replay import Replay

FEED_PAGE_SIZE = 50


@dataclass(frozen=True)
class FeedFilters:
    actor_id: int | None = None
    action: str | None = None
    article_id: int | None = None
    claim_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    # An import as one entry: its article's event stands for the claims it created (see `imported_claims`).
    fold_imports: bool = False


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
    if filters.fold_imports and filters.action is None:
        query = query.where(AuditEvent.action != "claim.created")
    if filters.since is not None:
        query = query.where(AuditEvent.occurred_at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEvent.occurred_at < filters.until)
    if before_seq is not None:
        query = query.where(AuditEvent.seq < before_seq)
    rows = session.scalars(query.limit(limit + 1)).all()
    events = rows[:limit]
    return FeedPage(events, events[-1].seq if len(rows) > limit else None)


@dataclass(frozen=True)
class ImportedArticle:
    title: str
    claims: Sequence[tuple[int, str]]  # (id, claim as reviewed), in the article's order


def imported_claims(session: Session, events: Sequence[AuditEvent]) -> dict[int, ImportedArticle]:
    """For the imports among these events: each article's title and its claims, by article id."""
    article_ids = {event.article_id for event in events if event.action == "article.imported"}
    if not article_ids:
        return {}
    titles = dict(session.execute(select(Article.id, Article.title).where(Article.id.in_(article_ids))).all())
    claims: dict[int, list[tuple[int, str]]] = {article_id: [] for article_id in titles}
    rows = session.execute(
        select(Claim.article_id, Claim.id, Claim.text)
        .where(Claim.article_id.in_(article_ids))
        .order_by(Claim.article_id, Claim.start, Claim.id)
    )
    for article_id, claim_id, text in rows:
        claims[article_id].append((claim_id, text))
    return {article_id: ImportedArticle(title, claims[article_id]) for article_id, title in titles.items()}


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


@dataclass(frozen=True)
class ClaimSnapshot:
    """A claim rebuilt from its events alone (by `claims.replay`), as it stood at `moment`."""

    claim_id: int
    moment: datetime
    fields: dict[str, Any]
    evidence: dict[int, dict[str, Any]]

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
    # Only this claim's events: rows they refer to elsewhere (a merged claim's evidence) are skipped.
    replay = Replay(strict=False)
    for event in session.scalars(query):
        replay.apply(event)
    fields = replay.rows["claims"].get(claim_id)
    if fields is None:
        return None
    return ClaimSnapshot(claim_id, moment, fields, replay.claim_children(claim_id, "evidence"))
