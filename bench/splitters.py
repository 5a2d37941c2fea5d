"""Compare sentence splitters on the tricky cases and on speed (run on demand).

    python bench/splitters.py

Prints, per splitter, which tricky cases it gets right and sentences/second on a
synthetic news corpus fed one paragraph at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

TRICKY = {
    "abbreviations": (
        "Mr. Abe met U.S. officials in Washington. He left on Oct. 4 for Tokyo.",
        ["Mr. Abe met U.S. officials in Washington.", "He left on Oct. 4 for Tokyo."],
    ),
    "decimals": (
        "Growth was 3.5 percent in 2024. It fell to 2.1 percent.",
        ["Growth was 3.5 percent in 2024.", "It fell to 2.1 percent."],
    ),
    "quote spanning sentences": (
        "He said, “Peace, not war! Millions of lives were saved.” Then he left.",
        ["He said, “Peace, not war! Millions of lives were saved.”", "Then he left."],
    ),
    "titles and initials": (
        "Dr. Jane Smith and Prof. J. R. Doe disagreed. The vote was 237 to 228.",
        ["Dr. Jane Smith and Prof. J. R. Doe disagreed.", "The vote was 237 to 228."],
    ),
    "sentence ends in abbreviation": (
        "The company moved to the U.S. in 2019. Sales grew.",
        ["The company moved to the U.S. in 2019.", "Sales grew."],
    ),
}

SEED = Path(__file__).resolve().parents[1] / "claims" / "demo" / "trump-japan-visit.txt"


def pysbd_splitter() -> Callable[[str], list[str]]:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def syntok_splitter() -> Callable[[str], list[str]]:
    import syntok.segmenter as segmenter

    def split(text: str) -> list[str]:
        out = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                start = sentence[0].offset
                end = sentence[-1].offset + len(sentence[-1].value)
                out.append(text[start:end])
        return out

    return split


def nupunkt_splitter() -> Callable[[str], list[str]]:
    import nupunkt

    return lambda text: [s.strip() for s in nupunkt.sent_tokenize(text) if s.strip()]


def sentencex_splitter() -> Callable[[str], list[str]]:
    import sentencex

    return lambda text: [s.strip() for s in sentencex.segment("en", text) if s.strip()]


def claimtrack_splitter() -> Callable[[str], list[str]]:
    from claims.ingest.sentences import split_sentences

    return lambda text: [s.text for s in split_sentences(text)]


SPLITTERS = {
    "pysbd": pysbd_splitter,
    "syntok": syntok_splitter,
    "nupunkt": nupunkt_splitter,
    "sentencex": sentencex_splitter,
    "claimtrack (sentencex + offsets)": claimtrack_splitter,
}


def corpus(paragraphs: int = 2000) -> list[str]:
    seed = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    return [seed[i % len(seed)] for i in range(paragraphs)]


def main() -> None:
    paragraphs = corpus()
    for name, factory in SPLITTERS.items():
        try:
            split = factory()
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        right = [case for case, (text, want) in TRICKY.items() if split(text) == want]
        started = time.perf_counter()
        count = sum(len(split(p)) for p in paragraphs)
        elapsed = time.perf_counter() - started
        seed_count = len(split(SEED.read_text(encoding="utf-8")))
        print(
            f"{name:32} tricky {len(right)}/{len(TRICKY)}  seed sentences {seed_count:3}  "
            f"{count / elapsed:9.0f} sentences/s  wrong: {sorted(set(TRICKY) - set(right))}"
        )


if __name__ == "__main__":
    main()
