"""Web fixtures: the app bound to the test's connection, and a client that signs in through the form."""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.database import EXTENSION_KEY as SESSIONS_KEY
from app.jobs import EXTENSION_KEY as JOBS_KEY
from claims.jobs.running import run_job
from claims.models import User
from claims.services.tokens import create_token
from tests.conftest import TEST_PASSWORD

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class RecordingRunner:
    """Jobs are only recorded as enqueued: a thread running them would share the test's connection
    (tests/jobs/ run them for real, on databases of their own)."""

    def __init__(self) -> None:
        self.enqueued: list[int] = []

    def enqueue(self, job_id: int) -> None:
        self.enqueued.append(job_id)

    def run_enqueued(self, app: Flask) -> None:
        """Run what was enqueued, one job after another, through the runners' own `run_job` in the test's
        thread and transaction (with a stale time no test lasts, the heartbeat thread never writes)."""
        while self.enqueued:
            run_job(app.extensions[SESSIONS_KEY], self.enqueued.pop(0), stale_seconds=86_400)


def app_on(connection: Any, runner: Any) -> Flask:
    """The app bound to the test's connection, handing its jobs to `runner`."""
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    return create_app({"TESTING": True, "SESSION_FACTORY": factory, "JOB_RUNNER": runner})


@pytest.fixture
def app(connection: Any) -> Iterator[Flask]:
    yield app_on(connection, RecordingRunner())


@pytest.fixture
def run_recorded_jobs(app: Flask) -> Callable[[], None]:
    """Run the jobs the app handed its RecordingRunner, now."""
    return lambda: app.extensions[JOBS_KEY].run_enqueued(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, path: str) -> str:
    match = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def signed_in(client: FlaskClient, user: User, password: str = TEST_PASSWORD) -> FlaskClient:
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"email": user.email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[[User], FlaskClient]:
    return lambda user, password=TEST_PASSWORD: signed_in(client, user, password)


@pytest.fixture
def reviewer_client(sign_in: Callable[[User], FlaskClient], reviewer: User) -> FlaskClient:
    return sign_in(reviewer)


@pytest.fixture
def token_for(session: Session) -> Callable[[User], dict[str, str]]:
    def headers(user: User) -> dict[str, str]:
        _, token = create_token(session, user, "tests")
        session.flush()
        return {"Authorization": f"Bearer {token}"}

    return headers
