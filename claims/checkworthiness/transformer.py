"""The shipped check-worthiness model: fine-tuned MiniLM as int8 ONNX, run by ONNX Runtime.

Scoring needs `onnxruntime`, `tokenizers` and numpy (run by `claims.onnx_runner`, shared with the
sentence encoder of claim matching), and the folder `claims/checkworthiness/model/`
(`model.onnx`, `tokenizer.json`, `card.json` with the cuts and provenance): no PyTorch, no network.
The model gives a probability only; the reasons shown with it are the cues found in the sentence
(`rules.cues_in`), so a reviewer reads "a number: 237", never a model token.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claims.checkworthiness import Score
from claims.checkworthiness.rules import cues_in
from claims.onnx_runner import OnnxTextModel

ARTEFACT = Path(__file__).with_name("model")


@dataclass
class TransformerScorer:
    model: OnnxTextModel
    threshold: float  # the news cut: a desk's default (evaluation.py says how it was chosen)
    debate_threshold: float  # the cut chosen on ct24_dev-test, for CheckThat!-style debate sentences
    card: dict[str, Any]

    @classmethod
    def load(cls, folder: Path = ARTEFACT, *, threads: int = 1) -> TransformerScorer:
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        model = OnnxTextModel.load(folder, card["max_tokens"], threads=threads)
        return cls(model, card["news_threshold"], card["debate_threshold"], card)

    def probabilities(self, sentences: Sequence[str]) -> list[float]:
        """Probabilities of Yes in input order."""
        # One sentence a run (`OnnxTextModel.outputs`): a sentence always scores the same.
        return [float(1.0 / (1.0 + np.exp(-float(logit)))) for logit in self.model.outputs(sentences)]

    def score_many(self, sentences: Sequence[str]) -> list[Score]:
        return [
            Score(round(value, 4), cues_in(sentence))
            for sentence, value in zip(sentences, self.probabilities(sentences), strict=True)
        ]

    def score(self, sentence: str) -> Score:
        return self.score_many([sentence])[0]
