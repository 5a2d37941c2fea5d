"""Indexes for the claim queue's keyset pagination: one per sort order (score, newest, last changed).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_claims_score_id": ["score", "id"],
    "ix_claims_created_at_id": ["created_at", "id"],
    "ix_claims_updated_at_id": ["updated_at", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "claims", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="claims")
