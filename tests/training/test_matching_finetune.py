"""Fine-tuning the matching encoder and exporting it, on a tiny randomly initialised BERT (`--training`)."""

from pathlib import Path

import numpy as np
import pytest

from claims.matching.clef import Collection
from claims.matching.encoder import Encoder
from claims.matching.encoder_export import export_encoder
from claims.matching.finetune import Settings, embed, fine_tune
from tests.training.conftest import tiny_bert

CHECKS = [
    "The moon is made of green cheese, NASA admitted.",
    "Covid vaccines contain microchips used to track people.",
    "The new bridge over the Mekong cost 40 million dollars.",
    "Drinking bleach cures the flu, a doctor said.",
]
TWEETS = {
    "t1": "NASA finally admits the moon is cheese",
    "t2": "they put chips in the vaccine to follow you",
    "t3": "40 million for a bridge?! Mekong scandal",
    "t4": "doctor says bleach cures flu",
    "t5": "moon = cheese, says nasa",
}
ANSWERS = {"t1": {"c0"}, "t2": {"c1"}, "t3": {"c2"}, "t4": {"c3"}, "t5": {"c0"}}


@pytest.fixture
def tiny_weights(tmp_path: Path) -> Path:
    """A one-layer BERT as wide as MiniLM (the encoder's 384 dimensions)."""
    return tiny_bert(tmp_path / "weights", hidden_size=384, layers=1)


@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::torch.jit.TracerWarning", "ignore:Exporting aten:UserWarning"
)
def test_a_fine_tuned_encoder_exports_to_int8_onnx_that_embeds_like_pytorch(
    tiny_weights: Path, tmp_path: Path
) -> None:
    no_headlines = [""] * len(CHECKS)
    data = Collection([f"c{i}" for i in range(len(CHECKS))], CHECKS, TWEETS, no_headlines, no_headlines)
    epochs = []
    settings = Settings(learning_rate=1e-3, epochs=2, batch_size=4, hard_negatives=True)

    model = fine_tune(
        tiny_weights, data, ANSWERS, settings, after_epoch=lambda *args: epochs.append(args[2]), log=print
    )
    export_encoder(model, tiny_weights, tmp_path / "model", {"version": "tiny test encoder"})

    assert epochs == [1, 2]
    encoder = Encoder.load(tmp_path / "model")
    in_onnx = encoder.encode(CHECKS)
    in_pytorch = embed(model, encoder.model.tokenizer, CHECKS)
    assert encoder.card["version"] == "tiny test encoder"
    assert np.allclose(np.linalg.norm(in_onnx, axis=1), 1, atol=1e-3)
    assert np.abs(in_onnx @ in_pytorch.T - in_pytorch @ in_pytorch.T).max() < 0.05  # int8: close, not equal
