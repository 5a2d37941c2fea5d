"""The audit record is complete, append-only and tamper-evident."""

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from claims import audit, history, workflow
from claims.models import Article, AuditEvent, AuditTampering, Claim, User
from claims.services import claims as claim_services
from claims.services import comments as comment_services
from claims.services import evidence as evidence_services
from claims.services import users as user_services
from tests.conftest import TEST_PASSWORD
from tests.helpers import event_count


@pytest.fixture
def claim(sample_article: Article) -> Claim:
    return sample_article.claims[1]


def test_every_service_writes_exactly_one_event(
    session: Session, reviewer: User, editor: User, admin: User, claim: Claim
) -> None:
    steps: list[tuple[str, Callable[[], object]]] = [
        (
            "claim.edited",
            lambda: claim_services.edit_claim(
                session, reviewer, claim.id, expected_version=None, text="A tighter wording"
            ),
        ),
        ("claim.assigned", lambda: claim_services.assign(session, editor, claim.id, reviewer.id)),
        ("claim.dismiss", lambda: workflow.triage(session, reviewer, claim.id, checkworthy=False)),
        ("claim.restore", lambda: workflow.restore(session, reviewer, claim.id)),
        ("claim.triage", lambda: workflow.triage(session, reviewer, claim.id, checkworthy=True)),
        (
            "source.added",
            lambda: claim_services.add_source(
                session,
                reviewer,
                claim.id,
                name="Kyodo News",
                url="https://english.kyodonews.net/",
                source_type="news_agency",
            ),
        ),
        (
            "source.removed",
            lambda: claim_services.remove_source(
                session, reviewer, claim.id, claim.appearances[-1].source_id
            ),
        ),
        (
            "evidence.added",
            lambda: evidence_services.add_evidence(
                session, reviewer, claim.id, url="https://example.org/e", title="E", stance="supports"
            ),
        ),
        (
            "claim.verdict_set",
            lambda: claim_services.set_verdict(session, reviewer, claim.id, "Half true", "Draft"),
        ),
        ("comment.added", lambda: comment_services.add_comment(session, reviewer, claim.id, "Ready?")),
        ("claim.propose", lambda: workflow.propose_verdict(session, reviewer, claim.id, "True", "Checked.")),
        ("claim.send_back", lambda: workflow.send_back(session, editor, claim.id, "One more source")),
        (
            "claim.propose",
            lambda: workflow.propose_verdict(session, reviewer, claim.id, "True", "Checked twice."),
        ),
        ("claim.approve", lambda: workflow.approve(session, editor, claim.id)),
        ("claim.reopen", lambda: workflow.reopen(session, editor, claim.id)),
        (
            "evidence.retracted",
            lambda: evidence_services.retract_evidence(session, reviewer, claim.evidence[0].id, "Wrong"),
        ),
        ("user.role_changed", lambda: user_services.change_role(session, admin, reviewer.id, "editor")),
        ("user.deactivated", lambda: user_services.set_active(session, admin, reviewer.id, False)),
    ]
    for expected_action, step in steps:
        before = event_count(session)
        step()
        new = session.scalars(select(AuditEvent.action).where(AuditEvent.seq > before)).all()
        # send_back also keeps the editor's reason as a comment: that is a second, separate change.
        expected = (
            [expected_action, "comment.added"] if expected_action == "claim.send_back" else [expected_action]
        )
        assert new == expected, expected_action


def test_the_orm_refuses_to_change_or_delete_an_event(session: Session, claim: Claim) -> None:
    event = session.scalars(select(AuditEvent).where(AuditEvent.claim_id == claim.id)).first()

    event.action = "claim.forged"
    with pytest.raises(AuditTampering, match="append-only"):
        session.flush()
    session.rollback()

    with pytest.raises(AuditTampering, match="bulk UPDATE and DELETE are refused"):
        session.execute(update(AuditEvent).values(action="claim.forged"))


# The trigger is PostgreSQL's; on SQLite the ORM guard and the hash chain do the work.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_refuses_raw_sql_changes_to_events(session: Session, claim: Claim) -> None:
    session.commit()

    with pytest.raises(DBAPIError, match="audit_events is append-only: UPDATE refused"):
        session.execute(text("UPDATE audit_events SET action = 'x'"))


