"""Article list and article page (the reviewer UI of issue #7 builds on these)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from app.database import db_session
from claims.models import Article
from claims.queries import articles_with_counts, list_claims

blueprint = Blueprint("articles", __name__)


@blueprint.get("/")
def index() -> str:
    return render_template("articles/index.html", articles=articles_with_counts(db_session()))


@blueprint.get("/articles/<int:article_id>")
def show(article_id: int) -> str:
    session = db_session()
    article = session.get(Article, article_id)
    if article is None:
        abort(404)
    claims = sorted(list_claims(session, article_id=article_id), key=lambda claim: -claim.score)
    return render_template("articles/show.html", article=article, claims=claims)
