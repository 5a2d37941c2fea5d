"""Statements of one article that constrain each other, and the arithmetic a reviewer would do.

A hint never says a claim is true or false: it says what must be true for the statements to hold
together (or that they cannot), with the numbers shown, so the reviewer knows what to look up first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from claims.facts.extract import Kind
from claims.facts.resolve import Interval, Reference, Resolved, years_between
from claims.facts.wording import day_words, interval_words, number_words

VOTE_WORDS = re.compile(r"\b(?:votes?|seats?|ballots?|majority|elected|lawmakers|members)\b", re.I)
LAST_EVENT = re.compile(r"\blast\s+(?P<event>[a-z]{3,})", re.I)
MAX_EVENTS_WEIGHED = 3  # "last …" statements a "first in N years" is weighed against, the nearest
DAYS_IN = {
    "year": 365.25,
    "month": 365.25 / 12,
    "week": 7.0,
    "day": 1.0,
    "decade": 3652.5,
    "century": 36525.0,
}


@dataclass(frozen=True)
class Statement:
    """A claim's wording and what was resolved in it."""

    claim_id: int
    text: str
    facts: Sequence[Resolved]


@dataclass(frozen=True)
class Hint:
    kind: str  # "part and total", "percentage and counts", "duration and date"
    text: str
    claim_ids: tuple[int, ...]


def hints(statements: Sequence[Statement], reference: Reference) -> list[Hint]:
    found: list[Hint] = []
    for statement in statements:
        found.extend(_majorities(statement))
        found.extend(_percentages_and_counts(statement))
    found.extend(_durations_and_dates(statements, reference))
    return found


def _majorities(statement: Statement) -> list[Hint]:
    """A part of a vote against its total: its share, and how far it is from a majority."""
    found = []
    for fact in statement.facts:
        # A share in words ("two-thirds", "about half") carries no counts to weigh against each other.
        if fact.expression.kind is not Kind.RATIO or len(fact.expression.parts) != 2:
            continue
        part, total = fact.expression.parts
        shown = f"{number_words(part)} / {number_words(total)} = {fact.expression.value:.1f} %"
        if part > total:  # type: ignore[operator]
            text = f"“{fact.expression.text}”: {shown}; a part larger than its total cannot hold."
        elif VOTE_WORDS.search(statement.text) and float(total).is_integer():  # type: ignore[arg-type]
            needed = int(total) // 2 + 1  # type: ignore[call-overload]
            margin = int(part) - needed  # type: ignore[call-overload]
            if margin >= 0:
                verdict_free = (
                    f"so {number_words(part)} is a majority by {margin} ({number_words(part)} − {needed})"
                )
            else:
                verdict_free = f"so {number_words(part)} is {-margin} short of a majority"
            text = (
                f"“{fact.expression.text}”: {shown}. A majority of {number_words(total)} needs {needed} "
                f"(more than half), {verdict_free}."
            )
        else:
            continue
        found.append(Hint("part and total", text, (statement.claim_id,)))
    return found


def _percentages_and_counts(statement: Statement) -> list[Hint]:
    """A percentage said next to the counts it comes from: does it round to their share?"""
    ratios = [f for f in statement.facts if f.expression.kind is Kind.RATIO]
    percentages = [
        f for f in statement.facts if f.expression.kind is Kind.PERCENTAGE and f.expression.unit == "%"
    ]
    found = []
    for percentage in percentages:
        for ratio in ratios:
            share, said = ratio.expression.value, percentage.expression.value
            assert share is not None and said is not None and percentage.interval is not None
            decimals = len(percentage.expression.text.partition(".")[2].rstrip("% percnt"))
            rounding = 0.5 * 10**-decimals
            agrees = percentage.interval.contains(share) or abs(share - said) <= rounding
            text = f"“{ratio.expression.text}” is {share:.1f} %; “{percentage.expression.text}” " + (
                "agrees with it to the rounding shown."
                if agrees
                else "does not: both cannot hold as written."
            )
            found.append(Hint("percentage and counts", text, (statement.claim_id,)))
    return found


