"""Cutting an article body into plain text and claim-highlighted pieces, for the article page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claims.models import Claim


@dataclass(frozen=True)
class Segment:
    text: str
    claim: Claim | None = None


def segments(body: str, claims: Iterable[Claim]) -> list[Segment]:
    """Pieces whose texts join to exactly `body`. A claim overlapping an earlier one (a selection inside
    a sentence) is not highlighted in the text; it still appears in the side list."""
    pieces: list[Segment] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: (c.start, -c.end)):
        if claim.start < cursor:
            continue
        if claim.start > cursor:
            pieces.append(Segment(body[cursor : claim.start]))
        pieces.append(Segment(body[claim.start : claim.end], claim))
        cursor = claim.end
    if cursor < len(body):
        pieces.append(Segment(body[cursor:]))
    return pieces
