"""Evidence snapshots per second taken by job workers against a local page server (run on demand, not a
test).

    python bench/snapshots.py --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        --redis-url redis://127.0.0.1:6379/15 [--pages 60] [--latency 0.05]

Serves the saved real news pages of ../shared/data/html (or --html-dir) from a local HTTP server that
waits --latency seconds before answering (a remote site's think time; 0 for none). In a new database on
the PostgreSQL server (dropped at the end) it cites 2 × --pages pages, submits one `snapshot` job per
piece of evidence, and has them run by real `claimtrack worker` processes on Redis: first 1 worker, then
4, same run and database, each on its own evidence, each after a warm-up job per worker (a worker's
first job loads trafilatura). The time runs from the first job enqueued to the last one finished, as
the job records say, so it covers the queue, the fetch, the extraction, the store and the audit.
Prints snapshots/s for both, the ratio, the load average, and checks `audit verify` at the end.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rq import Worker
from sqlalchemy import create_engine, func, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from claims import schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.jobs.records import submit
from claims.jobs.runners import RedisRunner
from claims.jobs.snapshots import SNAPSHOT
from claims.models import Claim, Job, JobState, Role, User
from claims.replay import verify_database
from claims.services.articles import import_article
from claims.services.evidence import add_evidence
from claims.services.users import create_user

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "claims" / "demo" / "trump-japan-visit.txt"
HTML_DIR = ROOT.parent / "shared" / "data" / "html"
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))
FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


def serve(pages: dict[str, bytes], latency: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(latency)
            body = pages[self.path.split("?")[0]]  # ?n= makes each cited address distinct
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def new_database(server_url: str) -> Iterator[str]:
    """A database of its own on the PostgreSQL server, dropped afterwards."""
    server = make_url(server_url)
    name = f"claimtrack_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def cite_pages(sessions: sessionmaker[Session], urls: list[str]) -> tuple[int, list[int]]:
    """A reviewer and one piece of evidence per URL (snapshots off: the bench submits the jobs)."""
    with sessions() as session:
        reviewer = create_user(
            session, None, email="bench@example.org", role=Role.REVIEWER, password="x" * 12
        )
        draft = ArticleDraft(text=ARTICLE.read_text(encoding="utf-8"), title="Bench")
        claim: Claim = import_article(session, None, draft, RuleScorer(), 0.5).article.claims[0]
        ids = [
            add_evidence(session, reviewer, claim.id, url=url, title=f"page {n}", stance="context").id
            for n, url in enumerate(urls)
        ]
        session.commit()
        return reviewer.id, ids


def submit_snapshots(sessions: sessionmaker[Session], user_id: int, evidence_ids: list[int]) -> list[int]:
    with sessions() as session:
        user = session.get_one(User, user_id)
        jobs = [submit(session, SNAPSHOT, {"evidence_id": i}, user) for i in evidence_ids]
        session.commit()
        return [job.id for job in jobs]


def run_jobs(sessions: sessionmaker[Session], runner: RedisRunner, job_ids: list[int]) -> float:
    """Enqueue the jobs and wait for all; seconds from the first enqueued to the last finished."""
    started = time.time()
    for job_id in job_ids:
        runner.enqueue(job_id)
    while True:
        with sessions() as session:
            pending = session.scalar(
                select(func.count()).where(Job.id.in_(job_ids), Job.state.not_in(FINISHED))
            )
            if not pending:
                last = session.scalar(select(func.max(Job.finished_at)).where(Job.id.in_(job_ids)))
                failed = session.scalars(
                    select(Job.error).where(Job.id.in_(job_ids), Job.state == JobState.FAILED).limit(3)
                ).all()
                assert not failed, failed
                return last.timestamp() - started
        time.sleep(0.05)


@contextmanager
def workers(count: int, env: dict[str, str], runner: RedisRunner) -> Iterator[None]:
    processes = [
        subprocess.Popen([CLAIMTRACK, "worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        while len(Worker.all(queue=runner.queue)) < count:
            time.sleep(0.1)
        yield
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=60, help="snapshots per run (each run its own)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the server waits per page")
    parser.add_argument("--html-dir", type=Path, default=HTML_DIR)
    parser.add_argument("--postgres-url", required=True, help="a PostgreSQL server; a database is made on it")
    parser.add_argument("--redis-url", required=True)
    args = parser.parse_args()
    os.environ["CLAIMTRACK_SNAPSHOTS"] = "off"  # citing here submits no job: the bench submits them

    saved = sorted(args.html_dir.glob("*.html"))
    pages = {f"/{path.name}": path.read_bytes() for path in saved}
    server = serve(pages, args.latency)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    names = list(pages)
    worker_counts = (1, 4)
    warm_up = sum(worker_counts)
    urls = [f"{base}{names[n % len(names)]}?n={n}" for n in range(len(worker_counts) * args.pages + warm_up)]
    load_before = os.getloadavg()

    with new_database(args.postgres_url) as database_url:
        schema.upgrade(database_url)
        engine = make_engine(database_url)
        sessions = make_session_factory(engine)
        user_id, evidence_ids = cite_pages(sessions, urls)
        runner = RedisRunner(args.redis_url, f"claimtrack-bench-{uuid.uuid4().hex[:12]}")
        env = {
            **os.environ,
            "CLAIMTRACK_DATABASE_URL": database_url,
            "CLAIMTRACK_REDIS_URL": args.redis_url,
            "CLAIMTRACK_JOB_QUEUE": runner.queue.name,
            "CLAIMTRACK_SNAPSHOTS": "on",
            "CLAIMTRACK_RECHECK_HOURS": "0",
            "CLAIMTRACK_FETCH_ALLOW": "127.0.0.1",
        }
        average = sum(len(pages[n]) for n in names) / len(names)
        print(
            f"{len(names)} saved pages (mean {average / 1024:.0f} KB), server latency "
            f"{args.latency * 1000:.0f} ms, {args.pages} snapshots per run, PostgreSQL, RQ on Redis, "
            f"{os.cpu_count()} cores"
        )
        rates = {}
        batches = iter(evidence_ids)
        for count in worker_counts:
            warm = [next(batches) for _ in range(count)]
            timed = [next(batches) for _ in range(args.pages)]
            with workers(count, env, runner):
                run_jobs(sessions, runner, submit_snapshots(sessions, user_id, warm))
                seconds = run_jobs(sessions, runner, submit_snapshots(sessions, user_id, timed))
            rates[count] = args.pages / seconds
            print(f"{count} worker(s): {rates[count]:.1f} snapshots/s ({seconds:.1f} s)")
        print(f"4 workers / 1 worker: {rates[4] / rates[1]:.2f}×")
        print(
            "load average (1, 5, 15 min) before: "
            + ", ".join(f"{x:.2f}" for x in load_before)
            + "; after: "
            + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        )
        with sessions() as session:
            result = verify_database(session)
            print(f"audit verify: {'ok' if result.ok else result.difference or result.chain.problem}")
        runner.queue.delete(delete_jobs=True)
        engine.dispose()
    server.shutdown()


if __name__ == "__main__":
    main()
