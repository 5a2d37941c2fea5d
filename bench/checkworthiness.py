"""Check-worthiness scoring speed and memory on one core (run on demand, not a test).

    taskset -c 0 python bench/checkworthiness.py [--data ../shared/data/checkworthiness] [--sentences 2000]

In one run, on the first N CT24 training sentences: the shipped ONNX model one sentence at a time and
64 sentences per call (as an import scores an article; the scorer sorts them into batches of similar
length), against the cue detectors alone (what every score carries as its reasons); then the peak
memory (RSS) of a fresh process that loads the model and scores one batch.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from claims.checkworthiness.data import read_labelled
from claims.checkworthiness.rules import cues_in
from claims.checkworthiness.transformer import TransformerScorer

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec from the parent, which has the model loaded.
PEAK_RSS = """
from pathlib import Path
from claims.checkworthiness.transformer import TransformerScorer
TransformerScorer.load().score_many(["The vote was 237 to 228 on October 4th."] * 64)
print(next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM")))
"""
BASELINE_RSS = """
from pathlib import Path
import claims.checkworthiness.rules, numpy, onnxruntime, tokenizers
print(next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM")))
"""


def rate(texts: list[str], score: Callable[[list[str]], object], batch: int) -> float:
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        score(texts[start : start + batch])
    return len(texts) / (time.perf_counter() - started)


def peak_rss_mb(code: str) -> float:
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return int(output.split()[-2]) / 1024  # "VmHWM:  123456 kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "checkworthiness",
    )
    parser.add_argument("--sentences", type=int, default=2000)
    args = parser.parse_args()
    texts = read_labelled(args.data / "ct24_train.tsv").texts[: args.sentences]
    model = TransformerScorer.load()
    model.score_many(texts[:64])  # warm-up: the first run of an ONNX session allocates its buffers

    rows = [
        ("ONNX model, one at a time (with reasons)", rate(texts, model.score_many, 1)),
        ("ONNX model, 64 per call (with reasons)", rate(texts, model.score_many, 64)),
        ("cue detectors alone (the reasons)", rate(texts, lambda batch: [cues_in(t) for t in batch], 1)),
    ]
    print(f"{len(texts):,} CT24 training sentences, one core")
    reference = rows[1][1]
    for label, speed in rows:
        print(f"  {label:45}{speed:10,.0f} sentences/s   ratio to 64 per call {speed / reference:6.2f}")
    loaded, bare = peak_rss_mb(PEAK_RSS), peak_rss_mb(BASELINE_RSS)
    print(f"  peak RSS, process with the model loaded and one batch scored  {loaded:6.0f} MB")
    print(f"  peak RSS, same imports without the model                       {bare:6.0f} MB")


if __name__ == "__main__":
    main()
