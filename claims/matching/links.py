"""Reviewers' decisions on suggested matches: "same claim as" a fact-check or desk claim, or dismissed."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from claims import audit
from claims.errors import ValidationFailed
from claims.matching.embeddings import CLAIM, FACT_CHECK
from claims.matching.suggestions import forget
from claims.models import Claim, ClaimLink, FactCheck, User
from claims.permissions import Action, require
from claims.services.lookup import get_or_raise
from claims.workflow import refuse_if_frozen


class Decision(enum.StrEnum):
    SAME = "same"
    DISMISSED = "dismissed"


TARGETS = {FACT_CHECK: FactCheck, CLAIM: Claim}


def decide(
    session: Session,
    actor: User | None,
    claim_id: int,
    target_kind: str,
    target_id: int,
    decision: Decision,
    score: float | None = None,
) -> ClaimLink:
    """Record the decision on one match; deciding again changes it (audited), the same decision is a no-op.

    Refused while the claim's verdict is pending or published: what it was checked against is part of it."""
    if actor is not None:
        require(actor, Action.EDIT_CLAIM)
    claim = get_or_raise(session, Claim, claim_id)
    refuse_if_frozen(claim, "decide on a match")
    if target_kind not in TARGETS:
        raise ValidationFailed("kind", f"must be one of {', '.join(TARGETS)}, got {target_kind!r}")
    get_or_raise(session, TARGETS[target_kind], target_id)
    if target_kind == CLAIM and target_id == claim.id:
        raise ValidationFailed("id", "a claim cannot be linked to itself")
    if decision == Decision.DISMISSED:
        forget(session, claim.id, target_kind, target_id)
    values = {"decision": decision.value, "score": score, "decided_by_id": actor.id if actor else None}
    link = session.scalars(
        select(ClaimLink).where(
            ClaimLink.claim_id == claim.id,
            ClaimLink.target_kind == target_kind,
            ClaimLink.target_id == target_id,
        )
    ).one_or_none()
    if link is None:
        link = ClaimLink(claim_id=claim.id, target_kind=target_kind, target_id=target_id, **values)
        session.add(link)
        session.flush()
        created = audit.created({"target_kind": target_kind, "target_id": target_id, **values})
        audit.record(session, actor, "claim_link", link.id, "claim_link.decided", created, claim_id=claim.id)
        return link
    if link.decision == decision.value:
        return link
    changes = audit.apply(link, values)
    session.flush()
    audit.record(session, actor, "claim_link", link.id, "claim_link.changed", changes, claim_id=claim.id)
    return link


@dataclass(frozen=True)
class LinkedItem:
    kind: str
    id: int
    text: str
    url: str | None
    direction: str  # "to": this claim was linked to it; "from": it was linked to this claim


def links_of(session: Session, claim_id: int) -> tuple[list[LinkedItem], set[tuple[str, int]]]:
    """What the claim is "the same claim as", both ways, and the matches dismissed on it."""
    rows = session.scalars(
        select(ClaimLink).where(
            or_(
                ClaimLink.claim_id == claim_id,
                (ClaimLink.target_kind == CLAIM) & (ClaimLink.target_id == claim_id),
            )
        )
    ).all()
    dismissed = {
        (row.target_kind, row.target_id)
        for row in rows
        if row.claim_id == claim_id and row.decision == Decision.DISMISSED
    }
    same: list[LinkedItem] = []
    for row in rows:
        if row.decision != Decision.SAME:
            continue
        if row.claim_id == claim_id:
            same.append(_item(session, row.target_kind, row.target_id, "to"))
        else:
            same.append(_item(session, CLAIM, row.claim_id, "from"))
    return same, dismissed


def _item(session: Session, kind: str, entity_id: int, direction: str) -> LinkedItem:
    if kind == FACT_CHECK:
        check = session.get(FactCheck, entity_id)
        return LinkedItem(
            kind, entity_id, check.claim_reviewed if check else "(removed)", check and check.url, direction
        )
    claim = session.get(Claim, entity_id)
    return LinkedItem(kind, entity_id, claim.text if claim else "(removed)", None, direction)
