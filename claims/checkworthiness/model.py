"""The trained check-worthiness model: hashed features, logistic weights, a chosen threshold.

Scoring needs only numpy and the small artefact shipped in the package; training (scikit-learn) is an
optional extra, `pip install claimtrack[train]`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claims.checkworthiness import Score
from claims.checkworthiness.features import DIMENSIONS, features

ARTEFACT = Path(__file__).with_name("model.npz")
REASONS_SHOWN = 3


@dataclass
class LinearModel:
    weights: np.ndarray
    bias: float
    threshold: float
    card: dict[str, Any]

    def probability(self, sentence: str) -> float:
        indices = list(features(sentence))
        total = self.bias + float(self.weights[indices].sum()) if indices else self.bias
        return 1.0 / (1.0 + math.exp(-total))

    def score(self, sentence: str) -> Score:
        found = features(sentence)
        contributions: dict[str, float] = {}
        for label, weight in zip(found.values(), self.weights[list(found)].tolist(), strict=True):
            contributions[label] = contributions.get(label, 0.0) + weight
        total = self.bias + sum(contributions.values())
        value = 1.0 / (1.0 + math.exp(-total))
        return Score(round(value, 4), explain(contributions, raising=value >= self.threshold))

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=np.array(self.bias),
            threshold=np.array(self.threshold),
            card=np.array(json.dumps(self.card)),
        )

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> LinearModel:
        with np.load(path) as data:
            weights = data["weights"].astype(np.float32)
            if weights.shape != (DIMENSIONS,):
                raise ValueError(
                    f"{path}: model has {weights.shape[0]} weights, this code expects {DIMENSIONS}"
                )
            return cls(weights, float(data["bias"]), float(data["threshold"]), json.loads(str(data["card"])))


def explain(contributions: dict[str, float], *, raising: bool) -> list[str]:
    """The features that pushed the score most in the direction it went, in words."""
    ordered = sorted(contributions.items(), key=lambda item: -item[1] if raising else item[1])
    arrow = "↑" if raising else "↓"
    return [
        f"{arrow} {label}" for label, weight in ordered[:REASONS_SHOWN] if (weight > 0) == raising and weight
    ]
