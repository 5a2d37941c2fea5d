"""Evidence is added and retracted, never deleted: a retraction is itself on the record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from claims import audit
from claims.errors import ValidationFailed
from claims.models import Claim, Evidence, Stance, User, utcnow
from claims.permissions import Action, require
from claims.services.lookup import get_or_raise
from claims.snapshots.queueing import request_snapshot
from claims.validation import clean_choice, clean_text, clean_url
from claims.workflow import refuse_if_frozen

EXCERPT_MAX_CHARS = 10_000


def add_evidence(
    session: Session,
    actor: User,
    claim_id: int,
    *,
    url: str,
    title: str,
    stance: str,
    publisher: str | None = None,
    excerpt: str | None = None,
    note: str | None = None,
) -> Evidence:
    require(actor, Action.ADD_EVIDENCE)
    claim = get_or_raise(session, Claim, claim_id)
    refuse_if_frozen(claim, "add evidence")
    evidence = Evidence(
        claim=claim,
        url=clean_url("url", url),
        title=clean_text("title", title, max_length=500),
        stance=Stance(clean_choice("stance", stance, Stance)),
        publisher=clean_text("publisher", publisher, max_length=200, required=False),
        excerpt=clean_text("excerpt", excerpt, max_length=EXCERPT_MAX_CHARS, required=False),
        note=clean_text("note", note, max_length=EXCERPT_MAX_CHARS, required=False),
        added_by=actor,
    )
    session.add(evidence)
    session.flush()
    audit.record_on_claim(
        session,
        actor,
        claim,
        "evidence",
        evidence.id,
        "evidence.added",
        audit.created(
            {
                field: getattr(evidence, field)
                for field in ("url", "title", "publisher", "excerpt", "note", "stance")
            }
        ),
    )
    request_snapshot(session, actor, evidence.id)
    return evidence


def retract_evidence(session: Session, actor: User, evidence_id: int, reason: str) -> Evidence:
    require(actor, Action.RETRACT_EVIDENCE)
    evidence = get_or_raise(session, Evidence, evidence_id)
    refuse_if_frozen(evidence.claim, "retract evidence")
    if evidence.retracted_at is not None:
        raise ValidationFailed("evidence", f"evidence {evidence_id} was already retracted")
    changes = audit.apply(
        evidence,
        {
            "retracted_at": utcnow(),
            "retracted_by_id": actor.id,
            "retraction_reason": clean_text("reason", reason, max_length=EXCERPT_MAX_CHARS),
        },
    )
    session.flush()
    claim = evidence.claim
    audit.record_on_claim(session, actor, claim, "evidence", evidence.id, "evidence.retracted", changes)
    return evidence
