"""Training the check-worthiness model and the TF-IDF baseline (needs the `train` extra: scikit-learn).

Reproducible: a fixed seed and a deterministic solver. Regularisation and class weighting are tuned on
the dev set (average precision); the threshold is then chosen on dev-test (best F1 of the Yes class).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from claims.checkworthiness.data import Labelled
from claims.checkworthiness.features import DIMENSIONS, bucket, features
from claims.checkworthiness.metrics import Figures, at_threshold, average_precision, best_threshold
from claims.checkworthiness.model import LinearModel
from claims.checkworthiness.rules import CUES
from claims.errors import ClaimtrackError

SEED = 20241
NEWS_PRIOR = 0.5
GRID = [(c, weighting) for c in (0.03, 0.05, 0.1, 0.3) for weighting in (None, "balanced")]


class TrainingUnavailable(ClaimtrackError):
    pass


def _sklearn() -> Any:
    try:
        import sklearn.linear_model
        import sklearn.pipeline

        return sklearn
    except ImportError:
        raise TrainingUnavailable(
            "training and evaluation need scikit-learn: pip install 'claimtrack[train]'"
        ) from None


def matrix(texts: Sequence[str]) -> Any:
    from scipy.sparse import csr_matrix

    rows, columns = [], []
    for row, text in enumerate(texts):
        indices = set(features(text))
        rows += [row] * len(indices)
        columns += list(indices)
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(texts), DIMENSIONS))


@dataclass(frozen=True)
class TrainingReport:
    c: float
    class_weight: str | None
    dev_average_precision: float
    threshold: float
    dev_test: Figures


def train(training: Labelled, dev: Labelled, dev_test: Labelled) -> tuple[LinearModel, TrainingReport]:
    sklearn = _sklearn()
    x_train, x_dev, x_test = matrix(training.texts), matrix(dev.texts), matrix(dev_test.texts)
    best: tuple[float, Any, float, str | None] | None = None
    for c, weighting in GRID:
        classifier = sklearn.linear_model.LogisticRegression(
            C=c, class_weight=weighting, solver="liblinear", max_iter=2000, random_state=SEED
        ).fit(x_train, training.labels)
        dev_ap = average_precision(dev.labels, classifier.predict_proba(x_dev)[:, 1].tolist())
        if best is None or dev_ap > best[0]:
            best = (dev_ap, classifier, c, weighting)
    assert best is not None
    dev_ap, classifier, c, weighting = best
    weights = with_news_prior(classifier.coef_[0].astype(np.float32))
    bias = float(classifier.intercept_[0])
    dev_ap = average_precision(dev.labels, probabilities(x_dev, weights, bias))
    test_scores = probabilities(x_test, weights, bias)
    threshold = best_threshold(dev_test.labels, test_scores)
    figures = at_threshold(dev_test.labels, test_scores, threshold)
    report = TrainingReport(c, weighting, dev_ap, threshold, figures)
    card = {
        "trained_on": len(training.texts),
        "positives": sum(training.labels),
        "skipped_rows": training.skipped,
        "C": c,
        "class_weight": weighting,
        "news_prior": NEWS_PRIOR,
        "dev_average_precision": round(dev_ap, 4),
        "threshold": threshold,
        "dev_test": {k: round(v, 4) for k, v in vars(figures).items()},
        "seed": SEED,
    }
    return LinearModel(weights, bias, threshold, card), report


def with_news_prior(weights: np.ndarray) -> np.ndarray:
    """Add half the rule scorer's weight for opinion, hope, prediction and questions to the learned one.

    Debate transcripts rarely teach that "praised", "eager" or "expected to" mark an opinion, which news
    prose is full of; this prior lowers such sentences (docs/checkworthiness.md shows what it changes)."""
    adjusted = weights.copy()
    for cue in CUES:
        if cue.weight < 0:
            adjusted[bucket("cue:" + cue.label)] += NEWS_PRIOR * cue.weight
    return adjusted


def probabilities(x: Any, weights: np.ndarray, bias: float) -> list[float]:
    logits = x @ weights + bias
    return (1.0 / (1.0 + np.exp(-logits))).tolist()


def baseline_scores(training: Labelled, texts: Sequence[str]) -> list[float]:
    """TF-IDF (word unigrams, scikit-learn defaults) + logistic regression, trained on the same data."""
    sklearn = _sklearn()
    from sklearn.feature_extraction.text import TfidfVectorizer

    pipeline = sklearn.pipeline.make_pipeline(
        TfidfVectorizer(), sklearn.linear_model.LogisticRegression(max_iter=2000, random_state=SEED)
    )
    pipeline.fit(training.texts, training.labels)
    return pipeline.predict_proba(list(texts))[:, 1].tolist()
