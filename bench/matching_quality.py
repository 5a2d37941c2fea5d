"""Claim matching quality on CLEF 2022 CheckThat! Task 2A English (`../shared/data/claim-matching/`).

Compares BM25 (bm25s, and the product's numpy BM25 of `claims.matching.lexical`), dense cosine of each
encoder given (`--model NAME=FOLDER`, an int8 ONNX folder like `claims/matching/model/`; the shipped one
is always there as "shipped") and their fusion with the numpy BM25 at several weights, matching on the
fact-check's claim as reviewed. The shipped encoder was fine-tuned on train (`claims.matching.finetune`),
so every choice for it is made on dev alone: the fusion weight, then the strong-match cut and the
similarity floor (cosine) under that ranking. `--final` additionally reports the chosen ranking and the
baselines on dev-test, once, with bootstrap intervals.
`--cache FOLDER` keeps the encoded vectors (`bench/matching.py` reuses the fact-checks' vectors).

    python bench/matching_quality.py [--model base=/tmp/cm-base] [--final] [--cache /tmp/cm]
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path
from typing import Any

import numpy as np

from claims.matching.clef import DEFAULT_FOLDER, Collection, read_answers
from claims.matching.encoder import ARTEFACT, Encoder
from claims.matching.lexical import LexicalIndex
from claims.matching.metrics import average_precision_at, bootstrap_interval, recall_at, summary

DEPTH = 50  # candidates kept from bm25s
WEIGHTS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
SHIPPED = "shipped"
CUTS = tuple(round(0.3 + 0.05 * step, 2) for step in range(13))  # 0.30 … 0.90
# The rules the thresholds are chosen by (docs/claim-matching.md): a strong match's first answer is right
# for at least 99% of the tweets that reach it; the floor keeps at least 99% of the right answers.
STRONG_PRECISION = 0.99
FLOOR_KEEPS = 0.99


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
    # Named after the texts too, so a change of what is encoded (another field) never reuses old vectors.
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:10]
    path = cache / f"{name}-{len(texts)}-{digest}.npy" if cache else None
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
    """How often the best match is right when its cosine is at least t: the strong-match cut."""
    rows = [row_of[q] for q in answers]
    best = dense[rows].argmax(axis=1)
    scores = dense[rows, best]
    right = np.array([keys[b] in answers[q] for q, b in zip(answers, best, strict=True)])
    print(f"\nstrong-match cut (dev, {len(answers)} tweets): best cosine ≥ t → share, precision of the first")
    lowest_sure = None
    for cut in CUTS:
        chosen = scores >= cut
        precision = right[chosen].mean() if chosen.any() else float("nan")
        print(f"  t={cut:.2f}: {chosen.mean():6.1%} of tweets, precision {precision:.3f}")
        if lowest_sure is None and precision >= STRONG_PRECISION:
            lowest_sure = cut
    print(
        f"  strong match: the lowest cut whose first answer is right ≥ {STRONG_PRECISION:.0%}: {lowest_sure}"
    )


def floor(
    scores: np.ndarray,
    dense: np.ndarray,
    answers: dict[str, set[str]],
    row_of: dict[str, int],
    keys: list[str],
) -> None:
    """The similarity floor: among the top 5 the chosen ranking offers, how many right answers and how
    many wrong candidates a cosine floor keeps."""
    right, wrong = [], []
    for query, expected in answers.items():
        row = row_of[query]
        for column in np.argsort(-scores[row])[:5]:
            (right if keys[column] in expected else wrong).append(dense[row, column])
    right_scores, wrong_scores = np.array(right), np.array(wrong)
    print("\nsimilarity floor (dev, top 5 of the chosen ranking): cosine ≥ t keeps")
    highest_safe = None
    for cut in CUTS:
        kept_right = (right_scores >= cut).mean()
        kept_wrong = (wrong_scores >= cut).mean()
        print(
            f"  t={cut:.2f}: {kept_right:6.1%} of {len(right)} right answers, "
            f"{kept_wrong:6.1%} of {len(wrong)} wrong"
        )
        if kept_right >= FLOOR_KEEPS:
            highest_safe = cut
    print(f"  floor: the highest cut keeping ≥ {FLOOR_KEEPS:.0%} of the right answers: {highest_safe}")
    print(f"  right answers' cosine percentiles 1/2/5%: {np.percentile(right_scores, [1, 2, 5]).round(3)}")


def with_intervals(rankings: dict[str, list[str]], answers: dict[str, set[str]]) -> str:
    """MAP@5, MAP@1 and recall@5, each with its 95% percentile bootstrap interval over tweets."""
    queries = sorted(answers)
    measures = {
        "MAP@5": lambda q: average_precision_at(rankings[q], answers[q], 5),
        "MAP@1": lambda q: average_precision_at(rankings[q], answers[q], 1),
        "recall@5": lambda q: recall_at(rankings[q], answers[q], 5),
    }
    parts = []
    for name, per_query in measures.items():
        values = [per_query(q) for q in queries]
        low, high = bootstrap_interval(values)
        parts.append(f"{name} {sum(values) / len(values):.3f} ({low:.3f}–{high:.3f})")
    return ", ".join(parts)


def paired_gain(
    ranked: dict[str, list[str]], baseline: dict[str, list[str]], answers: dict[str, set[str]]
) -> tuple[float, float]:
    """95% percentile bootstrap interval of the mean per-tweet AP@5 gain over the baseline, tweet by tweet."""
    gains = [
        average_precision_at(ranked[q], answers[q], 5) - average_precision_at(baseline[q], answers[q], 5)
        for q in sorted(answers)
    ]
    return bootstrap_interval(gains)


def answer_splits(folder: Path) -> dict[str, dict[str, set[str]]]:
    """The answers of the splits every choice is made on (dev-test is read only by `--final`)."""
    return {split: read_answers(folder / f"{split}.qrels.tsv") for split in ("train", "dev")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument(
        "--model", action="append", default=[], help="NAME=FOLDER, another encoder to compare"
    )
    parser.add_argument("--final", action="store_true", help="also report dev-test, once")
    parser.add_argument("--cache", type=Path, help="folder keeping encoded vectors between runs")
    args = parser.parse_args()

    data = Collection.read(args.data, with_dev_test=args.final)
    splits = answer_splits(args.data)
    if args.final:
        splits["dev-test"] = read_answers(args.data / "dev-test.qrels.tsv")
    query_ids = list(data.queries)
    query_texts = [data.queries[q] for q in query_ids]
    row_of = {query: row for row, query in enumerate(query_ids)}
    folders = {SHIPPED: ARTEFACT} | dict(tuple(spec.split("=", 1)) for spec in args.model)

    ours = our_bm25_scores(data.texts, query_texts)
    results: dict[str, np.ndarray] = {
        "bm25 (bm25s)": bm25_scores(data.texts, query_texts),
        "bm25 numpy": ours,
    }
    dense: dict[str, np.ndarray] = {}
    for name, folder in folders.items():
        encoder = Encoder.load(Path(folder))
        version = encoder.card["version"].replace(" ", "_")
        queries = encoded(encoder, f"{version}-queries", query_texts, args.cache)
        dense[name] = queries @ encoded(encoder, f"{version}-fact-checks-claim", data.texts, args.cache).T
        results[f"{name} cosine"] = dense[name]
        for weight in WEIGHTS:
            results[f"{name} + bm25 w={weight}"] = fused(dense[name], ours, weight)

    def measure(scores: np.ndarray, split: str) -> float:
        answers = splits[split]
        return summary(
            rankings_from(scores[[row_of[q] for q in answers]], list(answers), data.keys), answers
        )["map@5"]

    print(f"\n{'method':28} {'train MAP@5':>12} {'dev MAP@5':>10}")
    for method, scores in results.items():
        print(f"{method:28} {measure(scores, 'train'):12.4f} {measure(scores, 'dev'):10.4f}")
    # The shipped encoder saw train: its ranking is chosen on dev alone (ties to the higher dense weight).
    candidates = [m for m in results if m.startswith(SHIPPED)]
    chosen = max(candidates, key=lambda m: (round(measure(results[m], "dev"), 4), m))
    print(f"\nchosen on dev: {chosen}")
    calibrate(dense[SHIPPED], splits["dev"], row_of, data.keys)
    floor(results[chosen], dense[SHIPPED], splits["dev"], row_of, data.keys)
    if args.final:
        answers = splits["dev-test"]
        rows = [row_of[q] for q in answers]
        print(f"\ndev-test ({len(answers)} tweets), 95% percentile bootstrap over tweets (2,000 rounds):")
        others = [
            f"{name} {leg}" for name in folders if name != SHIPPED for leg in ("cosine", "+ bm25 w=0.85")
        ]
        for method in (chosen, f"{SHIPPED} cosine", *others, "bm25 numpy", "bm25 (bm25s)"):
            rankings = rankings_from(results[method][rows], list(answers), data.keys)
            print(f"  {method:28} {with_intervals(rankings, answers)}")


if __name__ == "__main__":
    main()
