"""Reading labelled sentences (`Sentence_id`, `Text`, `class_label` Yes/No) from TSV files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claims.errors import ClaimtrackError

REQUIRED_COLUMNS = ("Text", "class_label")
LABELS = {"Yes": 1, "No": 0}


class DatasetError(ClaimtrackError):
    pass


@dataclass
class Labelled:
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # `Sentence_id` when the file has one, else the line
    skipped: list[str] = field(default_factory=list)  # "file:line: why", reported to the user

    def extend(self, other: Labelled) -> None:
        self.texts += other.texts
        self.labels += other.labels
        self.ids += other.ids
        self.skipped += other.skipped


def read_labelled(path: Path) -> Labelled:
    """Rows with the wrong number of fields or an unknown label are skipped and listed, never guessed at."""
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise DatasetError(f"{path}: is not UTF-8 text") from None
    if not lines:
        raise DatasetError(f"{path}: is empty")
    header = lines[0].split("\t")
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise DatasetError(f"{path}: missing column(s) {', '.join(missing)} (found: {', '.join(header)})")
    text_at, label_at = header.index("Text"), header.index("class_label")
    id_at = header.index("Sentence_id") if "Sentence_id" in header else None
    data = Labelled()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            data.skipped.append(f"{path.name}:{number}: {len(cells)} fields, expected {len(header)}")
            continue
        label = cells[label_at].strip()
        if label not in LABELS or not cells[text_at].strip():
            data.skipped.append(
                f"{path.name}:{number}: label {label!r} is not Yes or No, or the text is empty"
            )
            continue
        data.texts.append(cells[text_at].strip())
        data.labels.append(LABELS[label])
        data.ids.append(cells[id_at].strip() if id_at is not None else f"{path.name}:{number}")
    if not data.texts:
        raise DatasetError(f"{path}: has no usable rows")
    return data


def read_many(paths: Iterable[Path]) -> Labelled:
    combined = Labelled()
    for path in paths:
        combined.extend(read_labelled(path))
    return combined


def subset(data: Labelled, keep: list[bool]) -> Labelled:
    """The rows where `keep` is true (skipped-row notes stay with the whole file)."""
    picked = [i for i, flag in enumerate(keep) if flag]
    return Labelled(
        [data.texts[i] for i in picked], [data.labels[i] for i in picked], [data.ids[i] for i in picked]
    )
