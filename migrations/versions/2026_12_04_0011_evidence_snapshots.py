"""Evidence snapshots: each cited page as fetched when cited (archive) and when checked again (recheck).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("requested_url", sa.String(length=2048), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("final_url", sa.String(length=2048), nullable=True),
        sa.Column("redirects", sa.JSON(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("body_sha256", sa.String(length=64), nullable=True),
        sa.Column("body_size", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finding", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_snapshots_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_snapshots")),
    )
    op.create_index(
        op.f("ix_evidence_snapshots_evidence_id"), "evidence_snapshots", ["evidence_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_snapshots_evidence_id"), table_name="evidence_snapshots")
    op.drop_table("evidence_snapshots")
