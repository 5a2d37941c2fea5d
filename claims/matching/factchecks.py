"""Importing ClaimReview fact-checks: every record checked first, then created or updated by `url`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import audit
from claims.matching.claimreview import BadRecord, FactCheckDraft, draft, records
from claims.matching.embeddings import embed_fact_checks
from claims.matching.suggestions import suggest_for_fact_checks
from claims.models import FactCheck, User
from claims.permissions import Action, require


@dataclass
class FactCheckImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[BadRecord] = field(default_factory=list)


def read_drafts(text: str, *, skip_bad: bool) -> tuple[list[FactCheckDraft], list[BadRecord]]:
    """Every record of the file as a draft. A bad record raises BadRecord (naming its line) before
    anything is written, or is set aside and reported with `skip_bad`."""
    drafts: dict[str, FactCheckDraft] = {}  # by url: a record repeated in one file counts once, last wins
    skipped: list[BadRecord] = []
    for line, raw in records(text):
        try:
            found = draft(line, raw)
        except BadRecord as bad:
            if not skip_bad:
                raise
            skipped.append(bad)
            continue
        drafts[found.url] = found
    return list(drafts.values()), skipped


def import_fact_checks(
    session: Session,
    actor: User | None,
    text: str,
    *,
    skip_bad: bool = False,
    progress: Callable[[list[FactCheckDraft]], Iterable[FactCheckDraft]] = lambda drafts: drafts,
) -> FactCheckImport:
    """Create the fact-checks the file adds, update (audited) those whose `url` is known, and embed
    the new or changed texts. Flushes only; the caller commits."""
    if actor is not None:
        require(actor, Action.IMPORT_FACT_CHECKS)
    drafts, skipped = read_drafts(text, skip_bad=skip_bad)
    outcome = FactCheckImport(skipped=skipped)
    known = _existing(session, [d.url for d in drafts])
    changes: list[audit.Change] = []
    touched: list[FactCheck] = []
    for item in progress(drafts):
        existing = known.get(item.url)
        if existing is None:
            check = FactCheck(**item.values(), imported_by_id=actor.id if actor else None)
            session.add(check)
            session.flush()
            changes.append(
                audit.Change("fact_check", check.id, "fact_check.imported", audit.created(item.values()))
            )
            touched.append(check)
            outcome.created += 1
            continue
        diff = audit.apply(existing, item.values())
        if diff:
            changes.append(audit.Change("fact_check", existing.id, "fact_check.updated", diff))
            touched.append(existing)
            outcome.updated += 1
        else:
            outcome.unchanged += 1
    session.flush()
    audit.record_all(session, actor, changes)
    embed_fact_checks(session, touched)
    suggest_for_fact_checks(session, [check.id for check in touched])
    return outcome


def _existing(session: Session, urls: list[str]) -> dict[str, FactCheck]:
    found: dict[str, FactCheck] = {}
    for start in range(0, len(urls), 500):  # bounded IN lists
        chunk = urls[start : start + 500]
        found |= {
            check.url: check for check in session.scalars(select(FactCheck).where(FactCheck.url.in_(chunk)))
        }
    return found
