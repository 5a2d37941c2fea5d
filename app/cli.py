"""The `claimtrack` command: database, ingest, claims, users, and serving the app."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from claims import audit as audit_chain
from claims import schema
from claims.checkworthiness import default_scorer, metrics, model, training
from claims.checkworthiness.data import read_labelled, read_many
from claims.checkworthiness.feedback import as_tsv_line, reviewer_labels
from claims.config import PROJECT_ROOT, Settings, load_settings
from claims.db import make_engine, make_session_factory, unit_of_work
from claims.errors import ClaimtrackError, ImportRejected
from claims.export import full, jsonfile
from claims.export.claimreview import claim_reviews, publisher_from
from claims.history import FeedFilters, all_events
from claims.ingest.batch import import_batch
from claims.ingest.readers import ArticleDraft, parse_date
from claims.models import Role, Status, User
from claims.passwords import generate_password
from claims.queries import list_claims
from claims.serialize import claim_summary, event_summary
from claims.services.articles import ImportResult, import_article
from claims.services.users import create_user, set_password

DEMO_ARTICLE = PROJECT_ROOT / "claims" / "demo" / "trump-japan-visit.txt"
DEMO_USERS = (
    ("reviewer@example.org", Role.REVIEWER, "Riley Reviewer"),
    ("editor@example.org", Role.EDITOR, "Eden Editor"),
    ("admin@example.org", Role.ADMIN, "Ada Admin"),
)


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
@click.pass_context
def main(ctx: click.Context) -> None:
    """claimtrack: track, review and publish fact-checks of news claims."""
    ctx.obj = Context()
    ctx.call_on_close(ctx.obj.close)


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
@click.option("--skip-bad", is_flag=True, help="Import the good files and report each bad one.")
@pass_context
def ingest(
    ctx: Context,
    paths: tuple[Path, ...],
    title: str | None,
    url: str | None,
    publisher: str | None,
    published: date | None,
    author: str | None,
    skip_bad: bool,
) -> None:
    """Import articles from .txt, .html or .jsonl files; one line per article."""
    settings = ctx.settings
    overrides = {
        "title": title,
        "url": url,
        "publisher": publisher,
        "published_on": published,
        "author": author,
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
            threshold=settings.checkworthy_threshold,
            max_bytes=settings.max_import_bytes,
            overrides=overrides,
            skip_bad=skip_bad,
            progress=progress,
        )
        session.commit()
    for result in outcome.imported:
        click.echo(report(result))
    for rejected in outcome.skipped:
        click.echo(f"skipped {rejected}", err=True)


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


# --- users ------------------------------------------------------------------------------------------


@main.group(cls=DomainErrorsGroup)
def users() -> None:
    """Manage users."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--name", "display_name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_create(ctx: Context, email: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create a user; the password is prompted for unless --password-stdin is given."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with unit_of_work(ctx.sessions()) as session:
        user = create_user(
            session, None, email=email, role=role, password=password, display_name=display_name
        )
        session.commit()
        click.echo(f"user {user.id}: {user.email} ({user.role})")


