"""Job kinds for tests only; a `claimtrack worker` under test imports them (CLAIMTRACK_JOB_MODULES)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.orm import Session

from claims.errors import ImportRejected
from claims.jobs.registry import ReportProgress, register
from claims.models import Job
from claims.permissions import Action

COUNTING = "test_counting"
REFUSING = "test_refusing"
CRASHING = "test_crashing"


@register(COUNTING, label="Count slowly", action=Action.IMPORT_ARTICLE)
def count_slowly(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    """`steps` steps of `pause` seconds each, progress after each: something to watch, or to kill."""
    steps = params["steps"]
    report_progress(0, steps)
    for step in range(1, steps + 1):
        time.sleep(params["pause"])
        report_progress(step)
    return {"steps": steps, "attempt": job.attempts}


@register(REFUSING, label="Refuse", action=Action.IMPORT_ARTICLE)
def refuse(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    raise ImportRejected("feed.jsonl", "line 3 is not JSON")


@register(CRASHING, label="Crash", action=Action.IMPORT_ARTICLE)
def crash(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    raise RuntimeError("a bug")
