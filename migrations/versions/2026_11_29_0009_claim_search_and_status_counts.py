"""Word search over claims (SQLite FTS5 / PostgreSQL tsvector + GIN) and the per-status claim counts.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

Both are kept in step with `claims` (and the article title) by triggers rather than by the services: claims
are written by many paths (bulk import, edits, split and merge, the full import, the audit replay) and a
trigger runs in the same transaction for every one of them, including paths added later. A SQLite batch
migration that rebuilds `claims` or `articles` drops their triggers: such a migration must recreate them
(`create_sqlite_triggers` below).

The search index holds the claim text, the sentence, the claimant and the article title, folded for case
and accents (FTS5's `unicode61 remove_diacritics 2`; PostgreSQL's `unaccent` extension, trusted since
PostgreSQL 13 so a database owner may create it). The counts table answers the queue's unfiltered counts
per status without counting 100,000 rows on every page view.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

STATUSES = ["unreviewed", "not_checkworthy", "in_review", "awaiting_approval", "published"]

SQLITE_SEARCH_ROW = """
    INSERT INTO claim_search (rowid, text, sentence, claimant, title)
    SELECT NEW.id, NEW.text, NEW.sentence, NEW.claimant, articles.title FROM articles
    WHERE articles.id = NEW.article_id;
