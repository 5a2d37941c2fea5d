"""The cost of the audit record (run on demand, not a test).

    python bench/audit.py [--updates 2000] [--events 100000] [--database-url URL]

1. N claim edits through the real service with the audit on, then the same edits with event writing
   switched off, same run and database: prints both rates and the ratio.
2. `audit verify` over a chain of --events events (generated through the real chain code): events/s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from unittest import mock

from claims import audit, schema
from claims.checkworthiness import default_scorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.models import User
from claims.services.articles import import_article
from claims.services.claims import edit_claim
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
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
