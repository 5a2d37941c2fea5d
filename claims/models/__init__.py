"""Every mapped class, imported here so `Base.metadata` is complete for Alembic."""

from claims.models.article import Article
from claims.models.audit import AuditChainHead, AuditEvent, AuditTampering
from claims.models.base import Base, utcnow
from claims.models.claim import Claim, Status
from claims.models.comment import Comment
from claims.models.evidence import Evidence, Stance
from claims.models.factcheck import ClaimLink, Embedding, FactCheck, SuggestedMatch
from claims.models.job import Job, JobState
from claims.models.setting import Setting
from claims.models.snapshot import EvidenceSnapshot, Finding, Purpose
from claims.models.source import Appearance, Source, SourceType
from claims.models.status_count import ClaimStatusCount
from claims.models.token import ApiToken
from claims.models.user import Role, User

__all__ = [
    "ApiToken",
    "Appearance",
    "Article",
    "AuditChainHead",
    "AuditEvent",
    "AuditTampering",
    "Base",
    "Claim",
    "ClaimLink",
    "ClaimStatusCount",
    "Comment",
    "Embedding",
    "Evidence",
    "EvidenceSnapshot",
    "FactCheck",
    "Finding",
    "Job",
    "JobState",
    "Purpose",
    "Role",
    "Setting",
    "Source",
    "SourceType",
    "Stance",
    "Status",
    "SuggestedMatch",
    "User",
    "utcnow",
]
