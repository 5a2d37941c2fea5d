"""`claimtrack claims facts`: the numbers, dates and durations of a claim or an article, and the hints."""

from __future__ import annotations

import json

import click

from app.cli.data import claims
from app.cli.root import Context, fail, pass_context
from claims.db import unit_of_work
from claims.facts import article_facts, claim_facts


@claims.command("facts")
@click.option("--claim", "claim_id", type=click.IntRange(1, 2**31 - 1), help="One claim.")
@click.option("--article", "article_id", type=click.IntRange(1, 2**31 - 1), help="Every claim of an article.")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
@pass_context
def claims_facts(ctx: Context, claim_id: int | None, article_id: int | None, output: str) -> None:
    """Numbers, dates and durations read in claims, resolved against the article's date, with hints."""
    if (claim_id is None) == (article_id is None):
        fail("give either --claim ID or --article ID")
    with unit_of_work(ctx.sessions()) as session:
        found = [claim_facts(session, claim_id)] if claim_id else article_facts(session, article_id)  # type: ignore[arg-type]
        rows = [facts.as_json() for facts in found]
    if output == "json":
        click.echo(json.dumps(rows[0] if claim_id else rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        _print_table(row)


def _print_table(row: dict) -> None:
    if not row["expressions"] and not row["hints"]:
        return
    reference = row["reference"]
    click.echo(f"claim {row['claim_id']} (against {reference['day']}, {reference['source']}): {row['text']}")
    for expression in row["expressions"]:
        interval = expression["interval"]["words"] if expression["interval"] else "-"
        click.echo(
            f"  {expression['kind']:<12} {expression['start']:>4}-{expression['end']:<4} "
            f"{expression['text']!r:<28} {interval}"
        )
    for hint in row["hints"]:
        joined = ", ".join(str(i) for i in hint["claim_ids"])
        click.echo(f"  hint ({hint['kind']}; claims {joined}): {hint['text']}")
