"""Check-worthiness scoring behind one interface, so a trained model can replace the rules."""

from __future__ import annotations

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


@cache
def default_scorer() -> Scorer:
    """The trained model shipped in the package (loaded once per process)."""
    from claims.checkworthiness.model import LinearModel

    return LinearModel.load()
