"""The claim queue's CPU time per request, in process, against /healthz (run on demand, not a test).

    python bench/queue_cpu.py [--claims 20000] [--repeats 200] [--server-url postgresql+psycopg://...]
    python bench/queue_cpu.py --desk-url URL  # a desk built before, kept: to time two versions of the code

Builds a PostgreSQL desk with bench/load.py's builder (in a new database, dropped afterwards), signs a
reviewer in through Flask's test client and times each page by process CPU time, so other work on the
machine does not blur the figures. Prints the median and p95 in ms, the SQL statements per request and
the ratio to /healthz measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import time

from flask.testing import FlaskClient
from load import CSRF, PASSWORD, build_desk, database, percentile
from sqlalchemy import event

from app import create_app
from app.database import EXTENSION_KEY

PAGES = {
    "trivial /healthz": "/healthz",
    "claim queue": "/queue?status=unreviewed&sort=score",
    "claim queue, search": "/queue?q=237+votes",
}


def signed_in_client(client: FlaskClient) -> FlaskClient:
    token = CSRF.search(client.get("/sign-in").get_data(as_text=True)).group(1)
    response = client.post(
        "/sign-in", data={"email": "load0@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, "the load user could not sign in"
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--server-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--desk-url", help="a desk bench/load.py's builder made earlier (kept)")
    options = parser.parse_args()
    if options.desk_url:
        timings, per_request = measure(options.desk_url, options.repeats)
    else:
        with database(options.server_url) as url:
            build_desk(url, options.claims, users=5)
            timings, per_request = measure(url, options.repeats)
    baseline = statistics.median(timings["trivial /healthz"])
    desk = "the desk given" if options.desk_url else f"a desk of {options.claims:,} claims"
    print(f"CPU time per request, in process, PostgreSQL, {desk}:")
    for name, samples in timings.items():
        median = statistics.median(samples)
        print(
            f"  {name:20} p50 {median:6.2f} ms  p95 {percentile(samples, 0.95):6.2f} ms  "
            f"{per_request[name]:2} statements  ×{median / baseline:5.1f}"
        )


def measure(url: str, repeats: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    """CPU ms of each request to each page, and the SQL statements a request runs."""
    app = create_app({"DATABASE_URL": url})
    engine = app.extensions[EXTENSION_KEY].kw["bind"]
    statements = 0

    def count_statement(*_: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count_statement)
    client = signed_in_client(app.test_client())
    timings: dict[str, list[float]] = {}
    per_request: dict[str, int] = {}
    for name, path in PAGES.items():
        for _ in range(5):  # warm caches: templates, compiled SQL, the connection pool
            client.get(path)
        statements = 0
        samples = []
        for _ in range(repeats):
            started = time.process_time()
            response = client.get(path)
            samples.append((time.process_time() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        timings[name] = samples
        per_request[name] = statements // repeats
    engine.dispose()
    return timings, per_request


if __name__ == "__main__":
    main()
