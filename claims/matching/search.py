"""Asking the collection: the fact-checks and desk claims most similar to a text or to a claim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.matching.embeddings import CLAIM, FACT_CHECK
from claims.matching.encoder import default_encoder
from claims.matching.index import CachedIndex, Hit, MatchIndex
from claims.models import Claim, FactCheck
from claims.services.lookup import get_or_raise

MAX_TOP = 50
MAX_QUERY_CHARS = 2000
# Cosine at or above which two texts are very likely the same claim: the lowest cut at which the first
# answer was right for at least 99% of the dev tweets whose best cosine reached it (all of them, 44% of
# the tweets; at 0.65, 98.3%) (docs/claim-matching.md).
STRONG_MATCH = 0.70
# What people read instead of a cosine (which runs from 0.35, the floor below which nothing is shown
# (index.SIMILARITY_FLOOR), to 1 for the same words): "NN% similar" read 30% as a weak match of some kind.
STRONG_LABEL, POSSIBLE_LABEL = "likely the same claim", "possibly related"

# Claim searches each process keeps per index (about a kilobyte each: a few megabytes at most).
REMEMBERED_SEARCHES = 4096

_index = CachedIndex()


@dataclass(frozen=True)
class Match:
    kind: str
    id: int
    url: str | None
    text: str
    score: float
    rating: str | None  # the fact-check's rating, or the desk claim's verdict
    organisation: str | None = None
    published_on: str | None = None
    status: str | None = None

    @property
    def is_strong(self) -> bool:
        return self.score >= STRONG_MATCH

    @property
    def likeness(self) -> str:
        return STRONG_LABEL if self.is_strong else POSSIBLE_LABEL

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "url": self.url,
            "text": self.text,
            "score": round(self.score, 4),
            "rating": self.rating,
        }


def cached_index(session: Session) -> MatchIndex:
    """This process's index, rebuilt first if the collection changed since."""
    return _index.get(session)


def similar_to_text(session: Session, text: str, top: int = 5) -> list[Match]:
    vector = default_encoder().encode([text])[0]
    return _described(session, cached_index(session).search(vector, top, text=text))


def similar_to_texts(session: Session, texts: list[str], top: int = 5) -> list[list[Match]]:
    index = cached_index(session)
    vectors = default_encoder().encode(texts)
    return [
        _described(session, index.search(vector, top, text=text))
        for text, vector in zip(texts, vectors, strict=True)
    ]


def similar_to_claim(session: Session, claim_id: int, top: int = 5) -> list[Match]:
    """The fact-checks and the desk's claims from other articles most like this claim. The sentences of its
    own article are left out: they are its neighbours in the text the reviewer is reading, and on one topic
    they reach a strong match's cosine without being the same claim."""
    claim = get_or_raise(session, Claim, claim_id)
    return _described(session, _hits_for_claim(session, cached_index(session), claim, top))


def _hits_for_claim(session: Session, index: MatchIndex, claim: Claim, top: int) -> list[Hit]:
    """The claim's neighbours in this index, searched once per wording: the claim page asks on every
    view, and a search of 100,000 entries (or encoding a claim the index leaves out) is most of it."""
    question = (claim.id, claim.text, top)
    hits = index.remembered.get(question)
    if hits is None:
        row = index.row_of(CLAIM, claim.id)
        # A searchable claim's vector is in the index already; a not-check-worthy one is encoded now.
        vector = index.vectors[row] if row is not None else default_encoder().encode([claim.text])[0]
        own_article = session.scalars(select(Claim.id).where(Claim.article_id == claim.article_id)).all()
        hits = index.search(vector, top, text=claim.text, exclude_claims=own_article)
        if len(index.remembered) >= REMEMBERED_SEARCHES:
            index.remembered.clear()
        index.remembered[question] = hits
    return hits


def _described(session: Session, hits: list[Hit]) -> list[Match]:
    checks = _by_id(session, FactCheck, [h.id for h in hits if h.kind == FACT_CHECK])
    claims = _by_id(session, Claim, [h.id for h in hits if h.kind == CLAIM])
    matches = []
    for hit in hits:
        if hit.kind == FACT_CHECK and hit.id in checks:
            check = checks[hit.id]
            matches.append(
                Match(
                    FACT_CHECK,
                    check.id,
                    check.url,
                    check.claim_reviewed,
                    hit.score,
                    check.rating,
                    organisation=check.organisation,
                    published_on=check.published_on.isoformat() if check.published_on else None,
                )
            )
        elif hit.kind == CLAIM and hit.id in claims:
            claim = claims[hit.id]
            matches.append(
                Match(CLAIM, claim.id, None, claim.text, hit.score, claim.verdict, status=str(claim.status))
            )
    return matches


def _by_id(session: Session, model: Any, ids: list[int]) -> dict[int, Any]:
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
