"""A claim's strong match is never a sentence of its own article: the rows kept before are removed.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

Matching now leaves out a claim's own article (docs/claim-matching.md): its neighbouring sentences reached
the strong cut on one topic without being the same claim, and badged most of a long article. The rows
kept before are derived data, nobody's decision: the claim page searches live, and every match kept from
now on is one across articles. Downgrading leaves the rows removed.
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        DELETE FROM suggested_matches
        WHERE target_kind = 'claim'
          AND EXISTS (
            SELECT 1 FROM claims AS matched, claims AS target
            WHERE matched.id = suggested_matches.claim_id
              AND target.id = suggested_matches.target_id
              AND matched.article_id = target.article_id
          )
        """
    )


def downgrade() -> None:
    """Nothing to put back: the removed rows were a search's result, not anyone's decision."""
