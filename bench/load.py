"""Load test against the production server on PostgreSQL (run on demand; loopback only, bounded in time).

    python bench/load.py [--claims 100000] [--users 50] [--seconds 120] [--workers 5]

1. Builds a desk of --claims claims in a new PostgreSQL database (dropped afterwards) and starts
   `claimtrack serve` (gunicorn) on a free loopback port.
2. Page latency against a trivial route (/healthz), one request at a time, on this desk and on a desk of
   1,000 claims: the claim queue (with and without a word search), an article page and a claim page;
   median and p95 and the ratio.
3. --users simulated reviewers for --seconds: open the queue with filters, open claims, add evidence,
   triage claims, comment. Prints requests/s, p50/p95/p99 per action, errors, and lost writes: every
   write the server confirmed is looked up in the database and in the audit record afterwards.
   `--seconds 0` measures the page latencies only.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from claim_queue import generate
from sqlalchemy import create_engine, func, insert, make_url, select, text

from claims import schema
from claims.db import make_engine, make_session_factory
from claims.models import Article, AuditEvent, Claim, Comment, Evidence, Status, User
from claims.passwords import hash_password

PASSWORD = "load test password"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
VERSION = re.compile(r'action="/claims/\d+/move/triage".*?name="version" type="hidden" value="(\d+)"', re.S)
ACTIONS = [("queue", 40), ("claim", 30), ("evidence", 10), ("triage", 10), ("comment", 10)]


@contextmanager
def database(server_url: str) -> Iterator[str]:
    name = f"claimtrack_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def build_desk(url: str, claims: int, users: int) -> None:
    schema.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        generate(session, claims)
        password_hash = hash_password(PASSWORD)  # one scrypt for all load users
        session.execute(
            insert(User),
            [
                {
                    "email": f"load{n}@example.org",
                    "display_name": f"Load {n}",
                    "password_hash": password_hash,
                    "role": "reviewer",
                    "is_active": True,
                    "session_version": 0,
                }
                for n in range(users)
            ],
        )
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
    engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(url: str, workers: int) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "CLAIMTRACK_DATABASE_URL": url,
        "CLAIMTRACK_ENV": "production",
        "CLAIMTRACK_SECRET_KEY": secrets.token_hex(32),
        "CLAIMTRACK_RATE_LIMIT_STORAGE": "redis://127.0.0.1:6379/14",
        "CLAIMTRACK_SIGN_IN_LIMIT_PER_ADDRESS": "10000 per minute",
    }
    command = [
        str(Path(sys.executable).with_name("claimtrack")),
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        "8",
    ]
    log = Path(tempfile.gettempdir()) / "claimtrack-load-server.log"
    process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a worker starting
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def sign_in(base: str, email: str) -> tuple[requests.Session, str]:
    browser = requests.Session()
    token = CSRF.search(browser.get(f"{base}/sign-in").text).group(1)
    browser.post(
        f"{base}/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    token = CSRF.search(browser.get(f"{base}/").text).group(1)
    return browser, token


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def page_ratios(base: str, url: str, label: str, repeats: int = 60) -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        article_id = connection.scalar(select(func.min(Article.id)))
        claim_id = connection.scalar(select(func.min(Claim.id)).where(Claim.article_id == article_id))
    engine.dispose()
    browser, _ = sign_in(base, "load0@example.org")
    pages = {
        "trivial /healthz": "/healthz",
        "claim queue": "/queue?status=unreviewed&sort=score",
        "claim queue, search": "/queue?q=237+votes",
        "article page": f"/articles/{article_id}",
        "claim page": f"/claims/{claim_id}",
    }
    timings = {}
    for name, path in pages.items():
        browser.get(base + path)
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = browser.get(base + path)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        timings[name] = samples
    baseline = statistics.median(timings["trivial /healthz"])
    print(f"page latency, one request at a time, {label}:")
    for name, samples in timings.items():
        median = statistics.median(samples)
        p95 = percentile(samples, 0.95)
        print(f"  {name:18} p50 {median:7.1f} ms  p95 {p95:7.1f} ms  ×{median / baseline:5.1f}")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    evidence: set[str] = field(default_factory=set)
    comments: set[str] = field(default_factory=set)
    triaged: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, started: float, response: requests.Response, ok: set[int]) -> bool:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies[action].append(elapsed)
            if response.status_code not in ok:
                self.errors.append(f"{action} {response.request.url} -> {response.status_code}")
                return False
        return True


def reviewer(
    base: str,
    number: int,
    claim_ids: list[int],
    open_ids: list[int],
    to_triage: list[int],
    deadline: float,
    tally: Tally,
) -> None:
    browser, token = sign_in(base, f"load{number}@example.org")
    rng = random.Random(number)
    names, weights = zip(*ACTIONS, strict=True)
    writes = 0
    while time.monotonic() < deadline:
        action = rng.choices(names, weights)[0]
        claim_id = rng.choice(claim_ids)
        started = time.perf_counter()
        if action == "queue":
            status = rng.choice(["", "unreviewed", "in_review", "published"])
            sort = rng.choice(["score", "newest", "changed"])
            tally.record(
                action, started, browser.get(f"{base}/queue", params={"status": status, "sort": sort}), {200}
            )
        elif action == "claim":
            tally.record(action, started, browser.get(f"{base}/claims/{claim_id}"), {200})
        elif action == "evidence":
            writes += 1
            url = f"https://load.example.org/{number}/{writes}"
            response = browser.post(
                f"{base}/claims/{rng.choice(open_ids)}/evidence",  # evidence is frozen under a verdict
                data={
                    "url": url,
                    "title": f"Load evidence {number}/{writes}",
                    "stance": "context",
                    "csrf_token": token,
                },
                allow_redirects=False,
            )
            if tally.record(action, started, response, {302}):
                tally.evidence.add(url)
        elif action == "comment":
            writes += 1
            body = f"load comment {number}/{writes}"
            response = browser.post(
                f"{base}/claims/{claim_id}/comments",
                data={"body": body, "csrf_token": token},
                allow_redirects=False,
            )
            if tally.record(action, started, response, {302}):
                tally.comments.add(body)
        elif action == "triage" and to_triage:
            target = to_triage.pop()
            page = browser.get(f"{base}/claims/{target}").text
            version = VERSION.search(page).group(1)
            response = browser.post(
                f"{base}/claims/{target}/move/triage",
                data={"version": version, "csrf_token": token},
                allow_redirects=False,
            )
            if tally.record(action, started, response, {302}):
                tally.triaged.add(target)


def run_load(base: str, url: str, users: int, seconds: float) -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(Claim.id, Claim.status)).all()
    partitions = [[cid for cid, _ in rows if cid % users == n] for n in range(users)]
    unreviewed = [
        [cid for cid, status in rows if cid % users == n and status == Status.UNREVIEWED]
        for n in range(users)
    ]
    frozen = {Status.AWAITING_APPROVAL, Status.PUBLISHED}
    open_for_evidence = [
        [cid for cid, status in rows if cid % users == n and status not in frozen] for n in range(users)
    ]
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=reviewer,
            args=(base, n, partitions[n], open_for_evidence[n], unreviewed[n], deadline, tally),
        )
        for n in range(users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(len(samples) for samples in tally.latencies.values())
    print(f"{users} reviewers for {elapsed:.0f} s: {total} requests, {total / elapsed:.1f} requests/s")
    for action, samples in sorted(tally.latencies.items()):
        print(
            f"  {action:9} {len(samples):6} requests  p50 {percentile(samples, 0.5):7.1f} ms  "
            f"p95 {percentile(samples, 0.95):7.1f} ms  p99 {percentile(samples, 0.99):7.1f} ms"
        )
    print(f"errors: {len(tally.errors)}", *tally.errors[:5], sep="\n  ")
    with make_session_factory(engine)() as session:
        stored_evidence = set(
            session.scalars(select(Evidence.url).where(Evidence.url.like("https://load.example.org/%")))
        )
        stored_comments = set(
            session.scalars(select(Comment.body).where(Comment.body.like("load comment %")))
        )
        triaged = set(
            session.scalars(
                select(Claim.id).where(Claim.id.in_(tally.triaged), Claim.status == Status.IN_REVIEW)
            )
        )
        events = {
            action: session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
            )
            for action in ("evidence.added", "comment.added", "claim.triage")
        }
    engine.dispose()
    lost = (
        len(tally.evidence - stored_evidence)
        + len(tally.comments - stored_comments)
        + len(tally.triaged - triaged)
    )
    print(
        f"writes confirmed: {len(tally.evidence)} evidence, {len(tally.comments)} comments, "
        f"{len(tally.triaged)} triages; audit events: {events}"
    )
    confirmed = {
        "evidence.added": len(tally.evidence),
        "comment.added": len(tally.comments),
        "claim.triage": len(tally.triaged),
    }
    unaudited = sum(abs(events[action] - count) for action, count in confirmed.items())
    print(f"lost writes: {lost} (database), {unaudited} (audit record)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--server-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with database(args.server_url) as small:
        build_desk(small, 1_000, 1)
        with server(small, args.workers) as base:
            page_ratios(base, small, "1,000 claims")
    with database(args.server_url) as big:
        build_desk(big, args.claims, args.users)
        with server(big, args.workers) as base:
            page_ratios(base, big, f"{args.claims:,} claims")
            if args.seconds > 0:
                run_load(base, big, args.users, args.seconds)


if __name__ == "__main__":
    main()
