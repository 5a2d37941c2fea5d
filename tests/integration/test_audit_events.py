"""Every service writes exactly one audit event with the field-level diff, and none for a no-op."""

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from claims import audit, workflow
from claims.errors import StaleEdit
from claims.models import Article, Claim, Role, User
from claims.services import claims as claim_services
from claims.services import comments as comment_services
from claims.services import evidence as evidence_services
from claims.services import users as user_services
from tests.conftest import TEST_PASSWORD
from tests.helpers import event_count, newest_event


@pytest.fixture
def claim(sample_article: Article) -> Claim:
    return sample_article.claims[0]


def test_editing_a_claim_records_only_the_fields_that_changed(
    session: Session, reviewer: User, claim: Claim
) -> None:
    before = event_count(session)
    old_text = claim.text

    claim_services.edit_claim(
        session,
        reviewer,
        claim.id,
        expected_version=claim.version,
        text="Trump concluded his Malaysia visit.",
        claimant=claim.claimant,
    )

    assert event_count(session) == before + 1
    event = newest_event(session)
    assert (event.action, event.actor_id, event.claim_id) == ("claim.edited", reviewer.id, claim.id)
    assert event.changes == {"text": [old_text, "Trump concluded his Malaysia visit."]}


def test_a_change_that_changes_nothing_records_nothing(
    session: Session, reviewer: User, claim: Claim
) -> None:
    before, version = event_count(session), claim.version

    claim_services.edit_claim(session, reviewer, claim.id, expected_version=version, text=claim.text)
    claim_services.assign(session, reviewer, claim.id, None)

    assert event_count(session) == before
    assert claim.version == version


def test_a_stale_edit_is_refused_and_names_both_versions(
    session: Session, reviewer: User, claim: Claim
) -> None:
    seen = claim.version
    claim_services.edit_claim(session, reviewer, claim.id, expected_version=seen, claimant="Kyodo News")

    with pytest.raises(StaleEdit, match=f"you edited version {seen}, it is now at version {seen + 1}"):
        claim_services.edit_claim(session, reviewer, claim.id, expected_version=seen, claimant="Someone else")

    assert claim.claimant == "Kyodo News"


@pytest.mark.parametrize(
    ("action", "perform"),
    [
        ("claim.assigned", lambda s, u, c: claim_services.assign(s, u, c.id, u.id)),
        ("claim.triage", lambda s, u, c: workflow.triage(s, u, c.id, checkworthy=True)),
        ("comment.added", lambda s, u, c: comment_services.add_comment(s, u, c.id, "Looking into it")),
        (
            "source.added",
            lambda s, u, c: claim_services.add_source(
                s,
                u,
                c.id,
                name="Truth Social",
                url="https://truthsocial.com/@realDonaldTrump",
                source_type="social_media",
            ),
        ),
        (
            "evidence.added",
            lambda s, u, c: evidence_services.add_evidence(
                s, u, c.id, url="https://example.org/a", title="A", stance="context"
            ),
        ),
    ],
)
def test_each_service_writes_exactly_one_event(
    session: Session, editor: User, claim: Claim, action: str, perform: Callable[..., object]
) -> None:
    before = event_count(session)

    perform(session, editor, claim)

    assert event_count(session) == before + 1
    assert newest_event(session).action == action


def test_retracting_evidence_is_recorded_and_keeps_the_evidence(
    session: Session, reviewer: User, claim: Claim
) -> None:
    item = evidence_services.add_evidence(
        session, reviewer, claim.id, url="https://example.org/a", title="A", stance="refutes"
    )

    evidence_services.retract_evidence(session, reviewer, item.id, "Duplicate")

    assert claim.evidence == [item]
    assert claim.active_evidence == []
    event = newest_event(session)
    assert event.action == "evidence.retracted"
    assert event.changes["retraction_reason"] == [None, "Duplicate"]


def test_removing_a_source_is_recorded(session: Session, reviewer: User, claim: Claim) -> None:
    appearance = claim_services.add_source(
        session,
        reviewer,
        claim.id,
        name="Kyodo News",
        url="https://english.kyodonews.net/",
        source_type="news_agency",
    )

    claim_services.remove_source(session, reviewer, claim.id, appearance.source_id)

    assert [a.source.name for a in claim.appearances] == ["Sample Wire"]
    assert newest_event(session).action == "source.removed"


def test_user_changes_are_audited_without_passwords(session: Session, admin: User) -> None:
    user = user_services.create_user(
        session, admin, email="New@Example.org", role="reviewer", password=TEST_PASSWORD
    )
    created = newest_event(session)
    user_services.change_role(session, admin, user.id, "editor")
    user_services.set_active(session, admin, user.id, False)

    assert user.email == "new@example.org"
    assert (user.role, user.is_active) == (Role.EDITOR, False)
    assert "password_hash" not in created.changes and "password" not in created.changes
    assert TEST_PASSWORD not in str(created.changes)
    # Deactivating ends the user's sessions too, and the event says so.
    assert newest_event(session).changes == {"is_active": [True, False], "session_version": [0, 1]}


def test_a_rolled_back_change_leaves_no_event(session: Session, reviewer: User, claim: Claim) -> None:
    session.commit()
    before = event_count(session)

    comment_services.add_comment(session, reviewer, claim.id, "Will be rolled back")
    session.rollback()

    assert event_count(session) == before


def test_the_chain_verifies_after_a_series_of_changes(session: Session, reviewer: User, claim: Claim) -> None:
    workflow.triage(session, reviewer, claim.id, checkworthy=True)
    comment_services.add_comment(session, reviewer, claim.id, "ok")

    result = audit.verify(session)

    assert result.ok, result.problem
    assert result.checked == event_count(session)
