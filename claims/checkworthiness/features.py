"""Turning a sentence into the sparse features the check-worthiness model weighs.

The same code runs when training and when scoring, so the two can never disagree. Features are word
uni-, bi- and trigrams (numbers folded into <num>/<year>), character trigrams inside words, and the rule
scorer's readable cues. Each feature is hashed (crc32, stable across runs) into a fixed-size vector.
"""

from __future__ import annotations

import itertools
import re
import zlib
from functools import lru_cache

from claims.checkworthiness.rules import CUES, SHORT_SENTENCE_WORDS
from claims.ingest.languages import word_count

DIMENSIONS = 2**18
TOKENS = re.compile(r"[a-z]+(?:'[a-z]+)?|\d[\d,.]*|[%$€£]")
YEAR = re.compile(r"^(1[89]|20)\d\d$")


def tokens(sentence: str) -> list[str]:
    folded = []
    for token in TOKENS.findall(sentence.lower()):
        if token[0].isdigit():
            folded.append("<year>" if YEAR.match(token) else "<num>")
        else:
            folded.append(token)
    return folded


@lru_cache(maxsize=2**17)  # words and n-grams repeat a lot: hashing each once makes scoring ~2x faster
def bucket(name: str) -> int:
    return zlib.crc32(name.encode()) % DIMENSIONS


@lru_cache(maxsize=2**16)
def word_buckets(word: str) -> tuple[int, ...]:
    """The word itself and its character trigrams (with boundary marks), hashed once per distinct word."""
    padded = f"<{word}>"
    return (bucket("w:" + word), *(bucket("c:" + padded[i : i + 3]) for i in range(len(padded) - 2)))


def features(sentence: str) -> dict[int, str]:
    """The sentence's distinct features (presence only): hashed index → what a reviewer reads (the word,
    the phrase or the cue)."""
    found: dict[int, str] = {}
    words = tokens(sentence)
    for word in words:
        label = f"the word “{word}”"
        for index in word_buckets(word):
            found.setdefault(index, label)
    for first, second in itertools.pairwise(words):
        found.setdefault(bucket(f"b:{first} {second}"), f"the phrase “{first} {second}”")
    for first, second, third in zip(words, words[1:], words[2:], strict=False):
        found.setdefault(bucket(f"t:{first} {second} {third}"), f"the phrase “{first} {second} {third}”")
    for cue in CUES:
        match = cue.pattern.search(sentence)
        if match:
            found[bucket("cue:" + cue.label)] = f"{cue.label}: {match.group(0).strip()}"
    if word_count(sentence) < SHORT_SENTENCE_WORDS:
        found[bucket("cue:short")] = "a very short sentence"
    return found
