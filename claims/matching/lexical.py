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
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word for word in WORD.findall(unaccented) if word not in STOP_WORDS]


@dataclass(frozen=True)
class LexicalIndex:
    vocabulary: dict[str, int]  # word → its number; its postings are starts[n]:starts[n + 1]
    starts: np.ndarray  # int64, one more than the vocabulary
    documents: np.ndarray  # int32, the entry (row of the dense index) of each posting
    weights: np.ndarray  # float32, the posting's full BM25 weight (idf included)
    size: int

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        counts = [Counter(words(text)) for text in texts]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        average = float(lengths.mean()) if len(texts) and lengths.mean() > 0 else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for row, counter in enumerate(counts):
            for word, frequency in counter.items():
                postings.setdefault(word, []).append((row, frequency))
        vocabulary = {word: number for number, word in enumerate(sorted(postings))}
        starts = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        documents, weights = [], []
        for word in sorted(postings):
            rows = np.array([row for row, _ in postings[word]], dtype=np.int32)
            frequency = np.array([f for _, f in postings[word]], dtype=np.float32)
            idf = np.log(1 + (len(texts) - len(rows) + 0.5) / (len(rows) + 0.5))
            norm = K1 * (1 - B + B * lengths[rows] / average)
            documents.append(rows)
            weights.append((idf * frequency * (K1 + 1) / (frequency + norm)).astype(np.float32))
            starts[vocabulary[word] + 1] = starts[vocabulary[word]] + len(rows)
        return cls(
            vocabulary,
            starts,
            np.concatenate(documents) if documents else np.zeros(0, np.int32),
            np.concatenate(weights) if weights else np.zeros(0, np.float32),
            len(texts),
        )

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
