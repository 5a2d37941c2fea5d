"""The claim page: the sentence in context, its record, and its history (also as of a moment)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, render_template, request
from sqlalchemy.orm import selectinload

from app.database import db_session
from claims import history
from claims.models import Appearance, Claim, Evidence

blueprint = Blueprint("claims", __name__)


def paragraph_around(claim: Claim) -> tuple[str, str, str]:
    """The claim's paragraph split into text before, the sentence itself, and text after."""
    body = claim.article.body
    start = body.rfind("\n", 0, claim.start) + 1
    end = body.find("\n", claim.end)
    end = len(body) if end < 0 else end
    return body[start : claim.start], body[claim.start : claim.end], body[claim.end : end]


def parse_moment(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        flash(f"“{raw}” is not a date and time; showing the claim as it is now.", "error")
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


@blueprint.get("/claims/<int:claim_id>")
def show(claim_id: int) -> str:
    session = db_session()
    claim = session.get(
        Claim,
        claim_id,
        options=[
            selectinload(Claim.article),
            selectinload(Claim.appearances).selectinload(Appearance.source),
            selectinload(Claim.evidence).selectinload(Evidence.added_by),
            selectinload(Claim.comments),
        ],
    )
    if claim is None:
        abort(404)
    moment = parse_moment(request.args.get("as_of"))
    snapshot = history.claim_as_of(session, claim.id, moment) if moment else None
    return render_template(
        "claims/show.html",
        claim=claim,
        context=paragraph_around(claim),
        timeline=history.claim_timeline(session, claim.id),
        moment=moment,
        snapshot=snapshot,
    )
