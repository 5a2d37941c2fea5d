"""`claimtrack worker` processes on the CI Redis (CLAIMTRACK_TEST_REDIS_URL) over PostgreSQL: several
workers against one queue, and a worker killed (SIGKILL) in the middle of a job.

Each test uses a queue of its own, so parallel test runs on the same Redis never take each other's jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from claims.jobs import bulk_import
from claims.jobs.runners import RedisRunner
from claims.models import Article, JobState, User
from tests.helpers import row_count
from tests.jobs.conftest import finished, wait_for
from tests.jobs.kinds import COUNTING

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
) -> Iterator[Callable[[], subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "CLAIMTRACK_DATABASE_URL": jobs_database_url,
        "CLAIMTRACK_REDIS_URL": redis_url,
        "CLAIMTRACK_JOB_QUEUE": runner.queue.name,
        "CLAIMTRACK_JOB_STALE_SECONDS": str(STALE_SECONDS),
        "CLAIMTRACK_JOB_MODULES": "tests.jobs.kinds",
        "PYTHONPATH": str(ROOT),
    }

    def start() -> subprocess.Popen:
        process = subprocess.Popen([CLAIMTRACK, "worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
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
