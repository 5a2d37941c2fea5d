"""One candidate encoder against the shipped one, judged by the rule written before its run
(docs/claim-matching.md, "BM25 hard negatives, then a refit on train + dev (session 7)").

Dev decides: the candidate's fusion weight is its best dev MAP@5 among `CANDIDATE_WEIGHTS`; it replaces
the shipped recipe when that MAP@5 is at least the shipped ranking's and the paired bootstrap interval of
its gain, tweet by tweet, does not lie wholly below zero. `--final NAME=FOLDER@WEIGHT` (repeatable)
reads dev-test once for the rankings named, each beside the shipped ranking, with intervals.

    python bench/matching_candidate.py --candidate /tmp/cm-s7/hn-model --cache /tmp/cm
    python bench/matching_candidate.py --final refit=/tmp/cm-s7/refit-model@0.8 --cache /tmp/cm

The shipped encoder (fine-tune 2) was refit on train + dev, so on dev it must be judged against an
encoder that did not see dev: `--against FOLDER@WEIGHT` (fine-tune 1 is
`git show 55378e4:claims/matching/model/…`).
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import numpy as np
from matching_quality import (
    encoded,
    fused,
    our_bm25_scores,
    paired_gain,
    rankings_from,
    with_intervals,
)

from claims.matching.clef import DEFAULT_FOLDER, Collection, read_answers
from claims.matching.encoder import ARTEFACT, Encoder
from claims.matching.index import DENSE_WEIGHT
from claims.matching.metrics import summary

CANDIDATE_WEIGHTS = (0.75, 0.8, 0.85, 0.9)


class Rankings:
    """Fused rankings of the CLEF tweets by one encoder at a weight, split by split."""

    def __init__(self, data: Collection, cache: Path | None) -> None:
        self.data = data
        self.cache = cache
        self.query_ids = list(data.queries)
        self.row_of = {query: row for row, query in enumerate(self.query_ids)}
        self.lexical = our_bm25_scores(data.texts, [data.queries[q] for q in self.query_ids])
        self.dense: dict[Path, np.ndarray] = {}

    def cosines(self, folder: Path) -> np.ndarray:
        if folder not in self.dense:
            encoder = Encoder.load(folder)
            # Every export of a fine-tune run carries the same version: the weights and the tokenizer (its
            # padding changes int8 vectors) name the vectors.
            files = b"".join((folder / name).read_bytes() for name in ("model.onnx", "tokenizer.json"))
            version = "encoder-" + hashlib.sha256(files).hexdigest()[:10]
            texts = [self.data.queries[q] for q in self.query_ids]
            queries = encoded(encoder, f"{version}-queries", texts, self.cache)
            claims = encoded(encoder, f"{version}-fact-checks-claim", self.data.texts, self.cache)
            self.dense[folder] = queries @ claims.T
        return self.dense[folder]

    def ranked(self, folder: Path, weight: float, answers: dict[str, set[str]]) -> dict[str, list[str]]:
        rows = [self.row_of[q] for q in answers]
        scores = fused(self.cosines(folder)[rows], self.lexical[rows], weight)
        return rankings_from(scores, list(answers), self.data.keys)


def judge_candidate(
    rankings: Rankings, candidate: Path, against: tuple[Path, float], dev: dict[str, set[str]]
) -> None:
    shipped = rankings.ranked(*against, dev)
    shipped_map = summary(shipped, dev)["map@5"]
    print(f"dev ({len(dev)} tweets) MAP@5, {against[0]} (w {against[1]}): {shipped_map:.4f}")
    by_weight = {w: rankings.ranked(candidate, w, dev) for w in CANDIDATE_WEIGHTS}
    for weight, ranked in by_weight.items():
        print(f"  candidate w {weight}: {summary(ranked, dev)['map@5']:.4f}")
    weight = max(CANDIDATE_WEIGHTS, key=lambda w: (round(summary(by_weight[w], dev)["map@5"], 4), w))
    candidate_map = summary(by_weight[weight], dev)["map@5"]
    low, high = paired_gain(by_weight[weight], shipped, dev)
    print(f"candidate at its dev weight {weight}: {candidate_map:.4f}")
    print(f"dev gain over {against[0]}, paired 95% bootstrap over tweets: {low:+.4f} to {high:+.4f}")
    level_or_better = candidate_map >= shipped_map and high >= 0
    print("on dev the candidate is " + ("level or better" if level_or_better else "worse"))


def report_final(rankings: Rankings, specs: list[str], dev_test: dict[str, set[str]]) -> None:
    shipped = rankings.ranked(ARTEFACT, DENSE_WEIGHT, dev_test)
    print(f"dev-test ({len(dev_test)} tweets), 95% percentile bootstrap over tweets (2,000 rounds):")
    print(f"  {'shipped, w ' + str(DENSE_WEIGHT):24} {with_intervals(shipped, dev_test)}")
    for spec in specs:
        name, rest = spec.split("=", 1)
        folder, weight = rest.rsplit("@", 1)
        ranked = rankings.ranked(Path(folder), float(weight), dev_test)
        low, high = paired_gain(ranked, shipped, dev_test)
        print(f"  {name + ', w ' + weight:24} {with_intervals(ranked, dev_test)}")
        print(f"  {'':24} MAP@5 gain over shipped, paired: {low:+.4f} to {high:+.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--candidate", type=Path, help="an int8 ONNX encoder folder to judge on dev")
    parser.add_argument(
        "--against",
        metavar="FOLDER@WEIGHT",
        help="the encoder the candidate is judged against on dev; one that did not see dev",
    )
    parser.add_argument("--final", action="append", default=[], metavar="NAME=FOLDER@WEIGHT")
    parser.add_argument("--cache", type=Path, help="folder keeping encoded vectors between runs")
    args = parser.parse_args()
    data = Collection.read(args.data, with_dev_test=bool(args.final))
    rankings = Rankings(data, args.cache)
    if args.candidate and not args.against:
        parser.error("--candidate needs --against: the shipped encoder saw dev")
    if args.candidate:
        folder, weight = args.against.rsplit("@", 1)
        against = (Path(folder), float(weight))
        judge_candidate(rankings, args.candidate, against, read_answers(args.data / "dev.qrels.tsv"))
    if args.final:
        report_final(rankings, args.final, read_answers(args.data / "dev-test.qrels.tsv"))


if __name__ == "__main__":
    main()
