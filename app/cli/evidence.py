"""`claimtrack evidence recheck`: fetch cited pages again and mark those gone or changed since cited;
`claimtrack evidence warc`: the stored snapshots as a WARC file."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.root import Context, DomainErrorsGroup, main, pass_context
from claims.db import unit_of_work
from claims.export.jsonfile import binary_output
from claims.models import EvidenceSnapshot, Finding
from claims.snapshots.archive import archived, recheck_all
from claims.snapshots.warc import write_warc
from claims.textdiff import changed_words


@main.group(cls=DomainErrorsGroup)
def evidence() -> None:
    """Evidence: snapshots of cited pages."""


def describe(snapshot: EvidenceSnapshot, cited_text: str | None) -> str:
    where = f"evidence {snapshot.evidence_id} ({snapshot.requested_url})"
    if snapshot.finding == Finding.CHANGED and cited_text is not None and snapshot.text is not None:
        removed, added = changed_words(cited_text, snapshot.text)
        return f"{where}: changed since cited ({removed} words removed, {added} added)"
    if snapshot.finding in (Finding.GONE, Finding.UNREACHABLE):
        return f"{where}: {snapshot.finding}: {snapshot.error}"
    return f"{where}: {snapshot.finding or 'archived now (it had no snapshot)'}"


@evidence.command("recheck")
@click.option("--claim", "claim_id", type=click.IntRange(1), help="Only the evidence of this claim.")
@pass_context
def recheck(ctx: Context, claim_id: int | None) -> None:
    """Fetch every cited page again; mark evidence whose page is gone (4xx/5xx, DNS failure) or whose
    main text changed since it was cited. Published claims are flagged, never changed."""
    sessions = ctx.sessions()
    snapshots = recheck_all(sessions, claim_id=claim_id)
    counts: dict[str, int] = {}
    for snapshot in snapshots:
        with sessions() as session:
            stored = session.get(EvidenceSnapshot, snapshot.id)
            cited = archived(stored.evidence)
            click.echo(describe(stored, cited.text if cited else None))
        key = str(snapshot.finding or "archived")
        counts[key] = counts.get(key, 0) + 1
    summary = (
        ", ".join(f"{count} {finding}" for finding, count in sorted(counts.items())) or "nothing to recheck"
    )
    click.echo(f"Rechecked {len(snapshots)} cited page(s): {summary}.")


@evidence.command("warc")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--claim", "claim_id", type=click.IntRange(1), help="Only the snapshots of this claim's evidence."
)
@pass_context
def warc(ctx: Context, out: Path, claim_id: int | None) -> None:
    """Write every stored snapshot (the bytes as fetched) to OUT as a gzipped WARC file."""
    with unit_of_work(ctx.sessions()) as session, binary_output(out) as stream:
        written = write_warc(session, stream, claim_id=claim_id)
    click.echo(f"Wrote {written} snapshot(s) to {out}.")
