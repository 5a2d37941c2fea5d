"""The in-process search index: every stored embedding in one float32 matrix, searched by brute force.

A query is one matrix-vector product and a partial sort: about 10 ms for 100,000 entries on one core
(`bench/matching.py`). The index is rebuilt from the `embeddings` table when that table changed
(row count or newest `updated_at`), which one small query per search tells; entries whose stored
embedding is stale (a claim reworded since) are encoded in memory at load.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.matching.embeddings import CLAIM, FACT_CHECK, SEARCHABLE_CLAIM, stale_or_missing, unpack_many
from claims.matching.encoder import DIMENSIONS, default_encoder
from claims.models import Claim, Embedding, FactCheck


@dataclass(frozen=True)
class Hit:
    kind: str  # "factcheck" | "claim"
    id: int
    score: float  # cosine similarity


class MatchIndex:
    def __init__(self, kinds: list[str], ids: np.ndarray, vectors: np.ndarray) -> None:
        self.kinds, self.ids, self.vectors = kinds, ids, vectors
        self._is_claim = np.array([kind == CLAIM for kind in kinds], dtype=bool)

    def __len__(self) -> int:
        return len(self.kinds)

    @classmethod
    def build(cls, entries: list[tuple[str, int]], vectors: np.ndarray) -> MatchIndex:
        ids = np.array([entity_id for _, entity_id in entries], dtype=np.int64)
        return cls([kind for kind, _ in entries], ids, vectors.reshape(len(entries), DIMENSIONS))

    @classmethod
    def load(cls, session: Session) -> MatchIndex:
        """Every searchable fact-check and claim: stored vectors, and fresh ones for stale entries."""
        stale = {(kind, entity_id): text for kind, entity_id, text in stale_or_missing(session)}
        live = {(FACT_CHECK, i) for i in session.scalars(select(FactCheck.id))}
        live |= {(CLAIM, i) for i in session.scalars(select(Claim.id).where(SEARCHABLE_CLAIM))}
        rows = [
            (row.kind, row.entity_id, row.vector)
            for row in session.execute(select(Embedding.kind, Embedding.entity_id, Embedding.vector))
            if (row.kind, row.entity_id) in live and (row.kind, row.entity_id) not in stale
        ]
        entries = [(kind, entity_id) for kind, entity_id, _ in rows] + list(stale)
        stored = unpack_many([vector for _, _, vector in rows])
        fresh = (
            default_encoder().encode(list(stale.values())) if stale else np.zeros((0, DIMENSIONS), np.float32)
        )
        return cls.build(entries, np.vstack([stored, fresh]))

    def search(self, query: np.ndarray, top: int, *, exclude: tuple[str, int] | None = None) -> list[Hit]:
        if not len(self):
            return []
        scores = self.vectors @ query
        if exclude is not None:
            scores[(self.ids == exclude[1]) & (self._is_claim == (exclude[0] == CLAIM))] = -np.inf
        count = min(top, len(self))
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [
            Hit(self.kinds[i], int(self.ids[i]), float(scores[i])) for i in best if np.isfinite(scores[i])
        ]


class CachedIndex:
    """One index per process, reloaded when the embeddings table changed since it was built."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: MatchIndex | None = None
        self._stamp: tuple[object, ...] | None = None

    def get(self, session: Session) -> MatchIndex:
        stamp = _stamp(session)
        with self._lock:
            if self._index is None or stamp != self._stamp:
                self._index, self._stamp = MatchIndex.load(session), stamp
            return self._index


def _stamp(session: Session) -> tuple[object, ...]:
    """What changes whenever the searchable collection does (a claim's status or wording included)."""
    embeddings = session.execute(select(func.count(), func.max(Embedding.updated_at))).one()
    claims = session.execute(select(func.count(), func.max(Claim.updated_at)).where(SEARCHABLE_CLAIM)).one()
    facts = session.execute(select(func.count(), func.max(FactCheck.id))).one()
    return (*embeddings, *claims, *facts, _database_identity(session))


def _database_identity(session: Session) -> str:
    return str(session.get_bind().engine.url)
