"""The sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run by ONNX Runtime (no PyTorch, no network).

`model/` holds `model.onnx` (mean pooling and L2 normalisation are in the graph, so the output is the
unit-length embedding and a dot product is the cosine), `tokenizer.json` and `card.json`;
`encoder_export.py` made them. Same runner shape as the check-worthiness model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

ARTEFACT = Path(__file__).with_name("model")
BATCH_SIZE = 64
DIMENSIONS = 384


@dataclass
class Encoder:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    card: dict[str, Any]

    @classmethod
    def load(cls, folder: Path = ARTEFACT, *, threads: int = 1) -> Encoder:
        import onnxruntime
        from tokenizers import Tokenizer

        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
        options = onnxruntime.SessionOptions()
        # One thread per worker: web and job workers are one process per core.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(card["max_tokens"])
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        return cls(session, tokenizer, card)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 embeddings, one row per text, in input order. Batches hold texts of
        similar length, since a batch is padded to its longest."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH_SIZE):
            picked = order[start : start + BATCH_SIZE]
            encoded = self.tokenizer.encode_batch([texts[i] for i in picked])
            ids = np.array([item.ids for item in encoded], dtype=np.int64)
            mask = np.array([item.attention_mask for item in encoded], dtype=np.int64)
            (embeddings,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            vectors[picked] = embeddings
        return vectors


@cache
def default_encoder() -> Encoder:
    return Encoder.load()
