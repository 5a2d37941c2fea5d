"""The claim queue: filters, three sort orders and keyset pagination that stays fast on large desks.

A cursor is the sort value and id of the last claim shown; the next page continues strictly after it,
so page 1,000 costs what page 1 does (with the indexes of migration 0003). The text filter is word
search (`claims.search`). The queue page reads its claims as plain rows (`queue_rows`) and its counts
and filter menus in one statement (`queue_menus`): ORM objects and six small queries were most of its
time. The API reads the same page as claims (`queue_page`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, joinedload

from claims.errors import ValidationFailed
from claims.matching.suggestions import shows_strong_match
from claims.models import Article, Claim, ClaimStatusCount, Finding, Status, User
from claims.models.snapshot import MARKS
from claims.queries import ARTICLE_CHOICES
from claims.search import claim_matches
from claims.snapshots.archive import marked_by
from claims.validation import finite_number, moment, whole_number

PAGE_SIZE = 50
SEARCH_MAX_CHARS = 200
MARK_ORDER = sorted(MARKS)
# Built once: each builds an alias of the snapshots table, costly to remake for every page.
MARK_COLUMNS = [marked_by(finding) for finding in MARK_ORDER]


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
            conditions.append(shows_strong_match())
        return conditions


@dataclass(frozen=True)
class QueuePage:
    claims: Sequence[Claim]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A claim as the queue page lists it."""

    id: int
    version: int
    score: float
    text: str
    claimant: str | None
    status: str
    verdict: str | None
    article_id: int
    article_title: str
    assignee_name: str | None
    is_strong_match: bool
    sort_value: Any
    marks: tuple[Finding, ...]  # what the latest rechecks of its cited pages found: gone, changed


@dataclass(frozen=True)
class QueueRows:
    rows: Sequence[QueueRow]
    next_cursor: str | None
    # Claims per status under every filter but the status one, when the page query could count them
    # (a word search): `queue_menus` then need not search again.
    counts: dict[str, int] | None = None


@dataclass(frozen=True)
class QueueMenus:
    counts: dict[str, int]  # claims per status under every filter but the status one
    assignees: list[tuple[int, str]]  # active users by name
    articles: list[tuple[int, str]]  # the newest articles, plus the one filtered on


def encode_cursor(value: Any, claim_id: int) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else repr(value)
    return f"{raw}~{claim_id}"


def decode_cursor(sort: Sort, cursor: str) -> tuple[Any, int]:
    raw, _, claim_id = cursor.rpartition("~")
    try:
        value: Any = moment("after", raw) if sort != Sort.SCORE else finite_number("after", raw)
        return value, whole_number("after", claim_id)
    except ValidationFailed:
        raise ValidationFailed(
            "after", "the page link is not valid; start again from the first page"
        ) from None


def _one_page(
    query: Select[Any],
    conditions: Sequence[ColumnElement[bool]],
    sort: Sort,
    after: str | None,
    limit: int,
    keys: Any = None,
) -> Select[Any]:
    """The query narrowed to the conditions and to the page after the cursor, one extra row telling
    whether another page follows. `keys` stands for (the sort's column, the claim id) when a subquery
    holds them."""
    column, claim_id = keys if keys is not None else (SORT_COLUMNS[sort], Claim.id)
    query = query.where(*conditions).order_by(column.desc(), claim_id.desc()).limit(limit + 1)
    if after:
        value, last_id = decode_cursor(sort, after)
        query = query.where(or_(column < value, and_(column == value, claim_id < last_id)))
    return query


