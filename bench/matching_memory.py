"""Memory of a web worker answering similarity queries over a 100,000-entry index (run on demand).

    python bench/matching_memory.py [--vectors FILE.npy] [--entries 100000] [--workers 2]

Builds the index files once (the real fact-check vectors from `matching_quality.py --cache`, the rest
near-copies), then starts `--workers` fresh processes that import the app, load the encoder, map the
files and answer 20 queries, and prints each one's resident memory split into private (anonymous) and
file-backed pages, and its proportional share (Pss): the mapped matrix is file-backed, one copy in the
page cache however many workers map it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from claims.matching.index import MatchIndex

WORKER = """
import sys
from pathlib import Path
import app  # noqa: F401 - what a web worker imports
from claims.matching.encoder import default_encoder
from claims.matching.index import MatchIndex
index = MatchIndex.mapped(Path(sys.argv[1]))
encoder = default_encoder()
for text in sys.argv[2:]:
    index.search(encoder.encode([text])[0], 5, text=text)
sys.stdout.write(" "); sys.stdout.flush(); sys.stdin.read()  # hold until every worker is up
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
rollup = dict(line.split(":", 1) for line in open("/proc/self/smaps_rollup").readlines()[1:])
figures = {**{k: status[k] for k in ("VmRSS", "RssAnon", "RssFile")}, "Pss": rollup["Pss"]}
print(", ".join(f"{name} {value.strip()}" for name, value in figures.items()))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data/claim-matching"))
    parser.add_argument("--vectors", type=Path, default=Path("/tmp/match-cm/fact-checks-claim-14231.npy"))
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    checks = [json.loads(line)["vclaim"] for line in (args.data / "fact-checks.jsonl").open(encoding="utf-8")]
    vectors = np.load(args.vectors)
    generator = np.random.default_rng(7)
    picks = generator.integers(0, len(vectors), args.entries - len(vectors))
    copies = vectors[picks] + generator.normal(0, 0.03, (len(picks), vectors.shape[1])).astype(np.float32)
    copies /= np.linalg.norm(copies, axis=1, keepdims=True)
    index = MatchIndex.build(
        [("factcheck", i) for i in range(len(vectors))] + [("claim", i) for i in range(len(copies))],
        np.vstack([vectors, copies]),
        checks + [checks[i] for i in picks],
    )
    queries = checks[:20]
    with tempfile.TemporaryDirectory() as folder:
        index.save(Path(folder))
        del index
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, folder, *queries],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(args.workers)
        ]
        for worker in workers:
            worker.stdout.read(1)  # type: ignore[union-attr]
        for number, worker in enumerate(workers, start=1):
            output, _ = worker.communicate("")
            print(f"worker {number} ({args.entries:,} entries mapped): {output.strip()}")


if __name__ == "__main__":
    main()
