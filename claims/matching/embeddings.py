"""Embeddings kept with the data: one `embeddings` row per fact-check and per searchable claim.

A row records the SHA-256 of the text it was made from, so a text edited since is noticed and encoded
again (`stale_or_missing`). Vectors are stored as base64 float16 (768 bytes → 1,024 characters): half
the size of float32, with cosines within 0.001 of it, and plain text that a JSON export carries.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.matching.encoder import DIMENSIONS, default_encoder
from claims.models import Claim, Embedding, FactCheck, Status

FACT_CHECK, CLAIM = "factcheck", "claim"
MODEL_NAME = "all-MiniLM-L6-v2 int8 onnx"
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


def encode_new_claims(rows: Sequence[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Vectors of the check-worthy texts among new claim rows, by text: made before an import touches
    the database, as scoring is, so the audit chain head is not held while encoding."""
    texts = sorted({row["text"] for row in rows if row["status"] != Status.NOT_CHECKWORTHY})
    return dict(zip(texts, default_encoder().encode(texts), strict=True)) if texts else {}


def store_new_claims(session: Session, claims: Sequence[Claim], vectors: dict[str, np.ndarray]) -> None:
    picked = [claim for claim in claims if claim.text in vectors]
    if picked:
        write(session, CLAIM, [(c.id, c.text) for c in picked], np.stack([vectors[c.text] for c in picked]))


def stale_or_missing(session: Session) -> list[tuple[str, int, str]]:
    """(kind, id, text) of searchable entries whose embedding is missing or was made from another text
    (a claim reworded since, a row brought in without one)."""
    found = []
    for kind, query in (
        (FACT_CHECK, select(FactCheck.id, FactCheck.claim_reviewed)),
        (CLAIM, select(Claim.id, Claim.text).where(SEARCHABLE_CLAIM)),
    ):
        hashes = dict(
            session.execute(
                select(Embedding.entity_id, Embedding.text_hash).where(Embedding.kind == kind)
            ).all()
        )
        found += [(kind, i, text) for i, text in session.execute(query) if hashes.get(i) != text_hash(text)]
    return found
