"""The largest article an import accepts, and the one it refuses (run on demand, not a test).

    python bench/largest_article.py [--database-url URL]

Each case runs in a fresh process, so its peak memory (ru_maxrss) is its own; a process that only loads
the app and the scorer gives the baseline. Cases, at the default CLAIMTRACK_MAX_CLAIMS_PER_ARTICLE and
CLAIMTRACK_MAX_IMPORT_BYTES:
  news-at-limit     an article of exactly the sentence limit in news prose (about 0.3 MB)
  bytes-at-limit    the sentence limit in long sentences filling the byte limit (5 MB)
  refused           5.2 MB of "Word. " (866,000 sentences), the text that used to exhaust a worker
Default database: a new SQLite file; pass a PostgreSQL URL of a scratch database to measure that instead.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest import make_article

from claims import schema
from claims.checkworthiness import default_scorer
from claims.config import DEFAULT_MAX_CLAIMS_PER_ARTICLE, DEFAULT_MAX_IMPORT_BYTES
from claims.db import make_engine, make_session_factory
from claims.errors import ImportRejected
from claims.ingest.readers import ArticleDraft
from claims.ingest.sentences import split_sentences
from claims.services.articles import import_article

CASES = ("baseline", "news-at-limit", "bytes-at-limit", "refused")


def text_for(case: str) -> str:
    limit = DEFAULT_MAX_CLAIMS_PER_ARTICLE
    if case == "news-at-limit":
        text = make_article(random.Random(7), limit, 0)  # some templates are two sentences: cut at the limit
        text = text[: split_sentences(text)[limit - 1].end]
    elif case == "bytes-at-limit":
        per_sentence = DEFAULT_MAX_IMPORT_BYTES // limit - 2
        words = "The audit counted schools, roads and clinics in every district of the region"
        sentence = (words + " ") * (per_sentence // (len(words) + 1))
        text = "\n".join(f"{sentence.strip()} in year {n}." for n in range(limit))
    else:
        text = "Word. " * 866_000
    return text


def run_case(case: str, url: str) -> dict[str, object]:
    scorer = default_scorer()
    scorer.score("Warm the scorer up: 12 schools in 2024.")
    if case == "baseline":
        return {"case": case, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    text = text_for(case)
    engine = make_engine(url)
    started = time.perf_counter()
    with make_session_factory(engine)() as session:
        try:
            result = import_article(session, None, ArticleDraft(text=text, origin=case), scorer)
            session.commit()
            outcome = f"{len(result.article.claims):,} claims"
        except ImportRejected as refused:
            outcome = f"refused: {refused.reason}"
    seconds = time.perf_counter() - started
    engine.dispose()
    return {
        "case": case,
        "bytes": len(text.encode()),
        "sentences": len(split_sentences(text)) if case != "refused" else 866_000,
        "seconds": seconds,
        "outcome": outcome,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)  # one case, in a child process
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.database_url)))
        return
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        schema.upgrade(url)
        results = []
        for case in CASES:
            command = [sys.executable, __file__, "--case", case, "--database-url", url]
            results.append(json.loads(subprocess.run(command, check=True, capture_output=True).stdout))
    baseline = results[0]["peak_mb"]
    print(
        f"database: {make_engine(url).dialect.name}; limits {DEFAULT_MAX_CLAIMS_PER_ARTICLE:,} sentences, "
        f"{DEFAULT_MAX_IMPORT_BYTES:,} bytes; process with app and scorer loaded: {baseline:.0f} MB"
    )
    for row in results[1:]:
        print(
            f"  {row['case']:15} {row['bytes'] / 1e6:5.2f} MB  {row['sentences']:>8,} sentences  "
            f"{row['seconds']:6.2f} s  peak {row['peak_mb']:5.0f} MB (+{row['peak_mb'] - baseline:4.0f})  "
            f"{row['outcome']}"
        )


if __name__ == "__main__":
    main()
