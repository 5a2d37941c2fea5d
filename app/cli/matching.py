"""Claim matching: importing published fact-checks and asking for similar claims."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from app.cli.data import claims
from app.cli.root import Context, DomainErrorsGroup, fail, main, pass_context
from claims.db import unit_of_work
from claims.matching.claimreview import FactCheckDraft
from claims.matching.factchecks import import_fact_checks
from claims.matching.search import MAX_QUERY_CHARS, MAX_TOP, Match, similar_to_text, similar_to_texts
from claims.validation import clean_text


def read_utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        fail(f"{path}: cannot be read ({exc.strerror})")
    except UnicodeDecodeError as exc:
        fail(f"{path}: is not UTF-8 text (byte {exc.start})")
    raise AssertionError("unreachable")


@main.group(cls=DomainErrorsGroup)
def factchecks() -> None:
    """Fact-checks other organisations published (schema.org ClaimReview)."""


@factchecks.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--skip-bad", is_flag=True, help="Import the good records and report each bad one.")
@pass_context
def factchecks_import(ctx: Context, path: Path, skip_bad: bool) -> None:
    """Import ClaimReview from FILE: one object, a JSON list, a DataFeed, or JSON lines.

    A record whose `url` is already known updates that fact-check. A bad record stops the import with
    its line number and nothing is written, unless --skip-bad.
    """
    text = read_utf8(path)

    def progress(drafts: list[FactCheckDraft]) -> Iterable[FactCheckDraft]:
        if not sys.stderr.isatty():
            return drafts
        return click.progressbar(drafts, label="Importing fact-checks", file=sys.stderr)

    with unit_of_work(ctx.sessions()) as session:
        outcome = import_fact_checks(session, None, text, skip_bad=skip_bad, progress=progress)
        session.commit()
    for bad in outcome.skipped:
        click.echo(f"skipped {path}: {bad}", err=True)
    click.echo(
        f"{outcome.created} fact-check(s) added, {outcome.updated} updated, {outcome.unchanged} unchanged"
        + (f", {len(outcome.skipped)} bad record(s) skipped" if outcome.skipped else "")
    )


@claims.command("similar")
@click.argument("text", required=False)
@click.option("--file", "queries", type=click.Path(path_type=Path, dir_okay=False), help="id<TAB>text lines.")
@click.option("--top", type=click.IntRange(1, MAX_TOP), default=5, show_default=True)
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
@pass_context
def claims_similar(ctx: Context, text: str | None, queries: Path | None, top: int, output: str) -> None:
    """Fact-checks and desk claims most similar to TEXT, best first (or to each line of --file)."""
    if (text is None) == (queries is None):
        fail("give either TEXT or --file QUERIES.tsv")
    with unit_of_work(ctx.sessions()) as session:
        if queries is not None:
            ids, texts = _read_queries(queries)
            for query_id, matches in zip(ids, similar_to_texts(session, texts, top), strict=True):
                click.echo(
                    json.dumps(
                        {"query": query_id, "matches": [m.as_json() for m in matches]}, ensure_ascii=False
                    )
                )
            return
        matches = similar_to_text(session, _query_text("TEXT", text), top)  # type: ignore[arg-type]
    if output == "json":
        click.echo(json.dumps([m.as_json() for m in matches], ensure_ascii=False, indent=2))
        return
    for match in matches:
        click.echo(_table_row(match))


def _query_text(where: str, text: str) -> str:
    return clean_text(where, text, max_length=MAX_QUERY_CHARS)  # type: ignore[return-value]


def _read_queries(path: Path) -> tuple[list[str], list[str]]:
    ids, texts = [], []
    for number, line in enumerate(read_utf8(path).splitlines(), start=1):
        if not line.strip():
            continue
        query_id, tab, text = line.partition("\t")
        if not tab or not query_id.strip():
            fail(f"{path}: line {number}: expected id<TAB>text")
        ids.append(query_id.strip())
        texts.append(_query_text(f"{path}: line {number}", text))
    return ids, texts


def _table_row(match: Match) -> str:
    label = match.rating or match.status or ""
    where = match.url or f"claim {match.id}"
    text = match.text if len(match.text) <= 80 else match.text[:79] + "…"
    return f"{match.score:.2f}  {match.kind:<9} {label:<20.20} {text}\n{'':>6}{where}"
