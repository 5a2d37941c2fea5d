"""Reviewer decisions as training labels: the latest triage of each claim (check-worthy or dismissed)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.models import AuditEvent, Claim

DECISIONS = {"claim.triage": "Yes", "claim.dismiss": "No"}


def reviewer_labels(session: Session) -> Iterator[tuple[int, str, str]]:
    """(claim id, sentence, Yes/No) for every claim a person triaged, by their latest decision."""
    latest = (
        select(AuditEvent.claim_id, func.max(AuditEvent.seq).label("seq"))
        .where(AuditEvent.action.in_(DECISIONS), AuditEvent.actor_id.is_not(None))
        .group_by(AuditEvent.claim_id)
        .subquery()
    )
    query = (
        select(Claim.id, Claim.sentence, AuditEvent.action)
        .join(latest, latest.c.claim_id == Claim.id)
        .join(AuditEvent, AuditEvent.seq == latest.c.seq)
        .order_by(Claim.id)
    )
    for claim_id, sentence, action in session.execute(query):
        yield claim_id, sentence, DECISIONS[action]


def as_tsv_line(*cells: object) -> str:
    """One TSV row; tabs and line breaks inside a sentence become spaces so the row stays one row."""
    return "\t".join(" ".join(str(cell).split()) for cell in cells) + "\n"