def allow_raw_tampering(session: Session) -> None:
    """Act as a database owner would: switch the trigger off (undone by the test's rollback)."""
    if session.bind.dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))


def verify_after(session: Session, statement: str) -> audit.VerifyResult:
    session.commit()
    allow_raw_tampering(session)
    session.execute(text(statement))
    session.expire_all()
    return audit.verify(session)


def test_an_edited_field_is_detected_and_named(session: Session, claim: Claim) -> None:
    assert audit.verify(session).ok

    result = verify_after(
        session, 'UPDATE audit_events SET changes = \'{"text": [null, "forged"]}\' WHERE seq = 3'
    )

    assert (result.ok, result.broken_seq) == (False, 3)
    assert result.problem == "event #3 was altered after it was written"


def test_a_deleted_event_is_detected_and_named(session: Session, claim: Claim) -> None:
    result = verify_after(session, "DELETE FROM audit_events WHERE seq = 5")

    assert (result.ok, result.broken_seq, result.problem) == (False, 5, "event #5 is missing")


def test_deleting_the_newest_events_is_detected(session: Session, claim: Claim) -> None:
    total = event_count(session)

    result = verify_after(session, f"DELETE FROM audit_events WHERE seq = {total}")

    assert not result.ok
    assert result.problem == "the newest 1 event(s) were removed"


def test_reordered_events_are_detected(session: Session, claim: Claim) -> None:
    session.commit()
    allow_raw_tampering(session)
    for statement in (
        "UPDATE audit_events SET seq = -1 WHERE seq = 2",
        "UPDATE audit_events SET seq = 2 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = -1",
    ):
        session.execute(text(statement))
    session.expire_all()

    result = audit.verify(session)

    assert (result.ok, result.broken_seq) == (False, 2)


def test_no_event_contains_a_password_or_its_hash(session: Session, admin: User) -> None:
    user = user_services.create_user(
        session, admin, email="pw@example.org", role="reviewer", password=TEST_PASSWORD
    )
    user_services.change_role(session, admin, user.id, "editor")

    dumped = json.dumps([event.changes for event in session.scalars(select(AuditEvent))])

    assert TEST_PASSWORD not in dumped
    assert user.password_hash not in dumped
    assert "scrypt$" not in dumped


def test_a_claim_can_be_seen_as_it_stood_before_it_was_reopened(
    session: Session, reviewer: User, editor: User, claim: Claim
) -> None:
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    evidence_services.add_evidence(
        session, reviewer, claim.id, url="https://example.org/e", title="E", stance="supports"
    )
    workflow.propose_verdict(session, reviewer, claim.id, "Mostly true", "Readout confirms it.")
    workflow.approve(session, editor, claim.id)
    published_at = session.scalars(
        select(AuditEvent.occurred_at).where(AuditEvent.action == "claim.approve")
    ).one()
    workflow.reopen(session, editor, claim.id)
    claim_services.set_verdict(session, reviewer, claim.id, "False", "New records contradict it.")

    then = history.claim_as_of(session, claim.id, published_at)
    now = history.claim_as_of(session, claim.id, published_at + timedelta(days=1))

    assert (then.fields["status"], then.fields["verdict"]) == ("published", "Mostly true")
    assert then.fields["rationale"] == "Readout confirms it."
    assert [item["title"] for item in then.active_evidence] == ["E"]
    assert (now.fields["status"], now.fields["verdict"]) == ("in_review", "False")
    assert history.claim_as_of(session, claim.id, claim.created_at - timedelta(days=1)) is None


def test_the_desk_feed_filters_and_pages_newest_first(session: Session, reviewer: User, claim: Claim) -> None:
    for number in range(5):
        comment_services.add_comment(session, reviewer, claim.id, f"note {number}")
    filters = history.FeedFilters(actor_id=reviewer.id, action="comment.added")

    first = history.feed(session, filters, limit=3)
    second = history.feed(session, filters, before_seq=first.next_before, limit=3)

    bodies = [event.changes["body"][1] for event in [*first.events, *second.events]]
    assert bodies == ["note 4", "note 3", "note 2", "note 1", "note 0"]
    assert second.next_before is None
