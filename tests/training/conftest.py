"""Training fixtures: tiny randomly initialised BERTs with the shipped vocabulary, seconds to train."""

import shutil
from pathlib import Path

import transformers

from claims.checkworthiness.transformer import ARTEFACT


def tiny_bert(folder: Path, hidden_size: int, layers: int) -> Path:
    """Weights and tokenizer of a BERT this small, saved where the training code reads a base model."""
    config = transformers.BertConfig(
        vocab_size=30522,
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=64,
    )
    transformers.BertModel(config).save_pretrained(str(folder))
    shutil.copy(ARTEFACT / "tokenizer.json", folder / "tokenizer.json")
    return folder
