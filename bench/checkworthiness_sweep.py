"""Compare check-worthiness model folders on ct24_dev only, to choose training settings (run on demand).

    taskset -c 0 python bench/checkworthiness_sweep.py --baseline FOLDER [--baseline FOLDER ...] CANDIDATE ...

Each folder is scored as it ships (int8 ONNX, in the scorer's batches) on `ct24_dev.tsv`: average
precision, and F1 of the Yes class at the folder's own best dev cut. Each candidate is compared with each
baseline by a paired bootstrap (1,000 resamples of the dev sentences, both models scored on the same
resample, each at its own cut chosen once on all of dev): the 95 % interval of the difference.
`ct24_dev-test.tsv` is never read, so it stays untouched for the final report.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path

from claims.checkworthiness.data import Labelled, read_labelled
from claims.checkworthiness.metrics import Interval, at_threshold, best_threshold, middle_95
from claims.checkworthiness.transformer import TransformerScorer

SHARED_DATA = Path("..", "shared", "data", "checkworthiness")


def scored(folder: Path, dev: Labelled) -> tuple[list[float], float]:
    """The folder's dev probabilities and its best dev cut."""
    scores = TransformerScorer.load(folder).probabilities(dev.texts)
    return scores, best_threshold(dev.labels, scores)


def paired_differences(
    labels: Sequence[int],
    candidate: tuple[list[float], float],
    baseline: tuple[list[float], float],
    *,
    rounds: int = 1000,
    seed: int = 20241,
) -> dict[str, Interval]:
    """95 % intervals of candidate − baseline for AP and F1, resampling the same sentences for both."""
    generator = random.Random(seed)
    count = len(labels)
    differences: dict[str, list[float]] = {"average_precision": [], "f1": []}
    for _ in range(rounds):
        picked = [generator.randrange(count) for _ in range(count)]
        drawn = [labels[i] for i in picked]
        ours = at_threshold(drawn, [candidate[0][i] for i in picked], candidate[1])
        theirs = at_threshold(drawn, [baseline[0][i] for i in picked], baseline[1])
        for name, values in differences.items():
            values.append(getattr(ours, name) - getattr(theirs, name))
    return {name: middle_95(values) for name, values in differences.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("candidates", type=Path, nargs="+")
    parser.add_argument("--baseline", type=Path, action="append", required=True)
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    arguments = parser.parse_args()
    dev = read_labelled(arguments.data / "ct24_dev.tsv")
    results = {folder: scored(folder, dev) for folder in [*arguments.baseline, *arguments.candidates]}
    for folder, (scores, cut) in results.items():
        figures = at_threshold(dev.labels, scores, cut)
        ap, f1 = f"{figures.average_precision:.4f}", f"{figures.f1:.4f}"
        print(f"{folder}: dev AP {ap}, F1 {f1} at its best dev cut {cut:.4f}")
    for candidate in arguments.candidates:
        for baseline in arguments.baseline:
            intervals = paired_differences(dev.labels, results[candidate], results[baseline])
            ap, f1 = (f"[{item.low:+.4f}…{item.high:+.4f}]" for item in intervals.values())
            print(f"{candidate} − {baseline}: AP {ap}, F1 {f1}")


if __name__ == "__main__":
    main()
