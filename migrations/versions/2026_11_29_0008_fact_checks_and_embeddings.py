"""Fact-checks imported from ClaimReview, the sentence embeddings claim matching searches, and the
reviewers' decisions on suggested matches (claim links), and the strong match found per claim.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fact_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("claim_reviewed", sa.Text(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=True),
        sa.Column("organisation", sa.String(length=300), nullable=True),
        sa.Column("rating", sa.String(length=300), nullable=True),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("best_rating", sa.Float(), nullable=True),
        sa.Column("worst_rating", sa.Float(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("claimant", sa.String(length=300), nullable=True),
        sa.Column("appearances", sa.JSON(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["users.id"], name=op.f("fk_fact_checks_imported_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_checks")),
        sa.UniqueConstraint("url", name=op.f("uq_fact_checks_url")),
    )
    op.create_table(
        "embeddings",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.Text(), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "entity_id", name=op.f("pk_embeddings")),
    )
    op.create_table(
        "claim_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_links_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_claim_links_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_links")),
        sa.UniqueConstraint("claim_id", "target_kind", "target_id", name=op.f("uq_claim_links_claim_id")),
    )
    op.create_index(op.f("ix_claim_links_claim_id"), "claim_links", ["claim_id"], unique=False)
    op.create_table(
        "suggested_matches",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_suggested_matches_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_suggested_matches")),
    )


def downgrade() -> None:
    op.drop_table("suggested_matches")
    op.drop_index(op.f("ix_claim_links_claim_id"), table_name="claim_links")
    op.drop_table("claim_links")
    op.drop_table("embeddings")
    op.drop_table("fact_checks")
