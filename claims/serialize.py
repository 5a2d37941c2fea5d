"""The JSON shapes of claims, articles and events, shared by the CLI and the JSON API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from claims.models import Article, AuditEvent, Claim, Job, Status


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def claim_summary(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "article_id": claim.article_id,
        "sentence": claim.sentence,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "status": Status(claim.status).value,
        "score": claim.score,
        "reasons": claim.reasons_in_words,
        "claimant": claim.claimant,
        "quotation": claim.quotation,
        "verdict": claim.verdict,
        "rationale": claim.rationale,
        "assignee_id": claim.assignee_id,
        "version": claim.version,
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "published_at": iso(claim.published_at),
    }


def claim_detail(claim: Claim) -> dict[str, Any]:
    """A claim with its sources, evidence (retracted items included, marked) and comments."""
    return {
        **claim_summary(claim),
        "sources": [
            {"id": a.source.id, "name": a.source.name, "url": a.source.url, "type": a.source.type}
            for a in claim.appearances
        ],
        "evidence": [
            {
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "publisher": e.publisher,
                "excerpt": e.excerpt,
                "note": e.note,
                "stance": e.stance,
                "added_by_id": e.added_by_id,
                "added_at": iso(e.added_at),
                "retracted_at": iso(e.retracted_at),
                "retraction_reason": e.retraction_reason,
            }
            for e in claim.evidence
        ],
        "comments": [
            {"id": c.id, "author_id": c.author_id, "body": c.body, "created_at": iso(c.created_at)}
            for c in claim.comments
        ],
    }


def article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "publisher": article.publisher,
        "author": article.author,
        "published_on": iso(article.published_on),
        "language": article.language,
        "imported_at": iso(article.imported_at),
    }


def event_summary(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor.email if event.actor else None,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "claim_id": event.claim_id,
        "article_id": event.article_id,
        "changes": event.changes,
        "hash": event.hash,
    }


def job_summary(job: Job) -> dict[str, Any]:
    """A job's state, progress and outcome (the /jobs page polls this; the API returns it)."""
    return {
        "id": job.id,
        "kind": job.kind,
        "state": str(job.state),
        "done": job.done,
        "total": job.total,
        "attempts": job.attempts,
        "error": job.error,
        "shortfall": job.shortfall,
        "result": job.result,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
