"""Running a job: the one code path of every runner (the app's thread and `claimtrack worker`).

A runner claims a queued job with a conditional UPDATE, so two runners handed the same job (a retry
racing a slow worker, a message delivered twice) run it once. While it runs, a heartbeat is written every
quarter of the stale time from a thread of its own; `recover_stale` requeues a job whose heartbeat stopped
(its worker died) once, and fails it the second time. Each write here is its own short transaction:
on SQLite every transaction holds the database's write lock.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from claims.errors import ClaimtrackError
from claims.jobs.registry import kind_named
from claims.models import Job, JobState, utcnow

# A job whose worker died is run again while it has been started fewer times than this.
MAX_AUTOMATIC_ATTEMPTS = 2
WORKER_DIED = (
    "its worker stopped while running it, twice (the process was killed or its machine went away); "
    "retry it once the cause is fixed"
)
logger = logging.getLogger(__name__)


def _write(factory: sessionmaker[Session], job_id: int, *conditions: Any, **values: Any) -> bool:
    """One UPDATE of the job row in a transaction of its own; whether it matched."""
    with factory() as session:
        matched = session.execute(update(Job).where(Job.id == job_id, *conditions).values(**values)).rowcount
        session.commit()
    return matched == 1


def _claim(factory: sessionmaker[Session], job_id: int) -> bool:
    now = utcnow()
    return _write(
        factory,
        job_id,
        Job.state == JobState.QUEUED,
        state=JobState.RUNNING,
        attempts=Job.attempts + 1,
        started_at=now,
        heartbeat_at=now,
    )


class _Heartbeat:
    """Writes the job's heartbeat every `interval` seconds until stopped."""

    def __init__(self, factory: sessionmaker[Session], job_id: int, interval: float) -> None:
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, args=(factory, job_id, interval), name=f"job-{job_id}-heartbeat", daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopped.set()
        self._thread.join()

    def _beat(self, factory: sessionmaker[Session], job_id: int, interval: float) -> None:
        while not self._stopped.wait(interval):
            try:
                _write(factory, job_id, Job.state == JobState.RUNNING, heartbeat_at=utcnow())
            except OperationalError:  # the database busy for longer than its timeout: beat next time
                logger.warning("job %s: heartbeat not written this time (database busy)", job_id)


def error_in_words(error: BaseException) -> str:
    if isinstance(error, ClaimtrackError):
        return str(error)
    return f"stopped by an unexpected error ({type(error).__name__}); it has been logged"


def run_job(factory: sessionmaker[Session], job_id: int, stale_seconds: int) -> None:
    """Run the job if it is still queued; record its result or its error in words."""
    if not _claim(factory, job_id):
        return  # another runner has it, or it finished already

    def report_progress(done: int, total: int | None = None) -> None:
        values: dict[str, Any] = {"done": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["total"] = total
        try:
            _write(factory, job_id, Job.state == JobState.RUNNING, **values)
        except OperationalError:  # progress is for people watching; the work goes on without it
            logger.warning("job %s: progress not written this time (database busy)", job_id)

    with _Heartbeat(factory, job_id, stale_seconds / 4), factory() as session:
        job = session.get_one(Job, job_id)
        _ = job.requested_by  # loaded now: the job acts as this user throughout
        session.commit()  # a transaction left open would hold SQLite's lock against report_progress
        try:
            result = kind_named(job.kind).function(session, job, dict(job.params), report_progress)
            session.commit()
        except Exception as error:
            session.rollback()
            logger.exception("job %s (%s) failed", job_id, job.kind)
            _finish(factory, job_id, JobState.FAILED, error=error_in_words(error))
            return
    _finish(factory, job_id, JobState.SUCCEEDED, result=result)


def _finish(factory: sessionmaker[Session], job_id: int, state: JobState, **values: Any) -> None:
    _write(factory, job_id, Job.state == JobState.RUNNING, state=state, finished_at=utcnow(), **values)


def recover_stale(factory: sessionmaker[Session], stale_seconds: int) -> list[int]:
    """Jobs whose heartbeat is older than `stale_seconds`: queued again (their ids returned, for the
    runner to enqueue) if started fewer than MAX_AUTOMATIC_ATTEMPTS times, otherwise failed."""
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    with factory() as session:
        stale = session.execute(
            select(Job.id, Job.attempts, Job.heartbeat_at).where(
                Job.state == JobState.RUNNING, Job.heartbeat_at < cutoff
            )
        ).all()
        session.commit()
    requeued = []
    for job_id, attempts, heartbeat_at in stale:
        # Matching the heartbeat seen: two recoverers (two workers) act on a job once.
        still_stale = (Job.state == JobState.RUNNING, Job.heartbeat_at == heartbeat_at)
        if attempts < MAX_AUTOMATIC_ATTEMPTS:
            if _write(factory, job_id, *still_stale, state=JobState.QUEUED):
                logger.warning("job %s: its worker died; queued again", job_id)
                requeued.append(job_id)
        else:
            failed = {"state": JobState.FAILED, "error": WORKER_DIED, "finished_at": utcnow()}
            _write(factory, job_id, *still_stale, **failed)
    return requeued


def next_queued(factory: sessionmaker[Session]) -> int | None:
    with factory() as session:
        job_id = session.scalar(select(Job.id).where(Job.state == JobState.QUEUED).order_by(Job.id).limit(1))
        session.commit()
    return job_id
