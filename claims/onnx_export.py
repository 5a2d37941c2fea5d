"""Exporting a MiniLM-based PyTorch module to the int8 ONNX that `claims.onnx_runner` runs (build time
only: the `train` extra). Shared by the check-worthiness model and the sentence encoder.

The export is plain `torch.onnx.export` followed by dynamic int8 quantisation of the weights (23 MB
instead of 90). ONNX Runtime's transformer fusions (one Attention node per layer, needing the encoder's
eager attention at export) were tried on the shipped check-worthiness model and measured no faster on
these machines (docs/checkworthiness.md, "Speed"), so they are not applied.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any


def export_int8(module: Any, out: Path, output_name: str) -> None:
    """Write `module` (called as `module(input_ids, attention_mask)`) to `out` as int8 ONNX."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    module.eval()
    example = (torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long))
    with tempfile.TemporaryDirectory() as scratch:
        full_precision = Path(scratch) / "model.fp32.onnx"
        torch.onnx.export(
            module,
            example,
            str(full_precision),
            input_names=["input_ids", "attention_mask"],
            output_names=[output_name],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                output_name: {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(full_precision), str(out), weight_type=QuantType.QInt8)
