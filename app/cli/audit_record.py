"""Verifying and reading the audit record."""

from __future__ import annotations

import json
from datetime import datetime

import click

from app.cli.root import Context, DomainErrorsGroup, fail, main, pass_context, since_option
from claims.db import snapshot_unit_of_work, unit_of_work
from claims.history import FeedFilters, all_events
from claims.replay import verify_database
from claims.serialize import event_summary

# --- audit ----------------------------------------------------------------------------------------


@main.group(cls=DomainErrorsGroup)
def audit() -> None:
    """Verify and read the audit record."""


@audit.command("verify")
@pass_context
def audit_verify(ctx: Context) -> None:
    """Check the hash chain, then replay it and compare with every current row; name the first
    event, or the first record and field, that does not agree."""
    with snapshot_unit_of_work(ctx.sessions()) as session:
        result = verify_database(session)
    chain = result.chain
    if not chain.ok:
        fail(f"audit record does not verify: {chain.problem} ({chain.checked} events verified before it)")
    if result.difference is not None:
        fail(f"the tables do not match the audit record: {result.difference}")
    click.echo(f"ok: {chain.checked} events; {result.rows_compared} rows match their history")


@audit.command("log")
@click.option("--claim", "claim_id", type=int)
@click.option("--since", callback=since_option, help="Only events at or after this UTC date/time.")
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
