"""Starting a job after the transaction that recorded it commits: the one way every caller starts one,
the seam between `claims/` and whoever runs jobs.

A service (adding evidence submits a snapshot job) records the job in its own transaction and calls
`start_after_commit`; the web layer, which commits once per request, calls `commit_and_start` for a job
the request itself submitted (a bulk import, a retry) and learns whether a runner took it. Once the
transaction commits, the job's id goes to the runner attached to the session (`attach_runner`: the web
app attaches its RQ or thread runner to every session it makes); if it rolls back, nothing runs. Only
the outermost commit starts jobs: a savepoint released is not yet committed data, and a savepoint rolled
back leaves the jobs recorded before it. A runner that cannot be told (Redis unreachable) leaves the job
failed in words, never queued where nothing would run it. A session with no runner attached (the CLI,
scripts) runs the job in this process right after the commit, in sessions of its own on the same
connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from claims.config import load_settings
from claims.jobs.records import fail_unqueued
from claims.jobs.running import run_job
from claims.models import Job

if TYPE_CHECKING:
    from claims.jobs.runners import Runner  # which imports this module's users

RUNNER_KEY = "claimtrack.job_runner"
PENDING_KEY = "claimtrack.jobs_to_start"
UNQUEUED_KEY = "claimtrack.jobs_not_queued"  # of the last commit: the jobs no runner could be told about
logger = logging.getLogger(__name__)


def attach_runner(info: dict, runner: Runner) -> None:
    """Name the runner for sessions made with this `info` (a session's or a sessionmaker's)."""
    info[RUNNER_KEY] = runner


def sessions_beside(session: Session) -> Callable[[], Session]:
    """Sessions of their own on `session`'s engine or connection; on a connection (a test's outer
    transaction) their commits become savepoints."""

    bind = session.get_bind()

    def new_session() -> Session:
        return Session(bind=bind, join_transaction_mode="create_savepoint", expire_on_commit=False)

    return new_session


def start_after_commit(session: Session, job: Job) -> None:
    """Start the job once the session's transaction commits (nothing, if it rolls back)."""
    if PENDING_KEY not in session.info:
        session.info[PENDING_KEY] = []
        event.listen(session, "after_commit", _start_pending)
        event.listen(session, "after_rollback", _forget_pending)
    session.info[PENDING_KEY].append(job.id)


def commit_and_start(session: Session, job: Job) -> bool:
    """Commit the session with the job it submitted, then start the job; whether a runner took it. When
    none could, the job is failed in words by then (`records.fail_unqueued`) and `job` reads so."""
    start_after_commit(session, job)
    session.commit()
    return job.id not in session.info[UNQUEUED_KEY]


def _forget_pending(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info[PENDING_KEY] = []


def _start_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the data is not committed until the outermost transaction is
    pending, session.info[PENDING_KEY] = session.info[PENDING_KEY], []
    session.info[UNQUEUED_KEY] = set()
    runner: Runner | None = session.info.get(RUNNER_KEY)
    new_session = sessions_beside(session)
    for job_id in pending:
        if runner is None:
            run_job(new_session, job_id, load_settings().job_stale_seconds)
            continue
        try:
            runner.enqueue(job_id)
        except RedisError:
            logger.exception("could not enqueue job %s", job_id)
            _fail_unqueued(session, new_session, job_id)


def _fail_unqueued(session: Session, new_session: Callable[[], Session], job_id: int) -> None:
    """The data is committed already: the job is failed in words, in a session of its own (this one may
    not write after its commit), and can be retried from /jobs. The caller's copy is told so."""
    session.info[UNQUEUED_KEY].add(job_id)
    with new_session() as other:
        job = other.get(Job, job_id)
        if job is None:
            return  # rolled back with a savepoint after it was submitted: there is nothing to run
        fail_unqueued(other, job)
        other.commit()
    held = session.identity_map.get(session.identity_key(Job, job_id))
    if held is not None:
        for name in ("state", "error", "finished_at"):
            set_committed_value(held, name, getattr(job, name))
