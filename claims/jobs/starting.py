"""Starting a job that a service submitted while it changed data: the seam between `claims/` and
whoever runs jobs.

A service (adding evidence submits a snapshot job) records the job in its own transaction and calls
`start_after_commit`. Once that transaction commits, the job's id goes to the runner attached to the
session (`attach_runner`: the web app attaches its RQ or thread runner to every session it makes); if
the transaction rolls back, nothing runs. A session with no runner attached (the CLI, scripts) runs
the job in this process right after the commit, in sessions of its own on the same connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session

from claims.config import load_settings
from claims.jobs.records import fail_unqueued
from claims.jobs.running import run_job
from claims.models import Job

if TYPE_CHECKING:
    from claims.jobs.runners import Runner  # which imports this module's users

RUNNER_KEY = "claimtrack.job_runner"
PENDING_KEY = "claimtrack.jobs_to_start"
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
    if PENDING_KEY not in session.info:
        session.info[PENDING_KEY] = []
        event.listen(session, "after_commit", _start_pending)
        event.listen(session, "after_rollback", _forget_pending)
    session.info[PENDING_KEY].append(job.id)


def _forget_pending(session: Session) -> None:
    session.info[PENDING_KEY] = []


def _start_pending(session: Session) -> None:
    pending, session.info[PENDING_KEY] = session.info[PENDING_KEY], []
    runner: Runner | None = session.info.get(RUNNER_KEY)
    new_session = sessions_beside(session)
    for job_id in pending:
        if runner is None:
            run_job(new_session, job_id, load_settings().job_stale_seconds)
            continue
        try:
            runner.enqueue(job_id)
        except RedisError:
            # The data is committed already; the job is failed in words and can be retried from /jobs.
            logger.exception("could not enqueue job %s", job_id)
            with new_session() as other:
                fail_unqueued(other, other.get_one(Job, job_id))
                other.commit()
