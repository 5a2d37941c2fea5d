"""Word search reads its GIN index directly: the index is kept without a pending list (PostgreSQL only).

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-04

With GIN's default `fastupdate`, new entries wait in an unsorted pending list that every search reads
whole until a vacuum merges it: after importing 100,000 claims the list held 7,500 entries (251 pages)
and a two-word search spent 3–8 ms in it, twice per queue view (the page and the counts), against
1.3 ms once merged (measured with `bench/load.py`'s desk). Without it each claim written updates the index in
place, a little more work per import for searches that stay fast. SQLite's FTS5 has no such list.
"""

from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_claim_search_document SET (fastupdate = off)")
        op.execute("SELECT gin_clean_pending_list('ix_claim_search_document'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_claim_search_document RESET (fastupdate)")
