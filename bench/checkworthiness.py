"""Check-worthiness scoring speed and memory on one core (run on demand, not a test).

    taskset -c 0 python bench/checkworthiness.py [--data ../shared/data/checkworthiness] [--sentences 2000]
        [--against OTHER_MODEL_FOLDER ...]

In one run, on the first N CT24 training sentences: the shipped ONNX model (and each `--against` folder,
interleaved so they share the machine's state) one sentence at a time and 64 sentences per call (as an
import scores an article; the scorer sorts them into batches of similar length), against the cue
detectors alone (what every score carries as its reasons); then the peak memory (RSS) of a fresh process
that loads the model and scores one batch. Rates are per second of wall time and per second of this
process's CPU time: on a machine shared with other work, the CPU rate is the steadier of the two.
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


def rates(texts: list[str], score: Callable[[list[str]], object], batch: int) -> tuple[float, float]:
    """Sentences per second of wall time and per second of this process's CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), batch):
        score(texts[start : start + batch])
    return len(texts) / (time.perf_counter() - wall), len(texts) / (time.process_time() - cpu)


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
    parser.add_argument("--against", type=Path, action="append", default=[], help="another model folder")
    args = parser.parse_args()
    texts = read_labelled(args.data / "ct24_train.tsv").texts[: args.sentences]
    models = {"shipped": TransformerScorer.load()} | {
        str(folder): TransformerScorer.load(folder) for folder in args.against
    }
    for model in models.values():
        model.score_many(texts[:64])  # warm-up: the first run of an ONNX session allocates its buffers

    rows = []
    for batch in (1, 64):
        for name, model in models.items():
            how = "one at a time" if batch == 1 else "64 per call"
            rows.append((f"{name}, {how} (with reasons)", rates(texts, model.score_many, batch)))
    rows.append(
        ("cue detectors alone (the reasons)", rates(texts, lambda batch: [cues_in(t) for t in batch], 1))
    )
    print(f"{len(texts):,} CT24 training sentences, one core; sentences/s of wall time, of CPU time")
    for label, (wall, cpu) in rows:
        print(f"  {label:60}{wall:10,.0f}{cpu:10,.0f}")
    loaded, bare = peak_rss_mb(PEAK_RSS), peak_rss_mb(BASELINE_RSS)
    print(f"  peak RSS, process with the model loaded and one batch scored  {loaded:6.0f} MB")
    print(f"  peak RSS, same imports without the model                       {bare:6.0f} MB")


if __name__ == "__main__":
    main()
