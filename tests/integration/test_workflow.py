import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims import workflow
from claims.errors import ClaimFrozen, IllegalTransition, PermissionDenied, ValidationFailed
from claims.models import Article, AuditEvent, Claim, Status, User
from claims.services.claims import add_source, edit_claim, remove_source, set_verdict
from claims.services.evidence import add_evidence, retract_evidence


@pytest.fixture
def claim(sample_article: Article) -> Claim:
    return next(c for c in sample_article.claims if c.status == Status.UNREVIEWED)


@pytest.fixture
def claim_in_review(session: Session, reviewer: User, claim: Claim) -> Claim:
    return workflow.triage(session, reviewer, claim.id, checkworthy=True)


def evidence_for(session: Session, reviewer: User, claim: Claim) -> None:
    add_evidence(
        session,
        reviewer,
        claim.id,
        url="https://www.kantei.go.jp/",
        title="PM's office readout",
        stance="supports",
    )


def test_a_claim_goes_from_triage_to_published_with_two_people(
    session: Session, reviewer: User, editor: User, claim_in_review: Claim
) -> None:
    evidence_for(session, reviewer, claim_in_review)

    workflow.propose_verdict(
        session, reviewer, claim_in_review.id, "Mostly true", "Confirmed by the readout."
    )
    published = workflow.approve(session, editor, claim_in_review.id)

    assert published.status == Status.PUBLISHED
    assert published.verdict == "Mostly true"
    assert published.published_at is not None
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.claim_id == claim_in_review.id).order_by(AuditEvent.seq)
    ).all()
    assert actions == ["claim.created", "claim.triage", "evidence.added", "claim.propose", "claim.approve"]


def test_an_illegal_move_names_the_current_status_and_the_allowed_moves(
    session: Session, editor: User, claim: Claim
) -> None:
    with pytest.raises(IllegalTransition) as caught:
        workflow.approve(session, editor, claim.id)

    assert (
        str(caught.value)
        == "cannot approve a claim that is unreviewed; allowed from unreviewed: triage, dismiss"
    )


def test_proposing_needs_live_evidence(session: Session, reviewer: User, claim_in_review: Claim) -> None:
    with pytest.raises(ValidationFailed, match="at least one piece of evidence"):
        workflow.propose_verdict(session, reviewer, claim_in_review.id, "True", "Because.")

    evidence_for(session, reviewer, claim_in_review)
    retract_evidence(session, reviewer, claim_in_review.evidence[0].id, "Wrong document")

    with pytest.raises(ValidationFailed, match="at least one piece of evidence"):
        workflow.propose_verdict(session, reviewer, claim_in_review.id, "True", "Because.")


def test_proposing_needs_a_verdict_on_the_scale_and_a_rationale(
    session: Session, reviewer: User, claim_in_review: Claim
) -> None:
    evidence_for(session, reviewer, claim_in_review)

    with pytest.raises(ValidationFailed, match="Verdict must be one of True, Mostly true"):
        workflow.propose_verdict(session, reviewer, claim_in_review.id, "Pants on fire", "Because.")
    with pytest.raises(ValidationFailed, match="Rationale is required"):
        workflow.propose_verdict(session, reviewer, claim_in_review.id, "True", "   ")


def test_the_proposer_cannot_approve_their_own_verdict(session: Session, editor: User, claim: Claim) -> None:
    workflow.triage(session, editor, claim.id, checkworthy=True)
    evidence_for(session, editor, claim)
    workflow.propose_verdict(session, editor, claim.id, "False", "Refuted by the record.")

    with pytest.raises(PermissionDenied, match="someone other than the person who proposed it"):
        workflow.approve(session, editor, claim.id)


def test_reviewers_cannot_approve_send_back_or_reopen(
    session: Session, reviewer: User, claim_in_review: Claim
) -> None:
    evidence_for(session, reviewer, claim_in_review)
    workflow.propose_verdict(session, reviewer, claim_in_review.id, "False", "Refuted.")

    with pytest.raises(PermissionDenied):
        workflow.approve(session, reviewer, claim_in_review.id, require_second_reviewer=False)
    with pytest.raises(PermissionDenied):
        workflow.send_back(session, reviewer, claim_in_review.id, "Not yet")


def test_sending_back_keeps_the_editors_reason_as_a_comment(
    session: Session, reviewer: User, editor: User, claim_in_review: Claim
) -> None:
    evidence_for(session, reviewer, claim_in_review)
    workflow.propose_verdict(session, reviewer, claim_in_review.id, "False", "Refuted.")

    workflow.send_back(session, editor, claim_in_review.id, "Find the primary source.")

    assert claim_in_review.status == Status.IN_REVIEW
    assert [c.body for c in claim_in_review.comments] == ["Find the primary source."]


def test_an_editor_reopens_a_published_claim(
    session: Session, reviewer: User, editor: User, claim_in_review: Claim
) -> None:
    evidence_for(session, reviewer, claim_in_review)
    workflow.propose_verdict(session, reviewer, claim_in_review.id, "True", "Confirmed.")
    workflow.approve(session, editor, claim_in_review.id)

    workflow.reopen(session, editor, claim_in_review.id)

    assert claim_in_review.status == Status.IN_REVIEW
    assert claim_in_review.verdict == "True"


