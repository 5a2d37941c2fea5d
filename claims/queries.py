"""Read-side queries shared by the CLI, the web pages and (later) the API."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.models import Article, Claim, Status


def list_claims(
    session: Session, *, article_id: int | None = None, status: str | None = None
) -> Sequence[Claim]:
    query = select(Claim).order_by(Claim.article_id, Claim.start)
    if article_id is not None:
        query = query.where(Claim.article_id == article_id)
    if status is not None:
        query = query.where(Claim.status == status)
    return session.scalars(query).all()


def articles_with_counts(session: Session) -> list[tuple[Article, int, int]]:
    """Each article with its number of claims and of check-worthy ones, newest first, in one query."""
    checkworthy = func.count(Claim.id).filter(Claim.status != Status.NOT_CHECKWORTHY)
    query = (
        select(Article, func.count(Claim.id), checkworthy)
        .outerjoin(Claim)
        .group_by(Article.id)
        .order_by(Article.imported_at.desc(), Article.id.desc())
    )
    return [(article, total, worthy) for article, total, worthy in session.execute(query)]


ARTICLE_CHOICES = 100


def article_choices(session: Session, selected: int | None) -> list[tuple[int, str]]:
    """The newest articles for the filter menu (a desk has thousands), plus the one filtered on."""
    newest = select(Article.id, Article.title).order_by(Article.id.desc()).limit(ARTICLE_CHOICES)
    choices = [(row.id, row.title) for row in session.execute(newest)]
    if selected is not None and selected not in {article_id for article_id, _ in choices}:
        chosen = session.execute(select(Article.id, Article.title).where(Article.id == selected)).first()
        if chosen is not None:
            choices.append((chosen.id, chosen.title))
    return choices
