"""Where jobs run: on Redis for `claimtrack worker` processes (RQ), or in a thread of the app.

Both call `running.run_job` with the job's id; the job's record in the database is the truth, the queue
only says "look at job N". `make_runner` picks by CLAIMTRACK_REDIS_URL.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from functools import cache
from typing import Protocol

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from claims.config import Settings, load_settings
from claims.db import make_engine, make_session_factory
from claims.jobs.running import next_queued, recover_stale, run_job
from claims.jobs.snapshots import queue_recheck_if_due, recheck_interval

# RQ kills a job that runs longer than this; a 400-article import takes minutes, a re-score of a large
# desk maybe an hour.
RQ_JOB_TIMEOUT_SECONDS = 6 * 3600
logger = logging.getLogger(__name__)


class Runner(Protocol):
    def enqueue(self, job_id: int) -> None: ...


class ThreadRunner:
    """One background thread per app: runs queued jobs oldest first, wakes when one is enqueued and
    otherwise looks every quarter of the stale time (for jobs queued by another process, or requeued,
    or a periodic recheck that is due)."""

    def __init__(
        self, factory: sessionmaker[Session], stale_seconds: int, recheck_every: timedelta | None = None
    ) -> None:
        self._factory = factory
        self._stale_seconds = stale_seconds
        self._recheck_every = recheck_every
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="claimtrack-jobs", daemon=True)
                self._thread.start()

    def enqueue(self, job_id: int) -> None:
        self.start()
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                recover_stale(self._factory, self._stale_seconds)
                if self._recheck_every is not None:
                    queue_recheck_if_due(self._factory, self._recheck_every)
                job_id = next_queued(self._factory)
                if job_id is not None:
                    run_job(self._factory, job_id, self._stale_seconds)
                    continue
            except Exception as exc:  # a database that went away for a moment must not end the thread
                if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
                    # SQLite's busy timeout while an import writes: a wait, as the web's 503 treats it.
                    logger.warning("the job thread found the database busy; trying again shortly")
                else:
                    logger.exception("the job thread could not look for work; trying again shortly")
            self._wake.wait(self._stale_seconds / 4)
            self._wake.clear()


class RedisRunner:
    """Puts job ids on an RQ queue; `claimtrack worker` processes (any number, any machine) run them."""

    def __init__(self, redis_url: str, queue_name: str) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(queue_name, connection=self.connection)

    def enqueue(self, job_id: int) -> None:
        self.queue.enqueue_call(
            "claims.jobs.runners.run_in_worker",
            args=(job_id,),
            timeout=RQ_JOB_TIMEOUT_SECONDS,
            result_ttl=0,  # the result lives in the job's row
            failure_ttl=24 * 3600,
        )


def make_runner(settings: Settings, factory: sessionmaker[Session]) -> Runner:
    if settings.redis_url:
        return RedisRunner(settings.redis_url, settings.job_queue)
    return ThreadRunner(factory, settings.job_stale_seconds, recheck_interval(settings.recheck_hours))


@cache
def _worker_sessions() -> tuple[sessionmaker[Session], int]:
    settings = load_settings()
    return make_session_factory(make_engine(settings.database_url)), settings.job_stale_seconds


def run_in_worker(job_id: int) -> None:
    """What RQ calls in `claimtrack worker`: one engine per worker process, made on its first job."""
    factory, stale_seconds = _worker_sessions()
    run_job(factory, job_id, stale_seconds)
