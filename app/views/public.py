"""Public fact-check pages and the ClaimReview feed: readable without signing in, published claims only."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import literal, select
from sqlalchemy.orm import selectinload

from app.auth import public
from app.database import db_session, streamed_with_own_session
from app.desk import current_desk
from claims.export.claimreview import claim_review, claim_reviews, publisher_from
from claims.export.jsonfile import json_array
from claims.models import Appearance, Claim, Status

blueprint = Blueprint("public", __name__)


@blueprint.get("/fact-checks/<int:claim_id>")
@public
def fact_check(claim_id: int) -> str:
    claim = db_session().get(
        Claim,
        claim_id,
        options=[
            selectinload(Claim.article),
            selectinload(Claim.evidence),
            selectinload(Claim.appearances).selectinload(Appearance.source),
        ],
    )
    if claim is None or claim.status != Status.PUBLISHED:
        abort(404)
    publisher = publisher_from(current_desk())
    return render_template(
        "public/fact_check.html", claim=claim, review=claim_review(claim, publisher), publisher=publisher
    )


@blueprint.get("/api/v1/claimreview.json")
@public
def claimreview_feed() -> Response:
    publisher = publisher_from(current_desk())
    body = streamed_with_own_session(lambda session: json_array(claim_reviews(session, publisher)))
    return Response(body, mimetype="application/json")


@blueprint.get("/healthz")
@public
def health() -> Response:
    """For load balancers and monitoring: the app answers and its database does."""
    db_session().execute(select(literal(1)))
    return Response("ok\n", mimetype="text/plain")
