"""Claim queue speed on a large desk (run on demand, not a test).

    python bench/claim_queue.py [--claims 100000] [--database-url URL]

Generates a desk of --claims claims (bulk inserted), then times the queue's queries — first page, a page
deep into the keyset, a status filter, "assigned to me", word search (a rare pair of words and a word in
most claims) against the substring search it replaced, and the counts per status, kept by triggers against
counted — each against a trivial `SELECT 1` round trip measured in the same run; prints ms and ratios.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, func, insert, select, text
from sqlalchemy.orm import Session

from claims import schema
from claims.db import make_engine, make_session_factory
from claims.models import Article, Claim, Status, User
from claims.queue import PAGE_SIZE, QueueFilters, Sort, queue_page, status_counts
from claims.verdicts import DEFAULT_SCALE

CLAIMS_PER_ARTICLE = 40
VERDICT_NAMES = [rating.name for rating in DEFAULT_SCALE]
WORDS = [
    "the",
    "minister",
    "said",
    "the",
    "budget",
    "rose",
    "percent",
    "votes",
    "first",
    "record",
    "visit",
    "Tokyo",
    "agreement",
    "trade",
]


def generate(session: Session, claims: int) -> int:
    rng = random.Random(7)
    user_id = session.execute(
        insert(User).returning(User.id),
        [
            {
                "email": "bench@example.org",
                "display_name": "Bench",
                "password_hash": "-",
                "role": "reviewer",
                "is_active": True,
                "created_at": datetime.now(UTC),
            }
        ],
    ).scalar_one()
    articles = claims // CLAIMS_PER_ARTICLE
    now = datetime.now(UTC)
    for first in range(0, articles, 250):
        batch = range(first, min(first + 250, articles))
        ids = (
            session.execute(
                insert(Article).returning(Article.id),
                [
                    {
                        "title": f"Article {n}",
                        "body": "x" * 4000,
                        "content_hash": f"{n:064d}",
                        "language": "en",
                        "imported_at": now,
                    }
                    for n in batch
                ],
            )
            .scalars()
            .all()
        )
        rows = []
        for article_id in ids:
            for n in range(CLAIMS_PER_ARTICLE):
                sentence = " ".join(rng.choices(WORDS, k=12)) + f" {rng.randint(1, 999)}."
                moment = now - timedelta(seconds=rng.randint(0, 10**7))
                rows.append(
                    {
                        "article_id": article_id,
                        "start": n * 100,
                        "end": n * 100 + 90,
                        "sentence": sentence,
                        "text": sentence,
                        "claimant": "Bench Wire",
                        "score": round(rng.random(), 4),
                        "reasons": [],
                        "status": (status := rng.choice(list(Status))).value,
                        "verdict": rng.choice(VERDICT_NAMES) if status == Status.PUBLISHED else None,
                        "rationale": "Checked against the record." if status == Status.PUBLISHED else None,
                        "published_at": moment if status == Status.PUBLISHED else None,
                        "version": 1,
                        "assignee_id": user_id if rng.random() < 0.05 else None,
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
        session.execute(insert(Claim), rows)
    session.commit()
    return user_id


def substring_condition(query: str) -> ColumnElement[bool]:
    """The queue's text filter before word search (case-insensitive substring of the claim text)."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Claim.text.ilike(f"%{escaped}%", escape="\\")


def substring_page(session: Session, query: str) -> list[Claim]:
    return list(
        session.scalars(
            select(Claim)
            .where(substring_condition(query))
            .order_by(Claim.score.desc(), Claim.id.desc())
            .limit(PAGE_SIZE + 1)
        )
    )


def substring_counts(session: Session, query: str) -> dict[str, int]:
    rows = session.execute(
        select(Claim.status, func.count()).where(substring_condition(query)).group_by(Claim.status)
    )
    return dict(rows.all())


def counted_status_counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all())


def timed(run: Callable[[], object], repeats: int = 15) -> float:
    run()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty database; default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        with sessions() as session:
            started = time.perf_counter()
            user_id = generate(session, args.claims)
            elapsed = time.perf_counter() - started
            print(f"{args.claims:,} claims generated in {elapsed:.1f} s ({engine.dialect.name})")
            session.execute(text("ANALYZE"))
            session.commit()

        with sessions() as session:
            deep_cursor = None
            for _ in range(40):
                deep_cursor = queue_page(session, QueueFilters(), Sort.SCORE, deep_cursor).next_cursor
            cases: dict[str, Callable[[], object]] = {
                "trivial SELECT 1 (baseline)": lambda: session.execute(text("SELECT 1")).scalar(),
                "queue, first page by score": lambda: queue_page(session, QueueFilters()),
                "queue, page 41 by score": lambda: queue_page(
                    session, QueueFilters(), Sort.SCORE, deep_cursor
                ),
                "queue, newest first": lambda: queue_page(session, QueueFilters(), Sort.NEWEST),
                "queue, status unreviewed": lambda: queue_page(session, QueueFilters(status="unreviewed")),
                "queue, assigned to me": lambda: queue_page(session, QueueFilters(assignee_id=user_id)),
                "substring search '237 votes' (before)": lambda: substring_page(session, "237 votes"),
                "word search '237 votes'": lambda: queue_page(session, QueueFilters(search="237 votes")),
                "substring search 'tokyo' (before)": lambda: substring_page(session, "tokyo"),
                "word search 'tokyo'": lambda: queue_page(session, QueueFilters(search="tokyo")),
                "substring counts '237 votes' (before)": lambda: substring_counts(session, "237 votes"),
                "word search counts '237 votes'": lambda: status_counts(
                    session, QueueFilters(search="237 votes")
                ),
                "counts per status (before: counted)": lambda: counted_status_counts(session),
                "counts per status (kept by triggers)": lambda: status_counts(session, QueueFilters()),
            }
            baseline = None
            for name, run in cases.items():
                median = timed(run)
                baseline = baseline or median
                print(f"{name:38} {median:8.2f} ms   ×{median / baseline:8.1f} the baseline")
        engine.dispose()


if __name__ == "__main__":
    main()
