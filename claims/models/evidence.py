from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claims.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from claims.models.claim import Claim
    from claims.models.snapshot import EvidenceSnapshot
    from claims.models.user import User


class Stance(enum.StrEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class Evidence(Base):
    """What a reviewer found. Never deleted: retracting sets `retracted_at` and is audited."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200))
    excerpt: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[Stance] = mapped_column(String(10))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retracted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retraction_reason: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="evidence")
    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])
    retracted_by: Mapped[User | None] = relationship(foreign_keys=[retracted_by_id])
    snapshots: Mapped[list[EvidenceSnapshot]] = relationship(
        back_populates="evidence", order_by="EvidenceSnapshot.id", passive_deletes=True
    )
