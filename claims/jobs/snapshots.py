"""Evidence snapshots as jobs: one `snapshot` job per piece of evidence added (archive_evidence, which
takes no second archive when run twice), and the `recheck_evidence` job that fetches every cited page
again, submitted by `claimtrack worker --recheck-every` or the app's thread at a set interval.

Only one recheck job is queued or running at a time, whatever the number of workers: the check and the
insert happen under a database lock (SQLite's write lock, which every transaction here takes; a
PostgreSQL advisory lock), not in any one process's memory.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from claims.jobs.records import submit
from claims.jobs.registry import ReportProgress, register
from claims.jobs.starting import sessions_beside
from claims.models import EvidenceSnapshot, Job, JobState, utcnow
from claims.permissions import Action
from claims.snapshots.archive import archive_evidence, evidence_to_recheck, recheck_evidence

SNAPSHOTS_ENV = "CLAIMTRACK_SNAPSHOTS"
SNAPSHOT = "snapshot"
RECHECK = "recheck_evidence"
# Any fixed number: the key of the PostgreSQL advisory lock taken while deciding to queue a recheck.
RECHECK_LOCK_KEY = 715_015
PENDING_STATES = (JobState.QUEUED, JobState.RUNNING)


def snapshots_enabled() -> bool:
    return os.environ.get(SNAPSHOTS_ENV, "on") != "off"


def recheck_interval(hours: float) -> timedelta | None:
    """How often the periodic recheck runs; None when it is off (0 hours, or no snapshots at all: a
    desk that cannot reach the web)."""
    return timedelta(hours=hours) if hours > 0 and snapshots_enabled() else None


@register(SNAPSHOT, label="Archive a cited page", action=Action.ADD_EVIDENCE)
def take_snapshot(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    report_progress(0, 1)
    snapshot = archive_evidence(sessions_beside(session), params["evidence_id"])
    report_progress(1)
    return {
        "evidence_id": params["evidence_id"],
        "snapshot_id": snapshot.id,
        "error": snapshot.error,
        "shortfall": f"page not archived: {snapshot.error}" if snapshot.error else None,
    }


@register(RECHECK, label="Recheck every cited page", action=Action.SEE_ALL_JOBS)
def recheck_cited_pages(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    """Each page fetched again and stored on its own. A second run of the same job (a retry, a worker
    that died) skips the pages fetched since the job was queued."""
    fetched_since_queued = set(
        session.scalars(
            select(EvidenceSnapshot.evidence_id).where(EvidenceSnapshot.requested_at >= job.created_at)
        )
    )
    evidence_ids = [i for i in evidence_to_recheck(session) if i not in fetched_since_queued]
    session.commit()
    report_progress(0, len(evidence_ids))
    findings: dict[str, int] = {}
    for done, evidence_id in enumerate(evidence_ids, start=1):
        snapshot = recheck_evidence(sessions_beside(session), evidence_id)
        finding = str(snapshot.finding or "archived")
        findings[finding] = findings.get(finding, 0) + 1
        report_progress(done)
    return {"rechecked": len(evidence_ids), "findings": findings}


def queue_recheck_if_due(factory: sessionmaker[Session], every: timedelta) -> int | None:
    """Submit a recheck job if none is queued or running and none was submitted in the last `every`;
    its id, for the caller to enqueue (None: not due)."""
    with factory() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(RECHECK_LOCK_KEY)))
        rechecks = select(Job.id).where(Job.kind == RECHECK)
        pending = session.scalar(rechecks.where(Job.state.in_(PENDING_STATES)).limit(1))
        recent = session.scalar(rechecks.where(Job.created_at > utcnow() - every).limit(1))
        if pending is not None or recent is not None:
            session.commit()
            return None
        job = submit(session, RECHECK, {}, None)
        session.commit()
        return job.id


def snapshot_jobs(session: Session, evidence_ids: list[int]) -> dict[int, Job]:
    """The latest snapshot job of each of these pieces of evidence (the claim page shows "archiving…"
    while it is queued or running, and its error if it failed)."""
    if not evidence_ids:
        return {}
    evidence_id = Job.params["evidence_id"].as_integer()
    jobs = session.scalars(
        select(Job).where(Job.kind == SNAPSHOT, evidence_id.in_(evidence_ids)).order_by(Job.id)
    )
    return {job.params["evidence_id"]: job for job in jobs}
