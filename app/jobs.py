"""The app's job runner (claims.jobs.runners): RQ on Redis, or a thread of this process."""

from __future__ import annotations

import logging

from flask import Flask, current_app
from redis.exceptions import RedisError
from sqlalchemy.orm import Session

from app.database import EXTENSION_KEY as SESSIONS_KEY
from claims.jobs.matching_index import MATCH_KIND
from claims.jobs.records import fail_unqueued, submit
from claims.jobs.runners import Runner, ThreadRunner, make_runner
from claims.jobs.starting import attach_runner
from claims.models import Job, User

EXTENSION_KEY = "claimtrack_jobs"
logger = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    # JOB_RUNNER: a test app bound to a rolled-back connection passes one that only records job ids.
    runner = app.config.get("JOB_RUNNER") or make_runner(
        app.config["CLAIMTRACK_SETTINGS"], app.extensions[SESSIONS_KEY]
    )
    app.extensions[EXTENSION_KEY] = runner
    # Jobs a service submits while it changes data (a snapshot when evidence is added) go to this runner
    # once the request commits (claims.jobs.starting).
    attach_runner(app.extensions[SESSIONS_KEY].kw.setdefault("info", {}), runner)
    # The thread starts now, to run jobs left queued when the app last stopped (in tests: when a job is
    # first enqueued).
    if isinstance(runner, ThreadRunner) and not app.testing:
        runner.start()


def job_runner() -> Runner:
    return current_app.extensions[EXTENSION_KEY]


def start_job(session: Session, job: Job) -> bool:
    """Commit the submitted job, then hand it to the runner; whether the runner took it."""
    session.commit()
    try:
        job_runner().enqueue(job.id)
    except RedisError:
        logger.exception("could not enqueue job %s", job.id)
        fail_unqueued(session, job)
        session.commit()
        return False
    return True


def start_matching(session: Session, user: User, article_id: int) -> None:
    """After an import committed: its claims embedded and matched on the job queue, off the request."""
    start_job(session, submit(session, MATCH_KIND, {"article_ids": [article_id]}, user))
