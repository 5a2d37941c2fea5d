"""Ranking measures of the CheckThat! claim-matching task, and a bootstrap interval over queries."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence

Ranking = Sequence[str]
Answers = Mapping[str, set[str]]


def average_precision_at(ranked: Ranking, relevant: set[str], k: int) -> float:
    """AP@k as the task's scorer computes it: precision at each relevant hit in the top k, divided by
    min(number relevant, k)."""
    hits = 0
    total = 0.0
    for rank, key in enumerate(ranked[:k], start=1):
        if key in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k) if relevant else 0.0


def recall_at(ranked: Ranking, relevant: set[str], k: int) -> float:
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mean_over(queries: Sequence[str], per_query: Callable[[str], float]) -> float:
    return sum(per_query(query) for query in queries) / len(queries)


def summary(rankings: Mapping[str, Ranking], answers: Answers) -> dict[str, float]:
    queries = sorted(answers)
    return {
        "map@1": mean_over(queries, lambda q: average_precision_at(rankings[q], answers[q], 1)),
        "map@5": mean_over(queries, lambda q: average_precision_at(rankings[q], answers[q], 5)),
        "recall@5": mean_over(queries, lambda q: recall_at(rankings[q], answers[q], 5)),
    }


def bootstrap_interval(
    values: Sequence[float], *, rounds: int = 2000, seed: int = 13, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap of the mean of per-query values."""
    generator = random.Random(seed)
    size = len(values)
    means = sorted(sum(generator.choices(values, k=size)) / size for _ in range(rounds))
    tail = (1 - level) / 2
    return means[int(tail * rounds)], means[int((1 - tail) * rounds) - 1]
