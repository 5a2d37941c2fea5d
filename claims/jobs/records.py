"""Jobs as records: submitting, retrying, and the lists the /jobs page and the API show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.errors import JobNotRetryable, NotFound
from claims.jobs.registry import kind_named
from claims.models import Job, JobState, User, utcnow
from claims.permissions import Action, can, may_see_job, require

PAGE_SIZE = 50


def submit(session: Session, kind: str, params: dict[str, Any], user: User | None) -> Job:
    """Record a queued job; the caller commits and then hands its id to a runner (claims.jobs.runners),
    so a runner never sees a job that is not in the database yet. `user` None: the system (the CLI)."""
    job_kind = kind_named(kind)
    if user is not None:
        require(user, job_kind.action)
    job = Job(kind=kind, params=params, requested_by=user, state=JobState.QUEUED, done=0, attempts=0)
    session.add(job)
    session.flush()
    return job


QUEUE_UNREACHABLE = "the job queue (Redis) could not be reached when it was submitted; retry it"


def fail_unqueued(session: Session, job: Job) -> None:
    """A submitted job no runner was told about: failed in words, so it can be retried, rather than
    left queued where nothing will run it."""
    job.state, job.error, job.finished_at = JobState.FAILED, QUEUE_UNREACHABLE, utcnow()
    session.flush()


def visible_job(session: Session, user: User, job_id: int) -> Job:
    """The job, if this user may see it; someone else's job is as missing as one that never existed."""
    job = session.get(Job, job_id)
    if job is None or not may_see_job(user, job.requested_by_id):
        raise NotFound("job", job_id)
    return job


def retry(session: Session, user: User, job_id: int) -> Job:
    """Queue a failed job again (a fresh count of attempts); the caller commits and enqueues it."""
    job = visible_job(session, user, job_id)
    if job.state != JobState.FAILED:
        raise JobNotRetryable(job.id, job.state)
    job.state, job.error, job.attempts = JobState.QUEUED, None, 0
    job.done, job.started_at, job.finished_at, job.heartbeat_at = 0, None, None, None
    session.flush()
    return job


def visible_jobs(session: Session, user: User, *, limit: int = PAGE_SIZE) -> Sequence[Job]:
    """Newest first: the user's own jobs, or every job for an admin."""
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if not can(user, Action.SEE_ALL_JOBS):
        query = query.where(Job.requested_by_id == user.id)
    return session.scalars(query).all()
