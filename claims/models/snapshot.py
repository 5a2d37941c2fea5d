from __future__ import annotations

import base64
import binascii
import enum
import gzip
import hashlib
import zlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claims.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from claims.models.evidence import Evidence


class Purpose(enum.StrEnum):
    ARCHIVE = "archive"  # the page as cited
    RECHECK = "recheck"  # the page fetched again later, compared with the archive


class Finding(enum.StrEnum):
    """What a recheck found, compared with the archived page."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"  # the main text differs
    GONE = "gone"  # 4xx/5xx or the name no longer resolves
    UNREACHABLE = "unreachable"  # refused or timed out: not a mark, the page may be back later


MARKS = frozenset({Finding.CHANGED, Finding.GONE})


def encode_body(raw: bytes) -> str:
    return base64.b64encode(gzip.compress(raw, mtime=0)).decode()


def decode_body(body: str | None) -> bytes | None:
    return gzip.decompress(base64.b64decode(body, validate=True)) if body is not None else None


def body_hash(body: str | None) -> str | None:
    """The SHA-256 of the raw bytes a stored body holds; "unreadable" when it is not gzip in base64."""
    try:
        raw = decode_body(body)
    except (binascii.Error, OSError, EOFError, zlib.error, ValueError):
        return "unreadable"
    return hashlib.sha256(raw).hexdigest() if raw is not None else None


class EvidenceSnapshot(Base):
    """A cited page as the server fetched it: one per archive or recheck, never changed afterwards.
    `body` is the raw bytes gzip-compressed and base64-encoded (JSON-safe, like embeddings), so the
    full export carries it as it is; `body_sha256`, the hash of the raw bytes, is in the audit event."""

    __tablename__ = "evidence_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[Purpose] = mapped_column(String(10))
    requested_url: Mapped[str] = mapped_column(String(2048))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    final_url: Mapped[str | None] = mapped_column(String(2048))
    redirects: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    http_status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    body_size: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    finding: Mapped[Finding | None] = mapped_column(String(12))

    evidence: Mapped[Evidence] = relationship(back_populates="snapshots")

    @property
    def is_mark(self) -> bool:
        return self.finding in MARKS
