"""The matching-index job: embeddings made for every fact-check and claim that has none, or one of an
older text, so `similar` answers without encoding at query time. A second run finds nothing stale."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from claims.jobs.registry import ReportProgress, register
from claims.matching.embeddings import stale_or_missing, store
from claims.models import Job
from claims.permissions import Action

KIND = "matching_index"
CHUNK = 256  # texts encoded and written per transaction


@register(KIND, label="Build the claim-matching index", action=Action.IMPORT_FACT_CHECKS)
def build_matching_index(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    stale = stale_or_missing(session)
    session.commit()
    report_progress(0, len(stale))
    done = 0
    for kind, entries in groupby(stale, key=lambda entry: entry[0]):
        items = [(entity_id, text) for _, entity_id, text in entries]
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            store(session, kind, chunk)
            session.commit()
            done += len(chunk)
            report_progress(done)
    return {"embedded": done}
