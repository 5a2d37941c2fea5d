"""The desk-wide activity feed and each article's history, filtered and keyset-paginated."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from app.database import db_session
from app.formatting import ACTION_LABELS
from app.ids import day_arg, id_arg
from claims import history
from claims.models import Article, User
from claims.queries import article_choices

blueprint = Blueprint("activity", __name__)

# What can happen to an article and its claims: the only actions an article's history offers to filter by.
ARTICLE_ACTIONS = {
    action: label
    for action, label in ACTION_LABELS.items()
    if action.split(".")[0] in {"article", "claim", "evidence", "source", "comment"}
}


def _day_arg(name: str, *, end_of_day: bool = False) -> datetime | None:
    day = day_arg(name)
    if day is None:
        return None
    moment = datetime.combine(day, time.min, tzinfo=UTC)
    return moment + timedelta(days=1) if end_of_day else moment


def _filters(article_id: int | None = None) -> history.FeedFilters:
    action = request.args.get("action") or None
    return history.FeedFilters(
        actor_id=id_arg("user"),
        action=action if action in ACTION_LABELS else None,
        fold_imports=True,
        article_id=article_id if article_id is not None else id_arg("article"),
        since=_day_arg("since"),
        until=_day_arg("until", end_of_day=True),
    )


def _render(title: str, filters: history.FeedFilters, article: Article | None = None) -> str:
    session = db_session()
    page = history.feed(session, filters, before_seq=id_arg("before"))
    users = session.scalars(select(User).order_by(User.display_name)).all()
    return render_template(
        "activity/feed.html",
        title=title,
        page=page,
        article=article,
        users=users,
        actions=ARTICLE_ACTIONS if article else ACTION_LABELS,
        imports=history.imported_claims(session, page.events),
        args=request.args,
        people={user.id: user.display_name for user in users},
        articles=article_choices(session, filters.article_id),
    )


@blueprint.get("/activity")
def desk() -> str:
    return _render("Desk activity", _filters())


@blueprint.get("/articles/<int:article_id>/history")
def article_history(article_id: int) -> str:
    article = db_session().get(Article, article_id)
    if article is None:
        abort(404)
    return _render(f"History of “{article.title}”", _filters(article_id), article)
