"""Word-level differences between two texts: what the history pages and evidence rechecks show."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

WORDS = re.compile(r"\S+|\s+")


@dataclass(frozen=True)
class Piece:
    """A run of the text: kept as it was (`removed` and `added` equal), or replaced."""

    removed: str
    added: str

    @property
    def same(self) -> bool:
        return self.removed == self.added


def word_diff(old: str, new: str) -> list[Piece]:
    before, after = WORDS.findall(old), WORDS.findall(new)
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        pieces.append(Piece(removed, added) if tag != "equal" else Piece(removed, removed))
    return pieces


def changed_words(old: str, new: str) -> tuple[int, int]:
    """How many words were removed and added."""
    removed = added = 0
    for piece in word_diff(old, new):
        if not piece.same:
            removed += len(piece.removed.split())
            added += len(piece.added.split())
    return removed, added
