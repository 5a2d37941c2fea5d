"""Data in and out: migrations, ingest, listing claims, exports and imports."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from app.cli.root import Context, DomainErrorsGroup, fail, main, pass_context, since_option
from claims import schema
from claims.checkworthiness import default_scorer
from claims.db import snapshot_unit_of_work, unit_of_work
from claims.desk import desk_settings
from claims.errors import ImportRejected
from claims.export import full, jsonfile
from claims.export.claimreview import claim_reviews, publisher_from
from claims.ingest.batch import import_batch
from claims.ingest.readers import ArticleDraft, parse_date
from claims.jobs.matching_index import match_articles
from claims.models import Status
from claims.queries import list_claims
from claims.serialize import claim_summary
from claims.services.articles import ImportResult

# --- database ---------------------------------------------------------------------------------------


@main.group(cls=DomainErrorsGroup)
def db() -> None:
    """Apply, revert or check the database migrations."""


@db.command("upgrade")
@click.argument("revision", default="head")
@pass_context
def db_upgrade(ctx: Context, revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    schema.upgrade(ctx.settings.database_url, revision)
    click.echo(f"database at {revision}")


@db.command("downgrade")
@click.argument("revision", default="-1")
@pass_context
def db_downgrade(ctx: Context, revision: str) -> None:
    """Migrate the database down to REVISION (default: one step; `base` empties it)."""
    schema.downgrade(ctx.settings.database_url, revision)
    click.echo(f"database at {revision}")


@db.command("check")
@pass_context
def db_check(ctx: Context) -> None:
    """Fail if the models and the migrated database differ."""
    problem = schema.drift(ctx.settings.database_url)
    if problem:
        fail(f"models and migrations differ: {problem}")
    click.echo("ok: models and migrations agree")


# --- ingest -----------------------------------------------------------------------------------------


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value, "--published")
    except ImportRejected as exc:
        raise click.BadParameter(exc.reason) from None


def report(result: ImportResult) -> str:
    article = result.article
    if not result.created:
        return f"article {article.id}: already imported"
    return f"article {article.id}: {len(article.claims)} sentences, {result.checkworthy_count} check-worthy"


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--title")
@click.option("--url")
@click.option("--publisher")
@click.option("--published", callback=_published, help="Publication date, YYYY-MM-DD.")
@click.option("--author")
@click.option("--language", help="Language code (en, es, ja, …); detected from the text when not given.")
@click.option("--skip-bad", is_flag=True, help="Import the good files and report each bad one.")
@click.option(
    "--all-or-nothing",
    is_flag=True,
    help="One transaction for the whole batch: a refused article undoes the ones before it. Web writes "
    "wait until the batch ends (it holds the audit chain head).",
)
@pass_context
def ingest(
    ctx: Context,
    paths: tuple[Path, ...],
    title: str | None,
    url: str | None,
    publisher: str | None,
    published: date | None,
    author: str | None,
    language: str | None,
    skip_bad: bool,
    all_or_nothing: bool,
) -> None:
    """Import articles from .txt, .html or .jsonl files; one line per article.

    Every file is read first: an unreadable one stops the batch before anything is written. Then each
    article is committed on its own, so reviewers' writes wait for one article at most; an article refused
    while importing stops the batch there (the ones before it stay), unless --skip-bad or --all-or-nothing.
    """
    settings = ctx.settings
    overrides = {
        "title": title,
        "url": url,
        "publisher": publisher,
        "published_on": published,
        "author": author,
        "language": language,
    }
    show_progress = sys.stderr.isatty() and len(paths) > 1

    def progress(drafts: list[ArticleDraft]) -> Any:
        if not show_progress:
            return drafts
        return click.progressbar(drafts, label="Importing", file=sys.stderr)

    with unit_of_work(ctx.sessions()) as session:
        outcome = import_batch(
            session,
            None,
            list(paths),
            scorer=default_scorer(),
            threshold=desk_settings(session, settings).checkworthy_threshold,
            max_bytes=settings.max_import_bytes,
            max_claims=settings.max_claims_per_article,
            overrides=overrides,
            skip_bad=skip_bad,
            all_or_nothing=all_or_nothing,
            progress=progress,
        )
        session.commit()
        # Read while the session is open: a commit per article has expired what the report reads.
        reports = [report(result) for result in outcome.imported]
        # Matched once the import committed, all articles in one go (the web hands it to the job queue).
        match_articles(session, [result.article.id for result in outcome.imported if result.created])
    for line in reports:
        click.echo(line)
    for rejected in outcome.skipped:
        click.echo(f"skipped {rejected}", err=True)
    if outcome.stopped_by is not None:
        fail(
            f"stopped at {outcome.stopped_by}; the {len(outcome.imported)} article(s) listed above were "
            "imported, the rest were not (--skip-bad goes on past a refused article)"
        )


# --- claims -----------------------------------------------------------------------------------------


@main.group(cls=DomainErrorsGroup)
def claims() -> None:
    """List and inspect claims."""


@claims.command("list")
@click.option("--article", "article_id", type=int)
@click.option("--status", type=click.Choice([status.value for status in Status]))
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
@pass_context
def claims_list(ctx: Context, article_id: int | None, status: str | None, output: str) -> None:
    """Print claims with their scores, reasons and claimants."""
    with unit_of_work(ctx.sessions()) as session:
        rows = [claim_summary(claim) for claim in list_claims(session, article_id=article_id, status=status)]
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        claimant = row["claimant"] if len(row["claimant"]) <= 28 else row["claimant"][:27] + "…"
        click.echo(f"{row['id']:>6}  {row['status']:<17} {row['score']:.2f}  {claimant:<28}  {row['text']}")
        click.echo(f"{'':>8}why: {'; '.join(row['reasons']) or 'no cue'}")


# --- export -----------------------------------------------------------------------------------------


@main.group(cls=DomainErrorsGroup)
def export() -> None:
    """Export claims: schema.org ClaimReview, or everything (full)."""


@export.command("claimreview")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write here instead of stdout.")
@click.option("--since", callback=since_option, help="Only claims published at or after this UTC date/time.")
@pass_context
def export_claimreview(ctx: Context, out: Path | None, since: datetime | None) -> None:
    """A JSON array of ClaimReview objects, one per published claim."""
    with unit_of_work(ctx.sessions()) as session, jsonfile.output(out) as stream:
        publisher = publisher_from(desk_settings(session, ctx.settings))
        for chunk in jsonfile.json_array(claim_reviews(session, publisher, since)):
            stream.write(chunk)


@export.command("full")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@pass_context
def export_full(ctx: Context, out: Path) -> None:
    """Everything (users without password hashes) as versioned JSON lines that `import full` restores."""
    with snapshot_unit_of_work(ctx.sessions()) as session, jsonfile.output(out) as stream:
        for line in full.export_lines(session):
            stream.write(line)
    click.echo(f"exported to {out}")


@main.group("import", cls=DomainErrorsGroup)
def import_() -> None:
    """Restore a full export."""


@import_.command("full")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@pass_context
def import_full(ctx: Context, path: Path) -> None:
    """Restore a full export into an empty database; the whole file is checked before anything is written."""
    with unit_of_work(ctx.sessions()) as session, path.open(encoding="utf-8") as stream:
        counts = full.import_file(session, stream)
        session.commit()
    click.echo("imported " + ", ".join(f"{count} {table}" for table, count in counts.items()))
    if counts.get("users"):
        click.echo("users have no password yet: set one with `claimtrack users set-password EMAIL`")
