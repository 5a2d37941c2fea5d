"""The cost of the audit record (run on demand, not a test).

    python bench/audit.py [--updates 2000] [--events 100000] [--database-url URL]
    python bench/audit.py --replay [--claims 100000] [--database-url URL]

1. N claim edits through the real service with the audit on, then the same edits with event writing
   switched off, same run and database: prints both rates and the ratio.
2. `audit verify`'s chain walk over a chain of --events events (generated through the real chain
   code): events/s.
With --replay, on a desk of --claims claims imported through the real service (articles of 24
sentences; the first claim of each then triaged, given evidence and a comment):
3. the full `audit verify` (chain walk + replay + comparison with every row) against the chain walk
   alone, same run and database: rows compared per second, the ratio, and the replay's peak memory.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path
from unittest import mock

from sqlalchemy import func, select

from claims import audit, schema, workflow
from claims.checkworthiness import default_scorer
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory, snapshot_unit_of_work
from claims.ingest.readers import ArticleDraft
from claims.models import Claim, User
from claims.replay import verify_database
from claims.services.articles import import_article
from claims.services.claims import edit_claim
from claims.services.comments import add_comment
from claims.services.evidence import add_evidence
from claims.services.users import create_user

ARTICLE = Path(__file__).resolve().parents[1] / "claims" / "demo" / "trump-japan-visit.txt"


def timed_edits(sessions, reviewer_id: int, claim_ids: list[int], updates: int, label: str) -> float:
    started = time.perf_counter()
    for number in range(updates):
        with sessions() as session:
            actor = session.get(User, reviewer_id)
            claim_id = claim_ids[number % len(claim_ids)]
            edit_claim(session, actor, claim_id, expected_version=None, claimant=f"{label} {number}")
            session.commit()
    return updates / (time.perf_counter() - started)


def grow_chain(sessions, events: int) -> None:
    batch = 5000
    with sessions() as session:
        for start in range(0, events, batch):
            entries = [
                audit.Change("claim", 1, "bench.filler", {"claimant": [None, f"n{i}"]}, claim_id=1)
                for i in range(start, min(start + batch, events))
            ]
            audit.record_all(session, None, entries)
            session.commit()


def build_desk(sessions, claims: int) -> None:
    """Articles of the sample's 23 sentences plus one that makes each unique, imported for real."""
    scorer, text = RuleScorer(), ARTICLE.read_text()
    with sessions() as session:
        reviewer = create_user(
            session, None, email="replay@example.org", role="reviewer", password="bench password 123"
        )
        session.commit()
        number = 0
        while session.scalar(select(func.count()).select_from(Claim)) < claims:
            draft = ArticleDraft(text=f"{text}\n\nThis is article number {number}.")
            article = import_article(session, reviewer, draft, scorer, 0.0).article
            for claim in article.claims[:1]:
                workflow.triage(session, reviewer, claim.id, checkworthy=True)
                add_evidence(
                    session, reviewer, claim.id, url="https://example.org/", title="E", stance="context"
                )
                add_comment(session, reviewer, claim.id, "Looked at it.")
            session.commit()
            number += 1


def bench_replay(sessions, claims: int, dialect: str) -> None:
    started = time.perf_counter()
    build_desk(sessions, claims)
    print(f"desk of {claims:,}+ claims built in {time.perf_counter() - started:.0f} s ({dialect})")
    with snapshot_unit_of_work(sessions) as session:
        started = time.perf_counter()
        chain = audit.verify(session)
        chain_seconds = time.perf_counter() - started
    with snapshot_unit_of_work(sessions) as session:
        started = time.perf_counter()
        result = verify_database(session)
        full_seconds = time.perf_counter() - started
    assert chain.ok and result.ok, (chain.problem, result.difference)
    with snapshot_unit_of_work(sessions) as session:
        tracemalloc.start()
        verify_database(session)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rows = result.rows_compared
    print(
        f"  chain walk only   {chain.checked:,} events in {chain_seconds:.2f} s = "
        f"{chain.checked / chain_seconds:,.0f} events/s"
    )
    print(
        f"  full verify       {chain.checked:,} events + {rows:,} rows in {full_seconds:.2f} s = "
        f"{rows / full_seconds:,.0f} rows/s"
    )
    print(f"  time ratio        {full_seconds / chain_seconds:.2f}x (full / chain only)")
    print(f"  peak Python memory of the full verify: {peak / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--replay", action="store_true", help="measure the full verify on a desk instead")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        if args.replay:
            bench_replay(sessions, args.claims, engine.dialect.name)
            engine.dispose()
            return
        with sessions() as session:
            reviewer = create_user(
                session, None, email="bench@example.org", role="reviewer", password="bench password 123"
            )
            article = import_article(
                session, None, ArticleDraft(text=ARTICLE.read_text()), default_scorer(), 0.5
            )
            session.commit()
            reviewer_id, claim_ids = reviewer.id, [claim.id for claim in article.article.claims]

        with_audit = timed_edits(sessions, reviewer_id, claim_ids, args.updates, "audited")
        with mock.patch.object(audit, "record", lambda *args, **kwargs: None):
            without_audit = timed_edits(sessions, reviewer_id, claim_ids, args.updates, "unaudited")
        print(f"{args.updates} claim edits, one commit each ({engine.dialect.name})")
        print(f"  audit on    {with_audit:8.0f} edits/s")
        print(f"  audit off   {without_audit:8.0f} edits/s")
        print(f"  cost ratio  {without_audit / with_audit:8.2f}x (time with audit / time without)")

        grow_chain(sessions, args.events)
        with sessions() as session:
            started = time.perf_counter()
            result = audit.verify(session)
            elapsed = time.perf_counter() - started
        assert result.ok, result.problem
        rate = result.checked / elapsed
        print(f"audit verify: {result.checked} events in {elapsed:.2f} s = {rate:,.0f} events/s")
        engine.dispose()


if __name__ == "__main__":
    main()
