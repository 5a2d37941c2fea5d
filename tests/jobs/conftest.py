"""Job fixtures: jobs commit from threads and processes of their own, so each test has a migrated
database of its own (not the rolled-back transaction of the other tests) and a session factory on it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from claims import schema
from claims.db import make_engine, make_session_factory
from claims.jobs.records import submit
from claims.jobs.runners import ThreadRunner
from claims.models import Job, JobState, Role, User
from claims.services.users import create_user
from tests.conftest import TEST_PASSWORD
from tests.jobs import kinds  # noqa: F401 - registers the test kinds
from tests.web.conftest import csrf_token

WAIT_SECONDS = 120  # how long a test waits for a job at most (a bound, not a measurement)


@pytest.fixture
def jobs_database_url(empty_database_url: str) -> str:
    schema.upgrade(empty_database_url)
    return empty_database_url


@pytest.fixture
def sessions(jobs_database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(jobs_database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def make_committed_user(sessions: sessionmaker[Session]) -> Callable[[Role], User]:
    def make(role: Role) -> User:
        with sessions() as session:
            user = create_user(
                session, None, email=f"{role.value}@example.org", role=role, password=TEST_PASSWORD
            )
            session.commit()
            return user

    return make


@pytest.fixture
def desk_admin(make_committed_user: Callable[[Role], User]) -> User:
    return make_committed_user(Role.ADMIN)


@pytest.fixture
def submitted(sessions: sessionmaker[Session]) -> Callable[..., int]:
    """Submit and commit a job as `user`; its id."""

    def submit_job(kind: str, params: dict[str, Any], user: User) -> int:
        with sessions() as session:
            job = submit(session, kind, params, session.get(User, user.id))
            session.commit()
            return job.id

    return submit_job


def job_row(sessions: sessionmaker[Session], job_id: int) -> Job:
    with sessions() as session:
        return session.get_one(Job, job_id)


def wait_for(sessions: sessionmaker[Session], job_id: int, done: Callable[[Job], bool]) -> Job:
    """The job once `done(job)` holds; fails the test if it never does."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = job_row(sessions, job_id)
        if done(job):
            return job
        time.sleep(0.1)
    pytest.fail(f"job {job_id} did not get there: {job_row(sessions, job_id)!r}")


def finished(job: Job) -> bool:
    return job.state in (JobState.SUCCEEDED, JobState.FAILED)


@pytest.fixture
def app(jobs_database_url: str) -> Iterator[Flask]:
    """The app over the test's database with no Redis: its own thread runs the jobs."""
    app = create_app({"TESTING": True, "DATABASE_URL": jobs_database_url})
    yield app
    runner = app.extensions["claimtrack_jobs"]
    assert isinstance(runner, ThreadRunner)
    runner.stop()
    app.extensions["claimtrack_sessions"].kw["bind"].dispose()


@pytest.fixture
def admin_client(app: Flask, desk_admin: User) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    client.post("/sign-in", data={"email": desk_admin.email, "password": TEST_PASSWORD, "csrf_token": token})
    return client
