"""The matching jobs.

`matching_index`: embeddings made for every fact-check and claim that has none, one of an older text or
one of an earlier encoder, so `similar` answers without encoding at query time. A second run finds
nothing stale.

`match_claims`: the claims of newly imported articles embedded and matched (their strong matches kept
for the queue's badge), submitted with the import (`match_after_commit`) and started once it committed,
so that encoding (about a second per article) never holds the import's transaction. A second run
encodes nothing and changes nothing. The bulk import does the same for all its articles at its end, in
one go (`match_articles`).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims.jobs.records import submit
from claims.jobs.registry import ReportProgress, register
from claims.jobs.starting import start_after_commit
from claims.matching.embeddings import stale_or_missing, store, unembedded_claims
from claims.matching.search import cached_index
from claims.matching.suggestions import forget_claim, keep_strong_matches, strong_matches
from claims.models import Claim, Job, JobState, User
from claims.permissions import Action

KIND = "matching_index"
MATCH_KIND = "match_claims"
CHUNK = 256  # texts encoded and written per transaction
# Kinds of job that match the claims of the articles they import or name: until they ran, a claim of
# theirs without an embedding is still being looked at.
MATCHING_KINDS = ("bulk_import", MATCH_KIND)


def _nothing_reported(done: int, total: int | None = None) -> None:
    """Progress nobody watches (the CLI matching inline)."""


def _store_in_chunks(
    session: Session, kind: str, items: Sequence[tuple[int, str]], report_progress: ReportProgress, done: int
) -> int:
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        try:
            store(session, kind, chunk)
            session.commit()
        except IntegrityError:
            # Another worker embedded some of these meanwhile (each job embeds everything stale): write
            # over its rows, which this second pass now finds.
            session.rollback()
            store(session, kind, chunk)
            session.commit()
        done += len(chunk)
        report_progress(done)
    return done


@register(KIND, label="Build the claim-matching index", action=Action.IMPORT_FACT_CHECKS)
def build_matching_index(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    return {"embedded": embed_stale(session, report_progress)}


def embed_stale(session: Session, report_progress: ReportProgress = _nothing_reported) -> int:
    """Embed every searchable entry whose embedding is missing or stale, chunk by chunk: encoding runs with
    no transaction open, and each chunk's rows are written and committed at once."""
    stale = stale_or_missing(session)
    session.commit()
    report_progress(0, len(stale))
    done = 0
    for kind, entries in groupby(stale, key=lambda entry: entry[0]):
        done = _store_in_chunks(session, kind, [(i, text) for _, i, text in entries], report_progress, done)
    return done


def match_articles(
    session: Session, article_ids: Sequence[int], report_progress: ReportProgress = _nothing_reported
) -> dict[str, Any]:
    """Embed what needs it, then keep the strong matches of these articles' claims (committed).

    Everything stale is embedded first, not only these articles' claims: the index is built from stored
    embeddings and encodes whatever it finds without one, and on SQLite that would run inside the
    transaction that holds the database's write lock (an article imported since, whose own job is still
    queued). The searching, too, runs with no transaction open; only the matches kept are written."""
    embedded = embed_stale(session, report_progress)
    articles: dict[int, list[int]] = {}
    for claim_id, article_id in session.execute(
        select(Claim.id, Claim.article_id).where(Claim.article_id.in_(article_ids))
    ):
        articles.setdefault(article_id, []).append(claim_id)
    index = cached_index(session)
    session.commit()
    keep_strong_matches(session, strong_matches(index, articles))
    session.commit()
    return {"articles": len(article_ids), "embedded": embedded}


@register(MATCH_KIND, label="Match newly imported claims", action=Action.IMPORT_ARTICLE)
def match_claims(
    session: Session, job: Job, params: dict[str, Any], report_progress: ReportProgress
) -> dict[str, Any]:
    return match_articles(session, params["article_ids"], report_progress)


def match_after_commit(session: Session, user: User | None, article_id: int) -> None:
    """An article's claims matched by a job recorded in the transaction that imported (or changed) them
    and started once it commits (the web and the API): the claim page says "looking for matches" from the
    moment the change can be seen."""
    start_after_commit(session, submit(session, MATCH_KIND, {"article_ids": [article_id]}, user))


def rematch_reworded(session: Session, claim: Claim) -> None:
    """A claim whose words changed (edited, split or merged): the strong matches its old words earned are
    dropped at once, and it is matched again once the change commits."""
    forget_claim(session, claim.id)
    rematch_after_commit(session, claim)


def rematch_after_commit(session: Session, claim: Claim) -> None:
    """A claim whose current words have no embedding (reworded, or restored after being triaged out before
    it was ever embedded) matched again by a job started once the change commits, so the queue's badge
    follows what the claim now says. The system asks: matching is not the reviewer's to be refused."""
    if unembedded_claims(session, [claim.article_id], claim.id):
        match_after_commit(session, None, claim.article_id)


def awaiting_matching(session: Session, claim: Claim) -> bool:
    """Whether a queued or running job will still embed and match this claim (the claim page says it is
    looking for matches rather than encoding it there and then)."""
    return _matching_pending(session, claim.article_id) and bool(
        unembedded_claims(session, [claim.article_id], claim.id)
    )


def _matching_pending(session: Session, article_id: int) -> bool:
    pending = session.execute(
        select(Job.kind, Job.params).where(
            Job.kind.in_(MATCHING_KINDS), Job.state.in_([JobState.QUEUED, JobState.RUNNING])
        )
    ).all()
    return any(kind != MATCH_KIND or article_id in params["article_ids"] for kind, params in pending)
