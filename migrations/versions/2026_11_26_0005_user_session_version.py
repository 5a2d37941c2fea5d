"""users.session_version: sign-out and password changes end every session of the user.

Added in two steps (nullable, fill, then NOT NULL) so existing rows never violate the constraint.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=True))
    op.execute("UPDATE users SET session_version = 0")
    with op.batch_alter_table("users") as batch:
        batch.alter_column("session_version", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
