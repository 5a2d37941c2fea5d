"""`claimtrack worker` processes on the CI Redis (CLAIMTRACK_TEST_REDIS_URL) over PostgreSQL: several
workers against one queue, and a worker killed (SIGKILL) in the middle of a job.

Each test uses a queue of its own, so parallel test runs on the same Redis never take each other's jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from claims.checkworthiness.rules import RuleScorer
from claims.ingest.readers import ArticleDraft
from claims.jobs import bulk_import
from claims.jobs.runners import RedisRunner
from claims.jobs.snapshots import RECHECK, SNAPSHOT
from claims.models import Article, Evidence, Job, JobState, User
from claims.services.articles import import_article
from claims.services.evidence import add_evidence
from claims.snapshots.archive import archived
from tests.conftest import THRESHOLD
from tests.helpers import row_count
from tests.jobs.conftest import WAIT_SECONDS, finished, wait_for
from tests.jobs.kinds import COUNTING
from tests.pageserver import ARTICLE, PageServer

# Worker processes are the scale-out set-up: several machines against one PostgreSQL. On SQLite the jobs
# run in the app's thread instead (test_thread_runner.py).
pytestmark = pytest.mark.parametrize("empty_database_url", ["postgresql"], indirect=True)

REDIS_URL_ENV = "CLAIMTRACK_TEST_REDIS_URL"
ROOT = Path(__file__).resolve().parents[2]
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))
STALE_SECONDS = 2


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_URL_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REDIS_URL_ENV} must be set in CI")
        pytest.skip(f"worker tests need Redis at {REDIS_URL_ENV}")
    return url


@pytest.fixture
def runner(redis_url: str) -> Iterator[RedisRunner]:
    runner = RedisRunner(redis_url, f"claimtrack-test-{uuid.uuid4().hex[:12]}")
    yield runner
    runner.queue.delete(delete_jobs=True)


@pytest.fixture
def start_worker(
    jobs_database_url: str, redis_url: str, runner: RedisRunner
) -> Iterator[Callable[..., subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def start(*options: str) -> subprocess.Popen:
        env = {  # the environment as the test set it when it starts the worker
            **os.environ,
            "CLAIMTRACK_DATABASE_URL": jobs_database_url,
            "CLAIMTRACK_REDIS_URL": redis_url,
            "CLAIMTRACK_JOB_QUEUE": runner.queue.name,
            "CLAIMTRACK_JOB_STALE_SECONDS": str(STALE_SECONDS),
            "CLAIMTRACK_JOB_MODULES": "tests.jobs.kinds",
            "PYTHONPATH": str(ROOT),
        }
        process = subprocess.Popen(
            [CLAIMTRACK, "worker", *options], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # RQ's warm shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_two_worker_processes_run_the_queued_jobs(
    sessions: sessionmaker[Session],
    desk_admin: User,
    submitted: Callable[..., int],
    runner: RedisRunner,
    start_worker: Callable[[], subprocess.Popen],
) -> None:
    articles = [{"text": f"The council said it spent {n} million on roads in 2024."} for n in range(1, 5)]
    imports = [submitted(bulk_import.KIND, {"articles": articles[n::2]}, desk_admin) for n in range(2)]
    counting = submitted(COUNTING, {"steps": 3, "pause": 0}, desk_admin)
    for job_id in [*imports, counting]:
        runner.enqueue(job_id)
    start_worker(), start_worker()

    jobs = [wait_for(sessions, job_id, finished) for job_id in [*imports, counting]]

    assert [job.state for job in jobs] == [JobState.SUCCEEDED] * 3, [job.error for job in jobs]
    assert [job.attempts for job in jobs] == [1, 1, 1]
    with sessions() as session:
        assert row_count(session, Article) == 4


def test_a_job_whose_worker_is_killed_is_noticed_and_run_again_by_another_worker(
    sessions: sessionmaker[Session],
    desk_admin: User,
    submitted: Callable[..., int],
    runner: RedisRunner,
    start_worker: Callable[[], subprocess.Popen],
) -> None:
    job_id = submitted(COUNTING, {"steps": 10, "pause": 0.3}, desk_admin)
    runner.enqueue(job_id)
    doomed = start_worker()
    wait_for(sessions, job_id, lambda job: job.done >= 2)

    doomed.kill()  # SIGKILL: no chance to record anything
    doomed.wait()
    start_worker()

    job = wait_for(sessions, job_id, finished)
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.attempts == 2
    assert job.result == {"steps": 10, "attempt": 2}


def test_two_workers_take_a_snapshot_import_a_list_of_urls_and_queue_one_periodic_recheck(
    sessions: sessionmaker[Session],
    desk_admin: User,
    submitted: Callable[..., int],
    runner: RedisRunner,
    start_worker: Callable[..., subprocess.Popen],
    pages: PageServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = f"http://127.0.0.1:{pages.port}"
    pages.html("/accounts", ARTICLE)
    pages.html("/budget", ARTICLE.replace("Budget report", "Road budget"))
    with sessions() as session:  # snapshots are off while the evidence is added: the worker takes it
        draft = ArticleDraft(text="The council spent 3 million on roads in 2024, its accounts say.")
        claim = import_article(session, None, draft, RuleScorer(), THRESHOLD).article.claims[0]
        actor = session.get(User, desk_admin.id)
        evidence = add_evidence(
            session, actor, claim.id, url=f"{base}/accounts", title="A", stance="supports"
        )
        session.commit()
    snapshot = submitted(SNAPSHOT, {"evidence_id": evidence.id}, desk_admin)
    urls = submitted(bulk_import.KIND, {"urls": [f"{base}/budget", f"{base}/gone"]}, desk_admin)
    for job_id in (snapshot, urls):
        runner.enqueue(job_id)
    monkeypatch.setenv("CLAIMTRACK_SNAPSHOTS", "on")
    monkeypatch.setenv("CLAIMTRACK_FETCH_ALLOW", "127.0.0.1")
    start_worker("--recheck-every", "24"), start_worker("--recheck-every", "24")

    snapshot_job, urls_job = (wait_for(sessions, job_id, finished) for job_id in (snapshot, urls))
    recheck = wait_for(sessions, the_recheck_job(sessions), finished)
    time.sleep(STALE_SECONDS)  # both workers look for a due recheck four more times meanwhile

    assert snapshot_job.state == urls_job.state == recheck.state == JobState.SUCCEEDED
    assert len(urls_job.result["imported"]) == 1
    assert urls_job.result["refused"] == [
        {"origin": f"{base}/gone", "reason": f"{base}/gone: the page answered HTTP 404"}
    ]
    with sessions() as session:
        assert archived(session.get_one(Evidence, evidence.id)).text.startswith("Budget report")
        assert session.scalars(select(Job.id).where(Job.kind == RECHECK)).all() == [recheck.id]


def the_recheck_job(sessions: sessionmaker[Session]) -> int:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with sessions() as session:
            job_id = session.scalar(select(Job.id).where(Job.kind == RECHECK))
        if job_id is not None:
            return job_id
        time.sleep(0.1)
    pytest.fail("no worker queued the periodic recheck")
