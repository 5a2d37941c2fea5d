"""Precision, recall and F1 of the Yes class, and average precision — plain arithmetic, tested by hand."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    f1: float
    average_precision: float


FIGURE_NAMES = ("precision", "recall", "f1", "average_precision")


def at_threshold(labels: Sequence[int], scores: Sequence[float], threshold: float) -> Figures:
    predicted = [score >= threshold for score in scores]
    true_positive = sum(1 for label, yes in zip(labels, predicted, strict=True) if yes and label == 1)
    predicted_yes, actual_yes = sum(predicted), sum(labels)
    precision = true_positive / predicted_yes if predicted_yes else 0.0
    recall = true_positive / actual_yes if actual_yes else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Figures(precision, recall, f1, average_precision(labels, scores))


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Mean of the precision at each Yes, ranking by score (highest first; ties keep input order)."""
    ranked = sorted(zip(scores, labels, strict=True), key=lambda pair: -pair[0])
    hits, total = 0, 0.0
    for rank, (_, label) in enumerate(ranked, start=1):
        if label == 1:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def best_threshold(labels: Sequence[int], scores: Sequence[float]) -> float:
    """The score cut that gives the highest F1 on these labels."""
    candidates = sorted(set(scores))
    return max(candidates, key=lambda cut: (at_threshold(labels, scores, cut).f1, -cut))


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def bootstrap_intervals(
    labels: Sequence[int], scores: Sequence[float], threshold: float, *, rounds: int = 1000, seed: int = 20241
) -> dict[str, Interval]:
    """95 % percentile intervals of each figure, resampling the sentences with replacement.

    They say how much the figures move with the particular sentences drawn, not how a model will do on
    text of another kind (news after debates)."""
    generator = random.Random(seed)
    count = len(labels)
    samples: dict[str, list[float]] = {name: [] for name in FIGURE_NAMES}
    for _ in range(rounds):
        picked = [generator.randrange(count) for _ in range(count)]
        figures = at_threshold([labels[i] for i in picked], [scores[i] for i in picked], threshold)
        for name in FIGURE_NAMES:
            samples[name].append(getattr(figures, name))
    return {name: middle_95(values) for name, values in samples.items()}


def middle_95(values: list[float]) -> Interval:
    """The 2.5th and 97.5th percentiles of bootstrap samples."""
    ordered = sorted(values)
    last = len(ordered) - 1
    return Interval(ordered[round(0.025 * last)], ordered[round(0.975 * last)])
