"""The bulk import job: many uploaded files or API articles, one committed article at a time.

Its params hold what was sent (files as base64, API articles as their fields), so a retry or a second
run reads the same input; importing a text already stored returns that article, so a second run changes
nothing. Fetching a list of URLs server-side plugs in where drafts are read (`_drafts`), once a fetcher
that refuses private addresses exists (issue #15, evidence snapshots).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from claims.checkworthiness import default_scorer
from claims.config import load_settings
from claims.desk import desk_settings
from claims.errors import ImportRejected
from claims.ingest.readers import (
    UPLOAD_EXTENSIONS,
    ArticleDraft,
    check_extension,
    check_size,
    drafts_from_bytes,
    parse_date,
)
from claims.jobs.matching_index import match_articles
from claims.jobs.registry import ReportProgress, register
from claims.models import Job
from claims.permissions import Action
from claims.services.articles import import_article

KIND = "bulk_import"
BULK_EXTENSIONS = (*UPLOAD_EXTENSIONS, ".jsonl")
# A bulk upload (web form or API body) may be this many times the one-article import limit.
MAX_UPLOAD_FACTOR = 20
ARTICLE_FIELDS = ("text", "title", "url", "publisher", "author", "language")


def file_param(filename: str, data: bytes) -> dict[str, str]:
    """An uploaded file as the job keeps it: its name (which only chooses the format) and its bytes."""
    return {"name": Path(filename).name or "upload", "data": base64.b64encode(data).decode("ascii")}


def article_param(fields: dict[str, Any]) -> dict[str, Any]:
    """An article sent to the API as the job keeps it."""
    return {name: fields.get(name) for name in (*ARTICLE_FIELDS, "published")}


def _drafts_of_file(file: dict[str, str], max_bytes: int) -> list[ArticleDraft]:
    origin = file["name"]
    suffix = check_extension(origin, Path(origin).suffix, BULK_EXTENSIONS)
    data = base64.b64decode(file["data"])
    check_size(origin, len(data), max_bytes)
    return drafts_from_bytes(origin, suffix, data)


def _draft_of_article(article: dict[str, Any], number: int) -> ArticleDraft:
    origin = f"article {number}"
    published = article.get("published")
    return ArticleDraft(
        **{name: article.get(name) for name in ARTICLE_FIELDS},
        published_on=parse_date(published, origin) if published else None,
        origin=origin,
    )


def _drafts(params: dict[str, Any], max_bytes: int) -> tuple[list[ArticleDraft], list[dict[str, str]]]:
    """Every draft the params hold, and the refusal of each file or article that cannot be read."""
    drafts: list[ArticleDraft] = []
    refused: list[dict[str, str]] = []
    for file in params.get("files", []):
        try:
            drafts.extend(_drafts_of_file(file, max_bytes))
        except ImportRejected as rejected:
            refused.append({"origin": file["name"], "reason": str(rejected)})
    for number, article in enumerate(params.get("articles", []), start=1):
        try:
            drafts.append(_draft_of_article(article, number))
        except ImportRejected as rejected:
            refused.append({"origin": f"article {number}", "reason": str(rejected)})
    return drafts, refused


@register(KIND, label="Bulk import", action=Action.IMPORT_ARTICLE)
def bulk_import(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    """Import each article in a transaction of its own (a reviewer's write waits for one article at
    most); a refused article is reported and the rest go on."""
    settings = load_settings()
    overrides = params.get("overrides", {})
    drafts, refused = _drafts(params, settings.max_import_bytes)
    report_progress(0, len(drafts))
    scorer = default_scorer()
    threshold = desk_settings(session, settings).checkworthy_threshold
    session.commit()
    imported, repeated = [], []
    for done, draft in enumerate(drafts, start=1):
        try:
            result = import_article(
                session,
                job.requested_by,
                draft.with_overrides(**overrides),
                scorer,
                threshold,
                max_claims=settings.max_claims_per_article,
            )
            (imported if result.created else repeated).append(result.article.id)
            session.commit()
        except ImportRejected as rejected:
            session.rollback()
            refused.append({"origin": draft.origin, "reason": str(rejected)})
        report_progress(done)
    # Matched at the end, all in one go: one encoder run and one index rebuild for the whole import.
    match_articles(session, imported)
    return {"imported": imported, "repeated": repeated, "refused": refused}
