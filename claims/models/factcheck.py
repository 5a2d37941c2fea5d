from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from claims.models.base import Base, UTCDateTime, utcnow


class FactCheck(Base):
    """A verdict another organisation published, imported from schema.org ClaimReview; `url` is its key."""

    __tablename__ = "fact_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    claim_reviewed: Mapped[str] = mapped_column(Text)
    headline: Mapped[str | None] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(String(300))
    rating: Mapped[str | None] = mapped_column(String(300))  # reviewRating.alternateName
    rating_value: Mapped[float | None] = mapped_column(Float)
    best_rating: Mapped[float | None] = mapped_column(Float)
    worst_rating: Mapped[float | None] = mapped_column(Float)
    published_on: Mapped[date | None] = mapped_column()
    claimant: Mapped[str | None] = mapped_column(String(300))
    appearances: Mapped[list[Any]] = mapped_column(JSON, default=list)  # URLs the claim appeared at
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Embedding(Base):
    """The sentence embedding of a fact-check's or claim's text, kept with the data so an export, an
    import and a replica carry it. Derived, not audited: `text_hash` says which text it was made from,
    and a text that changed since is encoded again. `vector` is float16, base64 (JSON-safe)."""

    __tablename__ = "embeddings"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # "factcheck" | "claim"
    entity_id: Mapped[int] = mapped_column(primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ClaimLink(Base):
    """A reviewer's decision on a suggested match: the claim is the same claim as a fact-check or
    another desk claim ("same"), or the match is not relevant ("dismissed"). Audited and replayed."""

    __tablename__ = "claim_links"
    __table_args__ = (UniqueConstraint("claim_id", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(10))  # "factcheck" | "claim"
    target_id: Mapped[int] = mapped_column()
    decision: Mapped[str] = mapped_column(String(10))  # "same" | "dismissed"
    score: Mapped[float | None] = mapped_column(Float)  # the similarity the reviewer saw
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SuggestedMatch(Base):
    """The best strong match found for a claim when it or its match arrived (derived, not audited): what
    the queue's "strong match" filter and badge read. A dismissed match is removed."""

    __tablename__ = "suggested_matches"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column()
    score: Mapped[float] = mapped_column(Float)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
