"""Fault tests: a real `claimtrack serve` (gunicorn) or `claimtrack ingest` process on a PostgreSQL
database of its own, driven over HTTP and killed with SIGKILL, then checked from the database."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from claims import schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.models import Role, Status
from claims.services.articles import import_article
from claims.services.tokens import create_token
from claims.services.users import create_user
from tests.conftest import SAMPLE_ARTICLE, TEST_PASSWORD, THRESHOLD
from tests.databases import postgres_database
from tests.web.test_public_fact_checks import publish

CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))
PUBLISHED = 3


@dataclass(frozen=True)
class Desk:
    url: str
    reviewer_token: str
    open_claim_ids: list[int]  # claims a reviewer may add evidence to


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        schema.upgrade(url)
        yield url


@pytest.fixture(scope="module")
def desk() -> Iterator[Desk]:
    """The sample article with a few published claims (for the feed) and a reviewer's API token, on a
    database shared by a module's tests (starting a server takes seconds; each test checks the whole)."""
    with postgres_database() as url:
        schema.upgrade(url)
        yield seeded_desk(url)


def seeded_desk(postgres_url: str) -> Desk:
    engine = make_engine(postgres_url)
    try:
        with make_session_factory(engine)() as session:
            reviewer = create_user(
                session, None, email="r@example.org", role=Role.REVIEWER, password=TEST_PASSWORD
            )
            editor = create_user(
                session, None, email="e@example.org", role=Role.EDITOR, password=TEST_PASSWORD
            )
            draft = ArticleDraft(text=SAMPLE_ARTICLE.read_text(encoding="utf-8"), publisher="Sample Wire")
            claims = import_article(session, reviewer, draft, RuleScorer(), THRESHOLD).article.claims
            unreviewed = [claim for claim in claims if claim.status == Status.UNREVIEWED]
            for claim in unreviewed[:PUBLISHED]:
                publish(session, reviewer, editor, claim)
            _, token = create_token(session, reviewer, "fault tests")
            session.commit()
            open_ids = [claim.id for claim in unreviewed[PUBLISHED:]]
    finally:
        engine.dispose()
    return Desk(postgres_url, token, open_ids)


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "CLAIMTRACK_DATABASE_URL": database_url,
        "CLAIMTRACK_ENV": "production",
        "CLAIMTRACK_SECRET_KEY": secrets.token_hex(32),
        "CLAIMTRACK_RATE_LIMIT_STORAGE": "memory://",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(desk: Desk) -> Iterator[Server]:
    with served(desk.url) as running:
        yield running


@dataclass
class Server:
    base: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]


@contextmanager
def served(database_url: str, workers: int = 2, threads: int = 4) -> Iterator[Server]:
    port = free_port()
    command = [CLAIMTRACK, "serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(
        command, env=environment(database_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 30
        while call(server.base + "/healthz")[0] != 200:
            assert process.poll() is None and time.monotonic() < deadline, "claimtrack serve did not start"
            time.sleep(0.1)
        yield server
    finally:
        process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown: the tests' requests are done
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def call(
    url: str, body: dict | None = None, token: str | None = None, timeout: float = 30
) -> tuple[int, bytes]:
    """(status, body) of one request; status 0 when the connection failed (a killed worker)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        # HTTPException: the worker died after its headers (IncompleteRead), so the write is unconfirmed.
        return 0, b""


def idle_in_transaction(database_url: str) -> int:
    """Connections to this database left inside a transaction nobody will end; 0 once the app is quiet."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            deadline = time.monotonic() + 2
            while True:
                count = connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
                    )
                )
                if count == 0 or time.monotonic() > deadline:
                    return count
                time.sleep(0.1)
    finally:
        engine.dispose()


def audit_verify(database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CLAIMTRACK, "audit", "verify"], env=environment(database_url), capture_output=True, text=True
    )