"""

SQLITE_TRIGGERS = {
    "claims_search_insert": f"AFTER INSERT ON claims BEGIN {SQLITE_SEARCH_ROW} END",
    "claims_search_update": (
        "AFTER UPDATE OF text, sentence, claimant, article_id ON claims BEGIN "
        f"DELETE FROM claim_search WHERE rowid = OLD.id; {SQLITE_SEARCH_ROW} END"
    ),
    "claims_search_delete": "AFTER DELETE ON claims BEGIN DELETE FROM claim_search WHERE rowid = OLD.id; END",
    "articles_search_title": (
        "AFTER UPDATE OF title ON articles BEGIN UPDATE claim_search SET title = NEW.title "
        "WHERE rowid IN (SELECT id FROM claims WHERE article_id = NEW.id); END"
    ),
    "claims_count_insert": (
        "AFTER INSERT ON claims BEGIN "
        "UPDATE claim_status_counts SET claims = claims + 1 WHERE status = NEW.status; END"
    ),
    "claims_count_update": (
        "AFTER UPDATE OF status ON claims WHEN OLD.status <> NEW.status BEGIN "
        "UPDATE claim_status_counts SET claims = claims - 1 WHERE status = OLD.status; "
        "UPDATE claim_status_counts SET claims = claims + 1 WHERE status = NEW.status; END"
    ),
    "claims_count_delete": (
        "AFTER DELETE ON claims BEGIN "
        "UPDATE claim_status_counts SET claims = claims - 1 WHERE status = OLD.status; END"
    ),
}

POSTGRESQL_FUNCTIONS = """
CREATE FUNCTION claim_search_document(text text, sentence text, claimant text, title text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple', unaccent(concat_ws(' ', text, sentence, claimant, title)))
$$;

CREATE FUNCTION claims_index_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claim_search (claim_id, document)
    SELECT NEW.id, claim_search_document(NEW.text, NEW.sentence, NEW.claimant, articles.title)
    FROM articles WHERE articles.id = NEW.article_id
    ON CONFLICT (claim_id) DO UPDATE SET document = excluded.document;
    RETURN NULL;
END $$;

CREATE FUNCTION articles_reindex_claims_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claim_search
    SET document = claim_search_document(claims.text, claims.sentence, claims.claimant, NEW.title)
    FROM claims WHERE claims.id = claim_search.claim_id AND claims.article_id = NEW.id;
    RETURN NULL;
END $$;

-- One statement-level trigger per kind of change, reading the transition tables, so a bulk import of
-- thousands of claims changes each count once; rows are locked in status order so two writers never
-- wait on each other in a cycle.
CREATE FUNCTION claim_status_counts_apply(changes jsonb) RETURNS void LANGUAGE sql AS $$
    UPDATE claim_status_counts SET claims = claim_status_counts.claims + change.delta
    FROM (
        SELECT key AS status, sum(value::integer) AS delta
        FROM jsonb_each_text(changes) GROUP BY key HAVING sum(value::integer) <> 0 ORDER BY key
    ) AS change
    WHERE claim_status_counts.status = change.status
$$;

CREATE FUNCTION claims_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM claim_status_counts_apply(
        (SELECT coalesce(jsonb_object_agg(status, n), '{}') FROM
            (SELECT status, count(*) AS n FROM inserted GROUP BY status) AS added));
    RETURN NULL;
END $$;

CREATE FUNCTION claims_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM claim_status_counts_apply(
        (SELECT coalesce(jsonb_object_agg(status, -n), '{}') FROM
            (SELECT status, count(*) AS n FROM deleted GROUP BY status) AS removed));
    RETURN NULL;
END $$;

CREATE FUNCTION claims_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM claim_status_counts_apply(
        (SELECT coalesce(jsonb_object_agg(status, n), '{}') FROM
            (SELECT status, sum(n) AS n FROM (
                SELECT status, -count(*) AS n FROM before_update GROUP BY status
                UNION ALL
                SELECT status, count(*) AS n FROM after_update GROUP BY status
            ) AS both_sides GROUP BY status) AS moved));
    RETURN NULL;
END $$;
"""

POSTGRESQL_TRIGGERS = {
    "claims_search_index": (
        "AFTER INSERT OR UPDATE OF text, sentence, claimant, article_id ON claims "
        "FOR EACH ROW EXECUTE FUNCTION claims_index_for_search()"
    ),
    "articles_search_title": (
        "AFTER UPDATE OF title ON articles FOR EACH ROW "
        "WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION articles_reindex_claims_for_search()"
    ),
    "claims_count_insert": (
        "AFTER INSERT ON claims REFERENCING NEW TABLE AS inserted "
        "FOR EACH STATEMENT EXECUTE FUNCTION claims_count_inserted()"
    ),
    "claims_count_delete": (
        "AFTER DELETE ON claims REFERENCING OLD TABLE AS deleted "
        "FOR EACH STATEMENT EXECUTE FUNCTION claims_count_deleted()"
    ),
    # Transition tables rule out `UPDATE OF status`: every UPDATE statement runs it; it finds no change fast.
    "claims_count_update": (
        "AFTER UPDATE ON claims REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update "
        "FOR EACH STATEMENT EXECUTE FUNCTION claims_count_updated()"
    ),
}

POSTGRESQL_FUNCTION_NAMES = [
    "claims_count_updated()",
    "claims_count_deleted()",
    "claims_count_inserted()",
    "claim_status_counts_apply(jsonb)",
    "articles_reindex_claims_for_search()",
    "claims_index_for_search()",
    "claim_search_document(text, text, text, text)",
]


def trigger_table(definition: str) -> str:
    return definition.split(" ON ", 1)[1].split()[0]


def create_sqlite_triggers() -> None:
    for name, definition in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {definition}")


def upgrade() -> None:
    op.create_table(
        "claim_status_counts",
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", name=op.f("pk_claim_status_counts")),
    )
    op.execute(
        "INSERT INTO claim_status_counts (status, claims) SELECT known.status, "
        "(SELECT count(*) FROM claims WHERE claims.status = known.status) FROM ("
        + " UNION ALL ".join(f"SELECT '{status}' AS status" for status in STATUSES)
        + ") AS known"
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE claim_search USING fts5("
            "text, sentence, claimant, title, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            "INSERT INTO claim_search (rowid, text, sentence, claimant, title) "
            "SELECT claims.id, claims.text, claims.sentence, claims.claimant, articles.title "
            "FROM claims JOIN articles ON articles.id = claims.article_id"
        )
        create_sqlite_triggers()
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(
        "CREATE TABLE claim_search ("
        "claim_id integer PRIMARY KEY REFERENCES claims (id) ON DELETE CASCADE, "
        "document tsvector NOT NULL)"
    )
    op.execute(POSTGRESQL_FUNCTIONS)
    op.execute(
        "INSERT INTO claim_search (claim_id, document) "
        "SELECT claims.id, "
        "claim_search_document(claims.text, claims.sentence, claims.claimant, articles.title) "
        "FROM claims JOIN articles ON articles.id = claims.article_id"
    )
    op.execute("CREATE INDEX ix_claim_search_document ON claim_search USING gin (document)")
    for name, definition in POSTGRESQL_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {definition}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    else:
        for name, definition in POSTGRESQL_TRIGGERS.items():
            op.execute(f"DROP TRIGGER {name} ON {trigger_table(definition)}")
        for function in POSTGRESQL_FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION {function}")
        # The unaccent extension stays: other schemas of the database may use it.
    op.execute("DROP TABLE claim_search")
    op.drop_table("claim_status_counts")
