from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claims.checkworthiness.rules import reasons_to_show
from claims.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from claims.models.article import Article
    from claims.models.comment import Comment
    from claims.models.evidence import Evidence
    from claims.models.source import Appearance
    from claims.models.user import User


class Status(enum.StrEnum):
    UNREVIEWED = "unreviewed"
    NOT_CHECKWORTHY = "not_checkworthy"
    IN_REVIEW = "in_review"
    AWAITING_APPROVAL = "awaiting_approval"
    PUBLISHED = "published"


class Claim(Base):
    """One statement of an article, located by its character span in the article body."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint('"start" >= 0 AND "end" > "start"', name="span_is_ordered"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_in_unit_interval"),
        Index("ix_claims_article_id_start", "article_id", "start"),
        Index("ix_claims_status_id", "status", "id"),
        # Keyset pagination of the claim queue, one index per sort order.
        Index("ix_claims_score_id", "score", "id"),
        Index("ix_claims_created_at_id", "created_at", "id"),
        Index("ix_claims_updated_at_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    start: Mapped[int]
    end: Mapped[int]
    sentence: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    claimant: Mapped[str] = mapped_column(String(200))
    # Sentences of one quotation of several sentences share its number (counted within the article).
    quotation: Mapped[int | None]
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[Status] = mapped_column(String(20), default=Status.UNREVIEWED)
    verdict: Mapped[str | None] = mapped_column(String(40))
    rationale: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative hook

    article: Mapped[Article] = relationship(back_populates="claims")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    appearances: Mapped[list[Appearance]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Appearance.added_at"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Evidence.added_at"
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Comment.created_at"
    )

    @property
    def reasons_in_words(self) -> list[str]:
        """What a reviewer reads as the score's reasons: cues in words, never a model's features. They are
        the cues of the sentence that was scored, so a rewording does not give its score other reasons."""
        return reasons_to_show(self.reasons, self.sentence)

    @property
    def active_evidence(self) -> list[Evidence]:
        return [item for item in self.evidence if item.retracted_at is None]

    def __repr__(self) -> str:
        return f"<Claim {self.id} {self.status} {self.text[:40]!r}>"
