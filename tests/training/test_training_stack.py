"""Training and export end to end, on a tiny randomly initialised BERT. Needs the `train` extra (PyTorch):
`make test-training` makes that venv and runs these with `--training`. CI does not: installing PyTorch
(about 2 GB) on every run would cost more than these tests guard; run them when the training code changes."""

import json
from pathlib import Path

import pytest

from claims.checkworthiness.data import read_labelled
from claims.checkworthiness.finetune import (
    Settings,
    export_onnx,
    fine_tune,
    predict,
    settings_card,
    tokenizer_for,
)
from claims.checkworthiness.transformer import TransformerScorer
from tests.training.conftest import tiny_bert

SAMPLE_LABELS = Path(__file__).parents[1] / "data" / "sample-article-labels.tsv"


@pytest.fixture
def tiny_weights(tmp_path: Path) -> Path:
    """A two-layer BERT: seconds to train, the same code paths as MiniLM."""
    return tiny_bert(tmp_path / "weights", hidden_size=32, layers=2)


# The TorchScript exporter (the one whose graphs ONNX Runtime quantises) and its internals are deprecated,
# and tracing warns about transformers' mask code; the comparison with PyTorch below is what counts.
@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::torch.jit.TracerWarning", "ignore:Exporting aten:UserWarning"
)
def test_a_trained_model_exports_to_int8_onnx_that_scores_like_pytorch(
    tiny_weights: Path, tmp_path: Path
) -> None:
    labelled = read_labelled(SAMPLE_LABELS)
    settings = Settings(epochs=2, batch_size=8, max_tokens=32)
    out = tmp_path / "model"

    model, dev_by_epoch = fine_tune(tiny_weights, labelled, labelled, settings, log=lambda line: None)
    export_onnx(
        model, tiny_weights, out, {**settings_card(settings), "debate_threshold": 0.5, "news_threshold": 0.5}
    )

    assert len(dev_by_epoch) == 2
    assert {path.name for path in out.iterdir()} == {"model.onnx", "tokenizer.json", "card.json"}
    in_pytorch = predict(model, tokenizer_for(tiny_weights, settings.max_tokens), labelled.texts)
    in_onnx = TransformerScorer.load(out).probabilities(labelled.texts)
    assert in_onnx == pytest.approx(in_pytorch, abs=0.05)  # int8 weights: close, not equal
    tokenizer = json.loads((out / "tokenizer.json").read_text(encoding="utf-8"))
    assert tokenizer["truncation"]["max_length"] == settings.max_tokens
    assert tokenizer["padding"]["strategy"] == "BatchLongest"
