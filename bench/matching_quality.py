"""Claim matching quality on CLEF 2022 CheckThat! Task 2A English (`../shared/data/claim-matching/`).

Compares BM25 (bm25s, and the product's numpy BM25 of `claims.matching.lexical`), dense MiniLM cosine
(the shipped int8 ONNX encoder) and a score fusion whose weight is tuned, matching on the fact-check's
claim as reviewed; then the strong-match cut and the similarity floor (cosine) under the shipped ranking.
Every choice is made on train and dev; `--final` additionally reports the chosen setting on dev-test,
once, with a bootstrap interval.
`--cache FOLDER` keeps the encoded vectors (`bench/matching.py` reuses the fact-checks' vectors).

    python bench/matching_quality.py [--data ../shared/data/claim-matching] [--final] [--cache /tmp/cm]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from claims.matching.clef import read_answers, read_tsv
from claims.matching.clef import clean as clean
from claims.matching.encoder import default_encoder
from claims.matching.index import DENSE_WEIGHT
from claims.matching.lexical import LexicalIndex
from claims.matching.metrics import average_precision_at, bootstrap_interval, summary

DEPTH = 50  # candidates fused from each retriever


def bm25_scores(documents: list[str], queries: list[str]) -> np.ndarray:
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(documents, stopwords="en", show_progress=False), show_progress=False)
    scores = np.zeros((len(queries), len(documents)), dtype=np.float32)
    tokens = bm25s.tokenize(queries, stopwords="en", show_progress=False)
    ids, values = retriever.retrieve(tokens, k=DEPTH, show_progress=False)
    for row in range(len(queries)):
        scores[row, ids[row]] = values[row]
    return scores


def our_bm25_scores(documents: list[str], queries: list[str]) -> np.ndarray:
    """The product's numpy BM25 (`claims.matching.lexical`), every entry scored."""
    index = LexicalIndex.build(documents)
    return np.vstack([index.scores(query) for query in queries])


def rankings_from(scores: np.ndarray, query_ids: list[str], keys: list[str]) -> dict[str, list[str]]:
    top = np.argsort(-scores, axis=1)[:, :5]
    return {query: [keys[i] for i in top[row]] for row, query in enumerate(query_ids)}


def fused(dense: np.ndarray, lexical: np.ndarray, weight: float) -> np.ndarray:
    """weight·cosine + (1 − weight)·BM25 scaled to the query's best BM25 score."""
    best = lexical.max(axis=1, keepdims=True)
    return weight * dense + (1 - weight) * lexical / np.where(best > 0, best, 1)


def encoded(encoder: Any, name: str, texts: list[str], cache: Path | None) -> np.ndarray:
    path = cache / f"{name}-{len(texts)}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path)
    started = time.perf_counter()
    vectors = encoder.encode(texts)
    print(f"encoded {len(texts)} {name} in {time.perf_counter() - started:.1f} s", flush=True)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def calibrate(
    dense: np.ndarray, answers: dict[str, set[str]], row_of: dict[str, int], keys: list[str]
) -> None:
    """How often the best match is right when its cosine is at least t (train+dev): the strong-match cut."""
    rows = [row_of[q] for q in answers]
    best = dense[rows].argmax(axis=1)
    scores = dense[rows, best]
    right = np.array([keys[b] in answers[q] for q, b in zip(answers, best, strict=True)])
    print("\nstrong-match cut (train+dev): cosine ≥ t → share of queries, precision of the first answer")
    for cut in (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85):
        chosen = scores >= cut
        precision = right[chosen].mean() if chosen.any() else float("nan")
        print(f"  t={cut:.2f}: {chosen.mean():6.1%} of queries, precision {precision:.3f}")


