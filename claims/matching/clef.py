"""The CLEF 2022 CheckThat! Task 2A English data (`../shared/data/claim-matching/`, its README): read by
`bench/matching_quality.py` to measure matching and by `finetune` to train the encoder on it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+")
DEFAULT_FOLDER = Path("../shared/data/claim-matching")


def read_tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_answers(path: Path) -> dict[str, set[str]]:
    """Which fact-checks (vclaim ids) each tweet repeats."""
    answers: dict[str, set[str]] = {}
    for query, _, key, _ in read_tsv(path):
        answers.setdefault(query, set()).add(key)
    return answers


def clean(text: str) -> str:
    """A tweet as matched: links removed, whitespace collapsed."""
    return " ".join(URL.sub(" ", text).split())


@dataclass(frozen=True)
class Collection:
    keys: list[str]  # vclaim ids, in file order
    texts: list[str]  # each fact-check's claim as reviewed (`vclaim`), what the product matches on
    queries: dict[str, str]  # tweet id → cleaned text
    headlines: list[str]  # each fact-check's `title` (ClaimReview `headline`), not matched on
    subtitles: list[str]  # each fact-check's `subtitle` (no ClaimReview field the product keeps)

    @classmethod
    def read(cls, folder: Path = DEFAULT_FOLDER, *, with_dev_test: bool = False) -> Collection:
        checks = [json.loads(line) for line in (folder / "fact-checks.jsonl").open(encoding="utf-8")]
        files = ["train-dev.queries.tsv"] + (["dev-test.queries.tsv"] if with_dev_test else [])
        queries = {row[0]: clean(row[1]) for name in files for row in read_tsv(folder / name)}
        return cls(
            [c["vclaim_id"] for c in checks],
            [c["vclaim"] for c in checks],
            queries,
            [c["title"] for c in checks],
            [c["subtitle"] or "" for c in checks],
        )
