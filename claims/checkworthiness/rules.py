"""A transparent scorer: weighted cues a reviewer can read, combined by a logistic function.

Factual, checkable sentences name numbers, dates, records and sources; opinions, hopes and
predictions do not. Each cue that fires becomes a reason shown next to the score.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from claims.checkworthiness import Score
from claims.ingest.languages import word_count

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\."
)
NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "hundred|thousand|million|billion|trillion|dozen|half|double|twice|triple"
)


@dataclass(frozen=True)
class Cue:
    label: str
    pattern: re.Pattern[str]
    weight: float


CUES = (
    Cue("contains a number", re.compile(rf"\b\d[\d,.]*\b|\b(?:{NUMBER_WORDS})\b", re.I), 1.6),
    Cue(
        "a date",
        re.compile(
            rf"\b(?:{MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?|\b(?:1[89]|20)\d\d\b|\b(?:last|this|next) "
            r"(?:week|month|year)\b|\bearlier this (?:week|month|year)\b"
        ),
        1.2,
    ),
    Cue(
        "a superlative/record",
        re.compile(
            r"\b(?:first|last|only|record|historic|highest|lowest|largest|biggest|smallest|most|least|"
            r"never|ever|unprecedented)\b",
            re.I,
        ),
        1.0,
    ),
    Cue(
        "attributed",
        re.compile(r"\baccording to\b|\b(?:said|stated|reported|announced|confirmed)\b", re.I),
        0.6,
    ),
    Cue(
        "a quantity or comparison",
        re.compile(
            r"%|\bper ?cent\b|\bout of\b|\bmore than\b|\bless than\b|\bfewer than\b|\bmajority\b|"
            r"\bincrease[ds]?\b|\bdecrease[ds]?\b|\bvotes?\b|\belected\b|\bwon\b",
            re.I,
        ),
        0.9,
    ),
    Cue(
        "a completed or scheduled event",
        re.compile(
            r"\b(?:signed|concluded|visited|arrived|met|held|won|elected|returned|established|"
            r"passed|approved|launched|killed|died|arrested|scheduled)\b",
            re.I,
        ),
        1.1,
    ),
    Cue(
        "opinion, hope or prediction",
        re.compile(
            r"\b(?:I think|I believe|hope[sd]?|eager|desire|looking forward|expected to|will|would|could|"
            r"should|might|may|seen as|signals?|enthusiasm|important opportunity|praised|wish)\b",
            re.I,
        ),
        -1.6,
    ),
    Cue(
        "names people, places or organisations",
        re.compile(r"(?<=\w\s)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+"),
        0.5,
    ),
    Cue("a question", re.compile(r"\?\s*[”\"’']?\s*$"), -1.5),
)
BIAS = -1.2
SHORT_SENTENCE_WORDS = 6
SHORT_SENTENCE_WEIGHT = -1.0


class RuleScorer:
    threshold = 0.5

    def score(self, sentence: str) -> Score:
        total = BIAS
        reasons: list[str] = []
        for cue in CUES:
            match = cue.pattern.search(sentence)
            if match:
                total += cue.weight
                reasons.append(f"{cue.label}: {match.group(0).strip()}")
        if word_count(sentence) < SHORT_SENTENCE_WORDS:
            total += SHORT_SENTENCE_WEIGHT
            reasons.append("too short to carry a checkable fact")
        value = round(1.0 / (1.0 + math.exp(-total)), 4)
        return Score(value, reasons)
