"""Running a MiniLM exported to ONNX: the shared part of the check-worthiness model and the sentence
encoder. ONNX Runtime, `tokenizers` and numpy only — no PyTorch, no network."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Measured (bench/checkworthiness.py): batches of 16 texts of similar length run as fast as or faster
# than one at a time; batches of 64 were several times slower (padding to the longest).
BATCH_SIZE = 16


@dataclass
class OnnxTextModel:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer

    @classmethod
    def load(cls, folder: Path, max_tokens: int, *, threads: int = 1) -> OnnxTextModel:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # One thread per worker: a web or job worker is one process per core, and a second thread only
        # contends with its neighbours.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_tokens)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        return cls(session, tokenizer)

    def batches(
        self, texts: Sequence[str], batch_size: int = BATCH_SIZE
    ) -> Iterator[tuple[list[int], np.ndarray]]:
        """(positions in `texts`, the model's output for them). Batches hold texts of similar length, since
        a batch is padded to its longest: a one-word heading does not cost as much as a long quotation."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            picked = order[start : start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in picked])
            ids = np.array([item.ids for item in encoded], dtype=np.int64)
            mask = np.array([item.attention_mask for item in encoded], dtype=np.int64)
            (output,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            yield picked, output
