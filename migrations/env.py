"""Alembic environment: claimtrack's models, batch mode on SQLite, URL from the config or environment."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from claims.config import load_settings
from claims.db import make_engine
from claims.models import Base
from claims.models.base import UTCDateTime
from claims.search import is_search_index_table

config = context.config
# Only the `alembic` command reads alembic.ini; the app (claims/schema.py) configures Alembic in code and
# owns logging itself.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or load_settings().database_url


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Autogenerate writes our UTC column type as the plain type it stores, so revisions need no import."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """The search index (migration 0007) is database-specific SQL, not a model: the drift check skips it."""
    return not (type_ == "table" and name is not None and is_search_index_table(name))


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=url.startswith("sqlite")
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as connection:
        _run_on(connection)
    engine.dispose()


def _run_on(connection) -> None:  # type: ignore[no-untyped-def]
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table by copy, drop and rename; with foreign keys enforced, dropping a table
        # that other rows reference fails (`db downgrade` of a desk with users). SQLite ignores this pragma
        # inside a transaction, so it goes to the driver's connection before Alembic begins one.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