@users.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_set_password(ctx: Context, email: str, password_stdin: bool) -> None:
    """Set a user's password (after an import, or when one is forgotten)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with unit_of_work(ctx.sessions()) as session:
        user = set_password(session, None, email=email, password=password)
        session.commit()
        click.echo(f"password set for {user.email}")


# --- audit ----------------------------------------------------------------------------------------


@main.group(cls=DomainErrorsGroup)
def audit() -> None:
    """Verify and read the audit record."""


@audit.command("verify")
@pass_context
def audit_verify(ctx: Context) -> None:
    """Check the whole hash chain; name the first event that does not verify."""
    with unit_of_work(ctx.sessions()) as session:
        result = audit_chain.verify(session)
    if not result.ok:
        fail(f"audit record does not verify: {result.problem} ({result.checked} events verified before it)")
    click.echo(f"ok: {result.checked} events")


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"must be a date or time like 2026-10-28 or 2026-10-28T09:30, got {value!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@audit.command("log")
@click.option("--claim", "claim_id", type=int)
@click.option("--since", callback=_since, help="Only events at or after this UTC date/time.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@pass_context
def audit_log(ctx: Context, claim_id: int | None, since: datetime | None, output: str) -> None:
    """Print audit events, oldest first."""
    filters = FeedFilters(claim_id=claim_id, since=since)
    with unit_of_work(ctx.sessions()) as session:
        rows = [event_summary(event) for event in reversed(all_events(session, filters))]
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        fields = ", ".join(f"{name}: {old!r} → {new!r}" for name, (old, new) in row["changes"].items())
        click.echo(
            f"#{row['seq']} {row['occurred_at']} {row['actor'] or 'system'} {row['action']} "
            f"{row['entity_type']} {row['entity_id']}  {fields}"
        )


# --- export -----------------------------------------------------------------------------------------


@main.group(cls=DomainErrorsGroup)
def export() -> None:
    """Export claims: schema.org ClaimReview, or everything (full)."""


@export.command("claimreview")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write here instead of stdout.")
@click.option("--since", callback=_since, help="Only claims published at or after this UTC date/time.")
@pass_context
def export_claimreview(ctx: Context, out: Path | None, since: datetime | None) -> None:
    """A JSON array of ClaimReview objects, one per published claim."""
    publisher = publisher_from(ctx.settings)
    with unit_of_work(ctx.sessions()) as session, jsonfile.output(out) as stream:
        for chunk in jsonfile.json_array(claim_reviews(session, publisher, since)):
            stream.write(chunk)


@export.command("full")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@pass_context
def export_full(ctx: Context, out: Path) -> None:
    """Everything (users without password hashes) as versioned JSON lines that `import full` restores."""
    with unit_of_work(ctx.sessions()) as session, jsonfile.output(out) as stream:
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


# --- check-worthiness --------------------------------------------------------------------------------

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data" / "checkworthiness"


@main.group(cls=DomainErrorsGroup)
def checkworthiness() -> None:
    """Train, evaluate and use the check-worthiness model."""


@checkworthiness.command("train")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=SHARED_DATA,
    show_default=True,
    help="Folder with ct24_train.tsv, ct24_dev.tsv and ct24_dev-test.tsv.",
)
@click.option(
    "--extra",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="More labelled TSV files for training (e.g. a desk's own feedback); repeatable.",
)
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), default=model.ARTEFACT, show_default=True
)
def checkworthiness_train(data_dir: Path, extra: tuple[Path, ...], out: Path) -> None:
    """Train the model (fixed seed) and write the artefact that scoring loads."""
    training_data = read_many([data_dir / "ct24_train.tsv", *extra])
    dev, dev_test = read_labelled(data_dir / "ct24_dev.tsv"), read_labelled(data_dir / "ct24_dev-test.tsv")
    for skipped in training_data.skipped + dev.skipped + dev_test.skipped:
        click.echo(f"skipped {skipped}", err=True)
    trained, report = training.train(training_data, dev, dev_test)
    trained.save(out)
    figures = report.dev_test
    click.echo(
        f"trained on {len(training_data.texts)} sentences; C={report.c} class_weight={report.class_weight}; "
        f"dev AP {report.dev_average_precision:.3f}"
    )
    click.echo(
        f"threshold {report.threshold:.4f} (best F1 on dev-test): precision {figures.precision:.3f} "
        f"recall {figures.recall:.3f} F1 {figures.f1:.3f} AP {figures.average_precision:.3f}"
    )
    click.echo(f"wrote {out} ({out.stat().st_size:,} bytes)")


@checkworthiness.command("score")
@click.argument("file", type=click.File(encoding="utf-8"))
def checkworthiness_score(file: Any) -> None:
    """Score one sentence per line: score, flag (1 = check-worthy), sentence."""
    scorer = default_scorer()
    for line in file:
        sentence = line.rstrip("\n")
        if not sentence.strip():
            continue
        scored = scorer.score(sentence)
        click.echo(f"{scored.value:.4f}\t{int(scored.value >= scorer.threshold)}\t{sentence}")


@checkworthiness.command("evaluate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--train",
    "train_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=SHARED_DATA / "ct24_train.tsv",
    show_default=True,
    help="Training file for the baseline.",
)
def checkworthiness_evaluate(file: Path, train_file: Path) -> None:
    """Precision, recall, F1 (Yes) and average precision of the model and of a TF-IDF baseline."""
    test = read_labelled(file)
    scorer = default_scorer()
    ours = [scorer.score(text).value for text in test.texts]
    baseline = training.baseline_scores(read_labelled(train_file), test.texts)
    tuned = metrics.best_threshold(test.labels, baseline)
    rows = [
        ("claimtrack model", metrics.at_threshold(test.labels, ours, scorer.threshold), scorer.threshold),
        ("TF-IDF + LR baseline", metrics.at_threshold(test.labels, baseline, 0.5), 0.5),
        # The baseline's best possible cut on this very file: an optimistic bound, not a fair score.
        ("  same, cut tuned here", metrics.at_threshold(test.labels, baseline, tuned), tuned),
    ]
    click.echo(f"{file.name}: {len(test.texts)} sentences, {sum(test.labels)} Yes")
    click.echo(f"{'':24}{'threshold':>10}{'precision':>10}{'recall':>8}{'F1':>8}{'AP':>8}")
    for name, figures, cut in rows:
        click.echo(
            f"{name:24}{cut:10.3f}{figures.precision:10.3f}{figures.recall:8.3f}{figures.f1:8.3f}"
            f"{figures.average_precision:8.3f}"
        )


@checkworthiness.command("feedback")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@pass_context
def checkworthiness_feedback(ctx: Context, out: Path) -> None:
    """Export the sentences reviewers triaged, as a labelled TSV that `train --extra` accepts."""
    count = 0
    with unit_of_work(ctx.sessions()) as session, jsonfile.output(out) as stream:
        stream.write(as_tsv_line("Sentence_id", "Text", "class_label"))
        for claim_id, sentence, label in reviewer_labels(session):
            stream.write(as_tsv_line(claim_id, sentence, label))
            count += 1
    click.echo(f"wrote {count} labelled sentences to {out}")


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
            origin=str(DEMO_ARTICLE),
        )
        result = import_article(session, None, draft, default_scorer(), ctx.settings.checkworthy_threshold)
        session.commit()
        click.echo(report(result))


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
def run(host: str, port: int) -> None:
    """Serve the app with Flask's development server."""
    from app import create_app

    create_app().run(host=host, port=port)
