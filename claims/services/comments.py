"""Discussion on a claim between reviewers and editors."""

from __future__ import annotations

from sqlalchemy.orm import Session

from claims import audit
from claims.models import Claim, Comment, User
from claims.permissions import Action, require
from claims.services.lookup import get_or_raise
from claims.validation import clean_text

COMMENT_MAX_CHARS = 10_000


def add_comment(session: Session, actor: User, claim_id: int, body: str) -> Comment:
    require(actor, Action.COMMENT)
    claim = get_or_raise(session, Claim, claim_id)
    comment = Comment(
        claim=claim, author=actor, body=clean_text("comment", body, max_length=COMMENT_MAX_CHARS)
    )
    session.add(comment)
    session.flush()
    audit.record_on_claim(
        session, actor, claim, "comment", comment.id, "comment.added", audit.created({"body": comment.body})
    )
    return comment