def _durations_and_dates(statements: Sequence[Statement], reference: Reference) -> list[Hint]:
    """ "The first … in almost six years" against "last visited … in 2019": when could the last one be?
    Each such duration is weighed against the nearest statements of the same event only: an article of
    a thousand "first in N years" and "last visited" sentences would otherwise pair every one with every
    other (a million hints, minutes of a page view)."""
    lasts: dict[str, list[tuple[int, Statement, re.Match[str]]]] = {}
    for index, last in enumerate(statements):
        match = LAST_EVENT.search(last.text)
        if match is not None and len(stem := _stem(match.group("event"))) >= 3:
            lasts.setdefault(stem, []).append((index, last, match))
    found = []
    for index, since in enumerate(statements):
        durations = _time_since_first(since)
        if not durations:
            continue
        candidates = [
            entry
            for stem, entries in lasts.items()
            if re.search(rf"\b{re.escape(stem)}", since.text, re.I)
            for entry in _around(entries, index)
            if entry[1] is not since
        ]
        nearest = sorted(candidates, key=lambda entry: abs(entry[0] - index))[:MAX_EVENTS_WEIGHED]
        for duration in durations:
            for _, last, match in sorted(nearest, key=lambda entry: entry[0]):
                dates = [f for f in last.facts if f.expression.kind is Kind.DATE and f.interval is not None
                         and f.expression.start > match.start()]  # fmt: skip
                if dates:
                    text = _duration_and_date_words(duration, dates[0], match.group(0), reference)
                    found.append(Hint("duration and date", text, (since.claim_id, last.claim_id)))
    return found


def _time_since_first(statement: Statement) -> list[Resolved]:
    """Durations of "first … in N years" / "first … for N years" in a statement that says "first"."""
    lowered = statement.text.lower()
    first = lowered.find("first")
    return [
        f
        for f in statement.facts
        if first >= 0
        and f.expression.kind is Kind.DURATION
        and f.expression.start > first
        and f.interval is not None
        and re.search(r"\b(?:in|for|since)\s+$", lowered[: f.expression.start])
    ]


def _around(entries: list[tuple[int, Statement, re.Match[str]]], index: int) -> list[Any]:
    """The entries (in article order) nearest to position `index`, enough on each side to choose from."""
    middle = bisect_left(entries, index, key=lambda entry: entry[0])
    return entries[max(0, middle - MAX_EVENTS_WEIGHED - 1) : middle + MAX_EVENTS_WEIGHED + 1]


def _stem(event: str) -> str:
    """ "visited" and "visit": the same word up to an ending."""
    return re.sub(r"(?:ed|ing|s)$", "", event.lower())


def _duration_and_date_words(
    duration: Resolved, when: Resolved, last_words: str, reference: Reference
) -> str:
    span, stated = when.interval, duration.interval
    assert span is not None and stated is not None and duration.expression.unit is not None
    earliest, latest = span.low, span.high
    assert isinstance(earliest, date) and isinstance(latest, date)
    per_unit = DAYS_IN[duration.expression.unit] / DAYS_IN["year"]
    unit = "years"
    shortest, longest = years_between(latest, reference.day), years_between(earliest, reference.day)
    which = "publication" if reference.source == "published" else "import"
    against = f"{day_words(reference.day)} (the article's {which} date)"
    opening = (
        f"“{duration.expression.text}” and “{last_words} … {when.expression.text}”: from "
        f"{'any day of ' + when.expression.text if earliest != latest else day_words(earliest)} to {against} "
        f"is {_between(shortest, longest)} {unit}. “{duration.expression.text}” means "
        f"{interval_words(stated, duration.expression.unit)}"
    )
    # The days of the dated event for which the elapsed time falls inside the stated duration.
    low_years = None if stated.low is None else float(stated.low) * per_unit  # type: ignore[arg-type]
    high_years = None if stated.high is None else float(stated.high) * per_unit  # type: ignore[arg-type]
    first_day = earliest if high_years is None else max(earliest, _years_before(reference.day, high_years))
    last_day = (
        latest
        if low_years is None
        else min(latest, _years_before(reference.day, low_years) - timedelta(days=1))
    )
    if first_day > last_day:
        return f"{opening}, so both cannot hold as written."
    if (first_day, last_day) == (earliest, latest):
        return f"{opening}, so both hold for any day of {when.expression.text}."
    window = interval_words(Interval(first_day, last_day), "day")
    outside = []
    if first_day > earliest:
        outside.append(f"an earlier one would make it more than {number_words(high_years)} {unit}")
    if last_day < latest:
        outside.append(f"a later one would make it {number_words(low_years)} {unit} or less")
    return (
        f"{opening}, so both hold only if that event fell within {window}; "
        f"{' and '.join(outside)}. Look up its date first."
    )


def _between(low: float, high: float) -> str:
    return f"{low:.1f}" if round(low, 1) == round(high, 1) else f"between {low:.1f} and {high:.1f}"


def _years_before(day: date, years: float) -> date:
    """The same calendar day `years` whole years earlier (28 February for 29 February), else by days."""
    if float(years).is_integer():
        try:
            return day.replace(year=day.year - int(years))
        except ValueError:
            return day.replace(year=day.year - int(years), day=28)
    return day - timedelta(days=round(years * DAYS_IN["year"]))
