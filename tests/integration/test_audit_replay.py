"""The audit history is authoritative: replaying it gives every current row, and any row changed
behind its back (raw SQL, no event) is named with its field."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from claims import workflow
from claims.checkworthiness.rules import RuleScorer
from claims.config import load_settings
from claims.desk import change_settings
from claims.models import Article, Claim, Status, User
from claims.replay import verify_database
from claims.services import claims as claim_services
from claims.services import spans
from claims.services.comments import add_comment
from claims.services.evidence import add_evidence, retract_evidence
from claims.services.sign_in import end_sessions
from claims.services.tokens import create_token, revoke_token
from claims.services.users import change_role, set_active, set_password


@dataclass(frozen=True)
class BusyDesk:
    published_id: int
    reopened_id: int
    unreviewed_id: int
    evidence_id: int
    retracted_evidence_id: int
    reviewer_id: int
    token_id: int


def _unreviewed(article: Article) -> list[Claim]:
    return [claim for claim in article.claims if claim.status == Status.UNREVIEWED]


def _researched(session: Session, reviewer: User, claim_id: int, url: str) -> int:
    workflow.triage(session, reviewer, claim_id, checkworthy=True)
    return add_evidence(session, reviewer, claim_id, url=url, title="Record", stance="supports").id


@pytest.fixture
def busy_desk(
    session: Session, reviewer: User, editor: User, admin: User, sample_article: Article
) -> BusyDesk:
    """Every kind of change the desk makes, through the services."""
    published, reopened, to_split, first, second, restored, *rest = _unreviewed(sample_article)
    scorer = RuleScorer()

    evidence_id = _researched(session, reviewer, published.id, "https://www.shugiin.go.jp/")
    claim_services.add_source(
        session, reviewer, published.id, name="Kyodo", url="https://kyodonews.net/", source_type="news_agency"
    )
    add_comment(session, editor, published.id, "Checked against the record.")
    workflow.propose_verdict(session, reviewer, published.id, "Mostly true", "The record shows it.")
    workflow.approve(session, editor, published.id)

    wrong = add_evidence(
        session, reviewer, reopened.id, url="https://example.org/x", title="Wrong", stance="refutes"
    )
    retract_evidence(session, reviewer, wrong.id, "Wrong document")
    _researched(session, reviewer, reopened.id, "https://example.org/right")
    claim_services.set_verdict(session, reviewer, reopened.id, "False", "Draft.")
    workflow.propose_verdict(session, reviewer, reopened.id, "False", "Nothing supports it.")
    workflow.send_back(session, editor, reopened.id, "Needs a second source.")
    workflow.propose_verdict(session, reviewer, reopened.id, "Half true", "Partly supported.")
    workflow.approve(session, editor, reopened.id)
    workflow.reopen(session, editor, reopened.id)
    claim_services.edit_claim(session, reviewer, reopened.id, expected_version=None, text="Reworded claim.")
    claim_services.assign(session, editor, reopened.id, reviewer.id)
    kyodo = claim_services.add_source(
        session, reviewer, reopened.id, name="Kyodo", url="https://kyodonews.net/", source_type="news_agency"
    )
    claim_services.remove_source(session, reviewer, reopened.id, kyodo.source_id)

    words = to_split.sentence.split(" ")
    middle = len(words) // 2
    spans.split_claim(
        session, reviewer, to_split.id, [" ".join(words[:middle]), " ".join(words[middle:])], scorer
    )
    add_evidence(session, reviewer, second.id, url="https://example.org/m", title="Moved", stance="context")
    add_comment(session, reviewer, second.id, "Moves with the merge.")
    claim_services.add_source(
        session, reviewer, second.id, name="Wire", url="https://wire.example.org/", source_type="news_agency"
    )
    spans.merge_claims(session, reviewer, [first.id, second.id])
    spans.add_claim(session, reviewer, sample_article.id, 0, 20, scorer)
    workflow.triage(session, reviewer, restored.id, checkworthy=False)
    workflow.restore(session, reviewer, restored.id)

    change_settings(
        session, admin, load_settings(), {"organisation_name": "Desk", "checkworthy_threshold": 0.6}
    )
    change_role(session, admin, editor.id, "admin")
    set_active(session, admin, editor.id, False)
    set_active(session, admin, editor.id, True)
    token, _ = create_token(session, reviewer, "laptop")
    revoke_token(session, reviewer, token.id)
    create_token(session, reviewer, "desktop")
    end_sessions(session, reviewer)
    set_password(session, None, email=reviewer.email, password="a brand new password")
    session.commit()
    return BusyDesk(published.id, reopened.id, rest[0].id, evidence_id, wrong.id, reviewer.id, token.id)


def test_a_desk_after_every_kind_of_change_verifies(session: Session, busy_desk: BusyDesk) -> None:
    result = verify_database(session)

    assert result.ok, str(result.difference)
    assert result.rows_compared > 40


TAMPERING = [
    pytest.param(
        "UPDATE claims SET verdict = 'True' WHERE id = {published_id}",
        "claim {published_id}: verdict is 'True' in the table, 'Mostly true' in its history",
        id="published verdict",
    ),
    pytest.param(
        "UPDATE claims SET text = 'Something else' WHERE id = {published_id}",
        "claim {published_id}: text is 'Something else' in the table, ",
        id="claim text",
    ),
    pytest.param(
        "UPDATE claims SET status = 'published' WHERE id = {unreviewed_id}",
        "claim {unreviewed_id}: status is 'published' in the table, 'unreviewed' in its history",
        id="claim status",
    ),
    pytest.param(
        "UPDATE evidence SET url = 'https://evil.example/' WHERE id = {evidence_id}",
        "evidence {evidence_id}: url is 'https://evil.example/' in the table, "
        "'https://www.shugiin.go.jp/' in its history",
        id="evidence url",
    ),
    pytest.param(
        "UPDATE users SET role = 'admin' WHERE id = {reviewer_id}",
        "user {reviewer_id}: role is 'admin' in the table, 'reviewer' in its history",
        id="user role",
    ),
    pytest.param(
        "DELETE FROM evidence WHERE id = {retracted_evidence_id}",
        "evidence {retracted_evidence_id}: is in its history but not in the table",
        id="deleted evidence",
    ),
    pytest.param(
        "INSERT INTO comments (claim_id, author_id, body, created_at) "
        "VALUES ({published_id}, {reviewer_id}, 'Never said', CURRENT_TIMESTAMP)",
        "comment *: is in the table but not in its history",
        id="extra row without history",
    ),
    pytest.param(
        "UPDATE settings SET value = '0.9' WHERE key = 'checkworthy_threshold'",
        "setting 'checkworthy_threshold': value is 0.9 in the table, 0.6 in its history",
        id="setting",
    ),
    pytest.param(
        "UPDATE api_tokens SET revoked_at = NULL WHERE id = {token_id}",
        "API token {token_id}: revoked_at is None in the table, ",
        id="revived API token",
    ),
    pytest.param(
        "DELETE FROM appearances WHERE claim_id = {published_id}",
        "appearance of source * on claim {published_id}: is in its history but not in the table",
        id="deleted appearance",
    ),
    pytest.param(
        "UPDATE articles SET body = body || ' Added later.'",
        "article *: its body in the table is not the text its history imported",
        id="article body",
    ),
]


@pytest.mark.parametrize(("statement", "expected"), TAMPERING)
def test_a_row_changed_without_an_event_is_named_with_its_field(
    session: Session, busy_desk: BusyDesk, statement: str, expected: str
) -> None:
    ids = vars(busy_desk)
    session.execute(text(statement.format(**ids)))

    result = verify_database(session)

    assert result.chain.ok and not result.ok
    pattern = ".*".join(re.escape(part) for part in expected.format(**ids).split("*"))
    assert re.match(pattern, str(result.difference)), str(result.difference)
