"""The embedded runner: without Redis, the app's own thread runs jobs (the same `run_job`, the same
records), while the app keeps answering; and a write that waited too long for SQLite is a 503, not a 500."""

from __future__ import annotations

import io
import sqlite3

import pytest
from flask.testing import FlaskClient
from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker

from claims.models import Article, Job, JobState
from tests.helpers import row_count
from tests.jobs.conftest import finished, wait_for
from tests.web.conftest import csrf_token


def test_without_redis_a_bulk_upload_runs_in_the_apps_thread_while_pages_answer(
    admin_client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    files = [
        (io.BytesIO(f"The mayor said {n} new buses arrive in 2026.".encode()), f"bus-{n}.txt")
        for n in range(6)
    ]
    files.append((io.BytesIO(b"%PDF-1.7"), "report.pdf"))
    response = admin_client.post(
        "/articles/import/bulk",
        data={"uploads": files, "csrf_token": csrf_token(admin_client, "/articles/import/bulk")},
        content_type="multipart/form-data",
    )
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])

    def page_answers_meanwhile(job: Job) -> bool:
        assert admin_client.get(f"/jobs/{job_id}").status_code == 200
        return finished(job)

    job = wait_for(sessions, job_id, page_answers_meanwhile)
    assert job.state == JobState.SUCCEEDED, job.error
    assert len(job.result["imported"]) == 6
    assert [refused["origin"] for refused in job.result["refused"]] == ["report.pdf"]
    with sessions() as session:
        assert row_count(session, Article) == 6


# Only SQLite locks the whole database for a writer; PostgreSQL writers wait for row locks.
@pytest.mark.parametrize("empty_database_url", ["sqlite"], indirect=True)
def test_a_write_that_waits_too_long_for_sqlite_is_a_503_that_says_to_send_it_again(
    admin_client: FlaskClient, jobs_database_url: str
) -> None:
    token = csrf_token(admin_client, "/articles/import")
    holder = sqlite3.connect(make_url(jobs_database_url).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer (a job's transaction) holding the lock
    try:
        response = admin_client.post(
            "/articles/import", data={"text": "Rents rose 9 percent.", "csrf_token": token}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert response.status_code == 503
    assert "Nothing was saved; send it again in a moment." in response.get_data(as_text=True)
