from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claims.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from claims.models.user import User


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(Base):
    """A piece of long work run off the request (claims.jobs). Not audited itself: what a job changes is
    audited by the services it calls; this row is the work's own bookkeeping (state, progress, outcome)."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_state_id", "state", "id"),
        Index("ix_jobs_requested_by_id_id", "requested_by_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[JobState] = mapped_column(String(20), default=JobState.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    # Runs started (a worker that died mid-job counts); a job is retried automatically while below 2.
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Written every few seconds while running; an old one means the worker died (claims.jobs.running).
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User | None] = relationship()

    @property
    def shortfall(self) -> str | None:
        """What a job that ran to its end could not do, in words (its result's `shortfall`): an archiving
        job whose page could not be fetched succeeded as a job, yet archived nothing."""
        shortfall = (self.result or {}).get("shortfall")
        return str(shortfall) if shortfall else None

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"
