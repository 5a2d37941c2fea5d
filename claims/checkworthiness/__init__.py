"""Check-worthiness scoring behind one interface, so a trained model can replace the rules.

Entry points: `default_scorer()` (the shipped fine-tuned model, `transformer.py`), `rules.cues_in` (the
reasons shown to reviewers), `rules.RuleScorer` (hand-weighted cues, for tests), `finetune` (training,
the `train` extra) and `evaluation` (figures with bootstrap intervals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol


@dataclass(frozen=True)
class Score:
    value: float
    reasons: list[str]


class Scorer(Protocol):
    threshold: float

    def score(self, sentence: str) -> Score: ...

    def score_many(self, sentences: Sequence[str]) -> list[Score]:
        """Scores in input order; a model scores them in batches (an article at import)."""
        ...


@cache
def default_scorer() -> Scorer:
    """The fine-tuned model shipped in the package (loaded once per process)."""
    from claims.checkworthiness.transformer import TransformerScorer

    return TransformerScorer.load()
