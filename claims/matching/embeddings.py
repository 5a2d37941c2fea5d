"""Embeddings kept with the data: one `embeddings` row per fact-check and per searchable claim.

A row records the SHA-256 of the text it was made from and the encoder that made it, so a text edited
since, or a row made by an earlier model, is noticed and encoded again (`stale_or_missing`). Vectors are
stored as base64 float16 (768 bytes → 1,024 characters): half the size of float32, with cosines within
0.001 of it, and plain text that a JSON export carries.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.matching.encoder import DIMENSIONS, default_encoder, model_version
from claims.models import Claim, Embedding, FactCheck, Status

FACT_CHECK, CLAIM = "factcheck", "claim"
MODEL_NAME = model_version()
# Claims a reviewer would want to be told about: not the sentences triaged as not check-worthy.
SEARCHABLE_CLAIM = Claim.status != Status.NOT_CHECKWORTHY


def fact_check_text(check: FactCheck) -> str:
    """What a fact-check is matched on: the claim it reviewed (docs/claim-matching.md)."""
    return check.claim_reviewed


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def pack(vector: np.ndarray) -> str:
    return base64.b64encode(vector.astype("<f2").tobytes()).decode("ascii")


def unpack_many(packed: Sequence[str]) -> np.ndarray:
    """float32 matrix, one row per packed vector."""
    raw = b"".join(base64.b64decode(value) for value in packed)
    return np.frombuffer(raw, dtype="<f2").reshape(len(packed), DIMENSIONS).astype(np.float32)


def store(session: Session, kind: str, items: Sequence[tuple[int, str]]) -> None:
    """Encode (id, text) pairs and write their rows, replacing what was there."""
    if items:
        write(session, kind, items, default_encoder().encode([text for _, text in items]))


def write(session: Session, kind: str, items: Sequence[tuple[int, str]], vectors: np.ndarray) -> None:
    existing = {
        row.entity_id: row
        for row in session.scalars(
            select(Embedding).where(Embedding.kind == kind, Embedding.entity_id.in_([i for i, _ in items]))
        )
    }
    for (entity_id, text), vector in zip(items, vectors, strict=True):
        row = existing.get(entity_id) or Embedding(kind=kind, entity_id=entity_id)
        row.text_hash, row.vector, row.model = text_hash(text), pack(vector), MODEL_NAME
        session.add(row)
    session.flush()


def embed_fact_checks(session: Session, checks: Sequence[FactCheck]) -> None:
    store(session, FACT_CHECK, [(check.id, fact_check_text(check)) for check in checks])


def current_hashes(session: Session, kind: str, ids: Sequence[int] | None = None) -> dict[int, str]:
    """The text hash of each stored embedding of this kind (of these ids) made by the shipped encoder,
    by entity id."""
    query = select(Embedding.entity_id, Embedding.text_hash).where(
        Embedding.kind == kind, Embedding.model == MODEL_NAME
    )
    if ids is not None:
        query = query.where(Embedding.entity_id.in_(ids))
    return dict(session.execute(query).all())


def unembedded_claims(
    session: Session, article_ids: Sequence[int], claim_id: int | None = None
) -> list[tuple[int, str]]:
    """(id, text) of these articles' searchable claims (or of this one claim of theirs) without a current
    embedding."""
    query = select(Claim.id, Claim.text).where(Claim.article_id.in_(article_ids), SEARCHABLE_CLAIM)
    if claim_id is not None:
        query = query.where(Claim.id == claim_id)
    found = session.execute(query.order_by(Claim.id)).all()
    hashes = current_hashes(session, CLAIM, [i for i, _ in found])
    return [(i, text) for i, text in found if hashes.get(i) != text_hash(text)]


def stale_or_missing(session: Session) -> list[tuple[str, int, str]]:
    """(kind, id, text) of searchable entries whose embedding is missing, was made from another text (a
    claim reworded since, a row brought in without one) or by another encoder (a model shipped since)."""
    found = []
    for kind, query in (
        (FACT_CHECK, select(FactCheck.id, FactCheck.claim_reviewed)),
        (CLAIM, select(Claim.id, Claim.text).where(SEARCHABLE_CLAIM)),
    ):
        hashes = current_hashes(session, kind)
        found += [(kind, i, text) for i, text in session.execute(query) if hashes.get(i) != text_hash(text)]
    return found
