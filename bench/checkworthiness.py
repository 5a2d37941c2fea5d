"""Check-worthiness scoring speed on one core (run on demand, not a test).

    python bench/checkworthiness.py [--data ../shared/data/checkworthiness]

Scores the CT24 training sentences one at a time with the shipped model (as ingest does) and, in the
same run, with the TF-IDF + logistic regression baseline (one at a time and as one batch); prints
sentences per second and the ratios.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from claims.checkworthiness import default_scorer
from claims.checkworthiness.data import read_labelled
from claims.checkworthiness.training import SEED


def rate(count: int, started: float) -> float:
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "checkworthiness",
    )
    args = parser.parse_args()
    data = read_labelled(args.data / "ct24_train.tsv")
    texts = data.texts
    scorer = default_scorer()

    started = time.perf_counter()
    for text in texts:
        scorer.score(text)
    ours = rate(len(texts), started)

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    baseline = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=2000, random_state=SEED))
    baseline.fit(texts, data.labels)
    sample = texts[:3000]
    started = time.perf_counter()
    for text in sample:
        baseline.predict_proba([text])
    one_by_one = rate(len(sample), started)
    started = time.perf_counter()
    baseline.predict_proba(texts)
    batch = rate(len(texts), started)

    print(f"{len(texts):,} sentences, one core")
    print(f"  claimtrack model, one at a time (with reasons)  {ours:10,.0f} sentences/s")
    for label, speed in (("one at a time", one_by_one), ("one batch", batch)):
        print(f"  TF-IDF + LR baseline, {label:26}{speed:10,.0f} sentences/s   ratio {ours / speed:6.2f}")


if __name__ == "__main__":
    main()
