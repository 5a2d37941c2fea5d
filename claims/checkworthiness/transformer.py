"""The shipped check-worthiness model: fine-tuned MiniLM as int8 ONNX, run by ONNX Runtime.

Scoring needs `onnxruntime`, `tokenizers` and numpy, and the folder `claims/checkworthiness/model/`
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

ARTEFACT = Path(__file__).with_name("model")
# Measured (bench/checkworthiness.py): batches of 16 sentences of similar length score as fast as or
# faster than one at a time; batches of 64 were several times slower (padding to the longest).
BATCH_SIZE = 16


@dataclass
class TransformerScorer:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    threshold: float  # the news cut: a desk's default (evaluation.py says how it was chosen)
    debate_threshold: float  # the cut chosen on ct24_dev-test, for CheckThat!-style debate sentences
    card: dict[str, Any]

    @classmethod
    def load(cls, folder: Path = ARTEFACT, *, threads: int = 1) -> TransformerScorer:
        import onnxruntime
        from tokenizers import Tokenizer

        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        options = onnxruntime.SessionOptions()
        # One thread per worker: a web or job worker is one process per core, and a second thread only
        # contends with its neighbours.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(card["max_tokens"])
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        return cls(session, tokenizer, card["news_threshold"], card["debate_threshold"], card)

    def probabilities(self, sentences: Sequence[str]) -> list[float]:
        """Probabilities of Yes in input order. Batches hold sentences of similar length (a batch is
        padded to its longest), so a one-word heading does not cost as much as a long quotation."""
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        scores = [0.0] * len(sentences)
        for start in range(0, len(order), BATCH_SIZE):
            picked = order[start : start + BATCH_SIZE]
            encoded = self.tokenizer.encode_batch([sentences[i] for i in picked])
            ids = np.array([item.ids for item in encoded], dtype=np.int64)
            mask = np.array([item.attention_mask for item in encoded], dtype=np.int64)
            (logits,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            for i, value in zip(picked, 1.0 / (1.0 + np.exp(-logits.astype(np.float64))), strict=True):
                scores[i] = float(value)
        return scores

    def score_many(self, sentences: Sequence[str]) -> list[Score]:
        return [
            Score(round(value, 4), cues_in(sentence))
            for sentence, value in zip(sentences, self.probabilities(sentences), strict=True)
        ]

    def score(self, sentence: str) -> Score:
        return self.score_many([sentence])[0]
