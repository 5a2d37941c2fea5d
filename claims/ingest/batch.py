"""Importing many files as one batch.

Every file is read, and a bad one refused, before anything is written. Then, by default, each article is
committed on its own: an import records audit events, so its transaction holds the audit chain head that
every other write (a reviewer on the web) waits for; one article at a time keeps that wait to one
article's inserts instead of the whole batch. `all_or_nothing` keeps the batch in the caller's single
transaction instead, for a user who prefers that to short waits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from claims.checkworthiness import Scorer
from claims.config import DEFAULT_MAX_CLAIMS_PER_ARTICLE
from claims.errors import ImportRejected
from claims.ingest.readers import ArticleDraft, read_drafts
from claims.models import User
from claims.services.articles import ImportResult, import_article


@dataclass
class BatchOutcome:
    imported: list[ImportResult] = field(default_factory=list)
    skipped: list[ImportRejected] = field(default_factory=list)
    stopped_by: ImportRejected | None = None  # the article that stopped a committed-per-article batch


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
    max_claims: int = DEFAULT_MAX_CLAIMS_PER_ARTICLE,
    skip_bad: bool = False,
    all_or_nothing: bool = False,
    progress: Callable[[Iterable[ArticleDraft]], Iterable[ArticleDraft]] = lambda drafts: drafts,
) -> BatchOutcome:
    """Import the files, committing after each article unless `all_or_nothing`.

    An article refused while importing (too many sentences, a NUL, …) is rolled back alone. With
    `skip_bad` it is reported and the batch goes on; without it the batch stops there: `all_or_nothing`
    raises, so the caller rolls back everything, otherwise the articles before it stay imported and
    `stopped_by` names it.
    """
    outcome = BatchOutcome()
    drafts = read_all(paths, max_bytes, overrides, skip_bad, outcome)
    for draft in progress(drafts):
        savepoint = session.begin_nested() if all_or_nothing and skip_bad else None
        try:
            result = import_article(session, actor, draft, scorer, threshold, max_claims=max_claims)
        except ImportRejected as rejected:
            if all_or_nothing and not skip_bad:
                raise
            if savepoint is not None:
                savepoint.rollback()
            else:
                session.rollback()
            if not skip_bad:
                outcome.stopped_by = rejected
                break
            outcome.skipped.append(rejected)
            continue
        if savepoint is not None:
            savepoint.commit()
        elif not all_or_nothing:
            session.commit()
        outcome.imported.append(result)
    return outcome
