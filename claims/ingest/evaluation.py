"""Measuring ingest against labelled pages: claimant accuracy and extracted-text F1.

Used by `bench/claimants.py`, `bench/ingest_quality.py` and the tests that hold the measured floor.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claims.ingest.claimants import claimants
from claims.ingest.languages import is_written_without_spaces
from claims.ingest.sentences import Sentence, split_sentences

PUBLICATION = "PUB"  # how the labels name the publication itself
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ClaimantLabel:
    page: str
    claimant: str
    sentence_start: str  # the sentence's first characters, which find it in the page


def read_claimant_labels(path: Path) -> list[ClaimantLabel]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = [row for row in reader if row and not row[0].startswith("#")]
    return [ClaimantLabel(page, claimant, start) for page, _index, claimant, start in rows]


def _normalised(claimant: str) -> list[str]:
    return LEADING_ARTICLE.sub("", claimant.strip()).casefold().split()


def same_claimant(found: str, expected: str) -> bool:
    """The same speaker: equal but for case and a leading article, or one name ends the other
    ("Sargent" and "Macmillan CEO John Sargent", "officials" and "U.S. officials")."""
    found_words, expected_words = _normalised(found), _normalised(expected)
    if not found_words or not expected_words:
        return found_words == expected_words
    shorter, longer = sorted((found_words, expected_words), key=len)
    return longer[-len(shorter) :] == shorter


@dataclass(frozen=True)
class ClaimantResult:
    label: ClaimantLabel
    found: str

    @property
    def correct(self) -> bool:
        return same_claimant(self.found, self.label.claimant)


Attributor = Callable[[Sequence[Sentence], str], list[str]]


def evaluate_claimants(
    labels: Sequence[ClaimantLabel], pages: Path, attribute: Attributor | None = None
) -> list[ClaimantResult]:
    """Each labelled sentence with the claimant `attribute` (by default the project's rules) finds for it,
    reading the page's reference text (`pages/NAME.txt`) as a whole so context rules apply."""
    attribute = attribute or (lambda sentences, publication: claimants(sentences, publication))
    results = []
    for page in sorted({label.page for label in labels}):
        sentences = split_sentences((pages / f"{page}.txt").read_text(encoding="utf-8"))
        found = attribute(sentences, PUBLICATION)
        for label in (label for label in labels if label.page == page):
            index = next(i for i, s in enumerate(sentences) if s.text.startswith(label.sentence_start))
            results.append(ClaimantResult(label, found[index]))
    return results


def tokens(text: str) -> list[str]:
    """Words, or characters for a script written without spaces (Japanese, Chinese, Thai)."""
    if is_written_without_spaces(text):
        return [char for char in text if not char.isspace() and char.isalnum()]
    return re.findall(r"\w+", text.casefold())


def bag_of_words_f1(extracted: str, reference: str) -> float:
    """F1 of the multiset of words (characters without spaces) of `extracted` against `reference`."""
    found, expected = Counter(tokens(extracted)), Counter(tokens(reference))
    overlap = sum((found & expected).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(found.values())
    recall = overlap / sum(expected.values())
    return 2 * precision * recall / (precision + recall)