def test_dismissed_claims_can_be_restored(session: Session, reviewer: User, claim: Claim) -> None:
    workflow.triage(session, reviewer, claim.id, checkworthy=False)
    assert claim.status == Status.NOT_CHECKWORTHY

    workflow.restore(session, reviewer, claim.id)

    assert claim.status == Status.UNREVIEWED


def test_a_verdict_can_only_be_drafted_while_in_review(
    session: Session, reviewer: User, claim: Claim
) -> None:
    with pytest.raises(IllegalTransition, match="cannot change the verdict of a claim that is unreviewed"):
        set_verdict(session, reviewer, claim.id, "True", "Draft")


def test_available_moves_depend_on_status_and_role(reviewer: User, editor: User, claim: Claim) -> None:
    assert workflow.available_moves(reviewer, claim) == ["triage", "dismiss"]
    claim.status = Status.AWAITING_APPROVAL
    assert workflow.available_moves(reviewer, claim) == []
    assert workflow.available_moves(editor, claim) == ["send_back", "approve"]


def test_the_wording_of_a_published_claim_cannot_change_until_it_is_reopened(
    session: Session, reviewer: User, editor: User, claim_in_review: Claim
) -> None:
    evidence_for(session, reviewer, claim_in_review)
    workflow.propose_verdict(session, reviewer, claim_in_review.id, "True", "Confirmed.")
    workflow.approve(session, editor, claim_in_review.id)

    with pytest.raises(IllegalTransition, match=r"cannot edit the claim: .* is published.* reopen it first"):
        edit_claim(
            session, reviewer, claim_in_review.id, expected_version=None, text="Changed after the fact"
        )

    workflow.reopen(session, editor, claim_in_review.id)
    edit_claim(session, reviewer, claim_in_review.id, expected_version=None, text="Changed after reopening")
    assert claim_in_review.text == "Changed after reopening"


def change_evidence_and_sources(session: Session, actor: User, claim: Claim) -> list[str]:
    """Try each change to what a verdict stands on; the refusals' messages, in order."""
    live_evidence = claim.active_evidence[0].id
    source = claim.appearances[0].source_id
    attempts = [
        lambda: evidence_for(session, actor, claim),
        lambda: retract_evidence(session, actor, live_evidence, "Not what we approved on"),
        lambda: add_source(
            session, actor, claim.id, name="Truth Social", url=None, source_type="social_media"
        ),
        lambda: remove_source(session, actor, claim.id, source),
    ]
    messages = []
    for attempt in attempts:
        with pytest.raises(ClaimFrozen) as refused:
            attempt()
        messages.append(str(refused.value))
    return messages


@pytest.mark.parametrize("stage", ["awaiting_approval", "published"])
def test_evidence_and_sources_are_frozen_while_a_verdict_is_pending_or_published(
    session: Session, reviewer: User, editor: User, claim_in_review: Claim, stage: str
) -> None:
    evidence_for(session, reviewer, claim_in_review)
    workflow.propose_verdict(session, reviewer, claim_in_review.id, "True", "Confirmed.")
    if stage == "published":
        workflow.approve(session, editor, claim_in_review.id)
    events_before = session.scalar(select(func.count()).select_from(AuditEvent))

    messages = change_evidence_and_sources(session, editor, claim_in_review)

    assert [message.split(":")[0] for message in messages] == [
        "cannot add evidence",
        "cannot retract evidence",
        "cannot add a source",
        "cannot remove a source",
    ]
    assert all(f"is {stage.replace('_', ' ')}" in m and "reopen" in m for m in messages)
    session.expire_all()
    assert len(claim_in_review.evidence) == 1 and claim_in_review.evidence[0].retracted_at is None
    assert len(claim_in_review.appearances) == 1
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before


def test_evidence_and_sources_change_again_once_the_claim_is_reopened(
    session: Session, reviewer: User, editor: User, claim_in_review: Claim
) -> None:
    evidence_for(session, reviewer, claim_in_review)
    workflow.propose_verdict(session, reviewer, claim_in_review.id, "True", "Confirmed.")
    workflow.approve(session, editor, claim_in_review.id)

    workflow.reopen(session, editor, claim_in_review.id)
    evidence_for(session, reviewer, claim_in_review)
    add_source(session, reviewer, claim_in_review.id, name="Kyodo", url=None, source_type="news_agency")

    assert len(claim_in_review.active_evidence) == 2 and len(claim_in_review.appearances) == 2


def test_starting_a_review_gives_an_unassigned_claim_to_the_reviewer_in_the_same_event(
    session: Session, reviewer: User, claim: Claim
) -> None:
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    session.flush()

    assert claim.assignee_id == reviewer.id
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.claim_id == claim.id).order_by(AuditEvent.seq.desc())
    ).first()
    assert event is not None and event.action == "claim.triage"
    assert event.changes["assignee_id"] == [None, reviewer.id]


def test_starting_a_review_keeps_the_assignee_someone_chose(
    session: Session, reviewer: User, editor: User, claim: Claim
) -> None:
    claim.assignee_id = editor.id
    session.flush()

    workflow.triage(session, reviewer, claim.id, checkworthy=True)

    assert claim.assignee_id == editor.id
