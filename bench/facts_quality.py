"""Numbers and dates: extraction precision/recall and resolution accuracy per kind, on the hand labels
(tests/data/facts-labels.tsv), for claimtrack's rules and for the libraries alone (run on demand).

    python bench/facts_quality.py --split dev        # what the rules were tuned on
    python bench/facts_quality.py --split held-out   # once, at the end

The libraries are optional here (never run-time dependencies): `dateparser` (search_dates against the
article's day, past preferred) for dates, `quantulum3` (its parser, without its optional classifier) for
quantities, durations and percentages; a kind a library does not read is left out of its rows.
"""

from __future__ import annotations

import argparse
import math
import time
from datetime import date, datetime
from pathlib import Path

from claims.facts.evaluation import Found, Report, read_labels, read_references, rules, score

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "data" / "html"


def texts() -> dict[str, str]:
    found = {path.stem: path.read_text(encoding="utf-8") for path in PAGES.glob("*.txt")}
    found["trump-japan-visit"] = (ROOT / "claims" / "demo" / "trump-japan-visit.txt").read_text(
        encoding="utf-8"
    )
    return found


def dateparser_dates(text: str, day: date) -> list[Found]:
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": datetime(day.year, day.month, day.day), "PREFER_DATES_FROM": "past"}
    found, cursor = [], 0
    for written, moment in search_dates(text, languages=["en"], settings=settings) or []:
        start = text.find(written, cursor)
        if start < 0:
            continue
        cursor = start + len(written)
        iso = moment.date().isoformat()  # a point: dateparser gives no interval or precision
        found.append(Found("date", start, cursor, (iso, iso)))
    return found


def quantulum_quantities(text: str, day: date) -> list[Found]:
    from quantulum3 import parser

    found = []
    for quantity in parser.parse(text):
        entity = quantity.unit.entity.name
        kind = (
            "duration"
            if entity == "time"
            else "percentage"
            if quantity.unit.name == "percentage"
            else "quantity"
        )
        if entity == "dimensionless" and quantity.unit.name != "percentage":
            kind = "count"
        value = repr(float(quantity.value))
        found.append(Found(kind, quantity.span[0], quantity.span[1], (value, value)))
    return found


def table(name: str, report: Report, seconds: float) -> list[str]:
    rows = []
    for kind, tally in [*sorted(report.per_kind.items()), ("all", report.total)]:
        if not tally.labelled and not tally.found:
            continue
        rows.append(
            f"| {name} | {kind} | {tally.labelled} | {tally.found} | {_pct(tally.precision)} | "
            f"{_pct(tally.recall)} | {tally.exact}/{tally.matched} | "
            f"{_pct(tally.resolution)} ({tally.resolved}/{tally.resolvable}) |"
        )
    rows.append(f"| {name} | time | | | | | | {seconds * 1000:.0f} ms for the split |")
    return rows


def _pct(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:.0f} %"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=["dev", "held-out"], default="dev")
    parser.add_argument("--rules-only", action="store_true")
    args = parser.parse_args()
    bodies = texts()
    labels = [
        label
        for label in read_labels(ROOT / "tests" / "data" / "facts-labels.tsv", bodies)
        if label.split == args.split
    ]
    days = read_references(ROOT / "tests" / "data" / "facts-references.tsv")
    print(f"{len(labels)} labels in {len({label.doc for label in labels})} documents ({args.split})")
    print("| extractor | kind | labelled | found | precision | recall | exact spans | resolved right |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    runs = [("rules", rules, None)]
    if not args.rules_only:
        runs += [
            ("dateparser", dateparser_dates, {"date"}),
            ("quantulum3", quantulum_quantities, {"quantity", "duration", "percentage", "count"}),
        ]
    for name, extractor, kinds in runs:
        extractor(bodies["reuters.com1"], date(2014, 12, 30))  # load models and caches before timing
        started = time.perf_counter()
        report = score(labels, bodies, days, extractor, kinds)
        for row in table(name, report, time.perf_counter() - started):
            print(row)


if __name__ == "__main__":
    main()
