"""claims.quotation: the sentences of one quotation of several sentences share its number.

Nullable: a sentence outside such a quotation, and every claim imported before, has none.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("quotation", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("quotation")
