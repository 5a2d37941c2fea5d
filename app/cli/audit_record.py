"""Verifying and reading the audit record."""

from __future__ import annotations

import json
from datetime import datetime

import click

from app.cli.root import Context, DomainErrorsGroup, fail, main, pass_context, since_option
from claims import audit as audit_chain
from claims.db import unit_of_work
from claims.history import FeedFilters, all_events
from claims.serialize import event_summary

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
