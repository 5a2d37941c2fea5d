from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claims.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from claims.models.claim import Claim
    from claims.models.user import User


class SourceType(enum.StrEnum):
    ARTICLE = "article"
    SOCIAL_MEDIA = "social_media"
    NEWS_AGENCY = "news_agency"
    OFFICIAL = "official"
    TRANSCRIPT = "transcript"
    OTHER = "other"


class Source(Base):
    """Where statements are made or reported; shared by every claim that appeared there."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2048))
    type: Mapped[SourceType] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Appearance(Base):
    """A claim appearing in a source: the link ClaimReview exports as `appearance`."""

    __tablename__ = "appearances"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="appearances")
    source: Mapped[Source] = relationship()
    added_by: Mapped[User | None] = relationship()
