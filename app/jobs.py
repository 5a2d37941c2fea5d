"""The app's job runner (claims.jobs.runners): RQ on Redis, or a thread of this process."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from app.database import EXTENSION_KEY as SESSIONS_KEY
from claims.jobs.matching_index import MATCH_KIND
from claims.jobs.records import submit
from claims.jobs.runners import ThreadRunner, make_runner
from claims.jobs.starting import attach_runner, start_after_commit
from claims.models import Job, JobState, User

EXTENSION_KEY = "claimtrack_jobs"


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


def start_job(session: Session, job: Job) -> bool:
    """Commit the submitted job, which then goes to the runner (claims.jobs.starting); whether the
    runner took it (if not, the job is failed in words and can be retried from /jobs)."""
    start_after_commit(session, job)
    session.commit()
    session.refresh(job)
    return job.state != JobState.FAILED


def start_matching(session: Session, user: User, article_id: int) -> None:
    """After an import committed: its claims embedded and matched on the job queue, off the request."""
    start_job(session, submit(session, MATCH_KIND, {"article_ids": [article_id]}, user))