def queue_page(
    session: Session,
    filters: QueueFilters,
    sort: Sort = Sort.SCORE,
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> QueuePage:
    """A page of the queue as claims, with their article (without its body) and assignee loaded."""
    query = select(Claim).options(
        joinedload(Claim.article, innerjoin=True).defer(Article.body),
        joinedload(Claim.assignee),
    )
    claims = session.scalars(_one_page(query, filters.conditions(), sort, after, limit)).all()
    page = claims[:limit]
    if len(claims) <= limit:
        return QueuePage(page, None)
    return QueuePage(page, encode_cursor(getattr(page[-1], SORT_COLUMNS[sort].key), page[-1].id))


def _queue_row(row: Sequence[Any]) -> QueueRow:
    """A QueueRow from the page query's columns, whose last ones say which marks the claim has."""
    columns, found = row[:ROW_COLUMNS], row[ROW_COLUMNS : ROW_COLUMNS + len(MARK_ORDER)]
    marks = tuple(finding for finding, is_found in zip(MARK_ORDER, found, strict=True) if is_found)
    return QueueRow(*columns, marks=marks)


ROW_COLUMNS = len(QueueRow.__slots__) - 1  # all but the marks, which come as one column per finding


def queue_rows(
    session: Session, filters: QueueFilters, sort: Sort = Sort.SCORE, after: str | None = None
) -> QueueRows:
    """A page of the queue as the queue page shows it, in one query of plain columns.

    With a word search the same query also counts the matches per status: the search index is then
    read once a page, not twice (it was most of a searched page's database time at 100,000 claims).
    """
    found = session.execute(_page_statement(filters, sort, after, PAGE_SIZE)).all()
    rows = [_queue_row(row) for row in found]
    counts = _counts_of(found[0]) if filters.search and found else None
    page = rows[:PAGE_SIZE]
    if len(rows) <= PAGE_SIZE:
        return QueueRows(page, None, counts)
    return QueueRows(page, encode_cursor(page[-1].sort_value, page[-1].id), counts)


@lru_cache(maxsize=128)
def _page_statement(filters: QueueFilters, sort: Sort, after: str | None, limit: int) -> Select[Any]:
    """The page query for these filters, built once: building and keying this statement was a third of
    a searched queue page's CPU, and a desk comes back to the same queue after each claim it handles."""
    query = (
        select(
            Claim.id,
            Claim.version,
            Claim.score,
            Claim.text,
            Claim.claimant,
            Claim.status,
            Claim.verdict,
            Claim.article_id,
            Article.title,
            User.display_name,
            shows_strong_match(),
            SORT_COLUMNS[sort],
            *MARK_COLUMNS,
        )
        .join(Article, Article.id == Claim.article_id)
        .outerjoin(User, User.id == Claim.assignee_id)
    )
    if not filters.search:
        return _one_page(query, filters.conditions(), sort, after, limit)
    page = _searched_page(filters, sort, after, limit)
    query = query.add_columns(*(page.c[status.value] for status in Status))
    return query.join(page, page.c.id == Claim.id).order_by(page.c.sort_value.desc(), Claim.id.desc())


def _searched_page(filters: QueueFilters, sort: Sort, after: str | None, limit: int) -> Any:
    """The page of claims a word search finds, each carrying the count of each status among all it finds
    (a window over every match, before the status filter and the page are cut). The page is cut here, so
    only its rows are joined to their article and assignee, however many claims match."""
    per_status = (
        func.sum(case((Claim.status == status.value, 1), else_=0)).over().label(status.value)
        for status in Status
    )
    matches = (
        select(Claim.id, Claim.status, SORT_COLUMNS[sort].label("sort_value"), *per_status)
        .where(*filters.conditions(with_status=False))
        .subquery("matches")
    )
    status = [matches.c.status == filters.status] if filters.status else []
    keys = (matches.c.sort_value, matches.c.id)
    return _one_page(select(matches), status, sort, after, limit, keys).subquery("page")


def _counts_of(row: Sequence[Any]) -> dict[str, int]:
    return {status.value: int(count) for status, count in zip(Status, row[-len(Status) :], strict=True)}


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
    """Claims per status under every filter but the status one, so the tabs show what each holds."""
    return {status.value: 0 for status in Status} | dict(session.execute(_per_status(filters)).all())


def _per_status(filters: QueueFilters) -> Select[tuple[str, int]]:
    """Rows of (status, claims). With no filter they come from the table the database keeps (migration
    0009): counting 100,000 claims on every queue view was most of its time."""
    conditions = filters.conditions(with_status=False)
    if not conditions:
        return select(ClaimStatusCount.status, ClaimStatusCount.claims)
    return select(Claim.status, func.count().label("claims")).where(*conditions).group_by(Claim.status)


@lru_cache(maxsize=128)
def _menus_statement(to_count: QueueFilters | None, article_id: int | None, articles: int) -> CompoundSelect:
    """The menus' statement, counting under `to_count` unless it is None and listing the newest `articles`,
    built once per arguments (as the page statement is)."""
    no_id, no_number = cast(null(), Integer), cast(null(), Integer)
    assignees = select(
        literal("assignee"),
        User.id,
        User.display_name,
        no_number,
        func.row_number().over(order_by=(User.display_name, User.id)),
    ).where(User.is_active)
    newest = select(Article.id, Article.title).order_by(Article.id.desc()).limit(articles).subquery()
    articles = select(literal("article"), newest.c.id, newest.c.title, no_number, -newest.c.id)
    parts = [assignees, articles]
    if to_count is not None:
        per_status = _per_status(to_count).subquery()
        parts.append(select(literal("count"), no_id, *per_status.c, literal(0)))
    if article_id is not None:  # the article filtered on, when it is not among the newest
        parts.append(
            select(literal("article"), Article.id, Article.title, no_number, literal(1)).where(
                Article.id == article_id
            )
        )
    return union_all(*parts)


def queue_menus(session: Session, filters: QueueFilters, counts: dict[str, int] | None = None) -> QueueMenus:
    """The counts per status (as `status_counts`, unless the page query brought them: `counts`) and the
    assignee and article menus, in one statement.

    Each part is (part, id, label, number, position): a status count has no id, a menu entry no number,
    and `position` keeps each menu in the order the database sorted it.
    """
    statement = _menus_statement(filters if counts is None else None, filters.article_id, ARTICLE_CHOICES)
    counted = {status.value: 0 for status in Status} | (counts or {})
    entries: dict[str, dict[int, str]] = {"assignee": {}, "article": {}}
    for part, entry_id, label, number, _position in sorted(
        session.execute(statement), key=lambda row: row[4]
    ):
        if part == "count":
            counted[label] = number
        else:
            entries[part].setdefault(entry_id, label)
    return QueueMenus(counted, list(entries["assignee"].items()), list(entries["article"].items()))
