"""Shared fixtures: a migrated database per kind, a rolled-back session per test, and factories."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from claims import schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine
from claims.ingest.readers import ArticleDraft
from claims.jobs.matching_index import match_articles
from claims.models import Article, Role, User
from claims.services.articles import import_article
from claims.services.users import create_user
from tests.databases import DATABASE_KINDS, POSTGRES_URL_ENV, empty_database

# Adding evidence snapshots its page after commit: off unless a test turns it on (tests reach no web).
os.environ["CLAIMTRACK_SNAPSHOTS"] = "off"
pytest_plugins = ["tests.pageserver"]

SAMPLE_ARTICLE = Path(__file__).resolve().parents[1] / "claims" / "demo" / "trump-japan-visit.txt"
TEST_PASSWORD = "correct horse battery staple"
THRESHOLD = 0.5


TRAINING_TESTS = Path(__file__).resolve().parent / "training"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--training",
        action="store_true",
        help="run tests/training too: it needs PyTorch, the [train] extra (`make test-training`)",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # The training tests import PyTorch, which the app and its test venv never install.
    if collection_path == TRAINING_TESTS and not config.getoption("--training"):
        return True
    return None


def pytest_report_header(config: pytest.Config) -> list[str]:
    if os.environ.get(POSTGRES_URL_ENV):
        postgres = f"PostgreSQL tests: on ({POSTGRES_URL_ENV} is set)"
    else:
        postgres = f"PostgreSQL tests: SKIPPED — {POSTGRES_URL_ENV} is not set"
    if config.getoption("--training"):
        return [postgres, "Training tests: on"]
    return [postgres, "Training tests (tests/training): not collected here; `make test-training` runs them"]


@pytest.fixture(scope="session", params=DATABASE_KINDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head, shared by a session's tests (each runs in a rolled-back transaction)."""
    with empty_database(request.param, tmp_path_factory.mktemp("db")) as url:
        schema.upgrade(url)
        yield url


@pytest.fixture(params=DATABASE_KINDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own with no tables, for migration and CLI tests that commit."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Any]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session(connection: Any) -> Iterator[Session]:
    """A session whose commits become savepoints inside a transaction rolled back after the test."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    session.close()


@pytest.fixture
def make_user(session: Session) -> Callable[..., User]:
    counter = itertools.count(1)

    def make(role: Role = Role.REVIEWER, **overrides: Any) -> User:
        number = next(counter)
        values = {"email": f"{role.value}{number}@example.org", "role": role, "password": TEST_PASSWORD}
        values.update(overrides)
        return create_user(session, None, **values)

    return make


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> User:
    return make_user(Role.REVIEWER)


@pytest.fixture
def editor(make_user: Callable[..., User]) -> User:
    return make_user(Role.EDITOR)


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN)


@pytest.fixture
def make_article(session: Session) -> Callable[..., Article]:
    """Import an article, then match its claims as the CLI does once the import committed (the web and
    the API hand that to the job queue: tests/web's `run_recorded_jobs`)."""

    def make(text: str | None = None, actor: User | None = None, **metadata: Any) -> Article:
        draft = ArticleDraft(text=text or SAMPLE_ARTICLE.read_text(encoding="utf-8"), **metadata)
        article = import_article(session, actor, draft, RuleScorer(), THRESHOLD).article
        match_articles(session, [article.id])
        return article

    return make


@pytest.fixture
def sample_article(make_article: Callable[..., Article]) -> Article:
    return make_article(
        title="Trump in Japan", publisher="Sample Wire", url="https://news.example.org/trump-japan"
    )
