from sqlalchemy import inspect, select

from claims import schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory, unit_of_work
from claims.ingest.readers import ArticleDraft
from claims.models import Base, Role, SuggestedMatch
from claims.queue import QueueFilters, queue_page, status_counts
from claims.search import is_search_index_table
from claims.services.articles import import_article
from claims.services.users import create_user


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        names = set(inspect(engine).get_table_names()) - {"alembic_version"}
        return {name for name in names if not is_search_index_table(name)}
    finally:
        engine.dispose()


def test_there_is_a_single_migration_head(empty_database_url: str) -> None:
    assert len(schema.heads(empty_database_url)) == 1


def test_migrations_go_up_down_and_up_again(empty_database_url: str) -> None:
    schema.upgrade(empty_database_url)
    assert table_names(empty_database_url) == set(Base.metadata.tables)

    schema.downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) == set()

    schema.upgrade(empty_database_url)
    assert table_names(empty_database_url) == set(Base.metadata.tables)


def test_a_desk_with_users_and_articles_goes_down_to_base(empty_database_url: str) -> None:
    """SQLite rebuilds a table to drop a column; rows in other tables that reference it must not stop that."""
    schema.upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    with unit_of_work(make_session_factory(engine)) as session:
        editor = create_user(session, None, email="ed@example.org", role=Role.EDITOR, password="x" * 12)
        import_article(
            session, editor, ArticleDraft(text="The mayor said taxes rose by 4% in 2024."), RuleScorer(), 0.5
        )
        session.commit()
    engine.dispose()

    schema.downgrade(empty_database_url, "base")

    assert table_names(empty_database_url) == set()


def test_the_search_index_and_status_counts_take_in_claims_imported_before_them(
    empty_database_url: str,
) -> None:
    schema.upgrade(empty_database_url, "0008")  # the last revision before the search index
    engine = make_engine(empty_database_url)
    sessions = make_session_factory(engine)
    with unit_of_work(sessions) as session:
        draft = ArticleDraft(text="The mayor said taxes rose by 4% in 2024.", title="Café budget")
        import_article(session, None, draft, RuleScorer(), 0.5)
        session.commit()

    schema.upgrade(empty_database_url)

    with unit_of_work(sessions) as session:
        assert [
            claim.sentence for claim in queue_page(session, QueueFilters(search="cafe taxes")).claims
        ] == ["The mayor said taxes rose by 4% in 2024."]
        assert status_counts(session, QueueFilters())["unreviewed"] == 1
    engine.dispose()


def test_the_models_and_the_migrations_do_not_drift(empty_database_url: str) -> None:
    schema.upgrade(empty_database_url)

    assert schema.drift(empty_database_url) is None


def test_strong_matches_kept_within_one_article_are_removed_and_those_across_articles_stay(
    empty_database_url: str,
) -> None:
    schema.upgrade(empty_database_url, "0013")  # the last revision before matching left out the article
    engine = make_engine(empty_database_url)
    sessions = make_session_factory(engine)
    with unit_of_work(sessions) as session:
        texts = (
            "The mayor said taxes rose by 4% in 2024. The council said taxes rose by 4% in 2024.",
            "Reports differ. The mayor said taxes rose by 4% in 2024.",
        )
        one, two = (
            import_article(session, None, ArticleDraft(text=t), RuleScorer(), 0.5).article for t in texts
        )
        first, neighbour = one.claims[0].id, one.claims[1].id
        elsewhere = two.claims[-1].id
        for claim_id, target_id in ((first, neighbour), (neighbour, elsewhere)):
            session.add(
                SuggestedMatch(claim_id=claim_id, target_kind="claim", target_id=target_id, score=0.9)
            )
        session.commit()

    schema.upgrade(empty_database_url)

    with unit_of_work(sessions) as session:
        kept = session.execute(select(SuggestedMatch.claim_id, SuggestedMatch.target_id)).all()
        assert [tuple(row) for row in kept] == [(neighbour, elsewhere)]
    engine.dispose()
