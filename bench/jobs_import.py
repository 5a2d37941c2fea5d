"""How long a reviewer's write waits while 400 articles are imported as a job (PostgreSQL; run on demand).

    python bench/jobs_import.py [--files 400] [--sentences 40] [--workers 2] [--job-workers 1]

For each runner — `claimtrack worker` processes on Redis (CLAIMTRACK_REDIS_URL, a queue of its own), and
the app's own thread (no Redis) — on a new database (dropped afterwards): starts `claimtrack serve`,
measures a signed-in reviewer's comment (a web write) with nothing else running, uploads --files files
on the bulk import form, and comments in a loop until the job has finished. Prints the job's duration
and the writes' p50/p99/longest wait, all measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from ingest_contention import REVIEWER, build_desk, comment_latency, write_files
from load import CSRF, database, percentile, server, sign_in
from sqlalchemy import select

from claims.db import make_engine
from claims.models import Job, JobState

REDIS_URL = "redis://127.0.0.1:6379/13"
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))


@contextmanager
def job_workers(url: str, count: int) -> Iterator[None]:
    env = {**os.environ, "CLAIMTRACK_DATABASE_URL": url}
    processes = [
        subprocess.Popen(
            [CLAIMTRACK, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(count)
    ]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=60)


def job_state(url: str, job_id: int) -> tuple[str, int, int | None, str | None]:
    engine = make_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            select(Job.state, Job.done, Job.total, Job.error).where(Job.id == job_id)
        ).one()
    engine.dispose()
    return row.state, row.done, row.total, row.error


def run(
    server_url: str, runner: str, files: int, sentences: int, workers: int, job_workers_count: int
) -> None:
    if runner == "redis":
        os.environ["CLAIMTRACK_REDIS_URL"] = REDIS_URL
        os.environ["CLAIMTRACK_JOB_QUEUE"] = f"claimtrack-bench-{uuid.uuid4().hex[:8]}"
    else:
        os.environ.pop("CLAIMTRACK_REDIS_URL", None)
    with database(server_url) as url, tempfile.TemporaryDirectory() as directory:
        claim_id = build_desk(url)
        paths = [Path(path) for path in write_files(Path(directory), files, sentences, seed=1)]
        workers_running = job_workers(url, job_workers_count) if runner == "redis" else nullcontext()
        with server(url, workers) as base, workers_running:
            browser, token = sign_in(base, REVIEWER)
            idle = statistics.median(
                comment_latency(browser, token, base, claim_id, f"idle {n}") for n in range(30)
            )
            form_token = CSRF.search(browser.get(f"{base}/articles/import/bulk").text).group(1)
            started = time.perf_counter()
            response = browser.post(
                f"{base}/articles/import/bulk",
                data={"csrf_token": form_token},
                files=[("uploads", (path.name, path.read_bytes(), "text/plain")) for path in paths],
                allow_redirects=False,
            )
            assert response.status_code == 302, response.status_code
            job_id = int(response.headers["Location"].rsplit("/", 1)[1])
            waits = []
            while (state := job_state(url, job_id))[0] in (JobState.QUEUED, JobState.RUNNING):
                waits.append(comment_latency(browser, token, base, claim_id, f"busy {len(waits)}"))
            duration = time.perf_counter() - started
    assert state[0] == JobState.SUCCEEDED, state
    label = f"{job_workers_count} worker(s) on Redis" if runner == "redis" else "the app's thread"
    print(
        f"{label}: {files} files × {sentences} sentences imported in {duration:.1f} s; "
        f"{len(waits)} web writes"
    )
    print(
        f"  write p50 {statistics.median(waits):7.1f} ms  p99 {percentile(waits, 0.99):7.1f} ms  "
        f"longest {max(waits):7.1f} ms  (idle write {idle:.1f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of the web server")
    parser.add_argument("--job-workers", type=int, default=1, help="`claimtrack worker` processes")
    parser.add_argument("--server-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    for runner in ("redis", "thread"):
        run(args.server_url, runner, args.files, args.sentences, args.workers, args.job_workers)


if __name__ == "__main__":
    main()
