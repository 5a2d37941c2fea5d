"""Sentences that join two statements, and the split a reviewer is offered for them.

"Takaichi stated that she is eager …, while President Trump also conveyed that he is looking forward …"
is two people's statements; "agreements were signed …, and a peace treaty was concluded …" is two facts.
Each may be true or false on its own, so the claim page offers the split ready-made; it is never applied
without the reviewer (docs/ingest-quality.md). English only, like the claimant rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.ingest.claimants import explicit_speaker

# ", while X …" / ", and X …" / "; X …" where X opens a clause of its own: a name, a determiner or a
# pronoun, followed within a few words by a verb form. "apples, and pears" is no such clause.
JOINT = re.compile(
    r"(?:,\s+(?:while|and|but|whereas)|;)\s+(?=(?:[A-Z]\w*|the|a|an|he|she|they|it|its|their)\b)"
)
CLAUSE_VERB = re.compile(
    r"^(?:\S+\s+){0,7}?(?:was|were|is|are|has|have|had|will|would|said|says|stated|conveyed|told|"
    r"announced|added|\w+ed)\b"
)
MIN_PART_WORDS = 5
# Longer than any sentence a reviewer splits by hand: no offer (each joint would count the words again).
MAX_SPLIT_CHARS = 2_000


@dataclass(frozen=True)
class SplitOffer:
    parts: list[str]  # in order, covering the sentence (the split service's contract)
    claimants: list[str | None]  # who each part says is speaking, where it names someone


def offered_split(sentence: str, language: str = "en") -> SplitOffer | None:
    """The sentence cut where a second statement starts, or None when it holds one statement."""
    if not language.lower().startswith("en") or len(sentence) > MAX_SPLIT_CHARS:
        return None
    for match in JOINT.finditer(sentence):
        first, second = sentence[: match.start() + 1].strip(), sentence[match.start() + 1 :].strip()
        rest = sentence[match.end() :]
        if len(first.split()) < MIN_PART_WORDS or len(second.split()) < MIN_PART_WORDS:
            continue
        if not CLAUSE_VERB.match(rest) or not CLAUSE_VERB.match(first):
            continue
        return SplitOffer([first, second], [explicit_speaker(first), explicit_speaker(rest)])
    return None
