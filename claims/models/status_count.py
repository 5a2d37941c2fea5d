from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from claims.models.base import Base


class ClaimStatusCount(Base):
    """How many claims each status holds, kept by database triggers (migration 0009); never written here."""

    __tablename__ = "claim_status_counts"

    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    claims: Mapped[int]
