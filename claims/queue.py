"""The claim queue: filters, three sort orders and keyset pagination that stays fast on large desks.

A cursor is the sort value and id of the last claim shown; the next page continues strictly after it,
so page 1,000 costs what page 1 does (with the indexes of migration 0003). The text filter is word
search (`claims.search`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from claims.errors import ValidationFailed
from claims.models import Article, Claim, ClaimStatusCount, Status, SuggestedMatch
from claims.search import claim_matches
from claims.validation import finite_number, moment, whole_number

PAGE_SIZE = 50
SEARCH_MAX_CHARS = 200


class Sort(enum.StrEnum):
    SCORE = "score"
    NEWEST = "newest"
    CHANGED = "changed"


SORT_COLUMNS: dict[Sort, Any] = {
    Sort.SCORE: Claim.score,
    Sort.NEWEST: Claim.created_at,
    Sort.CHANGED: Claim.updated_at,
}


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    verdict: str | None = None
    assignee_id: int | None = None
    article_id: int | None = None
    search: str | None = None
    strong_match: bool = False  # only claims with a strong suggested match (repeats first)

    def conditions(self, *, with_status: bool = True) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if with_status and self.status:
            conditions.append(Claim.status == self.status)
        if self.verdict:
            conditions.append(Claim.verdict == self.verdict)
        if self.assignee_id is not None:
            conditions.append(Claim.assignee_id == self.assignee_id)
        if self.article_id is not None:
            conditions.append(Claim.article_id == self.article_id)
        if self.search:
            conditions.append(claim_matches(self.search))
        if self.strong_match:
            conditions.append(Claim.id.in_(select(SuggestedMatch.claim_id)))
        return conditions


@dataclass(frozen=True)
class QueuePage:
    claims: Sequence[Claim]
    next_cursor: str | None


def encode_cursor(sort: Sort, claim: Claim) -> str:
    value = getattr(claim, SORT_COLUMNS[sort].key)
    raw = value.isoformat() if isinstance(value, datetime) else repr(value)
    return f"{raw}~{claim.id}"


def decode_cursor(sort: Sort, cursor: str) -> tuple[Any, int]:
    raw, _, claim_id = cursor.rpartition("~")
    try:
        value: Any = moment("after", raw) if sort != Sort.SCORE else finite_number("after", raw)
        return value, whole_number("after", claim_id)
    except ValidationFailed:
        raise ValidationFailed(
            "after", "the page link is not valid; start again from the first page"
        ) from None


def queue_page(
    session: Session,
    filters: QueueFilters,
    sort: Sort = Sort.SCORE,
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> QueuePage:
    column = SORT_COLUMNS[sort]
    query: Select[tuple[Claim]] = (
        select(Claim)
        .where(*filters.conditions())
        # The page shows each claim's article title and assignee's name: fetched in the same query, and
        # without the article bodies (most of the bytes a page of claims would otherwise read).
        .options(
            joinedload(Claim.article, innerjoin=True).defer(Article.body),
            joinedload(Claim.assignee),
        )
        .order_by(column.desc(), Claim.id.desc())
        .limit(limit + 1)
    )
    if after:
        value, last_id = decode_cursor(sort, after)
        query = query.where(or_(column < value, and_(column == value, Claim.id < last_id)))
    rows = session.scalars(query).all()
    page = rows[:limit]
    return QueuePage(page, encode_cursor(sort, page[-1]) if len(rows) > limit else None)


def neighbours(
    session: Session, filters: QueueFilters, sort: Sort, claim: Claim
) -> tuple[int | None, int | None]:
    """The claims just before and just after this one in the queue's order under these filters (either
    None at an end), so a reviewer can step through the queue they came from one claim at a time."""
    column = SORT_COLUMNS[sort]
    value = getattr(claim, column.key)
    earlier = or_(column > value, and_(column == value, Claim.id > claim.id))
    later = or_(column < value, and_(column == value, Claim.id < claim.id))
    conditions = filters.conditions()
    previous = session.scalar(
        select(Claim.id).where(*conditions, earlier).order_by(column.asc(), Claim.id.asc()).limit(1)
    )
    following = session.scalar(
        select(Claim.id).where(*conditions, later).order_by(column.desc(), Claim.id.desc()).limit(1)
    )
    return previous, following


def status_counts(session: Session, filters: QueueFilters) -> dict[str, int]:
    """Claims per status under every filter but the status one, so the tabs show what each holds.

    With no filter the counts come from the table the database keeps (migration 0009): counting 100,000
    claims on every queue view was most of its time.
    """
    counts = {status.value: 0 for status in Status}
    conditions = filters.conditions(with_status=False)
    if not conditions:
        counts.update(dict(session.execute(select(ClaimStatusCount.status, ClaimStatusCount.claims)).all()))
        return counts
    query = select(Claim.status, func.count()).where(*conditions).group_by(Claim.status)
    counts.update({status: count for status, count in session.execute(query)})
    return counts
