"""Scoring extraction and resolution against hand labels (tests/data/facts-labels.tsv; the guide is in
docs/claim-anatomy.md), for the rules and, in bench/, for the libraries alone.

An extracted expression matches a label when their spans overlap and their kinds agree (one label is
matched at most once); `exact` counts the matches whose span is the label's to the character. A matched
expression with a labelled interval is resolved right when its interval equals the labelled one (dates
to the day; numbers to 0.05, the rounding of a ratio's percentage shown to one decimal).
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from claims.facts.extract import extract
from claims.facts.resolve import Reference, resolve


@dataclass(frozen=True)
class Label:
    split: str
    doc: str
    kind: str
    text: str
    start: int
    end: int
    low: str
    high: str


@dataclass(frozen=True)
class Found:
    """What an extractor says: a kind, a span, and the interval it resolved (None: none)."""

    kind: str
    start: int
    end: int
    interval: tuple[str, str] | None = None


@dataclass
class Tally:
    labelled: int = 0
    found: int = 0
    matched: int = 0
    exact: int = 0
    resolvable: int = 0
    resolved: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else math.nan

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else math.nan

    @property
    def resolution(self) -> float:
        return self.resolved / self.resolvable if self.resolvable else math.nan


@dataclass
class Report:
    per_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    @property
    def total(self) -> Tally:
        whole = Tally()
        for tally in self.per_kind.values():
            for name in vars(whole):
                setattr(whole, name, getattr(whole, name) + getattr(tally, name))
        return whole


def read_labels(path: Path, texts: dict[str, str]) -> list[Label]:
    """Labels with their spans: the `occurrence`-th whole-word occurrence of `text` in the document."""
    labels = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            body = texts[row["doc"]]
            pattern = rf"(?<!\w){re.escape(row['text'])}(?!\w)"
            matches = list(re.finditer(pattern, body))
            occurrence = int(row["occurrence"])
            if len(matches) < occurrence:
                raise ValueError(
                    f"{row['doc']}: {row['text']!r} occurs {len(matches)} times, not {occurrence}"
                )
            start, end = matches[occurrence - 1].span()
            labels.append(
                Label(row["split"], row["doc"], row["kind"], row["text"], start, end, row["low"], row["high"])
            )
    return labels


def read_references(path: Path) -> dict[str, date]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["doc"]: date.fromisoformat(row["day"]) for row in csv.DictReader(handle, delimiter="\t")}


def rules(text: str, day: date) -> list[Found]:
    """The shipped extractor and resolver, in the shape scored here."""
    reference = Reference(day, "published")
    found = []
    for expression in extract(text):
        fact = resolve(expression, reference)
        interval = None
        if fact.interval is not None:
            interval = (_bound(fact.interval.low), _bound(fact.interval.high, high=True))
        found.append(Found(expression.kind.value, expression.start, expression.end, interval))
    return found


def score(
    labels: Sequence[Label],
    texts: dict[str, str],
    days: dict[str, date],
    extractor: Callable[[str, date], Iterable[Found]],
    kinds: set[str] | None = None,
) -> Report:
    """P/R per kind over the labelled documents; `kinds`: only those (a library that reads only dates)."""
    report = Report()
    for doc in sorted({label.doc for label in labels}):
        wanted = [label for label in labels if label.doc == doc and (kinds is None or label.kind in kinds)]
        found = [f for f in extractor(texts[doc], days[doc]) if kinds is None or f.kind in kinds]
        for label in wanted:
            report.per_kind[label.kind].labelled += 1
        for item in found:
            report.per_kind[item.kind].found += 1
        unmatched = list(wanted)
        for item in found:
            label = next((lb for lb in unmatched if lb.kind == item.kind and _overlap(lb, item)), None)
            if label is None:
                continue
            unmatched.remove(label)
            tally = report.per_kind[item.kind]
            tally.matched += 1
            tally.exact += (label.start, label.end) == (item.start, item.end)
            if label.low or label.high:
                tally.resolvable += 1
                tally.resolved += (
                    item.interval is not None
                    and _same(label.low, item.interval[0])
                    and _same(label.high, item.interval[1])
                )
    return report


def _overlap(label: Label, item: Found) -> bool:
    return label.start < item.end and item.start < label.end


def _bound(value: object, high: bool = False) -> str:
    if value is None:
        return "inf" if high else "-inf"
    return value.isoformat() if isinstance(value, date) else repr(float(value))  # type: ignore[arg-type]


def _same(labelled: str, found: str) -> bool:
    if labelled == found:
        return True
    try:
        return abs(float(labelled) - float(found)) <= 0.05
    except ValueError:
        return False
