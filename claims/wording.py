"""The claim as reviewed: the self-contained wording a desk checks and publishes (the claim's `text`).

It starts as the sentence; a sentence leans on its neighbours ("She won…"), so the words a reader cannot
resolve without them — personal pronouns — are pointed out for the reviewer to replace with names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.ingest.claimants import NOT_NAME_WORDS

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


# A capitalised word that may be a name a later pronoun refers back to ("Matie … his"): not a word that
# opens a sentence or clause ("The", "In"), a month or a weekday.
NAME_WORD = re.compile(r"\b[A-Z][a-z]+")
NOT_NAMES = NOT_NAME_WORDS | {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}  # fmt: skip
# "Her Desher", "His Holiness", "Her Majesty's": a pronoun that begins a name.
BEGINS_A_NAME = re.compile(r"\s+[A-Z][a-z]")


def unresolved_pronouns(text: str) -> list[re.Match[str]]:
    """The personal pronouns of a wording a reader cannot resolve from the wording itself: none that
    begins a name, none after a name it may refer back to ("Trump said his visit …")."""
    found = []
    for match in PERSONAL_PRONOUNS.finditer(text):
        if match.group() in ("Her", "His", "Their", "Our", "My") and BEGINS_A_NAME.match(text, match.end()):
            continue
        before = text[: match.start()]
        named = any(
            word.group() not in NOT_NAMES and not PERSONAL_PRONOUNS.fullmatch(word.group())
            for word in NAME_WORD.finditer(before)
        )
        if not named:
            found.append(match)
    return found


def pronouns(text: str) -> list[str]:
    """The pronouns a reader cannot resolve from the wording itself, each once, in order."""
    return list(dict.fromkeys(match.group() for match in unresolved_pronouns(text)))


def leading_pronoun(text: str) -> str | None:
    """The pronoun a wording opens with ("She won…"): its subject is in another sentence, so such a
    wording cannot stand alone. A pronoun later on may refer back within the wording itself."""
    match = PERSONAL_PRONOUNS.match(text.lstrip(" \"'“‘«("))
    return match.group() if match else None


def marked_pieces(text: str) -> list[Piece]:
    """The wording cut into plain text and pronouns, for a page to mark the pronouns."""
    pieces, position = [], 0
    for match in unresolved_pronouns(text):
        if match.start() > position:
            pieces.append(Piece(text[position : match.start()], is_pronoun=False))
        pieces.append(Piece(match.group(), is_pronoun=True))
        position = match.end()
    if position < len(text):
        pieces.append(Piece(text[position:], is_pronoun=False))
    return pieces
