"""The sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run by `claims.onnx_runner` (no PyTorch, no network).

`model/` holds `model.onnx` (mean pooling and L2 normalisation are in the graph, so the output is the
unit-length embedding and a dot product is the cosine), `tokenizer.json` and `card.json`;
`encoder_export.py` made them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from claims.onnx_runner import OnnxTextModel

ARTEFACT = Path(__file__).with_name("model")
DIMENSIONS = 384


def model_version(folder: Path = ARTEFACT) -> str:
    """The shipped encoder's name on its card: stored embeddings made by another are stale."""
    return json.loads((folder / "card.json").read_text(encoding="utf-8"))["version"]


@dataclass
class Encoder:
    model: OnnxTextModel
    card: dict[str, Any]

    @classmethod
    def load(cls, folder: Path = ARTEFACT, *, threads: int = 1) -> Encoder:
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        return cls(OnnxTextModel.load(folder, card["max_tokens"], threads=threads), card)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 embeddings, one row per text, in input order; one text a run
        (`OnnxTextModel.outputs`), so a text's vector does not depend on the texts encoded with it."""
        vectors = np.zeros((len(texts), self.card["dimensions"]), dtype=np.float32)
        for row, embedding in enumerate(self.model.outputs(texts)):
            vectors[row] = embedding
        return vectors


@cache
def default_encoder() -> Encoder:
    return Encoder.load()
