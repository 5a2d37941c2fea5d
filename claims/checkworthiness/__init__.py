"""Check-worthiness scoring behind one interface, so a trained model can replace the rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Score:
    value: float
    reasons: list[str]


class Scorer(Protocol):
    def score(self, sentence: str) -> Score: ...


def default_scorer() -> Scorer:
    from claims.checkworthiness.rules import RuleScorer

    return RuleScorer()
