"""What a full export holds: its tables in dependency order, what is left out, and its refusals."""

from __future__ import annotations

from sqlalchemy import Table

from claims.errors import ClaimtrackError
from claims.models import (
    ApiToken,
    Appearance,
    Article,
    AuditChainHead,
    AuditEvent,
    Claim,
    ClaimLink,
    Comment,
    Embedding,
    Evidence,
    EvidenceSnapshot,
    FactCheck,
    Setting,
    Source,
    SuggestedMatch,
    User,
)

FORMAT, VERSION = "claimtrack-export", 4
TABLES: tuple[Table, ...] = tuple(
    model.__table__  # type: ignore[misc]
    for model in (
        Setting,
        User,
        ApiToken,
        Article,
        Source,
        Claim,
        Appearance,
        Evidence,
        EvidenceSnapshot,
        Comment,
        FactCheck,
        Embedding,
        ClaimLink,
        SuggestedMatch,
        AuditEvent,
        AuditChainHead,
    )
)
TABLES_BY_NAME = {table.name: table for table in TABLES}
# Tables each version added: an older file (an older backup) has none of the later ones.
ADDED_IN = {
    3: frozenset({"fact_checks", "embeddings", "claim_links", "suggested_matches"}),  # claim matching
    4: frozenset({"evidence_snapshots"}),  # evidence snapshots
}
SUPPORTED_VERSIONS = (2, 3, 4)


def tables_of(version: int) -> list[str]:
    too_new = {name for added, names in ADDED_IN.items() if added > version for name in names}
    return [table.name for table in TABLES if table.name not in too_new]


# Secrets stay behind; import writes a value no password or token can match.
LEFT_OUT = {"users": {"password_hash"}, "api_tokens": {"token_hash"}}
# Rows are written in key order (events in chain order), and import refuses them in any other.
EXPORT_ORDER = {"audit_events": ("seq",)}
# Text keys sort differently under each database's collation: their order is not checked.
UNORDERED = frozenset({"settings"})


def order_columns(table: Table) -> list[str]:
    return list(EXPORT_ORDER.get(table.name, [column.key for column in table.primary_key.columns]))


class ImportRefused(ClaimtrackError):
    """The file cannot be imported; nothing was written. `where` names the line and record."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