def floor(
    scores: np.ndarray,
    dense: np.ndarray,
    answers: dict[str, set[str]],
    row_of: dict[str, int],
    keys: list[str],
) -> None:
    """The similarity floor (train+dev): among the top 5 the chosen method offers, how many right answers
    and how many wrong candidates a cosine floor keeps."""
    right, wrong = [], []
    for query, expected in answers.items():
        row = row_of[query]
        for column in np.argsort(-scores[row])[:5]:
            (right if keys[column] in expected else wrong).append(dense[row, column])
    right_scores, wrong_scores = np.array(right), np.array(wrong)
    print("\nsimilarity floor (train+dev, top 5 of the chosen method): cosine ≥ t keeps")
    for cut in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        kept_right = (right_scores >= cut).mean()
        kept_wrong = (wrong_scores >= cut).mean()
        print(
            f"  t={cut:.2f}: {kept_right:6.1%} of {len(right)} right answers, "
            f"{kept_wrong:6.1%} of {len(wrong)} wrong"
        )
    print(f"  right answers' cosine percentiles 1/2/5%: {np.percentile(right_scores, [1, 2, 5]).round(3)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/data/claim-matching"))
    parser.add_argument("--final", action="store_true", help="also report dev-test, once")
    parser.add_argument("--cache", type=Path, help="folder keeping encoded vectors between runs")
    args = parser.parse_args()

    checks = [json.loads(line) for line in (args.data / "fact-checks.jsonl").open(encoding="utf-8")]
    keys = [check["vclaim_id"] for check in checks]
    writings = {"claim": [check["vclaim"] for check in checks]}
    queries = {row[0]: clean(row[1]) for row in read_tsv(args.data / "train-dev.queries.tsv")}
    splits = {
        "train": read_answers(args.data / "train.qrels.tsv"),
        "dev": read_answers(args.data / "dev.qrels.tsv"),
    }
    if args.final:
        queries |= {row[0]: clean(row[1]) for row in read_tsv(args.data / "dev-test.queries.tsv")}
        splits["dev-test"] = read_answers(args.data / "dev-test.qrels.tsv")
    query_ids = list(queries)
    row_of = {query: row for row, query in enumerate(query_ids)}
    encoder = default_encoder()

    query_vectors = encoded(encoder, "queries", [queries[q] for q in query_ids], args.cache)
    results: dict[str, dict[str, np.ndarray]] = {}
    for writing, documents in writings.items():
        vectors = encoded(encoder, f"fact-checks-{writing}", documents, args.cache)
        dense = query_vectors @ vectors.T
        lexical = bm25_scores(documents, [queries[q] for q in query_ids])
        ours = our_bm25_scores(documents, [queries[q] for q in query_ids])
        results[writing] = {"bm25": lexical, "bm25 numpy": ours, "dense": dense}
        for weight in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
            results[writing][f"fusion w={weight}"] = fused(dense, lexical, weight)
            results[writing][f"fusion-np w={weight}"] = fused(dense, ours, weight)

    def measure(scores: np.ndarray, split: str) -> dict[str, float]:
        answers = splits[split]
        rows = [row_of[q] for q in answers]
        return summary(rankings_from(scores[rows], list(answers), keys), answers)

    print(f"\n{'writing':16} {'method':16} " + " ".join(f"{s + ' MAP@5':>14}" for s in ("train", "dev")))
    best = ("", "", -1.0)
    for writing, methods in results.items():
        for method, scores in methods.items():
            train, dev = measure(scores, "train")["map@5"], measure(scores, "dev")["map@5"]
            print(f"{writing:16} {method:16} {train:14.4f} {dev:14.4f}")
            if train + dev > best[2]:
                best = (writing, method, train + dev)
    writing, method, _ = best
    print(f"\nchosen on train+dev: {writing} / {method}")
    calibrate(results[writing]["dense"], {**splits["train"], **splits["dev"]}, row_of, keys)
    shipped = f"fusion-np w={DENSE_WEIGHT}"  # what the product ranks by (claims.matching.index)
    print(f"the product ranks by {shipped}")
    floor(
        results[writing][shipped],
        results[writing]["dense"],
        {**splits["train"], **splits["dev"]},
        row_of,
        keys,
    )
    if args.final:
        answers = splits["dev-test"]
        scores = results[writing][method]
        rankings = rankings_from(scores[[row_of[q] for q in answers]], list(answers), keys)
        figures = summary(rankings, answers)
        low, high = bootstrap_interval(
            [average_precision_at(rankings[q], answers[q], 5) for q in sorted(answers)]
        )
        print(f"dev-test ({len(answers)} tweets): " + ", ".join(f"{k} {v:.4f}" for k, v in figures.items()))
        print(f"dev-test MAP@5 95% bootstrap interval: {low:.4f}–{high:.4f}")
        for name in ("bm25", "dense"):
            other = summary(
                rankings_from(results[writing][name][[row_of[q] for q in answers]], list(answers), keys),
                answers,
            )
            print(f"  for comparison, {name}: " + ", ".join(f"{k} {v:.4f}" for k, v in other.items()))


if __name__ == "__main__":
    main()
