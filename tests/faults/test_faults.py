"""Faults against real processes on PostgreSQL: a crowd of anonymous feed readers, a web worker killed
with SIGKILL mid-write, an ingest killed with SIGKILL mid-batch. Nothing confirmed is lost, nothing is
half-written, the audit record verifies, and no connection is left inside a transaction."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle
from pathlib import Path

from sqlalchemy import func, select

from claims.db import make_engine, make_session_factory
from claims.ingest.sentences import split_sentences
from claims.models import Article, AuditEvent, Claim, Evidence
from tests.faults.conftest import (
    CLAIMTRACK,
    Desk,
    Server,
    audit_verify,
    call,
    environment,
    idle_in_transaction,
)

FEED_READERS = 200
WRITERS = 4


class Writers:
    """Reviewers adding evidence through the API until told to stop; keeps every answer."""

    def __init__(self, base: str, desk: Desk) -> None:
        self.base, self.desk = base, desk
        self.confirmed: list[str] = []
        self.failed: list[tuple[str, int]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]

    def write(self, number: int) -> None:
        claim_ids = cycle(self.desk.open_claim_ids[number::WRITERS])
        count = 0
        while not self.stop.is_set():
            count += 1
            url = f"https://evidence.example.org/{number}/{count}"
            body = {"url": url, "title": f"Source {number}/{count}", "stance": "context"}
            status, _ = call(
                f"{self.base}/api/v1/claims/{next(claim_ids)}/evidence", body, self.desk.reviewer_token
            )
            with self.lock:
                (self.confirmed.append(url) if status == 201 else self.failed.append((url, status)))

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def evidence_and_its_events(database_url: str) -> tuple[dict[int, str], set[int]]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            rows = session.execute(select(Evidence.id, Evidence.url))
            stored = {evidence_id: url for evidence_id, url in rows}
            audited = set(
                session.scalars(
                    select(AuditEvent.entity_id).where(
                        AuditEvent.entity_type == "evidence", AuditEvent.action == "evidence.added"
                    )
                )
            )
    finally:
        engine.dispose()
    return stored, audited


def test_two_hundred_anonymous_feed_readers_do_not_starve_writers_or_leak_connections(
    desk: Desk, server: Server
) -> None:
    with Writers(server.base, desk) as writers, ThreadPoolExecutor(FEED_READERS) as crowd:
        feed = f"{server.base}/api/v1/claimreview.json"
        answers = list(crowd.map(lambda _: call(feed), range(FEED_READERS)))
    leaked = idle_in_transaction(desk.url)

    assert writers.failed == []
    assert len(writers.confirmed) > 0
    assert [status for status, _ in answers] == [200] * FEED_READERS
    assert all(len(json.loads(body)) == 3 for _, body in answers)
    assert leaked == 0


def test_a_worker_killed_mid_write_loses_no_confirmed_write_and_half_writes_nothing(
    desk: Desk, server: Server
) -> None:
    with Writers(server.base, desk) as writers:
        time.sleep(1)
        os.kill(server.worker_pids()[0], signal.SIGKILL)
        time.sleep(2)  # the master starts a new worker; the writers go on

    stored, audited = evidence_and_its_events(desk.url)
    assert len(writers.confirmed) > 0
    assert set(writers.confirmed) <= set(stored.values())  # every confirmed write is there
    assert stored.keys() == audited  # every stored row has its audit event, and no event is orphaned
    verify = audit_verify(desk.url)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert idle_in_transaction(desk.url) == 0


def ingest(database_url: str, paths: list[Path]) -> subprocess.Popen:
    return subprocess.Popen(
        [CLAIMTRACK, "ingest", *map(str, paths)],
        env=environment(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def article_files(directory: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = directory / f"article-{number:03}.txt"
        sentences = [
            f"Report {number} says the council approved {n + 10} schools in {2000 + n}." for n in range(40)
        ]
        path.write_text("\n".join(sentences), encoding="utf-8")
        paths.append(path)
    return paths


def test_an_ingest_killed_mid_batch_leaves_whole_articles_and_the_next_ingest_finishes(
    postgres_url: str, tmp_path: Path
) -> None:
    paths = article_files(tmp_path, 20)
    engine = make_engine(postgres_url)
    sessions = make_session_factory(engine)

    process = ingest(postgres_url, paths)
    deadline = time.monotonic() + 30
    while True:
        with sessions() as session:
            imported = session.scalar(select(func.count()).select_from(Article))
        if imported >= 2 or process.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    process.kill()
    process.communicate()

    with sessions() as session:
        articles = session.scalars(select(Article)).all()
        assert 2 <= len(articles) < len(paths), "the ingest was not killed mid-batch"
        for article in articles:
            claims = session.scalar(select(func.count()).where(Claim.article_id == article.id))
            events = session.scalar(
                select(func.count()).where(
                    AuditEvent.article_id == article.id, AuditEvent.action == "claim.created"
                )
            )
            assert claims == events == len(split_sentences(article.body)) == 40, article.id
    verify = audit_verify(postgres_url)
    assert verify.returncode == 0, verify.stdout + verify.stderr

    again = ingest(postgres_url, paths)
    output, errors = again.communicate(timeout=120)
    with sessions() as session:
        total = session.scalar(select(func.count()).select_from(Article))
    engine.dispose()
    assert again.returncode == 0, errors
    assert output.count("already imported") == len(articles)
    assert total == len(paths)
    assert audit_verify(postgres_url).returncode == 0
