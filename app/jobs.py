"""The app's job runner (claims.jobs.runners): RQ on Redis, or a thread of this process, attached to every
session the app makes. Jobs are started only through claims.jobs.starting (`start_after_commit`,
`commit_and_start`), once the request's transaction commits."""

from __future__ import annotations

from flask import Flask

from app.database import EXTENSION_KEY as SESSIONS_KEY
from claims.jobs.runners import ThreadRunner, make_runner
from claims.jobs.starting import attach_runner

EXTENSION_KEY = "claimtrack_jobs"


def init_app(app: Flask) -> None:
    # JOB_RUNNER: a test app bound to a rolled-back connection passes one that only records job ids.
    runner = app.config.get("JOB_RUNNER") or make_runner(
        app.config["CLAIMTRACK_SETTINGS"], app.extensions[SESSIONS_KEY]
    )
    app.extensions[EXTENSION_KEY] = runner
    # Every job, whether a service submitted it while it changed data (a snapshot when evidence is added)
    # or the request did (a bulk import), goes to this runner once the request commits.
    attach_runner(app.extensions[SESSIONS_KEY].kw.setdefault("info", {}), runner)
    # The thread starts now, to run jobs left queued when the app last stopped (in tests: when a job is
    # first enqueued).
    if isinstance(runner, ThreadRunner) and not app.testing:
        runner.start()
