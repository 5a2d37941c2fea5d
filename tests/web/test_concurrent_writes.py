"""Races between people saving the same claim at once, on real threads over a database that commits:
whoever loses gets the explained conflict (409), never a server error, on the forms and on the API."""

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from claims import audit, schema, workflow
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.models import AuditEvent, Claim, Role, Status, User
from claims.services.articles import import_article
from claims.services.evidence import add_evidence
from claims.services.tokens import create_token
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE, TEST_PASSWORD, THRESHOLD
from tests.web.conftest import csrf_token

EDITORS = [f"editor{number}@example.org" for number in range(5)]


@dataclass
class Desk:
    app: Flask
    sessions: sessionmaker[Session]
    claim_id: int
    version: int


@pytest.fixture
def desk(empty_database_url: str) -> Iterator[Desk]:
    """The app over a migrated database of its own: five editors, and a claim awaiting their approval."""
    schema.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        proposer = create_user(
            session, None, email="reviewer@example.org", role=Role.REVIEWER, password=TEST_PASSWORD
        )
        for email in EDITORS:
            create_user(session, None, email=email, role=Role.EDITOR, password=TEST_PASSWORD)
        draft = ArticleDraft(text=SAMPLE_ARTICLE.read_text(encoding="utf-8"))
        article = import_article(session, None, draft, RuleScorer(), THRESHOLD).article
        claim = next(c for c in article.claims if c.status == Status.UNREVIEWED)
        workflow.triage(session, proposer, claim.id, checkworthy=True)
        add_evidence(
            session, proposer, claim.id, url="https://example.org/", title="Record", stance="supports"
        )
        workflow.propose_verdict(session, proposer, claim.id, "True", "Checked.")
        session.commit()
        claim_id, version = claim.id, claim.version
    app = create_app({"DATABASE_URL": empty_database_url})
    yield Desk(app, sessions, claim_id, version)
    app.extensions["claimtrack_sessions"].kw["bind"].dispose()
    engine.dispose()


@pytest.fixture
def all_at_once(monkeypatch: pytest.MonkeyPatch, empty_database_url: str) -> Callable[[int], None]:
    """Make `writers` requests reach their claim UPDATE together, after each has checked the version it was
    given: the race the version check alone cannot see. PostgreSQL only: SQLite lets one writer in at a
    time (BEGIN IMMEDIATE), so there the later writers see the new version and are refused up front."""

    def arrange(writers: int) -> None:
        if not empty_database_url.startswith("postgresql"):
            return
        barrier = threading.Barrier(writers, timeout=30)
        record_claim_change = audit.record_claim_change

        def together(*args: object, **kwargs: object) -> None:
            barrier.wait()
            record_claim_change(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(audit, "record_claim_change", together)

    return arrange


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"email": email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def concurrently(requests: list[Callable[[], tuple[int, str]]]) -> list[tuple[int, str]]:
    results: list[tuple[int, str]] = [(0, "")] * len(requests)

    def run(index: int) -> None:
        results[index] = requests[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def claim_state(desk: Desk) -> tuple[Claim, int]:
    with desk.sessions() as session:
        claim = session.get(Claim, desk.claim_id)
        events = session.scalar(select(func.count()).where(AuditEvent.claim_id == desk.claim_id))
        return claim, events


def test_two_editors_approving_at_once_give_one_approval_and_one_explained_conflict(
    desk: Desk, all_at_once: Callable[[int], None]
) -> None:
    clients = [signed_in(desk.app, email) for email in EDITORS[:2]]
    tokens = [csrf_token(client, f"/claims/{desk.claim_id}") for client in clients]
    _, events_before = claim_state(desk)
    all_at_once(2)

    def approve(client: FlaskClient, token: str) -> Callable[[], tuple[int, str]]:
        def post() -> tuple[int, str]:
            response = client.post(
                f"/claims/{desk.claim_id}/move/approve", data={"version": desk.version, "csrf_token": token}
            )
            return response.status_code, response.get_data(as_text=True)

        return post

    results = concurrently([approve(client, token) for client, token in zip(clients, tokens, strict=True)])

    assert sorted(status for status, _ in results) == [302, 409]
    conflict = next(page for status, page in results if status == 409)
    assert "was changed by someone else" in conflict and "approved and published" in conflict
    claim, events_after = claim_state(desk)
    assert claim.status == Status.PUBLISHED and events_after == events_before + 1


def test_five_people_saving_the_claim_at_once_give_one_save_and_four_conflicts(
    desk: Desk, all_at_once: Callable[[int], None]
) -> None:
    with desk.sessions() as session:  # back to review, where the wording can change
        editor = session.scalar(select(User).where(User.email == EDITORS[0]))
        workflow.send_back(session, editor, desk.claim_id, "Tighten the wording.")
        session.commit()
        version = session.get(Claim, desk.claim_id).version
    clients = [signed_in(desk.app, email) for email in EDITORS]
    tokens = [csrf_token(client, f"/claims/{desk.claim_id}") for client in clients]
    all_at_once(5)

    def save(number: int) -> Callable[[], tuple[int, str]]:
        def post() -> tuple[int, str]:
            response = clients[number].post(
                f"/claims/{desk.claim_id}/edit",
                data={
                    "version": version,
                    "text": f"Wording {number}",
                    "claimant": "Kyodo",
                    "csrf_token": tokens[number],
                },
            )
            return response.status_code, response.get_data(as_text=True)

        return post

    results = concurrently([save(number) for number in range(5)])

    assert sorted(status for status, _ in results) == [302, 409, 409, 409, 409]
    assert all("was changed by someone else" in page for status, page in results if status == 409)
    winner = next(number for number, (status, _) in enumerate(results) if status == 302)
    claim, _ = claim_state(desk)
    assert (claim.text, claim.version) == (f"Wording {winner}", version + 1)


def test_two_approvals_through_the_api_at_once_give_200_and_a_json_409(
    desk: Desk, all_at_once: Callable[[int], None]
) -> None:
    with desk.sessions() as session:
        editors = session.scalars(select(User).where(User.email.in_(EDITORS[:2]))).all()
        headers = [
            {"Authorization": f"Bearer {create_token(session, editor, 'race')[1]}"} for editor in editors
        ]
        session.commit()
    all_at_once(2)

    def approve(header: dict[str, str]) -> Callable[[], tuple[int, str]]:
        def post() -> tuple[int, str]:
            response = desk.app.test_client().post(
                f"/api/v1/claims/{desk.claim_id}/transitions",
                data=json.dumps({"action": "approve", "version": desk.version}),
                headers=header,
                content_type="application/json",
            )
            return response.status_code, response.get_data(as_text=True)

        return post

    results = concurrently([approve(header) for header in headers])

    assert sorted(status for status, _ in results) == [200, 409]
    conflict = json.loads(next(body for status, body in results if status == 409))
    assert conflict["error"]["code"] == "stale_version"
    assert "was changed by someone else" in conflict["error"]["message"]
