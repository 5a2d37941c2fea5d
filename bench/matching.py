"""Claim matching speed (run on demand, not a test).

    python bench/matching.py [--data ../shared/data/claim-matching] [--vectors FILE.npy] [--entries 100000]

In one run: (a) the index for the 14,231 CheckThat! fact-checks — encoding their texts (done once, at
import; measured on `--sample` of them and projected when `--vectors` gives the rest, else all), then
building the in-process index from the stored embeddings (base64 float16 rows → float32 matrix, what a
worker does at start-up); (b) adding one article's claims (encoding 25 sentences, rebuilding the matrix);
(c) the time per query against `--entries` claims + fact-checks (the real fact-check vectors, the rest
near-copies of them with noise so scores stay realistic), split into encoding the query and searching:
the shipped search (memory-mapped matrix, one matrix-vector product, BM25 over the query's postings, the
fusion and a partial sort) against the brute-force baseline (cosine alone, a private in-memory copy, every
score sorted). p50/p95 over `--queries` train-dev tweets; one ONNX Runtime thread.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

# One core, as the target says: BLAS would otherwise spread the matrix-vector product over every core.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402 - after the thread settings above

from claims.matching.embeddings import pack, unpack_many  # noqa: E402
from claims.matching.encoder import DIMENSIONS, default_encoder  # noqa: E402
from claims.matching.index import MatchIndex  # noqa: E402


def percentiles(values: list[float]) -> str:
    p50, p95 = np.percentile(np.array(values) * 1000, [50, 95])
    return f"p50 {p50:6.2f} ms, p95 {p95:6.2f} ms"


def brute_force_full_sort(vectors: np.ndarray, query: np.ndarray, top: int) -> np.ndarray:
    return np.argsort(-(vectors @ query))[:top]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data/claim-matching"))
    parser.add_argument("--vectors", type=Path, help="the fact-checks' vectors (.npy, from matching_quality)")
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    checks = [json.loads(line)["vclaim"] for line in (args.data / "fact-checks.jsonl").open(encoding="utf-8")]
    tweets = [line.split("\t", 1)[1] for line in (args.data / "train-dev.queries.tsv").open(encoding="utf-8")]
    encoder = default_encoder()
    encoder.encode(["warm up"])

    measured = checks[: args.sample] if args.vectors else checks
    started = time.perf_counter()
    sample_vectors = encoder.encode(measured)
    rate = len(measured) / (time.perf_counter() - started)
    vectors = np.load(args.vectors) if args.vectors else sample_vectors
    how = f"measured on {len(measured):,}, projected" if args.vectors else "measured"
    print(f"(a) encoding {len(checks):,} fact-checks: {len(checks) / rate:.0f} s ({rate:.0f} texts/s, {how})")
    stored = [pack(vector) for vector in vectors]
    started = time.perf_counter()
    index = MatchIndex.build([("factcheck", i) for i in range(len(checks))], unpack_many(stored), checks)
    with tempfile.TemporaryDirectory() as folder:
        index.save(Path(folder))
        took = (time.perf_counter() - started) * 1000
        mapped_started = time.perf_counter()
        MatchIndex.mapped(Path(folder))
        mapped = (time.perf_counter() - mapped_started) * 1000
    print(
        f"    index files (matrix + BM25) built from {len(index):,} stored embeddings: {took:.0f} ms; "
        f"mapping them in another worker: {mapped:.0f} ms"
    )

    article = tweets[:25]
    started = time.perf_counter()
    added = encoder.encode(article)
    grown = MatchIndex.build(
        [("factcheck", i) for i in range(len(checks))] + [("claim", i) for i in range(len(article))],
        np.vstack([vectors, added]),
        checks + article,
    )
    print(
        f"(b) adding one article's {len(article)} claims: {(time.perf_counter() - started) * 1000:.0f} ms "
        f"(index now {len(grown):,})"
    )

    generator = np.random.default_rng(7)
    copies = vectors[generator.integers(0, len(vectors), args.entries - len(vectors))]
    copies = copies + generator.normal(0, 0.03, copies.shape).astype(np.float32)
    copies /= np.linalg.norm(copies, axis=1, keepdims=True)
    sources = generator.integers(0, len(checks), len(copies))
    large = MatchIndex.build(
        [("factcheck", i) for i in range(len(vectors))] + [("claim", i) for i in range(len(copies))],
        np.vstack([vectors, copies]).astype(np.float32),
        checks + [checks[i] for i in sources],
    )
    with tempfile.TemporaryDirectory() as folder:
        large.save(Path(folder))
        large = MatchIndex.mapped(Path(folder))
        query_run(args, encoder, large, tweets)


def query_run(args: argparse.Namespace, encoder: Any, large: MatchIndex, tweets: list[str]) -> None:
    in_memory = np.array(large.vectors)  # the baseline: a private copy per worker
    queries = tweets[100 : 100 + args.queries]
    encode_times, search_times, baseline_times, totals, cpu_totals = [], [], [], [], []
    for text in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        query = encoder.encode([text])[0]
        middle = time.perf_counter()
        large.search(query, 5, text=text)
        done, cpu_done = time.perf_counter(), time.process_time()
        brute_force_full_sort(in_memory, query, 5)
        baseline_done = time.perf_counter()
        encode_times.append(middle - started)
        search_times.append(done - middle)
        baseline_times.append(baseline_done - done)
        totals.append(done - started)
        cpu_totals.append(cpu_done - cpu_started)
    megabytes = large.vectors.nbytes / 2**20
    print(
        f"(c) {len(queries)} queries against {len(large):,} entries ({megabytes:.0f} MB of float32 vectors):"
    )
    print(f"    encoding the query       {percentiles(encode_times)}")
    print(f"    search, shipped (fusion, mapped)  {percentiles(search_times)}")
    print(f"    search, baseline (cosine, full sort, private copy)  {percentiles(baseline_times)}")
    print(f"    query total (shipped)    {percentiles(totals)}")
    print(f"    query total, CPU time    {percentiles(cpu_totals)} (what the query costs its core)")
    ratio = np.percentile(baseline_times, 95) / np.percentile(search_times, 95)
    print(f"    p95 search: baseline / shipped = {ratio:.1f}x")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
        f"{DIMENSIONS} dimensions"
    )


if __name__ == "__main__":
    main()
