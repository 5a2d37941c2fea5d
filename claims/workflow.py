"""The status workflow of DESIGN.md, enforced here and nowhere else.

unreviewed ─triage→ in_review ─propose→ awaiting_approval ─approve→ published
unreviewed ─dismiss→ not_checkworthy ─restore→ unreviewed
awaiting_approval ─send_back→ in_review;  published ─reopen→ in_review
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from claims import audit
from claims.errors import (
    BulkRefused,
    ClaimFrozen,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    StaleEdit,
    ValidationFailed,
)
from claims.jobs.matching_index import rematch_after_commit
from claims.models import Claim, Status, User, utcnow
from claims.permissions import Action, can, require
from claims.services.comments import COMMENT_MAX_CHARS, add_comment
from claims.services.lookup import claim_for_edit
from claims.validation import clean_text
from claims.verdicts import rating_named
from claims.wording import CLAIM_TEXT_MAX_CHARS, leading_pronoun

RATIONALE_MAX_CHARS = 20_000


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[Status]
    target: Status
    permission: Action


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("triage", frozenset({Status.UNREVIEWED}), Status.IN_REVIEW, Action.TRIAGE),
        Transition("dismiss", frozenset({Status.UNREVIEWED}), Status.NOT_CHECKWORTHY, Action.TRIAGE),
        Transition("restore", frozenset({Status.NOT_CHECKWORTHY}), Status.UNREVIEWED, Action.TRIAGE),
        Transition(
            "propose", frozenset({Status.IN_REVIEW}), Status.AWAITING_APPROVAL, Action.PROPOSE_VERDICT
        ),
        Transition("send_back", frozenset({Status.AWAITING_APPROVAL}), Status.IN_REVIEW, Action.SEND_BACK),
        Transition("approve", frozenset({Status.AWAITING_APPROVAL}), Status.PUBLISHED, Action.APPROVE),
        Transition("reopen", frozenset({Status.PUBLISHED}), Status.IN_REVIEW, Action.REOPEN),
    )
}


def allowed_moves(status: Status) -> list[str]:
    return [t.name for t in TRANSITIONS.values() if status in t.sources]


# A verdict awaiting approval or published stands on the claim's wording, evidence and sources as they are.
FROZEN = frozenset({Status.AWAITING_APPROVAL, Status.PUBLISHED})


def refuse_if_frozen(claim: Claim, action: str) -> None:
    """Changing what a pending or published verdict stands on waits until the claim is back in review."""
    status = Status(claim.status)
    if status in FROZEN:
        raise ClaimFrozen(action, claim.id, status.value, allowed_moves(status))


def available_moves(user: User, claim: Claim) -> list[str]:
    """What this user may do to this claim right now (the UI shows only these)."""
    return [name for name in allowed_moves(Status(claim.status)) if can(user, TRANSITIONS[name].permission)]


def refuse_if_illegal(claim: Claim, name: str) -> None:
    current = Status(claim.status)
    if current not in TRANSITIONS[name].sources:
        raise IllegalTransition(name, current.value, allowed_moves(current))


def _move(
    session: Session,
    actor: User,
    claim: Claim,
    name: str,
    extra: dict[str, Any] | None = None,
) -> Claim:
    transition = TRANSITIONS[name]
    require(actor, transition.permission)
    refuse_if_illegal(claim, name)
    changes = audit.apply(claim, {"status": transition.target, **(extra or {})})
    audit.record_claim_change(session, actor, claim, f"claim.{name}", changes)
    return claim


def triage(
    session: Session, actor: User, claim_id: int, *, checkworthy: bool, expected_version: int | None = None
) -> Claim:
    """Mark one claim check-worthy (its review starts, and it is the reviewer's if nobody had it) or not."""
    claim = claim_for_edit(session, claim_id, expected_version)
    if not checkworthy:
        return _move(session, actor, claim, "dismiss")
    starts_with_reviewer = {"assignee_id": actor.id} if claim.assignee_id is None else {}
    return _move(session, actor, claim, "triage", starts_with_reviewer)


def triage_many(
    session: Session, actor: User, versions: Mapping[int, int | None], *, checkworthy: bool
) -> list[Claim]:
    """Mark several claims (id → the version the reviewer saw) check-worthy or not in one action. Every
    claim is checked first and each refusal named; only if none is refused does each move, with its own
    audit event, so a desk never sees half a bulk action."""
    name = "triage" if checkworthy else "dismiss"
    require(actor, TRANSITIONS[name].permission)
    if not versions:
        raise ValidationFailed("claims", "select at least one claim")
    claims, refusals = [], {}
    for claim_id, version in versions.items():
        try:
            claim = claim_for_edit(session, claim_id, version)
            refuse_if_illegal(claim, name)
            claims.append(claim)
        except (NotFound, StaleEdit, IllegalTransition) as exc:
            refusals[claim_id] = str(exc)
    if refusals:
        raise BulkRefused(refusals, len(versions))
    return [_move(session, actor, claim, name) for claim in claims]


def restore(session: Session, actor: User, claim_id: int, expected_version: int | None = None) -> Claim:
    """Back to the queue; a claim triaged out before it was ever embedded is matched now, so a repeat
    shows its badge."""
    claim = _move(session, actor, claim_for_edit(session, claim_id, expected_version), "restore")
    rematch_after_commit(session, claim)
    return claim


def propose_verdict(
    session: Session,
    actor: User,
    claim_id: int,
    verdict: str,
    rationale: str,
    expected_version: int | None = None,
    *,
    claim_as_reviewed: str | None = None,
) -> Claim:
    """Proposing needs a claim as reviewed that stands alone, a verdict on the scale, a rationale and at
    least one piece of live evidence. The wording may be written with the proposal (None keeps the
    claim's); it is what the editor approves and the public page heads."""
    claim = claim_for_edit(session, claim_id, expected_version)
    refuse_if_illegal(claim, "propose")
    text = claim.text if claim_as_reviewed is None else claim_as_reviewed
    text = clean_text("claim_as_reviewed", text, max_length=CLAIM_TEXT_MAX_CHARS)
    pronoun = leading_pronoun(text)
    if pronoun:
        raise ValidationFailed(
            "claim_as_reviewed",
            f"must stand alone before a verdict is proposed: it starts with “{pronoun}”; name who that is",
        )
    rating = rating_named(verdict)
    rationale = clean_text("rationale", rationale, max_length=RATIONALE_MAX_CHARS)
    if Status(claim.status) == Status.IN_REVIEW and not claim.active_evidence:
        raise ValidationFailed("evidence", "add at least one piece of evidence before proposing a verdict")
    return _move(
        session,
        actor,
        claim,
        "propose",
        {"text": text, "verdict": rating.name, "rationale": rationale, "proposed_by_id": actor.id},
    )


def send_back(
    session: Session, actor: User, claim_id: int, comment: str, expected_version: int | None = None
) -> Claim:
    """Return a proposal to review; the editor's reason is kept as a comment on the claim."""
    claim = claim_for_edit(session, claim_id, expected_version)
    clean_text("comment", comment, max_length=COMMENT_MAX_CHARS)  # refuse before the status moves
    _move(session, actor, claim, "send_back")
    add_comment(session, actor, claim.id, comment)
    return claim


def approve(
    session: Session,
    actor: User,
    claim_id: int,
    *,
    require_second_reviewer: bool = True,
    expected_version: int | None = None,
) -> Claim:
    """Approve and publish. By default the proposer cannot approve their own verdict."""
    claim = claim_for_edit(session, claim_id, expected_version)
    if require_second_reviewer and claim.proposed_by_id == actor.id:
        raise PermissionDenied("a verdict must be approved by someone other than the person who proposed it")
    return _move(session, actor, claim, "approve", {"published_at": utcnow()})


def reopen(session: Session, actor: User, claim_id: int, expected_version: int | None = None) -> Claim:
    return _move(session, actor, claim_for_edit(session, claim_id, expected_version), "reopen")


def perform(
    session: Session,
    actor: User,
    claim_id: int,
    move: str,
    *,
    expected_version: int | None = None,
    verdict: str | None = None,
    rationale: str | None = None,
    comment: str | None = None,
    claim_as_reviewed: str | None = None,
    require_second_reviewer: bool = True,
) -> Claim:
    """Any move by name, for callers that receive the name as data (the API, the claim page's buttons)."""
    if move in ("triage", "dismiss"):
        return triage(
            session, actor, claim_id, checkworthy=move == "triage", expected_version=expected_version
        )
    if move == "restore":
        return restore(session, actor, claim_id, expected_version)
    if move == "propose":
        return propose_verdict(
            session,
            actor,
            claim_id,
            verdict or "",
            rationale or "",
            expected_version,
            claim_as_reviewed=claim_as_reviewed,
        )
    if move == "send_back":
        return send_back(session, actor, claim_id, comment or "", expected_version)
    if move == "approve":
        return approve(
            session,
            actor,
            claim_id,
            require_second_reviewer=require_second_reviewer,
            expected_version=expected_version,
        )
    if move == "reopen":
        return reopen(session, actor, claim_id, expected_version)
    raise ValidationFailed("action", f"must be one of {', '.join(TRANSITIONS)}, got {move!r}")
