"""Bulk triage from the queue: one action, one audit event per claim, nothing half-applied."""

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import Article, AuditEvent, Claim, Status
from tests.web.conftest import csrf_token


def unreviewed(article: Article, count: int) -> list[Claim]:
    return [claim for claim in article.claims if claim.status == Status.UNREVIEWED][:count]


def mark(client: FlaskClient, claims: list[Claim], how: str, versions: dict[int, int] | None = None) -> str:
    versions = versions or {}
    response = client.post(
        "/claims/triage",
        data={
            "csrf_token": csrf_token(client, "/queue"),
            "claims": [f"{claim.id}:{versions.get(claim.id, claim.version)}" for claim in claims],
            "mark": how,
            "back": "/queue?status=unreviewed",
        },
        follow_redirects=True,
    )
    assert response.request.path == "/queue" and response.request.args["status"] == "unreviewed"
    return response.get_data(as_text=True)


def events_for(session: Session, claims: list[Claim]) -> list[tuple[str, int]]:
    rows = session.execute(
        select(AuditEvent.action, AuditEvent.entity_id)
        .where(AuditEvent.entity_type == "claim", AuditEvent.entity_id.in_([c.id for c in claims]))
        .where(AuditEvent.action.in_(["claim.triage", "claim.dismiss"]))
        .order_by(AuditEvent.seq)
    )
    return [(action, entity_id) for action, entity_id in rows]


def test_five_claims_are_marked_check_worthy_in_one_action_with_an_event_each(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    five = unreviewed(sample_article, 5)

    page = mark(reviewer_client, five, "checkworthy")

    assert "Marked 5 claims check-worthy." in page
    for claim in five:
        session.refresh(claim)
        assert claim.status == Status.IN_REVIEW
    assert sorted(events_for(session, five)) == sorted(("claim.triage", claim.id) for claim in five)


def test_one_stale_claim_stops_the_whole_action_and_is_named(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    three = unreviewed(sample_article, 3)
    stale = three[1]

    page = mark(reviewer_client, three, "not_checkworthy", versions={stale.id: stale.version - 1 or 99})

    assert "Nothing was changed: 1 of 3 claims could not be marked." in page
    assert f"Claim {stale.id}: claim {stale.id} was changed by someone else" in page
    for claim in three:
        session.refresh(claim)
        assert claim.status == Status.UNREVIEWED
    assert events_for(session, three) == []


def test_a_claim_that_cannot_take_the_move_is_named_and_nothing_moves(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    dismissed = next(claim for claim in sample_article.claims if claim.status == Status.NOT_CHECKWORTHY)
    two = [*unreviewed(sample_article, 1), dismissed]

    page = mark(reviewer_client, two, "checkworthy")

    assert f"Claim {dismissed.id}: cannot triage a claim that is not_checkworthy" in page
    session.refresh(two[0])
    assert two[0].status == Status.UNREVIEWED


def test_marking_with_nothing_ticked_says_so(reviewer_client: FlaskClient, sample_article: Article) -> None:
    assert "Select at least one claim." in mark(reviewer_client, [], "checkworthy")


def test_the_queue_offers_a_box_per_claim_and_the_two_marks(
    reviewer_client: FlaskClient, sample_article: Article
) -> None:
    page = reviewer_client.get("/queue").get_data(as_text=True)

    claim = sample_article.claims[0]
    assert f'value="{claim.id}:{claim.version}" form="bulk-triage"' in page
    assert 'name="mark" value="checkworthy">Mark check-worthy</button>' in page


def test_the_article_page_marks_claims_from_its_side_list_and_comes_back(
    reviewer_client: FlaskClient, session: Session, sample_article: Article
) -> None:
    path = f"/articles/{sample_article.id}"
    page = reviewer_client.get(path).get_data(as_text=True)
    two = unreviewed(sample_article, 2)
    assert f'value="{two[0].id}:{two[0].version}" form="bulk-triage"' in page

    response = reviewer_client.post(
        "/claims/triage",
        data={
            "csrf_token": csrf_token(reviewer_client, path),
            "claims": [f"{claim.id}:{claim.version}" for claim in two],
            "mark": "not_checkworthy",
            "back": path,
        },
    )

    assert response.status_code == 303 and response.location == path
    for claim in two:
        session.refresh(claim)
        assert claim.status == Status.NOT_CHECKWORTHY
