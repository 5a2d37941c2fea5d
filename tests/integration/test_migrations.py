from sqlalchemy import inspect

from claims import schema
from claims.db import make_engine
from claims.models import Base


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
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


def test_the_models_and_the_migrations_do_not_drift(empty_database_url: str) -> None:
    schema.upgrade(empty_database_url)

    assert schema.drift(empty_database_url) is None
