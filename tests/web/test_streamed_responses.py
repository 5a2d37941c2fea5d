"""Streamed responses (the public ClaimReview feed) against a real database, with the app's own pool:
each request must give back its connection, or anonymous readers take the app down."""

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import text

from app import create_app
from app.database import EXTENSION_KEY
from claims import schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory, unit_of_work
from claims.ingest.readers import ArticleDraft
from claims.models import Role
from claims.services.articles import import_article
from claims.services.tokens import create_token
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE, TEST_PASSWORD, THRESHOLD
from tests.web.conftest import RecordingRunner
from tests.web.test_public_fact_checks import publish

FEED_REQUESTS = 60


@pytest.fixture
def served_app(empty_database_url: str) -> Iterator[Flask]:
    """The app on a committed database with one published claim, using its own engine and pool."""
    schema.upgrade(empty_database_url)
    seed_engine = make_engine(empty_database_url)
    with unit_of_work(make_session_factory(seed_engine)) as session:
        reviewer = create_user(
            session, None, email="r@example.org", role=Role.REVIEWER, password=TEST_PASSWORD
        )
        editor = create_user(session, None, email="e@example.org", role=Role.EDITOR, password=TEST_PASSWORD)
        draft = ArticleDraft(text=SAMPLE_ARTICLE.read_text(encoding="utf-8"), publisher="Sample Wire")
        article = import_article(session, reviewer, draft, RuleScorer(), THRESHOLD).article
        publish(session, reviewer, editor, article.claims[0])
        _, token = create_token(session, reviewer, "feed test")
        session.commit()
    seed_engine.dispose()
    # The import's matching job is only recorded: its thread's own short transactions are not the leak
    # this file looks for.
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database_url, "JOB_RUNNER": RecordingRunner()})
    app.config["TEST_TOKEN"] = token
    yield app
    app.extensions[EXTENSION_KEY].kw["bind"].dispose()


def idle_in_transaction(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
                )
            )
    finally:
        engine.dispose()


def test_after_many_feed_requests_writes_and_the_health_check_still_answer(
    served_app: Flask, empty_database_url: str
) -> None:
    client = served_app.test_client()
    for _ in range(FEED_REQUESTS):
        response = client.get("/api/v1/claimreview.json")
        assert response.status_code == 200
        assert response.get_json()[0]["reviewRating"]["alternateName"] == "Mostly true"
        response.close()

    write = client.post(
        "/api/v1/articles",
        json={"text": "The port handled 4.1 million containers in 2024.", "title": "Port"},
        headers={"Authorization": f"Bearer {served_app.config['TEST_TOKEN']}"},
    )
    health = client.get("/healthz")

    assert write.status_code == 201, write.get_data(as_text=True)
    assert health.status_code == 200
    if empty_database_url.startswith("postgresql"):
        assert idle_in_transaction(empty_database_url) == 0


def test_a_feed_the_client_abandons_half_read_gives_its_connection_back(
    served_app: Flask, empty_database_url: str
) -> None:
    client = served_app.test_client()
    response = client.get("/api/v1/claimreview.json", buffered=False)
    chunks = iter(response.response)
    next(chunks), next(chunks)  # the client reads the first review, then hangs up
    response.close()

    assert client.get("/healthz").status_code == 200
    if empty_database_url.startswith("postgresql"):
        assert idle_in_transaction(empty_database_url) == 0
