"""The claim as reviewed: the self-contained wording a desk checks and publishes (the claim's `text`).

It starts as the sentence; a sentence leans on its neighbours ("She won…"), so the words a reader cannot
resolve without them — personal pronouns — are pointed out for the reviewer to replace with names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLAIM_TEXT_MAX_CHARS = 5_000

# Lower case or capitalised only: "US" and "IT" in capitals are a country and a trade, not pronouns.
PERSONAL_PRONOUNS = re.compile(
    r"\b(?:I|"
    + "|".join(
        f"{word}|{word.capitalize()}"
        for word in (
            *("me", "my", "we", "us", "our", "he", "him", "his", "she", "her", "hers"),
            *("they", "them", "their", "theirs"),
        )
    )
    + r")\b"
)


@dataclass(frozen=True)
class Piece:
    text: str
    is_pronoun: bool


def pronouns(text: str) -> list[str]:
    """The personal pronouns of a wording, each once, in the order they first appear."""
    return list(dict.fromkeys(match.group() for match in PERSONAL_PRONOUNS.finditer(text)))


def leading_pronoun(text: str) -> str | None:
    """The pronoun a wording opens with ("She won…"): its subject is in another sentence, so such a
    wording cannot stand alone. A pronoun later on may refer back within the wording itself."""
    match = PERSONAL_PRONOUNS.match(text.lstrip(" \"'“‘«("))
    return match.group() if match else None


def marked_pieces(text: str) -> list[Piece]:
    """The wording cut into plain text and pronouns, for a page to mark the pronouns."""
    pieces, position = [], 0
    for match in PERSONAL_PRONOUNS.finditer(text):
        if match.start() > position:
            pieces.append(Piece(text[position : match.start()], is_pronoun=False))
        pieces.append(Piece(match.group(), is_pronoun=True))
        position = match.end()
    if position < len(text):
        pieces.append(Piece(text[position:], is_pronoun=False))
    return pieces
