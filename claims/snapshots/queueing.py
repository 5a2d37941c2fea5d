"""The one place that decides when a snapshot is taken: `request_snapshot`, called when evidence
with a URL is added. It submits a `snapshot` job (claims.jobs.snapshots) in the same transaction as the
evidence, started once that transaction commits (claims.jobs.starting): on the app's runner (RQ or its
thread) for the web, so the request answers at once; in-process after the commit for the CLI and scripts.
The fetch runs with no transaction open, so the audit chain is never locked while a page loads. Nothing
is fetched if the evidence is rolled back. `CLAIMTRACK_SNAPSHOTS=off` turns snapshots off (tests that
need no network; a desk that cannot reach the web)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from claims.jobs.records import submit
from claims.jobs.snapshots import SNAPSHOT, snapshots_enabled
from claims.jobs.starting import start_after_commit
from claims.models import User


def request_snapshot(session: Session, actor: User, evidence_id: int) -> None:
    if not snapshots_enabled():
        return
    start_after_commit(session, submit(session, SNAPSHOT, {"evidence_id": evidence_id}, actor))
