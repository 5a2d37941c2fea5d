"""Sentence splitting that keeps exact character offsets into the article body.

sentencex does the splitting (it keeps abbreviations such as "U.S." and "Oct. 4", decimals, and a
quotation that spans several sentences together); see docs/sentence-splitting.md for the comparison
that chose it. It returns strings, so offsets are recovered by locating each piece in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sentencex


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def paragraphs(body: str) -> Iterator[tuple[int, str]]:
    """Lines of the body with their offsets: news text puts one paragraph per line."""
    offset = 0
    for line in body.split("\n"):
        if line.strip():
            yield offset, line
        offset += len(line) + 1


def split_sentences(body: str, language: str = "en") -> list[Sentence]:
    """Every sentence of `body`, each with `body[start:end] == text`, trimmed of surrounding space."""
    return list(iter_sentences(body, language))


def iter_sentences(body: str, language: str = "en") -> Iterator[Sentence]:
    """The sentences of `body` one at a time, so a caller can stop counting at its limit."""
    for paragraph_start, paragraph in paragraphs(body):
        cursor = 0
        for piece in sentencex.segment(language, paragraph):
            stripped = piece.strip()
            if not stripped:
                continue
            found = paragraph.find(stripped, cursor)
            if found < 0:
                # The splitter altered the text; never store a span that does not match the body.
                raise ValueError(f"sentence splitter returned text not in the paragraph: {stripped[:60]!r}")
            start = paragraph_start + found
            yield Sentence(start, start + len(stripped), stripped)
            cursor = found + len(stripped)
