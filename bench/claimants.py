"""Claimant accuracy on the labelled sentences of the real pages (run on demand, not a test).

    python bench/claimants.py [--labels tests/data/claimant-labels.tsv] [--pages ../shared/data/html]
                              [--show-errors]

Reads the labels (quoted or attributed sentences of the English pages, labelled by reading; by default
the ten pages the rules were written on, `--labels tests/data/claimant-labels-heldout.tsv` the six they
were not), attributes every sentence of each page's reference text with the project's rules, and prints
the accuracy with a 95% bootstrap interval over sentences, a baseline that gives every sentence to the
publication, and the rules' speed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from claims.ingest.claimants import claimants
from claims.ingest.evaluation import PUBLICATION, evaluate_claimants, read_claimant_labels
from claims.ingest.sentences import split_sentences
from claims.matching.metrics import bootstrap_interval

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "claimant-labels.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "data" / "html")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    labels = read_claimant_labels(args.labels)

    results = evaluate_claimants(labels, args.pages)
    baseline = evaluate_claimants(labels, args.pages, lambda sentences, pub: [pub] * len(sentences))
    correct = sum(result.correct for result in results)
    print(f"{len(labels)} labelled sentences from {len({label.page for label in labels})} pages")
    low, high = bootstrap_interval([float(result.correct) for result in results])
    share = f"{correct}/{len(results)} = {correct / len(results):.1%}"
    print(f"rules:                 {share} (95% bootstrap {low:.1%}–{high:.1%})")
    print(f"everything {PUBLICATION} (baseline): {sum(r.correct for r in baseline) / len(baseline):.1%}")

    texts = [
        (args.pages / f"{page}.txt").read_text(encoding="utf-8") for page in {label.page for label in labels}
    ]
    pages = [split_sentences(text) for text in texts]
    count = sum(len(sentences) for sentences in pages)
    started = time.perf_counter()
    for sentences in pages:
        claimants(sentences, PUBLICATION)
    print(f"speed:                 {count / (time.perf_counter() - started):,.0f} sentences/s")
    if args.show_errors:
        for result in results:
            if not result.correct:
                print(
                    f"  {result.label.page}: {result.found!r} ≠ {result.label.claimant!r}  "
                    f"{result.label.sentence_start[:90]}"
                )


if __name__ == "__main__":
    main()
