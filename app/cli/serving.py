"""Demo set-up and the servers: development (`run`) and production (`serve`)."""

from __future__ import annotations

from datetime import date
from importlib import resources

import click
from sqlalchemy import select

from app.cli.data import report
from app.cli.root import Context, main, pass_context
from claims import schema
from claims.checkworthiness import default_scorer
from claims.config import Settings, built_in_key_warning
from claims.db import unit_of_work
from claims.desk import desk_settings
from claims.ingest.readers import ArticleDraft
from claims.jobs.matching_index import match_articles
from claims.models import Role, User
from claims.passwords import generate_password
from claims.services.articles import import_article
from claims.services.users import create_user

DEMO_ARTICLE = resources.files("claims") / "demo" / "trump-japan-visit.txt"
DEMO_USERS = (
    ("reviewer@example.org", Role.REVIEWER, "Riley Reviewer"),
    ("editor@example.org", Role.EDITOR, "Eden Editor"),
    ("admin@example.org", Role.ADMIN, "Ada Admin"),
)


# --- serving ----------------------------------------------------------------------------------------


@main.command()
@pass_context
def demo(ctx: Context) -> None:
    """Migrate the database, create demo users and import the sample article."""
    schema.upgrade(ctx.settings.database_url)
    with unit_of_work(ctx.sessions()) as session:
        for email, role, name in DEMO_USERS:
            if session.scalar(select(User.id).where(User.email == email)) is not None:
                click.echo(f"demo user {email} exists (password unchanged)")
                continue
            password = generate_password()
            create_user(session, None, email=email, role=role, password=password, display_name=name)
            click.echo(f"demo user {email} ({role}) password: {password}")
        draft = ArticleDraft(
            text=DEMO_ARTICLE.read_text(encoding="utf-8"),
            title="Trump arrives in Japan for his first meeting with Prime Minister Takaichi",
            published_on=date(2025, 10, 27),
            origin=DEMO_ARTICLE.name,
        )
        threshold = desk_settings(session, ctx.settings).checkworthy_threshold
        result = import_article(session, None, draft, default_scorer(), threshold)
        session.commit()
        click.echo(report(result))
        match_articles(session, [result.article.id])


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, help="Worker processes (default: 2 × cores + 1).")
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker.")
@click.option("--access-log", is_flag=True, help="Log every request to stdout.")
@pass_context
def serve(ctx: Context, host: str, port: int, workers: int | None, threads: int, access_log: bool) -> None:
    """Serve with gunicorn (production). Run `claimtrack db upgrade` first; see docs/deploy.md."""
    from app.serve import default_workers
    from app.serve import serve as run_gunicorn

    settings = ctx.settings  # fails here, once, with a clear message if the configuration is unusable
    warn_about_the_built_in_key(settings)
    count = workers or default_workers()
    if count > 1 and settings.rate_limit_storage.startswith("memory://"):
        click.echo(
            "warning: with several workers, set CLAIMTRACK_RATE_LIMIT_STORAGE=redis://… so sign-in "
            "limits are shared",
            err=True,
        )
    run_gunicorn(host, port, count, threads, access_log)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@pass_context
def run(ctx: Context, host: str, port: int) -> None:
    """Serve the app with Flask's development server."""
    from app import create_app

    warn_about_the_built_in_key(ctx.settings)
    create_app().run(host=host, port=port)


def warn_about_the_built_in_key(settings: Settings) -> None:
    """Refuses (ConfigurationError) to serve a real database with the built-in key; warns on the demo one."""
    warning = built_in_key_warning(settings)
    if warning:
        click.echo(warning, err=True)
