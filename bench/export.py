"""Export speed and memory on a large desk (run on demand, not a test).

    python bench/export.py [--claims 100000] [--small 10000]

For a generated desk of --claims claims (about 20% published), times `export claimreview` and
`export full` against a baseline that serialises the same rows with plain `json.dumps`, in the same run,
and prints the ratios. Then measures the peak Python memory of both exports (tracemalloc) for
--small and for --claims claims: streaming keeps the two close.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

from claim_queue import generate
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from claims import schema
from claims.db import make_engine, make_session_factory
from claims.export.claimreview import Publisher, claim_reviews
from claims.export.full import TABLES, export_lines, to_json
from claims.export.jsonfile import json_array
from claims.models import Claim, Status

PUBLISHER = Publisher("Bench Desk", "https://bench.example.org/", "https://bench.example.org")


def drain(chunks: Iterable[str], sink: Path) -> None:
    with sink.open("w", encoding="utf-8") as stream:
        for chunk in chunks:
            stream.write(chunk)


def baseline_claims(session: Session) -> Iterable[str]:
    rows = session.execute(select(Claim.__table__).where(Claim.status == Status.PUBLISHED)).mappings()
    return [json.dumps([{k: to_json(v) for k, v in row.items()} for row in rows], ensure_ascii=False)]


def baseline_full(session: Session) -> Iterable[str]:
    return [
        json.dumps(
            {
                t.name: [
                    {k: to_json(v) for k, v in row.items()} for row in session.execute(select(t)).mappings()
                ]
                for t in TABLES
            },
            ensure_ascii=False,
        )
    ]


def timed(sessions: sessionmaker[Session], produce: Callable[[Session], Iterable[str]], sink: Path) -> float:
    with sessions() as session:
        started = time.perf_counter()
        drain(produce(session), sink)
        return time.perf_counter() - started


def peak_memory(
    sessions: sessionmaker[Session], produce: Callable[[Session], Iterable[str]], sink: Path
) -> float:
    with sessions() as session:
        tracemalloc.start()
        drain(produce(session), sink)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 2**20


def desk(directory: Path, claims: int) -> tuple[object, sessionmaker[Session]]:
    url = f"sqlite:///{directory / f'desk-{claims}.sqlite3'}"
    schema.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        generate(session, claims)
    return engine, sessions


CASES: dict[str, Callable[[Session], Iterable[str]]] = {
    "export claimreview": lambda s: json_array(claim_reviews(s, PUBLISHER)),
    "export full": export_lines,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        small_engine, small = desk(directory, args.small)
        big_engine, big = desk(directory, args.claims)
        sink = directory / "out.json"

        print(f"desk of {args.claims:,} claims (SQLite)")
        baselines = {"export claimreview": baseline_claims, "export full": baseline_full}
        for label, produce in CASES.items():
            ours = timed(big, produce, sink)
            size = sink.stat().st_size / 2**20
            plain = timed(big, baselines[label], sink)
            print(
                f"  {label:20} {ours:6.2f} s ({size:6.1f} MB)   plain json.dumps of the rows {plain:6.2f} s"
                f"   ratio {ours / plain:5.2f}"
            )
        for label, produce in CASES.items():
            low, high = peak_memory(small, produce, sink), peak_memory(big, produce, sink)
            whole = peak_memory(big, baselines[label], sink)
            print(
                f"  peak memory, {label:20} {args.small:>7,} claims {low:6.1f} MB   "
                f"{args.claims:>7,} claims {high:6.1f} MB   (all rows in one json.dumps: {whole:6.1f} MB)"
            )
        small_engine.dispose()
        big_engine.dispose()


if __name__ == "__main__":
    main()
