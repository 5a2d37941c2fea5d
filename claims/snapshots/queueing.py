"""The one place that decides when a snapshot is taken: `request_snapshot`, called when evidence
with a URL is added. Until the job queue takes it over, the snapshot runs in-process right after the
evidence is committed, in sessions of its own (outside the request's transaction, and fetching with
no transaction open, so the audit chain is never locked while a page loads). Nothing is fetched if
the evidence is rolled back. `CLAIMTRACK_SNAPSHOTS=off` turns snapshots off (tests that need no
network; a desk that cannot reach the web)."""

from __future__ import annotations

import logging
import os

from sqlalchemy import event
from sqlalchemy.orm import Session

from claims.snapshots.archive import archive_evidence

SNAPSHOTS_ENV = "CLAIMTRACK_SNAPSHOTS"
PENDING = "claimtrack.snapshot_requests"
logger = logging.getLogger(__name__)


def snapshots_enabled() -> bool:
    return os.environ.get(SNAPSHOTS_ENV, "inline") != "off"


def request_snapshot(session: Session, evidence_id: int) -> None:
    if not snapshots_enabled():
        return
    if PENDING not in session.info:
        session.info[PENDING] = []
        event.listen(session, "after_commit", _run_pending)
        event.listen(session, "after_rollback", _forget_pending)
    session.info[PENDING].append(evidence_id)


def _forget_pending(session: Session) -> None:
    session.info[PENDING] = []


def _run_pending(session: Session) -> None:
    pending, session.info[PENDING] = session.info[PENDING], []
    bind = session.get_bind()

    def new_session() -> Session:
        # On a connection (a test's outer transaction) the snapshot's commits become savepoints.
        return Session(bind=bind, join_transaction_mode="create_savepoint", expire_on_commit=False)

    for evidence_id in pending:
        try:
            archive_evidence(new_session, evidence_id)
        except Exception:
            # The evidence is committed already; a failed snapshot must not turn that into an error.
            # `evidence recheck` archives evidence that has no snapshot.
            logger.exception("snapshot of evidence %s failed", evidence_id)
