"""The lexical leg of matching: Okapi BM25 over the same entries as the dense index, in numpy alone.

Written here rather than taken from `bm25s` because that library pulls SciPy (113 MB) into the plain
install; on train/dev this scorer ranks as `bm25s` does (docs/claim-matching.md). The index is a few flat
arrays (postings sorted by term), so it can be saved beside the dense matrix and memory-mapped.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from claims.search import WORD

K1, B = 1.5, 0.75  # the usual Okapi settings (bm25s's defaults)
# Lucene's English stop words, as bm25s's `stopwords="en"` that the fusion was measured with.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)


def words(text: str) -> list[str]:
    """Lower-cased, unaccented words without stop words ("Vaccinés" and "vaccines" meet)."""
    folded = text.casefold()
    if not folded.isascii():  # most texts are: skip the per-character pass
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word for word in WORD.findall(folded) if word not in STOP_WORDS]


@dataclass(frozen=True)
class LexicalIndex:
    vocabulary: dict[str, int]  # word → its number; its postings are starts[n]:starts[n + 1]
    starts: np.ndarray  # int64, one more than the vocabulary
    documents: np.ndarray  # int32, the entry (row of the dense index) of each posting
    weights: np.ndarray  # float32, the posting's full BM25 weight (idf included)
    size: int

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        vocabulary: dict[str, int] = {}
        numbers, rows, frequencies, lengths = [], [], [], np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            counter = Counter(words(text))
            lengths[row] = sum(counter.values())
            for word, frequency in counter.items():
                numbers.append(vocabulary.setdefault(word, len(vocabulary)))
                rows.append(row)
                frequencies.append(frequency)
        # Postings grouped by word number (stable: each word's entries stay in row order).
        order = np.argsort(np.array(numbers, dtype=np.int64), kind="stable")
        number = np.array(numbers, dtype=np.int64)[order]
        documents = np.array(rows, dtype=np.int32)[order]
        frequency = np.array(frequencies, dtype=np.float32)[order]
        counts = np.bincount(number, minlength=len(vocabulary))
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        idf = np.log(1 + (len(texts) - counts + 0.5) / (counts + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if len(texts) and lengths.mean() > 0 else 1.0
        norm = K1 * (1 - B + B * lengths[documents] / average)
        weights = (idf[number] * frequency * (K1 + 1) / (frequency + norm)).astype(np.float32)
        return cls(vocabulary, starts, documents, weights, len(texts))

    def scores(self, text: str) -> np.ndarray:
        """BM25 of every entry for the query, float32 (zeros when no word is shared)."""
        numbers = [self.vocabulary[word] for word in words(text) if word in self.vocabulary]
        if not numbers:
            return np.zeros(self.size, dtype=np.float32)
        spans = [np.arange(self.starts[n], self.starts[n + 1]) for n in numbers]
        picked = np.concatenate(spans)
        return np.bincount(self.documents[picked], weights=self.weights[picked], minlength=self.size).astype(
            np.float32
        )
