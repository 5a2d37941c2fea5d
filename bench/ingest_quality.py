"""Ingest quality on the real pages (run on demand, not a test).

    python bench/ingest_quality.py [--pages ../shared/data/html]

For each page of the folder (NAME.html with the newspaper library's reference text NAME.txt):
  - bag-of-words F1 of the text against the reference (characters for Japanese and Chinese), for
    trafilatura's own output (`trafilatura.extract` with its defaults) and for claimtrack's article body
    and for its claims only (the body less the furniture lines);
  - claims per page, and "stray" claims: claims whose sentence is not in the reference text (navigation,
    captions, share links — what a reader would call furniture), with and without the furniture rules.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from claims.ingest.evaluation import bag_of_words_f1
from claims.ingest.languages import detect_language
from claims.ingest.readers import read_drafts
from claims.ingest.sentences import split_sentences
from claims.services.articles import statements

ROOT = Path(__file__).resolve().parents[1]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class PageQuality:
    page: str
    language: str
    f1_trafilatura: float
    f1_body: float
    f1_claims: float
    claims: int
    stray_without_rules: int
    stray: int


def measure(html_path: Path) -> PageQuality:
    reference = html_path.with_suffix(".txt").read_text(encoding="utf-8")
    html = html_path.read_text(encoding="utf-8")
    [draft] = read_drafts(html_path, 10_000_000)
    language = detect_language(draft.text)
    sentences = split_sentences(draft.text, language)
    # As an import makes them: furniture left out, a repeated sentence once, time stamps trimmed.
    claims = statements(draft.with_overrides(language=language), draft.title, sentences)
    in_reference = squeezed(reference)
    return PageQuality(
        page=html_path.stem,
        language=language,
        f1_trafilatura=bag_of_words_f1(trafilatura.extract(html) or "", reference),
        f1_body=bag_of_words_f1(draft.text, reference),
        f1_claims=bag_of_words_f1("\n".join(s.text for s in claims), reference),
        claims=len(claims),
        stray_without_rules=sum(squeezed(s.text) not in in_reference for s in sentences),
        stray=sum(squeezed(s.text) not in in_reference for s in claims),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "data" / "html")
    args = parser.parse_args()
    rows = [measure(path) for path in sorted(args.pages.glob("*.html"))]
    print("| page | lang | F1 trafilatura | F1 body | F1 claims | claims | stray claims (rules off → on) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row.page} | {row.language} | {row.f1_trafilatura:.3f} | {row.f1_body:.3f} | "
            f"{row.f1_claims:.3f} | {row.claims} | {row.stray_without_rules} → {row.stray} |"
        )
    mean = lambda values: sum(values) / len(rows)  # noqa: E731 - a one-line table helper
    print(
        f"| **mean / total** | | {mean(r.f1_trafilatura for r in rows):.3f} | "
        f"{mean(r.f1_body for r in rows):.3f} | "
        f"{mean(r.f1_claims for r in rows):.3f} | {sum(r.claims for r in rows)} | "
        f"{sum(r.stray_without_rules for r in rows)} → {sum(r.stray for r in rows)} |"
    )


if __name__ == "__main__":
    main()
