"""Evidence snapshots per second against a local page server (run on demand, not a test).

    python bench/snapshots.py [--pages 60] [--latency 0.05] [--database-url URL]

Serves the saved real news pages of ../shared/data/html (or --html-dir) from a local HTTP server
that waits --latency seconds before answering (a remote site's think time; 0 for none), then takes
the archive snapshot of --pages pieces of evidence through the real path (`archive_evidence`: vet,
fetch, extract the main text with trafilatura, gzip, store and audit), first with 1 fetcher, then
with 4 fetchers in threads, same run and database, each on its own evidence. Prints snapshots/s for
both and checks `audit verify` at the end.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from claims import schema
from claims.checkworthiness.rules import RuleScorer
from claims.db import make_engine, make_session_factory
from claims.ingest.readers import ArticleDraft
from claims.models import Claim, Role
from claims.replay import verify_database
from claims.services.articles import import_article
from claims.services.evidence import add_evidence
from claims.services.users import create_user
from claims.snapshots.archive import archive_evidence
from claims.snapshots.fetch import FetchPolicy, parse_allow_list

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "claims" / "demo" / "trump-japan-visit.txt"
HTML_DIR = ROOT.parent / "shared" / "data" / "html"


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


def cite_pages(sessions, urls: list[str]) -> list[int]:
    with sessions() as session:
        reviewer = create_user(
            session, None, email="bench@example.org", role=Role.REVIEWER, password="x" * 12
        )
        draft = ArticleDraft(text=ARTICLE.read_text(encoding="utf-8"), title="Bench")
        article = import_article(session, None, draft, RuleScorer(), 0.5).article
        claim: Claim = article.claims[0]
        ids = [
            add_evidence(session, reviewer, claim.id, url=url, title=f"page {n}", stance="context").id
            for n, url in enumerate(urls)
        ]
        session.commit()
        return ids


def timed(sessions, evidence_ids: list[int], fetchers: int, policy: FetchPolicy) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(fetchers) as pool:
        snapshots = list(pool.map(lambda i: archive_evidence(sessions, i, policy=policy), evidence_ids))
    elapsed = time.perf_counter() - started
    failed = [s.error for s in snapshots if s.error]
    assert not failed, failed[:3]
    return len(evidence_ids) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=60, help="snapshots per run (each run its own)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the server waits per page")
    parser.add_argument("--html-dir", type=Path, default=HTML_DIR)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    os.environ["CLAIMTRACK_SNAPSHOTS"] = "off"  # the bench takes the snapshots itself, timed

    saved = sorted(args.html_dir.glob("*.html"))
    pages = {f"/{path.name}": path.read_bytes() for path in saved}
    server = serve(pages, args.latency)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    names = list(pages)
    urls = [f"{base}{names[n % len(names)]}?n={n}" for n in range(2 * args.pages)]
    policy = FetchPolicy(allow=parse_allow_list("127.0.0.1"))

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        evidence_ids = cite_pages(sessions, urls)
        average = sum(len(pages[n]) for n in names) / len(names)
        print(
            f"{len(names)} saved pages (mean {average / 1024:.0f} KB), server latency "
            f"{args.latency * 1000:.0f} ms, {args.pages} snapshots per run, {engine.dialect.name}"
        )
        for fetchers, chunk in ((1, evidence_ids[: args.pages]), (4, evidence_ids[args.pages :])):
            rate = timed(sessions, chunk, fetchers, policy)
            print(f"{fetchers} fetcher(s): {rate:.1f} snapshots/s")
        with sessions() as session:
            result = verify_database(session)
            print(f"audit verify: {'ok' if result.ok else result.difference or result.chain.problem}")
        engine.dispose()
    server.shutdown()


if __name__ == "__main__":
    main()
