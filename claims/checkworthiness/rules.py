"""A transparent scorer: weighted cues a reviewer can read, combined by a logistic function.

Factual, checkable sentences name numbers, dates, records and sources; opinions, hopes and
predictions do not. Each cue that fires becomes a reason shown next to the score.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
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
    Cue("a number", re.compile(rf"\b\d[\d,.]*\b|\b(?:{NUMBER_WORDS})\b", re.I), 1.6),
    Cue(
        "a date",
        re.compile(
            rf"\b(?:{MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s+(?:1[89]|20)\d\d\b)?|"
            r"\b(?:1[89]|20)\d\d\b|\b(?:last|this|next) (?:week|month|year)\b|"
            r"\bearlier this (?:week|month|year)\b"
        ),
        1.2,
    ),
    Cue(
        "a record",
        re.compile(
            r"\b(?:first|last|only|record|historic|highest|lowest|largest|biggest|smallest|most|least|"
            r"never|ever|unprecedented)\b",
            re.I,
        ),
        1.0,
    ),
    Cue(
        "attributed",
        # "according to" takes the source named after it: "according to Kyodo News".
        re.compile(
            r"\b[Aa]ccording to(?:(?: the)?(?: [A-Z][\w'’&-]*(?:\.[A-Z]\.?)*)+)?|"
            r"\b(?:said|stated|reported|announced|confirmed)\b"
        ),
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
        "opinion or hope",
        re.compile(
            r"\b(?:I think|I believe|hope[sd]?|eager(?: to)?|desire|looking forward|expected to|will|would|"
            r"could|should|might|may|seen as|signals?|enthusiasm|important opportunity|praised|wish)\b",
            re.I,
        ),
        -1.6,
    ),
    Cue(
        "names people, places or organisations",
        re.compile(r"(?<=\w\s)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+"),
        0.5,
    ),
    Cue("a question", re.compile(r"\?(?:\s*[”\"’'])?\s*$"), -1.5),
)
NUMBER_CUE, DATE_CUE = CUES[0], CUES[1]
BIAS = -1.2
SHORT_SENTENCE_WORDS = 6
SHORT_SENTENCE_WEIGHT = -1.0


def cues_in(sentence: str) -> list[str]:
    """The cues found in a sentence, in words ("a number: 237", "a date: October 4th"); none if none.

    A number that is part of a date found ("2024" in "March 2024") is named once, as the date."""
    found: list[str] = []
    date_spans = [match.span() for match in DATE_CUE.pattern.finditer(sentence)]
    for cue in CUES:
        match = cue.pattern.search(sentence)
        if match is None:
            continue
        if cue is NUMBER_CUE:
            outside_dates = (m for m in cue.pattern.finditer(sentence) if not _inside(m.span(), date_spans))
            match = next(outside_dates, None)
            if match is None:
                continue
        found.append(f"{cue.label}: {match.group(0).strip().rstrip(',;:')}")
    return found


# The linear model this one replaced stored its features as reasons, each marked with the direction it
# pushed the score ("↑ the word “japan”"); the claims it scored still hold them.
FEATURE_REASON_MARKS = ("↑ ", "↓ ")


def reasons_to_show(stored: list[str], sentence: str) -> list[str]:
    """The reasons stored with a claim, or the cues found in its sentence when they are model features."""
    if any(reason.startswith(FEATURE_REASON_MARKS) for reason in stored):
        return cues_in(sentence)
    return list(stored)


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


class RuleScorer:
    """The cues weighted by hand: transparent and instant, used by tests and as a fallback in docs."""

    threshold = 0.5

    def score(self, sentence: str) -> Score:
        total = BIAS + sum(cue.weight for cue in CUES if cue.pattern.search(sentence))
        if word_count(sentence) < SHORT_SENTENCE_WORDS:
            total += SHORT_SENTENCE_WEIGHT
        return Score(round(1.0 / (1.0 + math.exp(-total)), 4), cues_in(sentence))

    def score_many(self, sentences: Sequence[str]) -> list[Score]:
        return [self.score(sentence) for sentence in sentences]
