"""Strong matches noticed as data arrives: a new check-worthy claim that repeats a fact-check or another
claim, or a new fact-check that reviewed a claim already on the desk. Each claim keeps its best one in
`suggested_matches`, which the queue filters and badges on; a dismissed match is removed.

A claim marked not check-worthy keeps its row, but no one is shown it (`shows_strong_match`): neither the
claim itself nor a claim whose match is that thrown-out claim is pushed at reviewers as a repeat to handle
first. Restoring the claim brings the match back at once, with no re-import to find it again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sqlalchemy import ColumnElement, and_, delete, exists, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from claims.matching.embeddings import CLAIM, FACT_CHECK
from claims.matching.index import Hit, MatchIndex
from claims.matching.search import STRONG_MATCH, cached_index
from claims.models import Claim, Status, SuggestedMatch
from claims.models.base import utcnow

NEIGHBOURS = 20  # how many entries a new fact-check is compared with to find the claims it reviewed


def strong_matches(index: MatchIndex, articles: Mapping[int, Sequence[int]]) -> list[tuple[int, Hit]]:
    """The best strong match in the index of each claim of these articles (article id → its claim ids), if
    it has one, never a claim of its own article (`search.similar_to_claim`); reads no database."""
    found = []
    for own_article in articles.values():
        for claim_id in own_article:
            row = index.row_of(CLAIM, claim_id)
            if row is None:
                continue
            # By cosine alone: a strong match is a cosine cut, and the claim's text is not at hand here.
            [best, *_] = index.search(index.vectors[row], 1, exclude_claims=own_article) or [None]
            if best is not None and best.score >= STRONG_MATCH:
                found.append((claim_id, best))
    return found


def keep_strong_matches(session: Session, found: Sequence[tuple[int, Hit]]) -> None:
    """Keep each claim's best match; a claim it repeats is told in return."""
    for claim_id, best in found:
        _keep_best(session, claim_id, best)
        if best.kind == CLAIM:
            _keep_best(session, best.id, Hit(CLAIM, claim_id, best.score))


def suggest_for_fact_checks(session: Session, fact_check_ids: Sequence[int]) -> None:
    """Tell the claims each new or changed fact-check strongly matches."""
    if not fact_check_ids:
        return
    index = cached_index(session)
    wanted = set(fact_check_ids)
    for row in np.flatnonzero(~np.asarray(index.is_claim)):
        if int(index.ids[row]) not in wanted:
            continue
        for hit in _strong_claims(index, row):
            _keep_best(session, hit.id, Hit(FACT_CHECK, int(index.ids[row]), hit.score))


def shows_strong_match() -> ColumnElement[bool]:
    """Whether the claim of the enclosing query has a strong match the desk is shown (the queue's badge
    and filter, the API's `strong_match`): neither it nor the desk claim it repeats is not check-worthy.

    Decided when read rather than by deleting rows on dismissal: a match job that read the index before
    the dismissal and committed after it cannot leave a badge behind, and a restored claim's match is
    back with no search to run."""
    repeated = aliased(Claim)
    repeats_thrown_out = exists().where(
        SuggestedMatch.target_kind == CLAIM,
        repeated.id == SuggestedMatch.target_id,
        repeated.status == Status.NOT_CHECKWORTHY,
    )
    return and_(
        Claim.status != Status.NOT_CHECKWORTHY,
        exists().where(SuggestedMatch.claim_id == Claim.id, ~repeats_thrown_out),
    )


def strongly_matched(session: Session, claim_ids: Sequence[int]) -> set[int]:
    """Which of these claims have a strong suggested match the desk is shown."""
    if not claim_ids:
        return set()
    query = select(Claim.id).where(Claim.id.in_(claim_ids), shows_strong_match())
    return set(session.scalars(query))


def forget(session: Session, claim_id: int, target_kind: str, target_id: int) -> None:
    session.execute(
        delete(SuggestedMatch).where(
            SuggestedMatch.claim_id == claim_id,
            SuggestedMatch.target_kind == target_kind,
            SuggestedMatch.target_id == target_id,
        )
    )


def forget_claim(session: Session, claim_id: int) -> None:
    """Drop the strong matches found for this claim's earlier wording, its own and those that name it: a
    reworded claim is matched afresh (its page searches it live), and the queue's badge must not outlive
    the words that earned it."""
    session.execute(
        delete(SuggestedMatch).where(
            (SuggestedMatch.claim_id == claim_id)
            | ((SuggestedMatch.target_kind == CLAIM) & (SuggestedMatch.target_id == claim_id))
        )
    )


def _strong_claims(index: MatchIndex, row: int) -> list[Hit]:
    hits = index.search(index.vectors[row], NEIGHBOURS)
    return [hit for hit in hits if hit.kind == CLAIM and hit.score >= STRONG_MATCH]


def _keep_best(session: Session, claim_id: int, hit: Hit) -> None:
    """One statement, so two workers matching at once both land: the higher score stays, never a
    duplicate-key failure (a read-then-insert lost that race on PostgreSQL)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    found = insert(SuggestedMatch).values(
        claim_id=claim_id, target_kind=hit.kind, target_id=hit.id, score=hit.score, found_at=utcnow()
    )
    better = {column: found.excluded[column] for column in ("target_kind", "target_id", "score", "found_at")}
    session.execute(
        found.on_conflict_do_update(
            index_elements=[SuggestedMatch.claim_id],
            set_=better,
            where=SuggestedMatch.score < found.excluded.score,
        )
    )
