"""Importing many files as one batch: all or nothing, unless the caller asks to skip bad files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from claims.checkworthiness import Scorer
from claims.errors import ImportRejected
from claims.ingest.readers import ArticleDraft, read_drafts
from claims.models import User
from claims.services.articles import ImportResult, import_article


@dataclass
class BatchOutcome:
    imported: list[ImportResult] = field(default_factory=list)
    skipped: list[ImportRejected] = field(default_factory=list)


def read_all(
    paths: Iterable[Path], max_bytes: int, overrides: dict[str, object], skip_bad: bool, outcome: BatchOutcome
) -> list[ArticleDraft]:
    """Read every file before writing anything, so a bad file stops the batch before it starts."""
    drafts: list[ArticleDraft] = []
    for path in paths:
        try:
            drafts.extend(draft.with_overrides(**overrides) for draft in read_drafts(path, max_bytes))
        except ImportRejected as rejected:
            if not skip_bad:
                raise
            outcome.skipped.append(rejected)
    return drafts


def import_batch(
    session: Session,
    actor: User | None,
    paths: list[Path],
    *,
    scorer: Scorer,
    threshold: float | None,
    max_bytes: int,
    overrides: dict[str, object],
    skip_bad: bool = False,
    progress: Callable[[Iterable[ArticleDraft]], Iterable[ArticleDraft]] = lambda drafts: drafts,
) -> BatchOutcome:
    """Import the files in the caller's transaction. Without `skip_bad` the first bad input raises
    and the caller rolls back; with it, each bad article is rolled back alone and reported."""
    outcome = BatchOutcome()
    drafts = read_all(paths, max_bytes, overrides, skip_bad, outcome)
    for draft in progress(drafts):
        if not skip_bad:
            outcome.imported.append(import_article(session, actor, draft, scorer, threshold))
            continue
        savepoint = session.begin_nested()
        try:
            outcome.imported.append(import_article(session, actor, draft, scorer, threshold))
        except ImportRejected as rejected:
            savepoint.rollback()
            outcome.skipped.append(rejected)
        else:
            savepoint.commit()
    return outcome
