"""The bulk import job: many uploaded files or API articles, one committed article at a time.

Its params hold what was sent (files as base64, API articles as their fields, URLs as given), so a
retry or a second run reads the same input; importing a text already stored returns that article, so a
second run changes nothing. URLs are fetched when the job runs, one at a time, by the evidence fetcher
(claims/snapshots/fetch.py: every refusal of a private or metadata address applies) and read as HTML;
a page that cannot be fetched or read is refused in words and the rest are imported.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from claims.checkworthiness import default_scorer
from claims.config import load_settings
from claims.desk import desk_settings
from claims.errors import ImportRejected, ValidationFailed
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
from claims.snapshots.fetch import FetchPolicy, FetchRefused, fetch

KIND = "bulk_import"
BULK_EXTENSIONS = (*UPLOAD_EXTENSIONS, ".jsonl")
# A bulk upload (web form or API body) may be this many times the one-article import limit.
MAX_UPLOAD_FACTOR = 20
ARTICLE_FIELDS = ("text", "title", "url", "publisher", "author", "language")
# Pages fetched by one job: a few minutes of fetching at most, and a list a person can check.
MAX_URLS = 500
HTML_TYPES = ("text/html", "application/xhtml+xml")


def file_param(filename: str, data: bytes) -> dict[str, str]:
    """An uploaded file as the job keeps it: its name (which only chooses the format) and its bytes."""
    return {"name": Path(filename).name or "upload", "data": base64.b64encode(data).decode("ascii")}


def article_param(fields: dict[str, Any]) -> dict[str, Any]:
    """An article sent to the API as the job keeps it."""
    return {name: fields.get(name) for name in (*ARTICLE_FIELDS, "published")}


def url_params(urls: list[str]) -> list[str]:
    """The URLs to fetch, blank lines and repeats dropped; refused whole when there are too many."""
    given = [url.strip() for url in urls if url.strip()]
    if len(given) > MAX_URLS:
        raise ValidationFailed(
            "urls",
            f"one import fetches at most {MAX_URLS} addresses; this list has {len(given)} "
            "(split it into several imports)",
        )
    return list(dict.fromkeys(given))


def draft_of_url(url: str, policy: FetchPolicy, max_bytes: int) -> ArticleDraft:
    """The page at `url` read as an HTML article, or ImportRejected saying in words why not."""
    try:
        page = fetch(url, policy)
    except FetchRefused as refused:
        raise ImportRejected(url, str(refused)) from None
    if page.status >= 400:
        raise ImportRejected(url, f"the page answered HTTP {page.status}")
    if page.content_type not in HTML_TYPES:
        raise ImportRejected(url, f"the page is {page.content_type or 'of no stated type'}, not an HTML page")
    if len(page.body) > max_bytes:
        size = len(page.body)
        raise ImportRejected(url, f"the page is {size:,} bytes, over the import limit of {max_bytes:,}")
    [draft] = drafts_from_bytes(url, ".html", page.body)
    return replace(draft, url=draft.url or page.final_url)


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
    most); a refused article is reported and the rest go on. URLs are fetched one at a time, with no
    transaction open while a page loads."""
    settings = load_settings()
    overrides = params.get("overrides", {})
    drafts, refused = _drafts(params, settings.max_import_bytes)
    urls = params.get("urls", [])
    report_progress(0, len(drafts) + len(urls))
    scorer = default_scorer()
    threshold = desk_settings(session, settings).checkworthy_threshold
    session.commit()
    imported: list[int] = []
    repeated: list[int] = []

    def import_one(draft: ArticleDraft) -> None:
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

    for done, draft in enumerate(drafts, start=1):
        import_one(draft)
        report_progress(done)
    policy = FetchPolicy.from_environment()
    for done, url in enumerate(urls, start=len(drafts) + 1):
        try:
            import_one(draft_of_url(url, policy, settings.max_import_bytes))
        except ImportRejected as rejected:
            refused.append({"origin": url, "reason": str(rejected)})
        report_progress(done)
    # Matched at the end, all in one go: one encoder run and one index rebuild for the whole import.
    match_articles(session, imported)
    return {"imported": imported, "repeated": repeated, "refused": refused}
