"""The search index: every stored embedding in one float32 matrix on disk, memory-mapped by every process,
with the BM25 arrays of the same entries beside it; searched by brute force and ranked by the fusion.

A query is one matrix-vector product, a BM25 sum over the query's postings and a partial sort
(`bench/matching.py`). The files are built from the `embeddings` table (`build_index_files`, a plain
function a job can call) into a folder named after the collection's stamp (row counts and newest
timestamps, one small query per search): a process that finds the stamp changed maps the new folder, or
builds it first if no other process has. The operating system keeps one copy of the pages however many
workers map them. Entries whose stored embedding is stale (a claim reworded since, a vector of an earlier
encoder) are encoded at build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.matching.embeddings import (
    CLAIM,
    FACT_CHECK,
    MODEL_NAME,
    SEARCHABLE_CLAIM,
    text_hash,
    unpack_many,
)
from claims.matching.encoder import DIMENSIONS, default_encoder
from claims.matching.lexical import LexicalIndex
from claims.models import Claim, ClaimStatusCount, Embedding, FactCheck, Status

INDEX_DIR_VARIABLE = "CLAIMTRACK_MATCH_INDEX_DIR"
logger = logging.getLogger(__name__)
# Ranking: DENSE_WEIGHT·cosine + (1 − DENSE_WEIGHT)·BM25 / the query's best BM25, chosen on dev for the
# fine-tuned encoder, which saw train (docs/claim-matching.md, bench/matching_quality.py).
DENSE_WEIGHT = 0.85
# Below this cosine a candidate is not shown at all, whatever its rank: the highest cut that keeps 99% of
# the right answers among the first five on dev (0.40 would lose 1.5%) (docs/claim-matching.md).
SIMILARITY_FLOOR = 0.35
ABANDONED_BUILD_SECONDS = 3600
# Entries without a current embedding that a reader encodes itself (about a second of one core); more (a desk
# upgraded from a release without stored embeddings, a new encoder) are left out until the matching-index job
# embeds them, rather than keep one page waiting for minutes.
INLINE_ENCODING_LIMIT = 256
_ARRAYS = ("vectors", "ids", "is_claim", "starts", "documents", "weights")


@dataclass(frozen=True)
class Hit:
    kind: str  # "factcheck" | "claim"
    id: int
    score: float  # cosine similarity


class MatchIndex:
    def __init__(
        self, ids: np.ndarray, is_claim: np.ndarray, vectors: np.ndarray, lexical: LexicalIndex
    ) -> None:
        self.ids, self.is_claim, self.vectors, self.lexical = ids, is_claim, vectors, lexical
        # Searches remembered by whoever asks (claims.matching.search): an index is never changed once
        # built, so a question asked again has the same answer until another index replaces this one.
        self.remembered: dict[object, list[Hit]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def kind(self, row: int) -> str:
        return CLAIM if self.is_claim[row] else FACT_CHECK

    def row_of(self, kind: str, entity_id: int) -> int | None:
        rows = np.flatnonzero((self.ids == entity_id) & (self.is_claim == (kind == CLAIM)))
        return int(rows[0]) if len(rows) else None

    @classmethod
    def build(cls, entries: list[tuple[str, int]], vectors: np.ndarray, texts: list[str]) -> MatchIndex:
        ids = np.array([entity_id for _, entity_id in entries], dtype=np.int64)
        is_claim = np.array([kind == CLAIM for kind, _ in entries], dtype=bool)
        matrix = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(entries), DIMENSIONS)
        return cls(ids, is_claim, matrix, LexicalIndex.build(texts))

    @classmethod
    def load(cls, session: Session) -> MatchIndex:
        """Every searchable fact-check and claim: stored vectors, and fresh ones for up to
        INLINE_ENCODING_LIMIT stale entries (normally none: matching jobs embed what they import)."""
        texts = {
            (FACT_CHECK, i): t for i, t in session.execute(select(FactCheck.id, FactCheck.claim_reviewed))
        }
        texts |= {
            (CLAIM, i): t for i, t in session.execute(select(Claim.id, Claim.text).where(SEARCHABLE_CLAIM))
        }
        stored = {
            (row.kind, row.entity_id): row.vector
            for row in session.execute(
                select(Embedding.kind, Embedding.entity_id, Embedding.vector, Embedding.text_hash).where(
                    Embedding.model == MODEL_NAME
                )
            )
            if (row.kind, row.entity_id) in texts
            and row.text_hash == text_hash(texts[row.kind, row.entity_id])
        }
        stale = [entry for entry in texts if entry not in stored]
        if len(stale) > INLINE_ENCODING_LIMIT:
            logger.warning(
                "%d searchable entries have no current embedding: the matching index leaves out all but %d "
                "until the job 'Build the claim-matching index' (at /jobs) has embedded them",
                len(stale),
                INLINE_ENCODING_LIMIT,
            )
            stale = stale[:INLINE_ENCODING_LIMIT]
        fresh = (
            default_encoder().encode([texts[e] for e in stale])
            if stale
            else np.zeros((0, DIMENSIONS), np.float32)
        )
        entries = list(stored) + stale
        return cls.build(
            entries, np.vstack([unpack_many(list(stored.values())), fresh]), [texts[e] for e in entries]
        )

    def search(
        self, query: np.ndarray, top: int, *, text: str | None = None, exclude_claims: Sequence[int] = ()
    ) -> list[Hit]:
        """The `top` entries ranked by the fusion (by cosine alone without a `text`), none below the floor
        and none of the claims in `exclude_claims`."""
        if not len(self):
            return []
        cosines = np.asarray(self.vectors @ query)
        ranking = (
            DENSE_WEIGHT * cosines + (1 - DENSE_WEIGHT) * _scaled(self.lexical.scores(text))
            if text
            else cosines.copy()  # the scores reported stay the cosines, floored entries included
        )
        ranking[cosines < SIMILARITY_FLOOR] = -np.inf
        if len(exclude_claims):
            ranking[self.is_claim & np.isin(self.ids, exclude_claims)] = -np.inf
        count = min(top, len(self))
        best = np.argpartition(-ranking, count - 1)[:count]
        best = best[np.argsort(-ranking[best], kind="stable")]
        # float16 storage and int8 weights can put a text's cosine with itself a hair above 1: reported as 1.
        return [
            Hit(self.kind(i), int(self.ids[i]), min(float(cosines[i]), 1.0))
            for i in best
            if np.isfinite(ranking[i])
        ]

    def save(self, folder: Path) -> None:
        for name, array in zip(_ARRAYS, self._arrays(), strict=True):
            np.save(folder / f"{name}.npy", array)
        (folder / "vocabulary.json").write_text(json.dumps(self.lexical.vocabulary), encoding="utf-8")

    @classmethod
    def mapped(cls, folder: Path) -> MatchIndex:
        """The index saved in `folder`, its arrays memory-mapped (shared with every process mapping them)."""
        vectors, ids, is_claim, starts, documents, weights = (
            np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS
        )
        vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
        return cls(ids, is_claim, vectors, LexicalIndex(vocabulary, starts, documents, weights, len(ids)))

    def _arrays(self) -> tuple[np.ndarray, ...]:
        lexical = self.lexical
        return (self.vectors, self.ids, self.is_claim, lexical.starts, lexical.documents, lexical.weights)


def _scaled(scores: np.ndarray) -> np.ndarray:
    best = scores.max() if len(scores) else 0
    return scores / best if best > 0 else scores


def index_root() -> Path:
    return Path(os.environ.get(INDEX_DIR_VARIABLE) or Path(tempfile.gettempdir()) / "claimtrack-match-index")


def build_index_files(session: Session, root: Path | None = None) -> Path:
    """The folder holding the index of the collection as it is now, built unless another process did."""
    stamp = _stamp(session)
    database = (root or index_root()) / _digest(stamp[-1])
    folder = database / _digest(stamp)
    if (folder / "vocabulary.json").exists():
        return folder
    database.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=database, prefix=".building-"))
    MatchIndex.load(session).save(scratch)
    try:
        scratch.rename(folder)
    except OSError:  # another process built the same stamp meanwhile: theirs is as good
        shutil.rmtree(scratch, ignore_errors=True)
    _remove_older(database, keep=folder)
    return folder


def _remove_older(database: Path, keep: Path) -> None:
    # A process still mapping an older folder keeps reading it: Linux frees unlinked files when unmapped.
    # Scratch folders are another process's build in progress, unless that process died an hour ago.
    abandoned = time.time() - ABANDONED_BUILD_SECONDS
    for other in database.iterdir():
        building = other.name.startswith(".building-")
        if other != keep and (not building or other.stat().st_mtime < abandoned):
            shutil.rmtree(other, ignore_errors=True)


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:24]


class CachedIndex:
    """This process's mapping of the index files, switched when the collection changed since."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: MatchIndex | None = None
        self._folder: Path | None = None

    def get(self, session: Session) -> MatchIndex:
        with self._lock:
            folder = build_index_files(session)
            if self._index is None or folder != self._folder:
                try:
                    self._index = MatchIndex.mapped(folder)
                except FileNotFoundError:  # removed by a process that built a newer one: build ours again
                    folder = build_index_files(session)
                    self._index = MatchIndex.mapped(folder)
                self._folder = folder
            return self._index


def _stamp(session: Session) -> tuple[object, ...]:
    """What changes whenever the searchable collection does (a claim's status or wording included), or
    the encoder (whose vectors another model's cannot be compared with).

    Read on every search, so from indexes and the counts table rather than a scan of the claims: any
    change to a claim moves the newest `updated_at` (index ix_claims_updated_at_id), and a searchable
    claim deleted or dismissed lowers the searchable count.
    """
    embeddings = session.execute(select(func.count(), func.max(Embedding.updated_at))).one()
    searchable = select(func.coalesce(func.sum(ClaimStatusCount.claims), 0)).where(
        ClaimStatusCount.status != Status.NOT_CHECKWORTHY
    )
    claims = (session.scalar(searchable), session.scalar(select(func.max(Claim.updated_at))))
    facts = session.execute(select(func.count(), func.max(FactCheck.id))).one()
    return (*embeddings, *claims, *facts, MODEL_NAME, _database_identity(session))


def _database_identity(session: Session) -> str:
    return str(session.get_bind().engine.url)
