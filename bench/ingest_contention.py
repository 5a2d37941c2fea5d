"""How long a reviewer's write waits while `claimtrack ingest` imports a batch (PostgreSQL, run on demand).

    python bench/ingest_contention.py [--files 400] [--sentences 40] [--workers 2]

For each way of running a batch — each article committed on its own (the default) and `--all-or-nothing`
(one transaction, as every ingest was before) — on a new database (dropped afterwards): starts
`claimtrack serve`, measures a signed-in reviewer's comment (a web write: form post, audit event, commit)
one at a time with nothing else running, then again in a loop while a `claimtrack ingest` process imports
--files files. Prints the ingest's duration, the writes' p50/p99/longest wait and the ratio to the idle
write, all measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest import make_article
from load import PASSWORD, database, percentile, server, sign_in
from sqlalchemy import func, select

from claims import schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.models import Claim, Role
from claims.services.articles import import_article
from claims.services.users import create_user

REVIEWER = "load0@example.org"


def build_desk(url: str) -> int:
    """A migrated desk with one reviewer and one article; the id of a claim to comment on."""
    schema.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        create_user(session, None, email=REVIEWER, role=Role.REVIEWER, password=PASSWORD)
        draft = ArticleDraft(text="The council approved 12 new schools in 2024, the mayor said.")
        import_article(session, None, draft, RuleScorer(), 0.5)
        session.commit()
        claim_id = session.scalar(select(func.min(Claim.id)))
    engine.dispose()
    return claim_id


def write_files(directory: Path, files: int, sentences: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    paths = []
    for number in range(files):
        path = directory / f"article-{number:04}.txt"
        path.write_text(make_article(rng, sentences, number), encoding="utf-8")
        paths.append(str(path))
    return paths


def comment_latency(browser, token: str, base: str, claim_id: int, label: str) -> float:
    started = time.perf_counter()
    response = browser.post(
        f"{base}/claims/{claim_id}/comments",
        data={"body": f"bench comment {label}", "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.status_code
    return (time.perf_counter() - started) * 1000


def run(server_url: str, mode: list[str], files: int, sentences: int, workers: int) -> None:
    with database(server_url) as url, tempfile.TemporaryDirectory() as directory:
        claim_id = build_desk(url)
        paths = write_files(Path(directory), files, sentences, seed=len(mode))
        with server(url, workers) as base:
            browser, token = sign_in(base, REVIEWER)
            idle = statistics.median(
                comment_latency(browser, token, base, claim_id, f"idle {n}") for n in range(30)
            )
            command = [str(Path(sys.executable).with_name("claimtrack")), "ingest", *mode, *paths]
            env = {**os.environ, "CLAIMTRACK_DATABASE_URL": url}
            started = time.perf_counter()
            ingest = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            waits = []
            while ingest.poll() is None:
                waits.append(comment_latency(browser, token, base, claim_id, f"busy {len(waits)}"))
            duration = time.perf_counter() - started
            assert ingest.returncode == 0, ingest.stderr.read() if ingest.stderr else ""
    label = " ".join(mode) or "one commit per article"
    print(f"{label}: {files} files × {sentences} sentences in {duration:.1f} s; {len(waits)} web writes")
    print(
        f"  write p50 {statistics.median(waits):7.1f} ms  p99 {percentile(waits, 0.99):7.1f} ms  "
        f"longest {max(waits):7.1f} ms  (idle write {idle:.1f} ms; longest ×{max(waits) / idle:,.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    for mode in ([], ["--all-or-nothing"]):
        run(args.server_url, mode, args.files, args.sentences, args.workers)


if __name__ == "__main__":
    main()
