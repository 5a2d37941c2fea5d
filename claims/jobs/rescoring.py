"""The re-scoring job: every claim scored again with the current model, after a model change.

Each claim whose score or reasons moved gets a `claim.rescored` event (replayed like any claim
change), and the run one `claims.rescored` summary event; a second run finds nothing to change and
records nothing. Statuses stay as they are: a claim below the threshold may be one a reviewer dismissed,
and moving it is a reviewer's decision (the queue sorts by the new scores).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims import audit
from claims.checkworthiness import Score, default_scorer
from claims.jobs.registry import ReportProgress, register
from claims.models import Claim, Job
from claims.permissions import Action

KIND = "rescore_claims"
CHUNK = 200  # claims per transaction: a reviewer's write waits for one chunk at most
# The model scores a sentence a hair differently depending on what else is in its batch (padding):
# a difference below this is no change of score.
SCORE_TOLERANCE = 1e-4


def _changes(claim: Claim, scored: Score) -> dict[str, Any]:
    wanted: dict[str, Any] = {"reasons": scored.reasons}
    if abs(claim.score - scored.value) >= SCORE_TOLERANCE:
        wanted["score"] = scored.value
    return wanted


@register(KIND, label="Re-score every claim", action=Action.RESCORE_CLAIMS)
def rescore_claims(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    total = session.scalar(select(func.count()).select_from(Claim)) or 0
    session.commit()
    report_progress(0, total)
    scorer = default_scorer()
    actor = job.requested_by
    done = changed = 0
    last_id = 0
    while True:
        next_chunk = select(Claim).where(Claim.id > last_id).order_by(Claim.id).limit(CHUNK)
        claims = session.scalars(next_chunk).all()
        if not claims:
            break
        for claim, scored in zip(claims, scorer.score_many([c.text for c in claims]), strict=True):
            changes = audit.apply(claim, _changes(claim, scored))
            audit.record_claim_change(session, actor, claim, "claim.rescored", changes)
            changed += bool(changes)
        session.commit()
        last_id, done = claims[-1].id, done + len(claims)
        report_progress(done, max(total, done))
    if changed:
        audit.record(
            session,
            actor,
            "job",
            job.id,
            "claims.rescored",
            audit.created({"model": type(scorer).__name__, "claims": done, "changed": changed}),
        )
        session.commit()
    return {"claims": done, "changed": changed}
