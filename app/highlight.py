"""Cutting text into highlighted pieces: an article body at its claims, a claim at its expressions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claims.facts.resolve import Resolved
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


@dataclass(frozen=True)
class Marked:
    text: str
    kind: str | None = None


def marked_expressions(text: str, facts: Iterable[Resolved]) -> list[Marked]:
    """The claim's text cut at its expressions (which never overlap), for the "Numbers and dates" panel."""
    pieces: list[Marked] = []
    cursor = 0
    for fact in facts:
        expression = fact.expression
        pieces.append(Marked(text[cursor : expression.start]))
        pieces.append(Marked(expression.text, expression.kind.value))
        cursor = expression.end
    pieces.append(Marked(text[cursor:]))
    return [piece for piece in pieces if piece.text]
