"""The `claimtrack` command group, its context (settings, sessions) and shared option parsers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from claims import schema
from claims.config import Settings, load_settings
from claims.db import make_engine, make_session_factory
from claims.errors import ClaimtrackError


class Context:
    """Settings and a session factory, made once per command on first use."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    def sessions(self) -> sessionmaker[Session]:
        if self._factory is None:
            schema.ensure_sqlite_directory(self.settings.database_url)
            self._engine = make_engine(self.settings.database_url)
            self._factory = make_session_factory(self._engine)
        return self._factory

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


pass_context = click.make_pass_decorator(Context, ensure=True)


def fail(message: str) -> None:
    raise click.ClickException(message)


class DomainErrorsGroup(click.Group):
    """Domain errors end a command with their one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimtrackError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=DomainErrorsGroup)
@click.version_option(package_name="claimtrack", prog_name="claimtrack")
@click.pass_context
def main(ctx: click.Context) -> None:
    """claimtrack: track, review and publish fact-checks of news claims."""
    ctx.obj = Context()
    ctx.call_on_close(ctx.obj.close)


def since_option(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"must be a date or time like 2026-10-28 or 2026-10-28T09:30, got {value!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
