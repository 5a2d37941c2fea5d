"""Concurrent writers on PostgreSQL keep one unbroken chain."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from claims import audit, schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.models import AuditEvent, Claim, User
from claims.services.articles import import_article
from claims.services.claims import edit_claim
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE, TEST_PASSWORD, THRESHOLD
from tests.databases import postgres_database

THREADS, CHANGES_PER_THREAD = 8, 50


@pytest.fixture
def postgres_url():
    with postgres_database() as url:
        schema.upgrade(url)
        yield url


def test_eight_concurrent_writers_leave_one_verifiable_chain(postgres_url: str) -> None:
    engine = make_engine(postgres_url, pool_size=THREADS)
    sessions = make_session_factory(engine)
    with sessions() as session:
        reviewer = create_user(session, None, email="r@example.org", role="reviewer", password=TEST_PASSWORD)
        article = import_article(
            session, None, ArticleDraft(text=SAMPLE_ARTICLE.read_text()), RuleScorer(), THRESHOLD
        ).article
        session.commit()
        claim_ids = [claim.id for claim in article.claims[:THREADS]]
        reviewer_id = reviewer.id
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))

    def make_changes(claim_id: int) -> None:
        for number in range(CHANGES_PER_THREAD):
            with sessions() as session:
                actor = session.get(User, reviewer_id)
                edit_claim(
                    session, actor, claim_id, expected_version=None, claimant=f"Speaker {claim_id}-{number}"
                )
                session.commit()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(make_changes, claim_ids))

    with sessions() as session:
        new_events = session.scalar(select(func.count()).select_from(AuditEvent)) - events_before
        result = audit.verify(session)
        versions = session.scalars(select(Claim.version).where(Claim.id.in_(claim_ids))).all()
    engine.dispose()

    assert new_events == THREADS * CHANGES_PER_THREAD
    assert result.ok, result.problem
    assert versions == [1 + CHANGES_PER_THREAD] * THREADS
