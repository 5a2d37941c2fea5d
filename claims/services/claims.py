"""Editing a claim: its wording, claimant, assignee, draft verdict, sources and comments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import audit
from claims.errors import IllegalTransition, ValidationFailed
from claims.jobs.matching_index import rematch_reworded
from claims.models import Appearance, Claim, Source, SourceType, Status, User
from claims.permissions import Action, require
from claims.services.lookup import claim_for_edit, get_or_raise
from claims.validation import clean_choice, clean_text, clean_url
from claims.verdicts import rating_named
from claims.wording import CLAIM_TEXT_MAX_CHARS
from claims.workflow import RATIONALE_MAX_CHARS, allowed_moves, refuse_if_frozen

CLAIMANT_MAX_CHARS = 200


def edit_claim(
    session: Session,
    actor: User,
    claim_id: int,
    *,
    expected_version: int | None,
    text: str | None = None,
    claimant: str | None = None,
) -> Claim:
    """Change the checkable wording and/or the claimant; the original sentence never changes."""
    require(actor, Action.EDIT_CLAIM)
    claim = claim_for_edit(session, claim_id, expected_version)
    refuse_if_frozen(claim, "edit the claim")
    values = {}
    if text is not None:
        values["text"] = clean_text("text", text, max_length=CLAIM_TEXT_MAX_CHARS)
    if claimant is not None:
        values["claimant"] = clean_text("claimant", claimant, max_length=CLAIMANT_MAX_CHARS)
    changes = audit.apply(claim, values)
    audit.record_claim_change(session, actor, claim, "claim.edited", changes)
    if "text" in changes:
        rematch_reworded(session, claim)
    return claim


def assign(
    session: Session,
    actor: User,
    claim_id: int,
    assignee_id: int | None,
    *,
    expected_version: int | None = None,
) -> Claim:
    require(actor, Action.ASSIGN)
    claim = claim_for_edit(session, claim_id, expected_version)
    if assignee_id is not None:
        assignee = get_or_raise(session, User, assignee_id)
        if not assignee.is_active:
            raise ValidationFailed("assignee", f"{assignee.email} is deactivated")
    audit.record_claim_change(
        session, actor, claim, "claim.assigned", audit.apply(claim, {"assignee_id": assignee_id})
    )
    return claim


def set_verdict(
    session: Session,
    actor: User,
    claim_id: int,
    verdict: str | None,
    rationale: str | None,
    *,
    expected_version: int | None = None,
) -> Claim:
    """Draft or change the verdict while the claim is in review (a published one must be reopened)."""
    require(actor, Action.PROPOSE_VERDICT)
    claim = claim_for_edit(session, claim_id, expected_version)
    if Status(claim.status) != Status.IN_REVIEW:
        raise IllegalTransition("change the verdict of", claim.status, allowed_moves(Status(claim.status)))
    values = {
        "verdict": rating_named(verdict).name if verdict else None,
        "rationale": clean_text("rationale", rationale, max_length=RATIONALE_MAX_CHARS, required=False),
    }
    audit.record_claim_change(session, actor, claim, "claim.verdict_set", audit.apply(claim, values))
    return claim


def add_source(
    session: Session, actor: User, claim_id: int, *, name: str, url: str | None, source_type: str
) -> Appearance:
    """Record that the claim appeared in a source; a source with the same URL is reused."""
    require(actor, Action.MANAGE_SOURCES)
    claim = get_or_raise(session, Claim, claim_id)
    refuse_if_frozen(claim, "add a source")
    name = clean_text("name", name, max_length=200)
    url = clean_url("url", url, required=False)
    source_type = clean_choice("type", source_type, SourceType)
    source = session.scalars(select(Source).where(Source.url == url)).first() if url else None
    if source is None:
        source = Source(name=name, url=url, type=SourceType(source_type))
        session.add(source)
        session.flush()
    if any(appearance.source_id == source.id for appearance in claim.appearances):
        raise ValidationFailed("source", f"the claim already lists {source.name}")
    appearance = Appearance(claim=claim, source=source, added_by=actor)
    session.add(appearance)
    session.flush()
    audit.record_on_claim(
        session,
        actor,
        claim,
        "source",
        source.id,
        "source.added",
        audit.created({"name": source.name, "url": source.url, "type": source.type}),
    )
    return appearance


def remove_source(session: Session, actor: User, claim_id: int, source_id: int) -> None:
    require(actor, Action.MANAGE_SOURCES)
    claim = get_or_raise(session, Claim, claim_id)
    refuse_if_frozen(claim, "remove a source")
    appearance = session.get(Appearance, (claim_id, source_id))
    if appearance is None:
        raise ValidationFailed("source", f"source {source_id} is not listed on claim {claim_id}")
    source = appearance.source
    claim.appearances.remove(appearance)
    session.flush()
    audit.record_on_claim(
        session,
        actor,
        claim,
        "source",
        source.id,
        "source.removed",
        {"name": [source.name, None], "url": [source.url, None]},
    )
